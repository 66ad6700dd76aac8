//! Reading what to scan: files, directories (walked like ripgrep, skipping binary files and images) and
//! standard input, sorted into three kinds by their bytes: text scanned as it is, large text scanned in
//! windows ([`crate::stream`]), and documents whose text must be extracted first (DOCX, XLSX, PPTX,
//! OpenDocument, PDF, mail, ZIP, UTF-16 text; images and encrypted files are reported as not
//! inspected). Invalid UTF-8 is scanned lossily *without moving any offset*: each byte that is not part
//! of a valid character becomes one ASCII substitute byte, so reported offsets point into the original
//! bytes.

use anyhow::{Context, Result};
use std::io::{Read, Seek};
use std::path::PathBuf;

/// The largest input scanned in one piece.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;
/// Stands in for each invalid byte: a control character that is neither a word character nor space.
const SUBSTITUTE: u8 = 0x1A;

/// One thing to scan.
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file, and whether it was named explicitly (binary files are skipped only when walked into).
    File(PathBuf, bool),
}

impl Source {
    /// How the source is named in output.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "-".to_owned(),
            Source::File(p, _) => p.display().to_string(),
        }
    }
}

/// Expands the command-line paths (none or `-` = standard input; directories walked in path order).
pub fn sources(paths: &[PathBuf]) -> Result<Vec<Source>> {
    if paths.is_empty() {
        return Ok(vec![Source::Stdin]);
    }
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if path.is_dir() {
            let walk = ignore::WalkBuilder::new(path)
                .standard_filters(false)
                .filter_entry(|e| e.file_name() != ".git")
                .sort_by_file_path(|a, b| a.cmp(b))
                .build();
            for entry in walk {
                let entry = entry.with_context(|| format!("cannot walk {}", path.display()))?;
                if entry.file_type().is_some_and(|t| t.is_file()) {
                    out.push(Source::File(entry.into_path(), false));
                }
            }
        } else if path.exists() {
            out.push(Source::File(path.clone(), true));
        } else {
            anyhow::bail!("{}: no such file or directory", path.display());
        }
    }
    Ok(out)
}

/// What a source holds, sorted by its bytes.
pub enum Content {
    /// Text, scanned as it is (offsets are into these bytes).
    Text(Vec<u8>),
    /// A large text file, scanned in windows.
    Stream(std::fs::File),
    /// A document whose text is extracted first.
    Document(Vec<u8>),
}

/// How many bytes are looked at to recognise a file.
const HEAD_BYTES: usize = 8 << 10;

/// Reads a source, or `None` for a binary file or image met while walking a directory.
pub fn read(source: &Source) -> Result<Option<Content>> {
    let mut bytes = Vec::new();
    match source {
        Source::Stdin => {
            std::io::stdin()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
        }
        Source::File(path, explicit) => {
            let mut file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            (&mut file)
                .take(HEAD_BYTES as u64)
                .read_to_end(&mut bytes)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let kind = kind(&bytes, &path.display().to_string());
            if !explicit && matches!(kind, Kind::Binary | Kind::Image) {
                return Ok(None);
            }
            if kind == Kind::Text && len >= crate::stream::STREAM_THRESHOLD {
                file.seek(std::io::SeekFrom::Start(0))
                    .with_context(|| format!("cannot read {}", path.display()))?;
                return Ok(Some(Content::Stream(file)));
            }
            file.take(MAX_INPUT_BYTES + 1 - bytes.len() as u64)
                .read_to_end(&mut bytes)
                .with_context(|| format!("cannot read {}", path.display()))?;
        }
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        anyhow::bail!(
            "{}: larger than {} bytes; split it before scanning",
            source.name(),
            MAX_INPUT_BYTES
        );
    }
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    Ok(Some(match kind(head, &source.name()) {
        Kind::Text | Kind::Binary => Content::Text(bytes),
        Kind::Document | Kind::Image => Content::Document(bytes),
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// UTF-8 (or invalid UTF-8) text, scanned as it is.
    Text,
    /// Binary data that is no known format: skipped in directories, scanned lossily when named.
    Binary,
    /// An image: skipped in directories, reported as not inspectable when named.
    Image,
    /// Needs extraction.
    Document,
}

fn kind(head: &[u8], name: &str) -> Kind {
    use warden_extract::Format;
    if warden_extract::is_utf16(head) {
        return Kind::Document;
    }
    match warden_extract::detect(head, name) {
        Format::Image => Kind::Image,
        // A message whose text is stored as it is (no MIME parts, no transfer encoding) is scanned as
        // plain text, so offsets point into the file; only encoded or multipart mail is extracted.
        Format::Eml if needs_decoding(head) => Kind::Document,
        f if f.is_text() || f == Format::Eml => {
            if is_binary(head) {
                Kind::Binary
            } else {
                Kind::Text
            }
        }
        Format::Binary => Kind::Binary,
        _ => Kind::Document,
    }
}

/// True when an e-mail's head declares MIME parts or a transfer encoding that must be decoded.
fn needs_decoding(head: &[u8]) -> bool {
    let lower = head.to_ascii_lowercase();
    [&b"content-transfer-encoding"[..], b"multipart/"]
        .iter()
        .any(|needle| lower.windows(needle.len()).any(|w| w == *needle))
}

/// Like ripgrep: a NUL byte near the start marks a binary file.
fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8 << 10)].contains(&0)
}

/// Valid UTF-8 with the same length as `bytes`: invalid bytes replaced one-for-one.
pub fn to_text(mut bytes: Vec<u8>) -> String {
    let mut at = 0;
    loop {
        match std::str::from_utf8(&bytes[at..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = at + e.valid_up_to();
                let n = e.error_len().unwrap_or(bytes.len() - bad);
                bytes[bad..bad + n].fill(SUBSTITUTE);
                at = bad + n;
            }
        }
    }
    // Every invalid sequence was replaced by ASCII above.
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn invalid_utf8_keeps_offsets() {
        let bytes = b"a\xffb\xe2\x82c\xf0\x9f\x98\x80".to_vec();
        let text = to_text(bytes.clone());
        assert_eq!(text.len(), bytes.len());
        assert_eq!(&text[..1], "a");
        assert_eq!(text.as_bytes()[2], b'b');
        assert!(text.ends_with('\u{1F600}'));
    }
}
