//! File bytes → text, with where each piece of text came from, for PromptWarden's upload guard and the
//! `warden scan` command.
//!
//! [`extract`] reads plain text and source code in any common encoding, Markdown, CSV/TSV, JSON,
//! XML/HTML (text only), logs, e-mail (`.eml`, with attachments), DOCX/XLSX/PPTX (body, headers and
//! footers, comments, notes, shared strings, document properties and Microsoft sensitivity labels),
//! ODT/ODS/ODP, PDF text and ZIP archives. The type comes from the bytes, never the file name.
//! [`sanitize()`] writes a copy of a text, CSV/JSON, DOCX, XLSX or PPTX file with given values replaced.
//! [`scan_file`] and [`sanitize_file`] are the glue to `warden-core`: they scan every piece with a
//! `RuleSet` and turn a sensitivity label into a `confidential` finding.
//!
//! The design decisions to know:
//! - **Nothing unread is clean.** An encrypted document, an image, a damaged file or a zip bomb is an
//!   [`Error`]; a part of a container that cannot be read (an image attached to a mail) is listed in
//!   [`Extraction::uninspected`]. Callers must treat both as *not inspected*, never as *no findings*.
//! - **Bounded.** [`Limits`] caps the file size, ZIP entries, total and per-entry expansion (declared
//!   sizes are checked before anything is inflated, and inflated bytes are counted as they are read),
//!   nesting and the text kept. Arbitrary bytes never panic (property tests and fuzz targets check it).
//! - **Pure.** No I/O, no clock, no threads: the same crate runs in the `warden` binary and, compiled to
//!   WebAssembly, in the browser extension.

mod container;
mod eml;
mod error;
mod limits;
mod odf;
mod ooxml;
#[cfg(feature = "pdf")]
mod pdf;
mod sanitize;
mod scan;
mod sniff;
mod text;
mod xml;

pub use error::{Error, ErrorKind};
pub use limits::Limits;
pub use sanitize::{Sanitized, sanitize};
pub use scan::{FileFinding, FileScan, SENSITIVITY_LABEL_RULE, sanitize_file, scan_file};
pub use sniff::Format;

use limits::Budget;

/// A piece of text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Where in the file: a part (`word/document.xml`, `docProps/core.xml`), a page (`page 3`), a
    /// sheet, a slide (`slide 2`), an attachment (`attachment a.pdf › page 1`); empty for a text file.
    pub location: String,
    /// The text.
    pub text: String,
    /// Finer locations (spreadsheet cells, slides) starting at byte offsets of `text`, in order.
    marks: Vec<(usize, String)>,
    /// What a line of `text` is called in a location (`line`, `paragraph`), if lines are counted.
    unit: Option<&'static str>,
}

impl Piece {
    pub(crate) fn new(location: String, text: String) -> Piece {
        Piece {
            location,
            text,
            marks: Vec::new(),
            unit: None,
        }
    }

    pub(crate) fn with_unit(mut self, unit: &'static str) -> Piece {
        self.unit = Some(unit);
        self
    }

    pub(crate) fn with_marks(mut self, marks: Vec<(usize, String)>) -> Piece {
        self.marks = marks;
        self
    }

    /// Answers "where is byte `offset` of this piece" for many offsets, counting lines once.
    pub fn locator(&self) -> Locator<'_> {
        let newlines = if self.unit.is_some() && self.marks.is_empty() {
            self.text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect()
        } else {
            Vec::new()
        };
        Locator {
            piece: self,
            newlines,
        }
    }
}

/// Locations inside one [`Piece`]; see [`Piece::locator`].
#[derive(Debug)]
pub struct Locator<'a> {
    piece: &'a Piece,
    newlines: Vec<usize>,
}

impl Locator<'_> {
    /// Where byte `offset` of the piece is, for a person: `Sheet1!B4`, `word/document.xml, paragraph
    /// 3`, `line 12`, `page 2`.
    pub fn locate(&self, offset: usize) -> String {
        let p = self.piece;
        let fine = if !p.marks.is_empty() {
            let i = p.marks.partition_point(|(at, _)| *at <= offset);
            i.checked_sub(1).map(|i| p.marks[i].1.clone())
        } else {
            p.unit.map(|unit| {
                let line = self.newlines.partition_point(|&n| n < offset) + 1;
                format!("{unit} {line}")
            })
        };
        match fine {
            None => p.location.clone(),
            Some(fine) if p.location.is_empty() => fine,
            // Cell and slide marks already name their sheet or slide; a nested file's marks carry
            // its path as a prefix of the piece's location.
            Some(fine) if !p.marks.is_empty() => match p.location.rsplit_once(" › ") {
                Some((prefix, _)) => format!("{prefix} › {fine}"),
                None => fine,
            },
            Some(fine) => format!("{}, {fine}", p.location),
        }
    }
}

/// A Microsoft Purview (MIP) sensitivity label found in a document's properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The label's id (a GUID).
    pub id: String,
    /// Its display name when the document records it (`Confidential`, `Highly Confidential`).
    pub name: Option<String>,
    /// Where it was found (`docProps/custom.xml`, `docMetadata/LabelInfo.xml`).
    pub location: String,
}

/// A part of the file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uninspected {
    /// Where (`attachment logo.png`, `page 4`).
    pub location: String,
    /// Why, as an error.
    pub error: Error,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    /// The format of the file, from its bytes.
    pub format: Format,
    /// The text, in document order.
    pub pieces: Vec<Piece>,
    /// Sensitivity labels applied to the file (or to documents inside it).
    pub labels: Vec<Label>,
    /// Parts that could not be read. When not empty, the file is *not* fully inspected.
    pub uninspected: Vec<Uninspected>,
}

impl Extraction {
    /// The bytes of text extracted.
    pub fn text_bytes(&self) -> usize {
        self.pieces.iter().map(|p| p.text.len()).sum()
    }
}

/// The format of a file from its first bytes (pass at least 8 KiB): binary formats and ZIP containers
/// from magic numbers (a ZIP is reported as [`Format::Zip`]; [`extract`] tells DOCX and the others
/// apart), text formats from the decoded text, [`Format::Binary`] for other binary data.
pub fn detect(head: &[u8], name: &str) -> Format {
    match sniff::magic(head) {
        Format::Text => match text::decode(head) {
            Ok((text, _)) => sniff::text_format(&text, name),
            Err(_) => Format::Binary,
        },
        other => other,
    }
}

/// Whether text bytes are UTF-16 (with or without a byte-order mark), whose byte offsets do not match
/// the offsets of the decoded text.
pub fn is_utf16(head: &[u8]) -> bool {
    head.contains(&0)
        && matches!(
            text::decode(head),
            Ok((_, text::TextEncoding::Utf16 { .. }))
        )
}

/// Reads the text of a file. `name` is the file's name, used only to tell text formats that read
/// alike apart (a `.md` from a `.txt`). An `Err` means the file was not inspected.
pub fn extract(bytes: &[u8], name: &str, limits: &Limits) -> Result<Extraction, Error> {
    if bytes.len() > limits.max_file_bytes {
        return Err(Error::new(
            ErrorKind::TooLarge,
            sniff::magic(&bytes[..bytes.len().min(4096)]),
            format!(
                "the file is {:.1} MB; the limit is {:.1} MB, so it is not inspected",
                bytes.len() as f64 / 1e6,
                limits.max_file_bytes as f64 / 1e6
            ),
        ));
    }
    let mut budget = Budget::new(*limits);
    let mut out = Extraction {
        format: Format::Unknown,
        pieces: Vec::new(),
        labels: Vec::new(),
        uninspected: Vec::new(),
    };
    let mut sink = Sink {
        out: &mut out,
        prefix: String::new(),
        depth: 0,
        budget: &mut budget,
    };
    let format = extract_into(&mut sink, bytes, name)?;
    out.format = format;
    Ok(out)
}

/// Where extracted text goes, with the path of the container being read and the shared budget.
pub(crate) struct Sink<'a> {
    out: &'a mut Extraction,
    /// `attachment a.zip › b.docx › ` for pieces of nested files.
    prefix: String,
    depth: usize,
    pub budget: &'a mut Budget,
}

impl Sink<'_> {
    /// Adds a piece, counting its text against the budget.
    pub fn push(&mut self, mut piece: Piece, format: Format) -> Result<(), Error> {
        self.budget.text(piece.text.len(), format)?;
        if !self.prefix.is_empty() {
            piece.location = if piece.location.is_empty() {
                self.prefix.trim_end_matches(" › ").to_owned()
            } else {
                format!("{}{}", self.prefix, piece.location)
            };
            for (_, mark) in &mut piece.marks {
                *mark = format!("{}{mark}", self.prefix);
            }
        }
        self.out.pieces.push(piece);
        Ok(())
    }

    pub fn label(&mut self, mut label: Label) {
        label.location = format!("{}{}", self.prefix, label.location);
        if !self
            .out
            .labels
            .iter()
            .any(|l| l.id == label.id && l.location == label.location)
        {
            self.out.labels.push(label);
        }
    }

    pub fn uninspected(&mut self, location: &str, error: Error) {
        self.out.uninspected.push(Uninspected {
            location: format!("{}{location}", self.prefix),
            error,
        });
    }

    /// Extracts a file found inside the current one (`location` names it). Failures that concern only
    /// that file are recorded as uninspected; exhausted budgets and bombs stop the whole extraction.
    pub fn nested(&mut self, bytes: &[u8], name: &str, location: &str) -> Result<(), Error> {
        let format = sniff::magic(bytes);
        if self.depth + 1 > self.budget.limits.max_depth {
            self.uninspected(
                location,
                Error::new(
                    ErrorKind::TooDeep,
                    format,
                    format!(
                        "files are nested more than {} levels deep here; it is not inspected",
                        self.budget.limits.max_depth
                    ),
                ),
            );
            return Ok(());
        }
        let mut inner = Sink {
            out: self.out,
            prefix: format!("{}{location} › ", self.prefix),
            depth: self.depth + 1,
            budget: self.budget,
        };
        match extract_into(&mut inner, bytes, name) {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::Bomb | ErrorKind::TooLarge) => {
                Err(e.inside(location))
            }
            Err(e) => {
                self.uninspected(location, e);
                Ok(())
            }
        }
    }
}

fn extract_into(sink: &mut Sink<'_>, bytes: &[u8], name: &str) -> Result<Format, Error> {
    match sniff::magic(bytes) {
        Format::Zip => container::extract(sink, bytes),
        #[cfg(feature = "pdf")]
        Format::Pdf => pdf::extract(sink, bytes).map(|()| Format::Pdf),
        #[cfg(not(feature = "pdf"))]
        Format::Pdf => Err(Error::new(
            ErrorKind::Unsupported,
            Format::Pdf,
            "this build of PromptWarden does not read PDF files, so it is not inspected",
        )),
        Format::Image => Err(Error::new(
            ErrorKind::Unsupported,
            Format::Image,
            "this is an image; text in pictures cannot be read, so it is not inspected",
        )),
        Format::LegacyOffice => Err(Error::new(
            ErrorKind::Unsupported,
            Format::LegacyOffice,
            "this is a legacy binary Office file (.doc, .xls or .ppt), which cannot be read; save it as .docx, .xlsx or .pptx and upload that",
        )),
        Format::EncryptedOffice => Err(Error::new(
            ErrorKind::Encrypted,
            Format::EncryptedOffice,
            "this Office document is protected by a password, so its content cannot be checked; remove the password or upload an unprotected copy",
        )),
        _ => text_file(sink, bytes, name),
    }
}

fn text_file(sink: &mut Sink<'_>, bytes: &[u8], name: &str) -> Result<Format, Error> {
    let (text, _) = text::decode(bytes)?;
    let format = sniff::text_format(&text, name);
    let text = match format {
        Format::Eml => return eml::extract(sink, bytes).map(|()| Format::Eml),
        Format::Html => text::html_text(&text),
        Format::Xml => text::xml_text(&text),
        _ => text,
    };
    let piece = match format {
        // Lines of markup reduced to text no longer match the file's lines.
        Format::Html | Format::Xml => Piece::new("text".to_owned(), text),
        _ => Piece::new(String::new(), text).with_unit("line"),
    };
    sink.push(piece, format)?;
    Ok(format)
}
