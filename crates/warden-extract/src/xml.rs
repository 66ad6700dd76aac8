//! Text out of an XML part, and the same text put back with values replaced.
//!
//! The design decision to know: extraction and sanitizing share one walk. [`walk`] returns the part's
//! text (paragraphs on their own lines, as a reader sees them) *and* where each text node sits in the
//! raw XML, so [`rewrite`] can replace a value that Word split over several runs by writing the
//! replacement into the first run and removing the rest, leaving every other byte of the part as it
//! was.

use crate::error::Error;
use crate::sniff::Format;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::ops::Range;

/// Which elements of a vocabulary hold text and where lines break. Names are local (no prefix).
pub(crate) struct Dialect {
    /// Elements whose character data is text; empty means every text node in the part, each
    /// element's text on its own line.
    pub text: &'static [&'static str],
    /// Elements whose end ends a line (paragraphs, cells, shared strings).
    pub blocks: &'static [&'static str],
    /// Empty elements that stand for a tab.
    pub tabs: &'static [&'static str],
    /// Empty elements that stand for a line break.
    pub breaks: &'static [&'static str],
    /// Empty elements that stand for a space (ODF `text:s`).
    pub spaces: &'static [&'static str],
    /// Elements whose content is not text a reader sees (a footnote's citation mark, a comment's
    /// author and date).
    pub skip: &'static [&'static str],
    /// Keep attribute values as text too (plain XML files, where data often sits in attributes).
    pub attributes: bool,
}

/// Every text node and attribute value of a plain XML file.
pub(crate) const PLAIN: Dialect = Dialect {
    text: &[],
    blocks: &[],
    tabs: &[],
    breaks: &[],
    spaces: &[],
    skip: &[],
    attributes: true,
};

/// A text node: its bytes in the XML and its characters in the extracted text.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub raw: Range<usize>,
    pub text: Range<usize>,
}

/// A tag seen during a walk, for callers that add location marks.
pub(crate) enum Tag<'a, 'b> {
    Start(&'a BytesStart<'b>),
    Empty(&'a BytesStart<'b>),
    End(&'a str),
}

/// The text of a part.
#[derive(Debug, Default)]
pub(crate) struct XmlText {
    pub text: String,
    pub nodes: Vec<Node>,
    /// Sub-locations (a cell, a slide) starting at byte offsets of `text`, in order.
    pub marks: Vec<(usize, String)>,
}

impl XmlText {
    /// Starts a sub-location at the current end of the text.
    pub fn mark(&mut self, label: String) {
        self.newline();
        self.marks.push((self.text.len(), label));
    }

    fn newline(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }
}

/// The local part of a qualified name (`w:t` → `t`).
pub(crate) fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn is(list: &[&str], name: &str) -> bool {
    list.contains(&name)
}

/// The value of attribute `name` (local name) of `tag`, unescaped.
pub(crate) fn attribute(tag: &BytesStart<'_>, name: &str) -> Option<String> {
    tag.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == name)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| v.into_owned())
                    .ok()
            })
            .flatten()
    })
}

/// Walks `xml`, collecting its text as `dialect` says; `hook` sees every tag (to add marks).
pub(crate) fn walk(
    xml: &[u8],
    dialect: &Dialect,
    format: Format,
    hook: &mut dyn FnMut(Tag<'_, '_>, &mut XmlText),
) -> Result<XmlText, Error> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.expand_empty_elements = false;
    let mut out = XmlText::default();
    // How many text elements are open; with an empty `dialect.text`, text is kept everywhere.
    let mut inside = 0usize;
    let mut skipping = 0usize;
    let mut open: Option<Node> = None;
    loop {
        let before = pos(&reader);
        let event = reader
            .read_event()
            .map_err(|e| Error::corrupt(format, format!("XML at byte {}: {e}", before)))?;
        let after = pos(&reader);
        let keep = (dialect.text.is_empty() || inside > 0) && skipping == 0;
        let piece: Option<String> = match &event {
            Event::Text(t) if keep => Some(t.xml10_content().into_owned()),
            Event::GeneralRef(r) if keep => Some(resolve(r)),
            Event::CData(c) if keep => Some(c.xml10_content().into_owned()),
            _ => None,
        };
        if let Some(piece) = piece {
            let is_cdata = matches!(event, Event::CData(_));
            match &mut open {
                Some(node) if node.raw.end == before && !is_cdata => {
                    out.text.push_str(&piece);
                    node.raw.end = after;
                    node.text.end = out.text.len();
                }
                _ => {
                    if let Some(node) = open.take() {
                        out.nodes.push(node);
                    }
                    let start = out.text.len();
                    out.text.push_str(&piece);
                    open = Some(Node {
                        raw: before..after,
                        text: start..out.text.len(),
                    });
                }
            }
            if is_cdata && let Some(node) = open.take() {
                out.nodes.push(node);
            }
            continue;
        }
        if let Some(node) = open.take() {
            out.nodes.push(node);
        }
        match &event {
            Event::Start(tag) => {
                let name = local(tag.name().as_ref()).to_owned();
                if is(dialect.text, &name) {
                    inside += 1;
                }
                if is(dialect.skip, &name) {
                    skipping += 1;
                }
                // A paragraph inside a paragraph (a footnote, a comment) starts on its own line.
                if is(dialect.blocks, &name) {
                    out.newline();
                }
                hook(Tag::Start(tag), &mut out);
                if dialect.attributes {
                    attributes(tag, &mut out);
                }
            }
            Event::Empty(tag) => {
                let name = local(tag.name().as_ref()).to_owned();
                hook(Tag::Empty(tag), &mut out);
                if is(dialect.tabs, &name) {
                    out.text.push('\t');
                } else if is(dialect.breaks, &name) {
                    out.text.push('\n');
                } else if is(dialect.spaces, &name) {
                    let n = attribute(tag, "c")
                        .and_then(|c| c.parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 64);
                    out.text.extend(std::iter::repeat_n(' ', n));
                } else if is(dialect.blocks, &name) {
                    out.newline();
                }
                if dialect.attributes {
                    attributes(tag, &mut out);
                }
            }
            Event::End(tag) => {
                let name = local(tag.name().as_ref()).to_owned();
                if is(dialect.text, &name) {
                    inside = inside.saturating_sub(1);
                }
                if is(dialect.skip, &name) {
                    skipping = skipping.saturating_sub(1);
                }
                if is(dialect.blocks, &name) || dialect.text.is_empty() {
                    out.newline();
                }
                hook(Tag::End(&name), &mut out);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(node) = open.take() {
        out.nodes.push(node);
    }
    Ok(out)
}

fn pos(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// `&amp;` → `&`, `&#64;` → `@`; an unknown entity is kept as written.
fn resolve(r: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name: &str = r;
    quick_xml::escape::resolve_predefined_entity(name)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("&{name};"))
}

fn attributes(tag: &BytesStart<'_>, out: &mut XmlText) {
    for a in tag.attributes().flatten() {
        if let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            && !v.trim().is_empty()
        {
            if !out.text.is_empty() && !out.text.ends_with(['\n', ' ']) {
                out.text.push(' ');
            }
            out.text.push_str(&v);
        }
    }
}

/// `xml` with the text ranges `edits` (ranges of the walked text, sorted, not overlapping) replaced.
/// The replacement goes where its range starts; the characters it covers in later nodes are removed;
/// bytes outside the touched nodes are kept as they were.
pub(crate) fn rewrite(xml: &[u8], walked: &XmlText, edits: &[(Range<usize>, String)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len());
    let mut copied = 0;
    let mut e = 0;
    // Whether each edit's replacement has been written (into the first node it touches).
    let mut placed = vec![false; edits.len()];
    for node in &walked.nodes {
        while e < edits.len() && edits[e].0.end <= node.text.start {
            e += 1;
        }
        if e >= edits.len() {
            break;
        }
        if edits[e].0.start >= node.text.end {
            continue;
        }
        // This node is touched: rebuild its text.
        let mut text = String::new();
        let mut at = node.text.start;
        let mut k = e;
        while k < edits.len() && edits[k].0.start < node.text.end {
            let (range, replacement) = &edits[k];
            if range.start > at {
                text.push_str(&walked.text[at..range.start]);
            }
            if !placed[k] {
                text.push_str(replacement);
                placed[k] = true;
            }
            at = range.end.max(at);
            k += 1;
        }
        if at < node.text.end {
            text.push_str(&walked.text[at..node.text.end]);
        }
        out.extend_from_slice(&xml[copied..node.raw.start]);
        out.extend_from_slice(quick_xml::escape::partial_escape(text.as_str()).as_bytes());
        copied = node.raw.end;
    }
    out.extend_from_slice(&xml[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORD: Dialect = Dialect {
        text: &["t"],
        blocks: &["p"],
        tabs: &["tab"],
        breaks: &["br"],
        spaces: &[],
        skip: &[],
        attributes: false,
    };

    fn walk_word(xml: &str) -> XmlText {
        walk(xml.as_bytes(), &WORD, Format::Docx, &mut |_, _| {}).unwrap()
    }

    #[test]
    fn paragraphs_runs_and_entities() {
        let xml = r#"<w:body><w:p><w:r><w:t>Mail bob</w:t></w:r><w:r><w:t>@corp.com &amp; co</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">a</w:t><w:tab/><w:t>b</w:t></w:r></w:p><w:p><w:r><w:instrText>HIDDEN</w:instrText></w:r></w:p></w:body>"#;
        let t = walk_word(xml);
        assert_eq!(t.text, "Mail bob@corp.com & co\na\tb\n");
        assert_eq!(t.nodes.len(), 4);
    }

    #[test]
    fn rewrite_across_runs_keeps_everything_else() {
        let xml = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Mail bob</w:t></w:r><w:r><w:t>@corp.com &amp; co</w:t></w:r></w:p>"#;
        let t = walk_word(xml);
        let start = t.text.find("bob").unwrap();
        let end = start + "bob@corp.com".len();
        let out = rewrite(xml.as_bytes(), &t, &[(start..end, "[EMAIL]".into())]);
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Mail [EMAIL]</w:t></w:r><w:r><w:t> &amp; co</w:t></w:r></w:p>"#
        );
        assert_eq!(walk_word(&out).text, "Mail [EMAIL] & co\n");
    }

    #[test]
    fn rewrite_escapes_replacements() {
        let xml = "<p><t>key=SECRET</t></p>";
        let t = walk_word(xml);
        let out = rewrite(xml.as_bytes(), &t, &[(4..10, "<x&y>".into())]);
        assert_eq!(out, b"<p><t>key=&lt;x&amp;y&gt;</t></p>");
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        for xml in ["<a><b></a", "<a attr=></a>", "<<<", "<a>&bogus</a>"] {
            let _ = walk(xml.as_bytes(), &PLAIN, Format::Xml, &mut |_, _| {});
        }
    }
}
