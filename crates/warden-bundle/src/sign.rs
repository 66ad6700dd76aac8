//! Making a bundle: check and compile the contents, serialize the payload once, sign those exact bytes.

use crate::error::{Error, ErrorKind};
use crate::key::SigningKey;
use crate::payload::{
    ALGORITHM, Envelope, FORMAT, Payload, RuleText, SignatureBlock, check_fields, compile_rules,
};
use crate::{MAX_BUNDLE_BYTES, signed_message};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// What an administrator puts in a bundle; [`sign`] adds the format and the key id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// Greater than every version published before (the extension refuses older ones).
    pub version: u64,
    /// When the bundle was made, in unix seconds.
    pub issued_at: u64,
    /// When the extension stops accepting the bundle, in unix seconds; `None` = never.
    pub expires_at: Option<u64>,
    /// Rule files in their JSON form.
    pub rules: Vec<RuleText>,
    /// Policy overrides (a JSON object) the extension merges into the administrator's policy.
    pub policy: Option<serde_json::Map<String, serde_json::Value>>,
    /// Rule ids (built-in or earlier) to turn off.
    pub disabled_rules: Vec<String>,
}

/// A signed bundle, ready to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The bundle file.
    pub bytes: Vec<u8>,
    /// How many rules the bundle's files compile to (on their own).
    pub rule_count: usize,
    /// The compiler's warnings (for example a `disabled_rules` entry naming no earlier rule).
    pub warnings: Vec<String>,
}

/// Checks `draft` as a verifier would (fields, sizes, rules compile) and signs it with `key`.
pub fn sign(draft: &Draft, key: &SigningKey) -> Result<Signed, Error> {
    let payload = Payload {
        format: FORMAT,
        version: draft.version,
        issued_at: draft.issued_at,
        expires_at: draft.expires_at,
        key_id: key.public_key().key_id().to_owned(),
        rules: draft.rules.clone(),
        policy: draft.policy.clone(),
        disabled_rules: draft.disabled_rules.clone(),
    };
    check_fields(&payload)?;
    let (rule_count, warnings) = compile_rules(&payload.rules)?;
    let bytes = sign_unchecked(&payload_bytes(&payload), key);
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!(
                "the bundle would be {} bytes; the limit is {MAX_BUNDLE_BYTES} — split the exact-data lists or drop rules",
                bytes.len()
            ),
        ));
    }
    Ok(Signed {
        bytes,
        rule_count,
        warnings,
    })
}

pub(crate) fn payload_bytes(payload: &Payload) -> Vec<u8> {
    // Serializing plain data (strings, integers, a JSON map) cannot fail.
    serde_json::to_vec(payload).unwrap_or_default()
}

/// The bundle file holding `payload` (exact bytes) and its signature by `key`, **without any check**
/// of the payload. For tests that need a validly signed bad bundle (rules that do not compile, a
/// future format); publish bundles made by [`sign`] only.
pub fn sign_unchecked(payload: &[u8], key: &SigningKey) -> Vec<u8> {
    let envelope = Envelope {
        format: FORMAT,
        payload: STANDARD.encode(payload),
        signature: SignatureBlock {
            algorithm: ALGORITHM.to_owned(),
            key_id: key.public_key().key_id().to_owned(),
            value: STANDARD.encode(key.sign(&signed_message(payload))),
        },
    };
    let mut bytes = serde_json::to_vec_pretty(&envelope).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
