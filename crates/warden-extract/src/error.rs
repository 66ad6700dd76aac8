//! Why a file could not be inspected: an opaque [`Error`] with a [`kind`](Error::kind) and a sentence
//! for the user. Every kind means *not inspected* — a caller must never treat the file as clean.

use crate::sniff::Format;
use std::fmt;

/// What went wrong, for callers that branch on it. New kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file, or the text it holds, is larger than the limits allow.
    TooLarge,
    /// A compressed container expands too much (a zip bomb) or holds too many entries.
    Bomb,
    /// Containers nested deeper than the limit (archives in archives, mail in mail).
    TooDeep,
    /// The file is damaged or truncated and cannot be read.
    Corrupt,
    /// The file is encrypted or protected by a password.
    Encrypted,
    /// A kind of file whose text cannot be read (images, legacy binary formats, executables), or an
    /// operation the format does not support (sanitizing a PDF).
    Unsupported,
}

impl ErrorKind {
    /// A stable kebab-case name (`too-large`, `zip-bomb`, …), for JavaScript and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Bomb => "zip-bomb",
            ErrorKind::TooDeep => "too-deep",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::Encrypted => "encrypted",
            ErrorKind::Unsupported => "unsupported",
        }
    }
}

/// A file that could not be inspected (or sanitized), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    format: Format,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, format: Format, message: impl Into<String>) -> Error {
        Error {
            kind,
            format,
            message: message.into(),
        }
    }

    pub(crate) fn corrupt(format: Format, detail: impl fmt::Display) -> Error {
        Error::new(
            ErrorKind::Corrupt,
            format,
            format!(
                "this {} file is damaged or truncated and cannot be read ({detail}); open and save it again, or upload a copy that opens",
                format.name()
            ),
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The format the file was recognised as before the failure ([`Format::Unknown`] if none).
    pub fn format(&self) -> Format {
        self.format
    }

    /// The sentence for the user.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error, with the path of the entry it happened in (`mail.eml › attachment report.docx`).
    pub(crate) fn inside(mut self, location: &str) -> Error {
        self.message = format!("{location}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
