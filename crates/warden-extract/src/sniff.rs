//! What kind of file this is, from its bytes: magic numbers first, then the ZIP central directory
//! (in [`crate::container`]), then the shape of the text. The file name is only a tie-breaker between
//! text formats that read the same (Markdown, logs, source code), never a reason to trust a file: a
//! PDF renamed `notes.txt` is still read as a PDF, and an image renamed `.csv` is still an image.

/// A file format as PromptWarden sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Plain text or source code.
    Text,
    /// Markdown.
    Markdown,
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// JSON.
    Json,
    /// XML (text and attribute values).
    Xml,
    /// HTML (text and attribute values).
    Html,
    /// A log file (text).
    Log,
    /// An e-mail message (RFC 5322 / MIME, `.eml`).
    Eml,
    /// Word document (Office Open XML).
    Docx,
    /// Excel workbook (Office Open XML).
    Xlsx,
    /// PowerPoint presentation (Office Open XML).
    Pptx,
    /// OpenDocument text.
    Odt,
    /// OpenDocument spreadsheet.
    Ods,
    /// OpenDocument presentation.
    Odp,
    /// PDF.
    Pdf,
    /// A ZIP archive of other files.
    Zip,
    /// An image (PNG, JPEG, GIF, WebP, TIFF, BMP, HEIC): its text is pixels, not inspectable.
    Image,
    /// A legacy binary Office file (`.doc`, `.xls`, `.ppt`) or another OLE compound file.
    LegacyOffice,
    /// A password-protected Office file (an OLE container holding the encrypted package).
    EncryptedOffice,
    /// Other binary data.
    Binary,
    /// Not determined (nothing was read).
    Unknown,
}

impl Format {
    /// A stable lowercase name (`docx`, `pdf`, `text`, …) for JSON and JavaScript.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Xml => "xml",
            Format::Html => "html",
            Format::Log => "log",
            Format::Eml => "eml",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pptx => "pptx",
            Format::Odt => "odt",
            Format::Ods => "ods",
            Format::Odp => "odp",
            Format::Pdf => "pdf",
            Format::Zip => "zip",
            Format::Image => "image",
            Format::LegacyOffice => "legacy-office",
            Format::EncryptedOffice => "encrypted-office",
            Format::Binary => "binary",
            Format::Unknown => "unknown",
        }
    }

    /// The name used in sentences ("this DOCX file …").
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "Markdown",
            Format::Csv => "CSV",
            Format::Tsv => "TSV",
            Format::Json => "JSON",
            Format::Xml => "XML",
            Format::Html => "HTML",
            Format::Log => "log",
            Format::Eml => "e-mail",
            Format::Docx => "DOCX",
            Format::Xlsx => "XLSX",
            Format::Pptx => "PPTX",
            Format::Odt => "ODT",
            Format::Ods => "ODS",
            Format::Odp => "ODP",
            Format::Pdf => "PDF",
            Format::Zip => "ZIP",
            Format::Image => "image",
            Format::LegacyOffice => "legacy Office",
            Format::EncryptedOffice => "encrypted Office",
            Format::Binary => "binary",
            Format::Unknown => "unknown",
        }
    }

    /// Whether the file is text whose bytes map to its extracted text one-to-one (after decoding).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Format::Text
                | Format::Markdown
                | Format::Csv
                | Format::Tsv
                | Format::Json
                | Format::Xml
                | Format::Html
                | Format::Log
        )
    }
}

/// The OLE compound file signature (legacy Office, and the wrapper of encrypted OOXML).
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The format from magic numbers alone: binary formats, ZIP containers (refined later), or text.
pub(crate) fn magic(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Format::Zip;
    }
    // Acrobat accepts the header anywhere in the first kilobyte.
    if memfind(head, b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if head.starts_with(CFB_MAGIC) {
        // Encrypted OOXML is an OLE container with `EncryptionInfo` and `EncryptedPackage` streams;
        // their names sit in the directory, in UTF-16LE.
        return if memfind(bytes, &utf16le("EncryptedPackage")).is_some()
            || memfind(bytes, &utf16le("EncryptionInfo")).is_some()
        {
            Format::EncryptedOffice
        } else {
            Format::LegacyOffice
        };
    }
    if is_image(head) {
        return Format::Image;
    }
    Format::Text
}

fn is_image(head: &[u8]) -> bool {
    head.starts_with(b"\x89PNG\r\n\x1a\n")
        || head.starts_with(&[0xFF, 0xD8, 0xFF])
        || head.starts_with(b"GIF87a")
        || head.starts_with(b"GIF89a")
        || (head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
        || head.starts_with(b"II*\0")
        || head.starts_with(b"MM\0*")
        // BMP: "BM", then a reserved zero word at 6..10 — "BM" alone starts English words.
        || (head.starts_with(b"BM") && head.get(6..10) == Some(&[0, 0, 0, 0]))
        // ISO media with an image brand (HEIC, AVIF).
        || (head.get(4..8) == Some(b"ftyp")
            && head
                .get(8..12)
                .is_some_and(|b| matches!(b, b"heic" | b"heix" | b"mif1" | b"avif" | b"msf1")))
}

/// The text format of decoded text. `name` (the file name) only separates formats whose content
/// reads alike.
pub(crate) fn text_format(text: &str, name: &str) -> Format {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let body = text.trim_start_matches('\u{FEFF}').trim_start();
    let lower: String = body
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if looks_like_mail(body) {
        return Format::Eml;
    }
    if (body.starts_with('{') || body.starts_with('[')) && {
        let end = body.trim_end();
        end.ends_with('}') || end.ends_with(']')
    } {
        return Format::Json;
    }
    let html = lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || ext == "html"
        || ext == "htm";
    if html && body.starts_with('<') {
        return Format::Html;
    }
    if body.starts_with("<?xml") || (body.starts_with('<') && ext != "md") {
        return Format::Xml;
    }
    match ext.as_str() {
        "md" | "markdown" => return Format::Markdown,
        "log" => return Format::Log,
        _ => {}
    }
    if let Some(delimiter) = delimited(body) {
        return if delimiter == b'\t' {
            Format::Tsv
        } else {
            Format::Csv
        };
    }
    if ext == "csv" {
        return Format::Csv;
    }
    if ext == "tsv" {
        return Format::Tsv;
    }
    Format::Text
}

/// RFC 5322 headers at the top: every line of the header block is `Name: value` or a continuation,
/// and it names at least two of the headers every mail has.
fn looks_like_mail(text: &str) -> bool {
    let mut known = 0;
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            return known >= 2 && i > 0;
        }
        if i > 200 {
            return false;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((field, _)) = line.split_once(':') else {
            return false;
        };
        if field.is_empty()
            || !field
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return false;
        }
        let field = field.to_ascii_lowercase();
        if matches!(
            field.as_str(),
            "from"
                | "to"
                | "subject"
                | "date"
                | "message-id"
                | "mime-version"
                | "received"
                | "return-path"
        ) {
            known += 1;
        }
    }
    false
}

/// `,` or `\t` when the first lines all hold the same, non-zero number of it.
fn delimited(text: &str) -> Option<u8> {
    let lines: Vec<&str> = text.lines().take(10).filter(|l| !l.is_empty()).collect();
    if lines.len() < 2 {
        return None;
    }
    [b'\t', b',', b';'].into_iter().find(|&d| {
        let n = lines[0].bytes().filter(|&b| b == d).count();
        n > 0
            && lines
                .iter()
                .all(|l| l.bytes().filter(|&b| b == d).count() == n)
    })
}

/// Where `needle` first occurs in `hay`.
pub(crate) fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        let cases: &[(&[u8], Format)] = &[
            (b"%PDF-1.7\n", Format::Pdf),
            (b"PK\x03\x04rest", Format::Zip),
            (b"\x89PNG\r\n\x1a\n....", Format::Image),
            (b"\xFF\xD8\xFF\xE0", Format::Image),
            (b"BMW is a car maker", Format::Text),
            (b"hello", Format::Text),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 plain",
                Format::LegacyOffice,
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(magic(bytes), *want, "{bytes:?}");
        }
        let mut encrypted = CFB_MAGIC.to_vec();
        encrypted.extend(utf16le("EncryptedPackage"));
        assert_eq!(magic(&encrypted), Format::EncryptedOffice);
    }

    #[test]
    fn text_formats() {
        let cases = [
            ("a,b,c\n1,2,3\n", "x", Format::Csv),
            ("a\tb\n1\t2\n", "x", Format::Tsv),
            ("{\"a\": 1}\n", "x", Format::Json),
            ("<!DOCTYPE html><p>x</p>", "x", Format::Html),
            ("<?xml version=\"1.0\"?><a/>", "x", Format::Xml),
            ("# Title\ntext", "notes.md", Format::Markdown),
            (
                "From: a@b.c\nTo: d@e.f\nSubject: hi\n\nbody",
                "x",
                Format::Eml,
            ),
            ("Subject line without mail headers", "x", Format::Text),
            ("fn main() {}\n", "main.rs", Format::Text),
        ];
        for (text, name, want) in cases {
            assert_eq!(text_format(text, name), want, "{text:?}");
        }
    }
}
