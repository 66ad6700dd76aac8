//! Signed rule bundles: how an administrator ships new rules and policy overrides to every browser
//! without shipping a new extension.
//!
//! A bundle is one JSON file:
//!
//! ```json
//! {
//!   "format": 1,
//!   "payload": "eyJmb3JtYXQiOjEsInZlcnNpb24iOjMsImlzc3VlZF9hdCI6…",
//!   "signature": { "algorithm": "ed25519", "key_id": "3f9c0a1b2c3d4e5f", "value": "…" }
//! }
//! ```
//!
//! The `payload` is the standard base64 of a JSON object — `format`, `version`, `issued_at`,
//! `expires_at` (optional), `key_id`, `rules` (`[{source, text}]`, rule files in their JSON form),
//! `policy` (optional object) and `disabled_rules` (optional) — with times in unix seconds.
//!
//! The design decision to know: **the signature covers the exact payload bytes as stored**, never a
//! re-serialization. The signed message is [`SIGNING_CONTEXT`] followed by the base64-decoded payload;
//! base64 decoding is unambiguous, so signer and verifier cannot disagree about what was signed, and no
//! canonical-JSON rules (key order, number forms, escapes) have to match between Rust and anything else.
//! The context string keeps a signature over a bundle from being valid for anything else signed with
//! the same key.
//!
//! This crate does no I/O and reads no clock (the time is a parameter), so the CLI and the extension
//! (through WebAssembly) verify with the same code. Rejections are [`Error`]s with an [`ErrorKind`]; see
//! [`verify`] for the order of the checks.
//!
//! ```
//! use warden_bundle::{Draft, RuleText, SigningKey, VerifyOptions, sign, verify};
//! let key = SigningKey::from_seed(&[1; 32]);
//! let rules = r#"{"schema_version": 1, "rule": [{"id": "codename", "description": "Project codename",
//!   "entity": "CODENAME", "category": "confidential", "terms": ["BLUEHERON"], "confidence": "high"}]}"#;
//! let draft = Draft {
//!     version: 1,
//!     issued_at: 1_767_225_600,
//!     rules: vec![RuleText { source: "acme.json".into(), text: rules.into() }],
//!     ..Draft::default()
//! };
//! let signed = sign(&draft, &key).unwrap();
//! let trusted = [key.public_key()];
//! let options = VerifyOptions {
//!     trusted_keys: &trusted,
//!     now: 1_767_225_700,
//!     min_version: 0,
//!     max_bytes: warden_bundle::DEFAULT_MAX_BYTES,
//! };
//! let bundle = verify(&signed.bytes, &options).unwrap();
//! assert_eq!((bundle.version, bundle.rule_count), (1, 1));
//! ```

mod error;
mod key;
mod payload;
mod sign;
mod time;
mod verify;

pub use error::{Error, ErrorKind};
pub use key::{KEY_ID_LEN, SigningKey, TrustedKey, key_id};
pub use payload::{
    ALGORITHM, FORMAT, MAX_DISABLED_RULES, MAX_NAME_BYTES, MAX_NUMBER, MAX_RULE_FILES, RuleText,
};
pub use sign::{Draft, Signed, sign, sign_unchecked};
pub use time::format_time;
pub use verify::{Bundle, MAX_TRUSTED_KEYS, VerifyOptions, peek_version, verify};

/// The size limit a verifier uses unless told otherwise: 8 MiB, room for exact-data lists of about
/// 90,000 values.
pub const DEFAULT_MAX_BYTES: usize = 8 << 20;
/// The largest bundle signed or verified at all, whatever limit a caller asks for.
pub const MAX_BUNDLE_BYTES: usize = 32 << 20;
/// How far in the future `issued_at` may be before a bundle is not yet valid: device clocks drift.
pub const MAX_CLOCK_SKEW_SECS: u64 = 300;
/// What is signed in front of the payload bytes (domain separation).
pub const SIGNING_CONTEXT: &[u8] = b"PromptWarden rule bundle v1\n";

/// The exact message the Ed25519 signature covers.
fn signed_message(payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGNING_CONTEXT.len() + payload.len());
    message.extend_from_slice(SIGNING_CONTEXT);
    message.extend_from_slice(payload);
    message
}

#[cfg(test)]
mod tests;
