//! The one error type of the core: an opaque struct with a [`ErrorKind`] and a message written for the
//! person who has to fix the input (a rule author or an administrator).

use std::fmt;

/// What went wrong, for callers that react differently to different failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file is not valid TOML or JSON, or its top level has the wrong shape.
    Syntax,
    /// The file declares a `schema_version` this engine does not read.
    UnsupportedSchema,
    /// The file needs a newer engine (`min_engine_version`).
    EngineTooOld,
    /// A rule is invalid: bad id, pattern, validator, field value or unknown field.
    InvalidRule,
    /// Two rules share an id without `override = true`.
    DuplicateRule,
    /// The input exceeds a size limit.
    TooLarge,
    /// A masking or unmasking request cannot be honoured (for example a mapping from another text).
    Mask,
}

impl ErrorKind {
    /// A stable, kebab-case name for the kind (used across the wasm boundary and in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnsupportedSchema => "unsupported-schema",
            ErrorKind::EngineTooOld => "engine-too-old",
            ErrorKind::InvalidRule => "invalid-rule",
            ErrorKind::DuplicateRule => "duplicate-rule",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Mask => "mask",
        }
    }
}

/// An error from reading, compiling or applying rules. The message is a complete sentence that names
/// the rule (when there is one) and says what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn rule(id: &str, message: impl fmt::Display) -> Error {
        Error::new(ErrorKind::InvalidRule, format!("rule `{id}`: {message}"))
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error with `context` (for example a file name) put in front of the message.
    pub fn with_context(mut self, context: impl fmt::Display) -> Error {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
