//! PDF text, page by page, with `lopdf`: the maintained pure-Rust PDF parser (it decodes fonts'
//! ToUnicode maps, bounds stream decompression and opens files encrypted with an empty user
//! password). A file that still needs a password is refused as encrypted; a file with pages but no
//! text at all (a scan) is reported as not inspectable rather than clean.
//!
//! The design decision to know: lines are rebuilt from text positions, not from text objects.
//! LibreOffice and Word write every formatting run as its own text object, and `lopdf`'s own
//! `extract_text` puts a break between them, which splits a key whose first half is bold into two
//! harmless-looking halves. Here runs on the same baseline join into one line.

use crate::error::{Error, ErrorKind};
use crate::sniff::Format;
use crate::{Piece, Sink};
use lopdf::content::Content;
use lopdf::{Document, Encoding, LoadOptions, Object, ObjectId};
use std::collections::{BTreeMap, HashMap};

/// Decoded font encodings, by the address of the font dictionary inside the document.
type FontCache<'a> = HashMap<*const lopdf::Dictionary, Option<Encoding<'a>>>;

/// The most any one stream of the PDF may inflate to.
const MAX_STREAM_BYTES: usize = 64 << 20;

pub(crate) fn extract(sink: &mut Sink<'_>, bytes: &[u8]) -> Result<(), Error> {
    let limit =
        MAX_STREAM_BYTES.min(usize::try_from(sink.budget.expand_left()).unwrap_or(usize::MAX));
    let options = LoadOptions {
        max_decompressed_size: Some(limit),
        ..LoadOptions::default()
    };
    let doc =
        guarded(|| Document::load_mem_with_options(bytes, options))?.map_err(|e| match e {
            lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => encrypted(),
            e => Error::corrupt(Format::Pdf, e),
        })?;
    if doc.is_encrypted() {
        return Err(encrypted());
    }
    let pages = doc.get_pages();
    let mut any_text = false;
    // Fonts are shared between pages; decoding a font's ToUnicode map once, not once per page, is
    // most of the time a long PDF takes.
    let mut fonts: FontCache<'_> = HashMap::new();
    for (&number, &page_id) in pages.iter() {
        let location = format!("page {number}");
        let text = guarded(|| page_text(&doc, page_id, limit, &mut fonts))?;
        match text {
            Ok(text) => {
                sink.budget.expand(text.len() as u64, Format::Pdf)?;
                if !text.trim().is_empty() {
                    any_text = true;
                    sink.push(Piece::new(location, text), Format::Pdf)?;
                }
            }
            Err(e) => sink.uninspected(&location, Error::corrupt(Format::Pdf, e)),
        }
    }
    if !any_text && !pages.is_empty() {
        return Err(Error::new(
            ErrorKind::Unsupported,
            Format::Pdf,
            "this PDF has no text layer (a scan or pictures of text), so its content cannot be read; it is not inspected",
        ));
    }
    Ok(())
}

fn encrypted() -> Error {
    Error::new(
        ErrorKind::Encrypted,
        Format::Pdf,
        "this PDF is protected by a password, so its content cannot be checked; remove the password or upload an unprotected copy",
    )
}

/// Runs the PDF library. Where panics unwind (the native CLI), a panic on a hostile file becomes a
/// `corrupt` error instead of ending the scan; in WebAssembly (`panic = "abort"`) the instance traps
/// and the extension rebuilds it. Fuzzing keeps either from happening.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Error> {
    #[cfg(panic = "unwind")]
    {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .map_err(|_| Error::corrupt(Format::Pdf, "the PDF reader failed on it"))
    }
    #[cfg(not(panic = "unwind"))]
    {
        Ok(f())
    }
}

/// The text of one page: runs on the same baseline joined, a new line where the baseline moves.
fn page_text<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    limit: usize,
    cache: &mut FontCache<'a>,
) -> lopdf::Result<String> {
    let fonts = doc.get_page_fonts(page_id)?;
    let mut keys: BTreeMap<Vec<u8>, *const lopdf::Dictionary> = BTreeMap::new();
    for (name, font) in fonts {
        let key: *const lopdf::Dictionary = font;
        cache
            .entry(key)
            .or_insert_with(|| font.get_font_encoding_with_limit(doc, limit).ok());
        keys.insert(name, key);
    }
    let encodings: BTreeMap<Vec<u8>, &Encoding<'a>> = keys
        .into_iter()
        .filter_map(|(name, key)| cache.get(&key).and_then(Option::as_ref).map(|e| (name, e)))
        .collect();
    let data = doc.get_page_content_with_limit(page_id, limit)?;
    let content = Content::decode(&data)?;
    let mut text = String::new();
    let mut encoding: Option<&Encoding<'_>> = None;
    let mut font_size = 0.0f32;
    // The baseline of the text position, and of the last text shown.
    let (mut line_y, mut y) = (0.0f32, 0.0f32);
    let mut shown_y: Option<f32> = None;
    let mut leading = 0.0f32;
    for op in &content.operations {
        let num = |i: usize| {
            op.operands
                .get(i)
                .and_then(|o| o.as_float().ok())
                .unwrap_or(0.0)
        };
        match op.operator.as_str() {
            "BT" => {
                line_y = 0.0;
                y = 0.0;
            }
            "Tf" => {
                encoding = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| encodings.get(name).copied());
                font_size = num(1).abs();
            }
            "TL" => leading = num(0),
            "Td" | "TD" => {
                if op.operator == "TD" {
                    leading = -num(1);
                }
                line_y += num(1);
                y = line_y;
            }
            "Tm" => {
                line_y = num(5);
                y = line_y;
            }
            "T*" => {
                line_y -= leading;
                y = line_y;
                newline(&mut text);
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if matches!(op.operator.as_str(), "'" | "\"") {
                    line_y -= leading;
                    y = line_y;
                    newline(&mut text);
                }
                if let Some(shown) = shown_y
                    && (shown - y).abs() > font_size.max(1.0) * 0.2
                {
                    newline(&mut text);
                }
                shown_y = Some(y);
                let Some(encoding) = encoding else { continue };
                let operands: &[Object] = if op.operator == "\"" {
                    op.operands.get(2..).unwrap_or(&[])
                } else {
                    &op.operands
                };
                show(&mut text, encoding, operands);
            }
            _ => {}
        }
    }
    Ok(text)
}

/// Appends shown strings; a large negative adjustment inside `TJ` is a word gap.
fn show(text: &mut String, encoding: &Encoding<'_>, operands: &[Object]) {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => {
                if let Ok(s) = Document::decode_text(encoding, bytes) {
                    text.push_str(&s);
                }
            }
            Object::Array(items) => show(text, encoding, items),
            Object::Integer(n) if *n < -200 => text.push(' '),
            Object::Real(n) if *n < -200.0 => text.push(' '),
            _ => {}
        }
    }
}

fn newline(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}
