//! OpenDocument (ODT, ODS, ODP): `content.xml` (text, tables with cells located as `Sheet!A1`, slides),
//! `styles.xml` (headers and footers) and `meta.xml` (document properties). A document whose
//! manifest carries `encryption-data` is password-protected and refused as such.

use crate::container::Container;
use crate::error::{Error, ErrorKind};
use crate::sniff::Format;
use crate::xml::{self, Dialect, Tag, XmlText};
use crate::{Piece, Sink};

/// OpenDocument text: paragraphs and headings, with their spans, links, tabs, breaks and spaces.
pub(crate) const TEXT: Dialect = Dialect {
    text: &["p", "h"],
    blocks: &["p", "h"],
    tabs: &["tab"],
    breaks: &["line-break"],
    spaces: &["s"],
    skip: &["note-citation", "creator", "date"],
    attributes: false,
};

/// Document properties, user-defined ones (and sensitivity labels) included.
pub(crate) const META: &str = "meta.xml";

/// The largest row or column repeat count followed; LibreOffice writes a million-row repeat for the
/// empty rest of a sheet.
const MAX_REPEAT: u64 = 1 << 20;

pub(crate) fn extract(sink: &mut Sink<'_>, container: &mut Container<'_>) -> Result<(), Error> {
    let format = container.format;
    if let Some(manifest) = container.read("META-INF/manifest.xml", sink.budget)?
        && crate::sniff::memfind(&manifest, b"encryption-data").is_some()
    {
        return Err(Error::new(
            ErrorKind::Encrypted,
            format,
            format!(
                "this {} document is protected by a password, so its content cannot be checked; remove the password or upload an unprotected copy",
                format.name()
            ),
        ));
    }
    if let Some(bytes) = container.read(META, sink.budget)? {
        let walked = crate::ooxml::walk_properties(&bytes, format, "user-defined")
            .map_err(|e| e.inside(META))?;
        crate::ooxml::push_properties(sink, walked, META, format)?;
    }
    for (part, dialect) in [("content.xml", &TEXT), ("styles.xml", &TEXT)] {
        let Some(bytes) = container.read(part, sink.budget)? else {
            continue;
        };
        let mut cells = Cells::default();
        let walked = xml::walk(&bytes, dialect, format, &mut |tag, out| {
            cells.tag(format, tag, out)
        })
        .map_err(|e| e.inside(part))?;
        if walked.text.trim().is_empty() {
            continue;
        }
        let piece = Piece::new(part.to_owned(), walked.text);
        let piece = if walked.marks.is_empty() {
            piece.with_unit("paragraph")
        } else {
            piece.with_marks(walked.marks)
        };
        sink.push(piece, format)?;
    }
    Ok(())
}

/// Tracks tables, rows, cells and slides to mark where text sits.
#[derive(Default)]
struct Cells {
    sheet: String,
    row: u64,
    col: u64,
    row_repeat: u64,
    cell_repeat: u64,
    slide: u64,
}

impl Cells {
    fn tag(&mut self, format: Format, tag: Tag<'_, '_>, out: &mut XmlText) {
        match tag {
            Tag::Start(t) | Tag::Empty(t) => {
                let empty = matches!(tag, Tag::Empty(_));
                let repeat = |name| {
                    xml::attribute(t, name)
                        .and_then(|v| v.parse::<u64>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_REPEAT)
                };
                match xml::local(t.name().as_ref()) {
                    "table" if format == Format::Ods => {
                        self.sheet = xml::attribute(t, "name").unwrap_or_default();
                        self.row = 0;
                    }
                    "table-row" => {
                        self.row = self.row.saturating_add(1);
                        self.col = 0;
                        self.row_repeat = repeat("number-rows-repeated");
                        if empty {
                            self.row = self.row.saturating_add(self.row_repeat - 1);
                        }
                    }
                    "table-cell" | "covered-table-cell" => {
                        self.col = self.col.saturating_add(1);
                        self.cell_repeat = repeat("number-columns-repeated");
                        if empty {
                            self.col = self.col.saturating_add(self.cell_repeat - 1);
                        } else if format == Format::Ods {
                            out.mark(format!("{}!{}{}", self.sheet, column(self.col), self.row));
                        }
                    }
                    "page" if format == Format::Odp => {
                        self.slide += 1;
                        out.mark(format!("slide {}", self.slide));
                    }
                    _ => {}
                }
            }
            Tag::End(name) => match name {
                "table-row" => self.row = self.row.saturating_add(self.row_repeat.max(1) - 1),
                "table-cell" | "covered-table-cell" => {
                    self.col = self.col.saturating_add(self.cell_repeat.max(1) - 1)
                }
                _ => {}
            },
        }
    }
}

/// Column number (1-based) → letters: 1 → A, 27 → AA.
fn column(mut n: u64) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        assert_eq!(column(1), "A");
        assert_eq!(column(26), "Z");
        assert_eq!(column(27), "AA");
        assert_eq!(column(703), "AAA");
    }

    #[test]
    fn spreadsheet_cells_are_marked() {
        let xml = br#"<office:spreadsheet><table:table table:name="People"><table:table-row><table:table-cell><text:p>Name</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>ann@corp.com</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row><table:table-row><table:table-cell><text:p>x<text:s text:c="2"/>y</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"#;
        let mut cells = Cells::default();
        let walked = xml::walk(xml, &TEXT, Format::Ods, &mut |t, o| {
            cells.tag(Format::Ods, t, o)
        })
        .unwrap();
        let labels: Vec<&str> = walked.marks.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(labels, ["People!A1", "People!D1", "People!A5"]);
        assert!(walked.text.contains("x  y"), "{:?}", walked.text);
    }
}
