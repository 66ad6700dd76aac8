//! Text files: bytes → text in whatever encoding they were saved (a byte-order mark, UTF-16 without
//! one, UTF-8, or a legacy code page guessed by `chardetng`), and back again for sanitized copies.
//! HTML is reduced to its text and attribute values; XML to its text nodes and attribute values.

use crate::error::{Error, ErrorKind};
use crate::sniff::Format;
use crate::xml;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// How a text file's bytes were encoded, so a sanitized copy is written the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    /// UTF-8; `bom` says whether it started with a byte-order mark.
    Utf8 { bom: bool },
    /// UTF-16, little-endian or big-endian.
    Utf16 { big_endian: bool, bom: bool },
    /// A legacy single- or multi-byte encoding.
    Legacy(&'static Encoding),
}

/// Decodes `bytes` as text. Binary data (NUL bytes outside UTF-16) is refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), Error> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok((
            String::from_utf8_lossy(rest).into_owned(),
            TextEncoding::Utf8 { bom: true },
        ));
    }
    if let Some(big_endian) = match bytes {
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    } {
        return Ok((
            utf16(&bytes[2..], big_endian),
            TextEncoding::Utf16 {
                big_endian,
                bom: true,
            },
        ));
    }
    if let Some(big_endian) = utf16_without_bom(bytes) {
        return Ok((
            utf16(bytes, big_endian),
            TextEncoding::Utf16 {
                big_endian,
                bom: false,
            },
        ));
    }
    if bytes[..bytes.len().min(8 << 10)].contains(&0) {
        return Err(Error::new(
            ErrorKind::Unsupported,
            Format::Binary,
            "this is a binary file, not a document or text format PromptWarden can read; it is not inspected",
        ));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), TextEncoding::Utf8 { bom: false }));
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    // The guess settles within the first few hundred kilobytes; feeding more only costs time.
    detector.feed(&bytes[..bytes.len().min(1 << 20)], true);
    let encoding = detector.guess(None, Utf8Detection::Allow);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let kind = if encoding == encoding_rs::UTF_8 {
        TextEncoding::Utf8 { bom: false }
    } else {
        TextEncoding::Legacy(encoding)
    };
    Ok((text.into_owned(), kind))
}

/// Encodes `text` back into `encoding`.
pub(crate) fn encode(text: &str, encoding: TextEncoding) -> Vec<u8> {
    match encoding {
        TextEncoding::Utf8 { bom } => {
            let mut out = Vec::with_capacity(text.len() + 3);
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            out.extend_from_slice(text.as_bytes());
            out
        }
        TextEncoding::Utf16 { big_endian, bom } => {
            let mut out = Vec::with_capacity(text.len() * 2 + 2);
            let unit = |u: u16| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            };
            if bom {
                out.extend_from_slice(&unit(0xFEFF));
            }
            for u in text.encode_utf16() {
                out.extend_from_slice(&unit(u));
            }
            out
        }
        TextEncoding::Legacy(e) => e.encode(text).0.into_owned(),
    }
}

fn utf16(bytes: &[u8], big_endian: bool) -> String {
    let encoding = if big_endian { UTF_16BE } else { UTF_16LE };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// UTF-16 text without a byte-order mark shows as ASCII letters with a NUL on one side of each.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if zero_odd * 10 > pairs * 4 && zero_even * 20 < pairs {
        Some(false)
    } else if zero_even * 10 > pairs * 4 && zero_odd * 20 < pairs {
        Some(true)
    } else {
        None
    }
}

/// The text a reader sees in an XML file: text nodes and attribute values. Malformed XML is read as
/// plain text rather than refused, so nothing in it goes unscanned.
pub(crate) fn xml_text(text: &str) -> String {
    match xml::walk(text.as_bytes(), &xml::PLAIN, Format::Xml, &mut |_, _| {}) {
        Ok(walked) => walked.text,
        Err(_) => text.to_owned(),
    }
}

/// The text of an HTML page: text between tags, with entities decoded, plus attribute values (links,
/// alt text, form values); script and style contents and comments are kept (secrets hide there).
pub(crate) fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            // Comments are kept: people leave notes (and keys) in them.
            let end = comment.find("-->").unwrap_or(comment.len());
            push_decoded(&mut out, &comment[..end]);
            out.push('\n');
            rest = comment.get(end + 3..).unwrap_or("");
            continue;
        }
        let end = tag_end(rest);
        let inner_end = if rest[..end].ends_with('>') {
            end - 1
        } else {
            end
        };
        let tag = &rest[1.min(inner_end)..inner_end];
        for value in quoted_values(tag) {
            out.push(' ');
            push_decoded(&mut out, value);
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        rest = &rest[end..];
    }
    push_decoded(&mut out, rest);
    out
}

/// One past the `>` closing the tag at the start of `s` (quotes respected), or the end of `s`.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The quoted attribute values of a tag.
fn quoted_values(tag: &str) -> impl Iterator<Item = &str> {
    let mut rest = tag;
    std::iter::from_fn(move || {
        let start = rest.find(['"', '\''])?;
        let quote = rest.as_bytes()[start] as char;
        let after = &rest[start + 1..];
        let end = after.find(quote).unwrap_or(after.len());
        let value = &after[..end];
        rest = after.get(end + 1..).unwrap_or("");
        Some(value)
    })
}

/// Appends `text` with HTML character references decoded.
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = semi.and_then(|semi| {
            let name = &rest[1..semi];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some(' '),
                    _ => None,
                }
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_round_trip() {
        let text = "Grüße, bob@corp.com — 東京";
        for encoding in [
            TextEncoding::Utf8 { bom: false },
            TextEncoding::Utf8 { bom: true },
            TextEncoding::Utf16 {
                big_endian: false,
                bom: true,
            },
            TextEncoding::Utf16 {
                big_endian: true,
                bom: true,
            },
            TextEncoding::Utf16 {
                big_endian: false,
                bom: false,
            },
        ] {
            let bytes = encode(text, encoding);
            assert_eq!(
                decode(&bytes).unwrap(),
                (text.to_owned(), encoding),
                "{encoding:?}"
            );
        }
    }

    #[test]
    fn legacy_encoding_is_guessed() {
        let text = "Café crème à la française, résumé déjà vu, naïve façade, où est la clé?";
        let bytes = encoding_rs::WINDOWS_1252.encode(text).0.into_owned();
        let (decoded, encoding) = decode(&bytes).unwrap();
        assert_eq!(decoded, text);
        assert!(matches!(encoding, TextEncoding::Legacy(_)));
        assert_eq!(encode(&decoded, encoding), bytes);
    }

    #[test]
    fn binary_is_refused() {
        let err = decode(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
    }

    #[test]
    fn html_keeps_text_attributes_and_scripts() {
        let html = r#"<html><!-- hidden bob@x.com --><body><p class="x">Mail&nbsp;ann&#64;corp.com &amp; co</p><a href="mailto:eve@corp.com">eve</a><script>const key = "sk-123";</script></body></html>"#;
        let text = html_text(html);
        assert!(text.contains("Mail ann@corp.com & co"), "{text}");
        assert!(text.contains("mailto:eve@corp.com"));
        assert!(text.contains("const key = \"sk-123\";"));
        assert!(text.contains("hidden bob@x.com"));
        for broken in [
            "<",
            "<a href=\"",
            "&#xFFFFFFFF;",
            "&",
            "<!--",
            "<a '>",
            "&#99999999999;",
        ] {
            let _ = html_text(broken);
        }
    }
}
