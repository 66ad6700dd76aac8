//! Sanitized copies: the same file with given values replaced.
//!
//! Supported: text files of every encoding [`crate::extract`] reads (CSV, TSV, JSON, Markdown, logs,
//! source, XML and HTML — replaced in the raw text, written back in the file's own encoding, every
//! other byte unchanged for UTF-8 and UTF-16), DOCX, XLSX, PPTX, ODT, ODS and ODP (text in runs,
//! shared and inline strings, comments, notes, headers and footers, document properties; a value that
//! Word split over several runs is written into the first run and removed from the others; every other
//! entry of the ZIP is copied as it was, compressed bytes included). Not supported, with an
//! [`ErrorKind::Unsupported`] error: PDF, e-mail, ZIP archives, and anything not inspectable.
//! Values in XLSX number cells, charts and embedded objects are not rewritten; [`crate::sanitize_file`]
//! notices what is left and refuses the copy.

use crate::container::Container;
use crate::error::{Error, ErrorKind};
use crate::limits::Budget;
use crate::sniff::{self, Format};
use crate::xml::{self, Dialect, XmlText};
use crate::{Limits, odf, ooxml, text};
use aho_corasick::{AhoCorasick, MatchKind};
use std::io::{Cursor, Write};
use std::ops::Range;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A range of a part's text and what replaces it.
type Edit = (Range<usize>, String);

/// A sanitized copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sanitized {
    /// The copy's bytes.
    pub bytes: Vec<u8>,
    /// How many occurrences were replaced.
    pub replaced: usize,
    /// The file's format.
    pub format: Format,
}

/// A copy of `bytes` with every occurrence of each `(value, replacement)` pair's value replaced.
/// Longer values win where two overlap. `name` plays the same part as in [`crate::extract`].
pub fn sanitize(
    bytes: &[u8],
    name: &str,
    limits: &Limits,
    values: &[(String, String)],
) -> Result<Sanitized, Error> {
    if bytes.len() > limits.max_file_bytes {
        return Err(Error::new(
            ErrorKind::TooLarge,
            sniff::magic(bytes),
            format!(
                "the file is {:.1} MB; the limit is {:.1} MB",
                bytes.len() as f64 / 1e6,
                limits.max_file_bytes as f64 / 1e6
            ),
        ));
    }
    let values: Vec<&(String, String)> = values.iter().filter(|(v, _)| !v.is_empty()).collect();
    let finder = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(values.iter().map(|(v, _)| v.as_str()))
        .map_err(|e| {
            Error::new(
                ErrorKind::TooLarge,
                Format::Unknown,
                format!("too many values to replace: {e}"),
            )
        })?;
    let edits = |text: &str| -> Vec<Edit> {
        finder
            .find_iter(text)
            .map(|m| (m.range(), values[m.pattern().as_usize()].1.clone()))
            .collect()
    };
    match sniff::magic(bytes) {
        Format::Zip => sanitize_zip(bytes, limits, &edits),
        Format::Text => {
            let (decoded, encoding) = text::decode(bytes)?;
            let format = sniff::text_format(&decoded, name);
            if format == Format::Eml {
                return Err(unsupported(format));
            }
            let found = edits(&decoded);
            if found.is_empty() {
                return Ok(Sanitized {
                    bytes: bytes.to_vec(),
                    replaced: 0,
                    format,
                });
            }
            let mut out = String::with_capacity(decoded.len());
            let mut at = 0;
            for (range, replacement) in &found {
                out.push_str(&decoded[at..range.start]);
                out.push_str(replacement);
                at = range.end;
            }
            out.push_str(&decoded[at..]);
            Ok(Sanitized {
                bytes: text::encode(&out, encoding),
                replaced: found.len(),
                format,
            })
        }
        other => Err(unsupported(other)),
    }
}

fn unsupported(format: Format) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        format,
        format!(
            "a sanitized copy of a {} file cannot be made; only text, CSV, JSON, DOCX, XLSX, PPTX and OpenDocument files can be sanitized",
            format.name()
        ),
    )
}

fn sanitize_zip(
    bytes: &[u8],
    limits: &Limits,
    edits: &dyn Fn(&str) -> Vec<Edit>,
) -> Result<Sanitized, Error> {
    let mut budget = Budget::new(*limits);
    let mut container = Container::open(bytes, &budget)?;
    let format = container.format;
    let names = container.names().to_vec();
    let mut parts: Vec<(String, &'static Dialect)> = match format {
        Format::Docx | Format::Xlsx | Format::Pptx => ooxml::text_parts(format, &names)
            .into_iter()
            .map(|(n, d, _)| (n, d))
            .collect(),
        Format::Odt | Format::Ods | Format::Odp => vec![
            ("content.xml".to_owned(), &odf::TEXT),
            ("styles.xml".to_owned(), &odf::TEXT),
        ],
        other => return Err(unsupported(other)),
    };
    if format == Format::Xlsx {
        parts.push(("xl/sharedStrings.xml".to_owned(), &ooxml::STRINGS));
        parts.extend(
            names
                .iter()
                .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
                .map(|n| (n.clone(), &ooxml::STRINGS)),
        );
    }
    let mut rewritten: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut replaced = 0;
    let mut rewrite_part = |i: usize, xml_bytes: &[u8], walked: XmlText| {
        let found = edits(&walked.text);
        if !found.is_empty() {
            replaced += found.len();
            rewritten.push((i, xml::rewrite(xml_bytes, &walked, &found)));
        }
    };
    for (name, dialect) in &parts {
        let Some(i) = names.iter().position(|n| n == name) else {
            continue;
        };
        let data = container.read_index(i, &mut budget)?;
        let walked =
            xml::walk(&data, dialect, format, &mut |_, _| {}).map_err(|e| e.inside(name))?;
        rewrite_part(i, &data, walked);
    }
    let (properties, element) = match format {
        Format::Odt | Format::Ods | Format::Odp => (odf::META, "user-defined"),
        _ => (ooxml::CUSTOM, "property"),
    };
    if let Some(i) = names.iter().position(|n| n == properties) {
        let data = container.read_index(i, &mut budget)?;
        let walked =
            ooxml::walk_properties(&data, format, element).map_err(|e| e.inside(properties))?;
        rewrite_part(i, &data, walked);
    }
    if replaced == 0 {
        return Ok(Sanitized {
            bytes: bytes.to_vec(),
            replaced: 0,
            format,
        });
    }
    let write_error = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorKind::Corrupt,
            format,
            format!("the sanitized copy could not be written: {e}"),
        )
    };
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let archive = container.archive();
    for (i, name) in names.iter().enumerate() {
        match rewritten.iter().find(|(k, _)| *k == i) {
            Some((_, data)) => {
                let options =
                    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
                writer
                    .start_file(name.as_str(), options)
                    .map_err(|e| write_error(&e))?;
                writer.write_all(data).map_err(|e| write_error(&e))?;
            }
            None => {
                let entry = archive
                    .by_index_raw(i)
                    .map_err(|e| Error::corrupt(format, e))?;
                writer.raw_copy_file(entry).map_err(|e| write_error(&e))?;
            }
        }
    }
    let out = writer.finish().map_err(|e| write_error(&e))?.into_inner();
    Ok(Sanitized {
        bytes: out,
        replaced,
        format,
    })
}
