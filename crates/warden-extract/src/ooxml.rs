//! Office Open XML (DOCX, XLSX, PPTX): which parts hold text, how to read each, and the Microsoft
//! sensitivity labels in the document properties.
//!
//! Parts read — DOCX: body, headers, footers, footnotes, endnotes, comments; XLSX: every sheet (cells
//! located as `Sheet!A1`, shared strings resolved), comments; PPTX: slides, notes, comments; all three:
//! `docProps/core.xml`, `app.xml`, `custom.xml` and `docMetadata/LabelInfo.xml`. Embedded media and
//! OLE objects are not read.

use crate::container::Container;
use crate::error::Error;
use crate::sniff::Format;
use crate::xml::{self, Dialect, Tag, XmlText};
use crate::{Label, Piece, Sink};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashMap;

/// Word paragraphs: text in `w:t` (and deleted text in tracked changes, `w:delText`).
pub(crate) const WORD: Dialect = Dialect {
    text: &["t", "delText"],
    blocks: &["p"],
    tabs: &["tab"],
    breaks: &["br", "cr"],
    spaces: &[],
    skip: &[],
    attributes: false,
};

/// DrawingML paragraphs (slides, notes) and PowerPoint comments.
pub(crate) const SLIDE: Dialect = Dialect {
    text: &["t", "text"],
    blocks: &["p", "cm"],
    tabs: &[],
    breaks: &["br"],
    spaces: &[],
    skip: &[],
    attributes: false,
};

/// Shared strings, inline strings and comments of a workbook: text in `t`, one string per line.
pub(crate) const STRINGS: Dialect = Dialect {
    text: &["t"],
    blocks: &["si", "comment", "is"],
    tabs: &[],
    breaks: &[],
    spaces: &[],
    skip: &[],
    attributes: false,
};

/// Document properties: every element's text on its own line.
pub(crate) const PROPERTIES: Dialect = Dialect {
    text: &[],
    blocks: &[],
    tabs: &[],
    breaks: &[],
    spaces: &[],
    skip: &[],
    attributes: false,
};

/// The parts of a document that hold text, in reading order, each with its dialect and the location
/// shown to the user.
pub(crate) fn text_parts(
    format: Format,
    names: &[String],
) -> Vec<(String, &'static Dialect, String)> {
    let mut parts: Vec<(String, &'static Dialect, String)> = Vec::new();
    let mut add = |pattern: &dyn Fn(&str) -> Option<String>, dialect: &'static Dialect| {
        let mut found: Vec<(u64, String, String)> = names
            .iter()
            .filter_map(|n| pattern(n).map(|loc| (number(n), n.clone(), loc)))
            .collect();
        found.sort();
        parts.extend(found.into_iter().map(|(_, n, loc)| (n, dialect, loc)));
    };
    let part = |prefix: &'static str| {
        move |n: &str| {
            (n.starts_with(prefix) && n.ends_with(".xml") && !n[prefix.len()..].contains('/'))
                .then(|| n.to_owned())
        }
    };
    match format {
        Format::Docx => {
            add(&|n| (n == "word/document.xml").then(|| n.to_owned()), &WORD);
            for prefix in [
                "word/header",
                "word/footer",
                "word/footnotes",
                "word/endnotes",
                "word/comments",
            ] {
                add(&part(prefix), &WORD);
            }
        }
        Format::Pptx => {
            add(
                &|n| slide_number(n, "ppt/slides/slide").map(|k| format!("slide {k}")),
                &SLIDE,
            );
            add(
                &|n| {
                    slide_number(n, "ppt/notesSlides/notesSlide")
                        .map(|k| format!("notes of slide {k}"))
                },
                &SLIDE,
            );
            add(&part("ppt/comments/"), &SLIDE);
        }
        Format::Xlsx => {
            add(&part("xl/comments"), &STRINGS);
        }
        _ => {}
    }
    for props in ["docProps/core.xml", "docProps/app.xml"] {
        add(&|n| (n == props).then(|| n.to_owned()), &PROPERTIES);
    }
    parts
}

/// `ppt/slides/slide12.xml` → 12.
fn slide_number(name: &str, prefix: &str) -> Option<u64> {
    name.strip_prefix(prefix)?
        .strip_suffix(".xml")?
        .parse()
        .ok()
}

/// The number in a part name, so `slide10` sorts after `slide9`.
fn number(name: &str) -> u64 {
    let digits: String = name
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .take(18)
        .collect();
    digits.parse().unwrap_or(0)
}

pub(crate) fn extract(sink: &mut Sink<'_>, container: &mut Container<'_>) -> Result<(), Error> {
    let format = container.format;
    if format == Format::Xlsx {
        sheets(sink, container)?;
    }
    for (name, dialect, location) in text_parts(format, container.names()) {
        let Some(bytes) = container.read(&name, sink.budget)? else {
            continue;
        };
        let walked =
            xml::walk(&bytes, dialect, format, &mut |_, _| {}).map_err(|e| e.inside(&name))?;
        let unit = if dialect.blocks.contains(&"p") {
            Some("paragraph")
        } else {
            None
        };
        if !walked.text.trim().is_empty() {
            let piece = Piece::new(location, walked.text);
            sink.push(
                match unit {
                    Some(u) if format == Format::Docx => piece.with_unit(u),
                    _ => piece,
                },
                format,
            )?;
        }
    }
    custom_properties(sink, container, format)?;
    Ok(())
}

/// `docProps/custom.xml` as `name: value` lines, and the sensitivity labels among them
/// (`MSIP_Label_<id>_Enabled = true`, `…_Name`), plus `docMetadata/LabelInfo.xml` (newer Office).
fn custom_properties(
    sink: &mut Sink<'_>,
    container: &mut Container<'_>,
    format: Format,
) -> Result<(), Error> {
    if let Some(bytes) = container.read(CUSTOM, sink.budget)? {
        let walked = walk_custom(&bytes, format).map_err(|e| e.inside(CUSTOM))?;
        push_properties(sink, walked, CUSTOM, format)?;
    }
    if let Some(bytes) = container.read(LABEL_INFO, sink.budget)? {
        let walked = xml::walk(&bytes, &xml::PLAIN, format, &mut |tag, out| {
            if let Tag::Start(t) | Tag::Empty(t) = tag
                && xml::local(t.name().as_ref()) == "label"
            {
                let removed = xml::attribute(t, "removed").is_some_and(|v| v == "1" || v == "true");
                let enabled = xml::attribute(t, "enabled").is_none_or(|v| v == "1" || v == "true");
                if let Some(id) = xml::attribute(t, "id")
                    && enabled
                    && !removed
                {
                    out.marks.push((0, id));
                }
            }
        })
        .map_err(|e| e.inside(LABEL_INFO))?;
        for (_, id) in walked.marks {
            sink.label(Label {
                id: normalize_guid(&id),
                name: None,
                location: LABEL_INFO.to_owned(),
            });
        }
    }
    Ok(())
}

pub(crate) const CUSTOM: &str = "docProps/custom.xml";
const LABEL_INFO: &str = "docMetadata/LabelInfo.xml";

/// Walks `docProps/custom.xml`, writing each property as `name: value`.
pub(crate) fn walk_custom(bytes: &[u8], format: Format) -> Result<XmlText, Error> {
    walk_properties(bytes, format, "property")
}

/// Walks a part of named properties (`element` with a `name` attribute, holding the value), writing
/// each as `name: value`: OOXML's `custom.xml` and OpenDocument's `meta.xml` (`meta:user-defined`).
pub(crate) fn walk_properties(
    bytes: &[u8],
    format: Format,
    element: &str,
) -> Result<XmlText, Error> {
    xml::walk(bytes, &PROPERTIES, format, &mut |tag, out| {
        if let Tag::Start(t) = tag
            && xml::local(t.name().as_ref()) == element
            && let Some(name) = xml::attribute(t, "name")
        {
            if !out.text.is_empty() && !out.text.ends_with('\n') {
                out.text.push('\n');
            }
            out.text.push_str(&name);
            out.text.push_str(": ");
        }
    })
}

/// Adds a walked properties part: its sensitivity labels as labels, its other properties as text
/// (the label's own properties are reported once, as the label).
pub(crate) fn push_properties(
    sink: &mut Sink<'_>,
    walked: XmlText,
    location: &str,
    format: Format,
) -> Result<(), Error> {
    for mut label in labels_from_properties(&walked.text) {
        label.location = location.to_owned();
        sink.label(label);
    }
    let text: String = walked
        .text
        .lines()
        .filter(|l| !l.starts_with("MSIP_Label_"))
        .flat_map(|l| [l, "\n"])
        .collect();
    if !text.trim().is_empty() {
        sink.push(Piece::new(location.to_owned(), text), format)?;
    }
    Ok(())
}

/// Labels from `name: value` lines of custom properties.
fn labels_from_properties(text: &str) -> Vec<Label> {
    let mut enabled: Vec<String> = Vec::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(": ") else {
            continue;
        };
        let Some(rest) = key.strip_prefix("MSIP_Label_") else {
            continue;
        };
        let Some((id, field)) = rest.rsplit_once('_') else {
            continue;
        };
        let value = value.trim();
        match field {
            "Enabled" if value.eq_ignore_ascii_case("true") => enabled.push(normalize_guid(id)),
            "Name" => {
                names.insert(normalize_guid(id), value.to_owned());
            }
            _ => {}
        }
    }
    enabled
        .into_iter()
        .map(|id| Label {
            name: names.get(&id).cloned(),
            id,
            location: CUSTOM.to_owned(),
        })
        .collect()
}

fn normalize_guid(id: &str) -> String {
    id.trim_matches(['{', '}']).to_ascii_lowercase()
}

/// Every worksheet as one piece: cells separated by tabs, rows by newlines, each cell marked
/// `Sheet!A1`; shared strings resolved.
fn sheets(sink: &mut Sink<'_>, container: &mut Container<'_>) -> Result<(), Error> {
    let format = Format::Xlsx;
    let shared: Vec<String> = match container.read("xl/sharedStrings.xml", sink.budget)? {
        Some(bytes) => shared_strings(&bytes).map_err(|e| e.inside("xl/sharedStrings.xml"))?,
        None => Vec::new(),
    };
    let workbook = container
        .read("xl/workbook.xml", sink.budget)?
        .unwrap_or_default();
    let rels = container
        .read("xl/_rels/workbook.xml.rels", sink.budget)?
        .unwrap_or_default();
    let targets = relationships(&rels);
    let mut listed = Vec::new();
    xml::walk(&workbook, &xml::PLAIN, format, &mut |tag, _| {
        if let Tag::Start(t) | Tag::Empty(t) = tag
            && xml::local(t.name().as_ref()) == "sheet"
        {
            let name = xml::attribute(t, "name").unwrap_or_default();
            let target = xml::attribute(t, "id")
                .and_then(|id| targets.get(&id).cloned())
                .map(|t| match t.strip_prefix('/') {
                    Some(abs) => abs.to_owned(),
                    None => format!("xl/{t}"),
                });
            listed.push((name, target));
        }
    })
    .map_err(|e| e.inside("xl/workbook.xml"))?;
    if listed.is_empty() {
        // No usable workbook index: read the sheets by file name.
        let mut found: Vec<(u64, String)> = container
            .names()
            .iter()
            .filter(|n| n.starts_with("xl/worksheets/sheet") && n.ends_with(".xml"))
            .map(|n| (number(n), n.clone()))
            .collect();
        found.sort();
        listed = found
            .into_iter()
            .map(|(k, n)| (format!("Sheet{k}"), Some(n)))
            .collect();
    }
    for (sheet, target) in listed {
        let Some(target) = target else { continue };
        let Some(bytes) = container.read(&target, sink.budget)? else {
            continue;
        };
        let (text, marks) = sheet_text(&bytes, &sheet, &shared).map_err(|e| e.inside(&target))?;
        if !text.trim().is_empty() {
            sink.push(Piece::new(sheet, text).with_marks(marks), format)?;
        }
    }
    Ok(())
}

/// The strings of `xl/sharedStrings.xml`, in index order (rich-text runs joined).
fn shared_strings(bytes: &[u8]) -> Result<Vec<String>, Error> {
    let mut strings = Vec::new();
    let walked = xml::walk(bytes, &STRINGS, Format::Xlsx, &mut |tag, out| {
        if let Tag::Start(t) = tag
            && xml::local(t.name().as_ref()) == "si"
        {
            out.marks.push((out.text.len(), String::new()));
        }
    })?;
    let starts: Vec<usize> = walked.marks.iter().map(|(at, _)| *at).collect();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(walked.text.len());
        strings.push(walked.text[start..end].trim_end_matches('\n').to_owned());
    }
    Ok(strings)
}

/// `Id` → `Target` of a relationships part.
fn relationships(bytes: &[u8]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let _ = xml::walk(bytes, &xml::PLAIN, Format::Xlsx, &mut |tag, _| {
        if let Tag::Start(t) | Tag::Empty(t) = tag
            && let (Some(id), Some(target)) = (xml::attribute(t, "Id"), xml::attribute(t, "Target"))
        {
            map.insert(id, target);
        }
    });
    map
}

/// One worksheet's text and cell marks.
fn sheet_text(
    bytes: &[u8],
    sheet: &str,
    shared: &[String],
) -> Result<(String, Vec<(usize, String)>), Error> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut cell: Option<(String, String)> = None; // (reference, type)
    let mut value = String::new();
    let mut in_value = false;
    let mut row_open = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| Error::corrupt(Format::Xlsx, format!("XML: {e}")))?;
        match event {
            Event::Start(t) => match xml::local(t.name().as_ref()) {
                "row" => {
                    if row_open && !text.is_empty() && !text.ends_with('\n') {
                        text.push('\n');
                    }
                    row_open = true;
                }
                "c" => {
                    cell = Some((
                        xml::attribute(&t, "r").unwrap_or_default(),
                        xml::attribute(&t, "t").unwrap_or_default(),
                    ));
                    value.clear();
                }
                "v" | "t" => in_value = cell.is_some(),
                _ => {}
            },
            Event::End(t) => match xml::local(t.name().as_ref()) {
                "v" | "t" => in_value = false,
                "c" => {
                    if let Some((reference, kind)) = cell.take() {
                        let shown = if kind == "s" {
                            value
                                .trim()
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| shared.get(i))
                                .cloned()
                                .unwrap_or_default()
                        } else {
                            std::mem::take(&mut value)
                        };
                        if !shown.is_empty() {
                            if !text.is_empty() && !text.ends_with('\n') {
                                text.push('\t');
                            }
                            marks.push((text.len(), format!("{sheet}!{reference}")));
                            text.push_str(&shown);
                        }
                    }
                }
                "row" => {
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push('\n');
                    }
                    row_open = false;
                }
                _ => {}
            },
            Event::Text(t) if in_value => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_value => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    value.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    value.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((text, marks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_need_enabled_true() {
        let text = "MSIP_Label_{ABC-1}_Enabled: true\nMSIP_Label_{ABC-1}_Name: Confidential\nMSIP_Label_x2_Enabled: false\nOther: 1\n";
        let labels = labels_from_properties(text);
        assert_eq!(labels.len(), 1);
        assert_eq!(labels[0].id, "abc-1");
        assert_eq!(labels[0].name.as_deref(), Some("Confidential"));
    }

    #[test]
    fn custom_properties_read_as_name_value_lines() {
        let xml = br#"<Properties><property fmtid="{D5}" pid="2" name="MSIP_Label_1_Enabled"><vt:lpwstr>true</vt:lpwstr></property><property name="Project"><vt:lpwstr>Falcon</vt:lpwstr></property></Properties>"#;
        let walked = walk_custom(xml, Format::Docx).unwrap();
        assert_eq!(walked.text, "MSIP_Label_1_Enabled: true\nProject: Falcon\n");
    }

    #[test]
    fn sheet_cells_are_marked_and_shared_strings_resolved() {
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2"><v>42</v></c><c r="B2" t="inlineStr"><is><t>x&amp;y</t></is></c></row></sheetData></worksheet>"#;
        let shared = vec!["Email".to_owned(), "bob@corp.com".to_owned()];
        let (text, marks) = sheet_text(xml, "Data", &shared).unwrap();
        assert_eq!(text, "Email\tbob@corp.com\n42\tx&y\n");
        let labels: Vec<&str> = marks.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(labels, ["Data!A1", "Data!B1", "Data!A2", "Data!B2"]);
    }
}
