//! The one error type of bundles: an opaque struct with an [`ErrorKind`] — the reason a bundle is
//! rejected — and a message written for the administrator who has to fix it.

use std::fmt;

/// Why a bundle (or a trusted key) was rejected. Each kind has a stable kebab-case name
/// ([`ErrorKind::as_str`]) that the extension records, shows and sends in audit events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bundle is larger than the size limit.
    TooLarge,
    /// The bundle is not a bundle: not JSON, a field missing or of the wrong type, bad base64.
    Malformed,
    /// The bundle declares a format (or signature algorithm) this version of PromptWarden does not read.
    UnsupportedFormat,
    /// A trusted key given to the verifier is unusable (bad base64, not an Ed25519 public key, or a key
    /// id that is not the key's own).
    InvalidKey,
    /// The bundle is signed with a key that is not among the trusted keys.
    UnknownKey,
    /// The signature does not match the bundle's contents: it was changed after signing.
    BadSignature,
    /// The bundle's expiry time has passed.
    Expired,
    /// The bundle was issued in the future (beyond [`crate::MAX_CLOCK_SKEW_SECS`]).
    NotYetValid,
    /// The bundle's version is older than the last-known-good version.
    Downgrade,
    /// The bundle's rules do not compile.
    InvalidRules,
}

impl ErrorKind {
    /// Every kind, for tests and documentation.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::TooLarge,
        ErrorKind::Malformed,
        ErrorKind::UnsupportedFormat,
        ErrorKind::InvalidKey,
        ErrorKind::UnknownKey,
        ErrorKind::BadSignature,
        ErrorKind::Expired,
        ErrorKind::NotYetValid,
        ErrorKind::Downgrade,
        ErrorKind::InvalidRules,
    ];

    /// A stable, kebab-case name for the kind (the `kind` of the JavaScript error).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Malformed => "malformed",
            ErrorKind::UnsupportedFormat => "unsupported-format",
            ErrorKind::InvalidKey => "invalid-key",
            ErrorKind::UnknownKey => "unknown-key",
            ErrorKind::BadSignature => "bad-signature",
            ErrorKind::Expired => "expired",
            ErrorKind::NotYetValid => "not-yet-valid",
            ErrorKind::Downgrade => "downgrade",
            ErrorKind::InvalidRules => "invalid-rules",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejected bundle or key. The message is a complete sentence that says what to do.
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

    /// Why the bundle was rejected.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
