//! Checking a bundle, in a fixed order: size, envelope, format, key, signature — and only then the
//! signed payload: fields, validity period, version, rules. Nothing unsigned is interpreted beyond
//! choosing the key.

use crate::error::{Error, ErrorKind};
use crate::key::{TrustedKey, shorten};
use crate::payload::{
    ALGORITHM, Envelope, Payload, RuleText, check_fields, compile_rules, malformed,
};
use crate::time::format_time;
use crate::{MAX_BUNDLE_BYTES, MAX_CLOCK_SKEW_SECS, signed_message};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The most trusted keys a verifier takes.
pub const MAX_TRUSTED_KEYS: usize = 32;

/// What the verifier is told. There is no clock here: `now` is a parameter.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// Keys whose signatures are accepted. More than one during a key rotation.
    pub trusted_keys: &'a [TrustedKey],
    /// The current time, in unix seconds.
    pub now: u64,
    /// The last-known-good version: an older bundle is a downgrade. 0 when there is none.
    pub min_version: u64,
    /// The largest bundle accepted, in bytes; capped at [`MAX_BUNDLE_BYTES`].
    pub max_bytes: usize,
}

/// A bundle that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    /// Its version.
    pub version: u64,
    /// When it was signed, in unix seconds.
    pub issued_at: u64,
    /// When it stops being accepted, in unix seconds; `None` = never.
    pub expires_at: Option<u64>,
    /// The id of the key that signed it.
    pub key_id: String,
    /// Rule files in their JSON form.
    pub rules: Vec<RuleText>,
    /// Policy overrides for the extension to merge.
    pub policy: Option<serde_json::Map<String, serde_json::Value>>,
    /// Rule ids to turn off.
    pub disabled_rules: Vec<String>,
    /// How many rules the bundle's files compile to (on their own).
    pub rule_count: usize,
    /// The compiler's warnings.
    pub warnings: Vec<String>,
}

/// Verifies `bytes` as a bundle. A bundle whose version equals `min_version` is accepted: it is the
/// last-known-good bundle again (the caller may skip rebuilding); only an older one is a downgrade.
pub fn verify(bytes: &[u8], options: &VerifyOptions<'_>) -> Result<Bundle, Error> {
    let max_bytes = options.max_bytes.min(MAX_BUNDLE_BYTES);
    if bytes.len() > max_bytes {
        return Err(Error::new(
            ErrorKind::TooLarge,
            format!(
                "the bundle is {} bytes; the limit is {max_bytes} bytes — publish a smaller bundle or raise the limit",
                bytes.len()
            ),
        ));
    }
    let envelope = Envelope::parse(bytes)?;
    if envelope.signature.algorithm != ALGORITHM {
        return Err(Error::new(
            ErrorKind::UnsupportedFormat,
            format!(
                "the bundle is signed with `{}`; this version of PromptWarden verifies `{ALGORITHM}` signatures only",
                shorten(&envelope.signature.algorithm)
            ),
        ));
    }
    let key = find_key(&envelope.signature.key_id, options.trusted_keys)?;
    let payload_bytes = STANDARD
        .decode(envelope.payload.as_bytes())
        .map_err(|e| malformed("bundle file", format_args!("`payload` is not base64: {e}")))?;
    let signature = STANDARD
        .decode(envelope.signature.value.as_bytes())
        .ok()
        .and_then(|s| <[u8; 64]>::try_from(s).ok())
        .ok_or_else(|| {
            malformed(
                "bundle file",
                "`signature.value` is not the base64 of a 64-byte Ed25519 signature",
            )
        })?;
    key.verifying_key()
        .verify_strict(
            &signed_message(&payload_bytes),
            &ed25519_dalek::Signature::from_bytes(&signature),
        )
        .map_err(|_| {
            Error::new(
                ErrorKind::BadSignature,
                format!(
                    "the signature does not match the bundle's contents for key `{}`: the file was changed after it was signed (or damaged in transit); publish the file exactly as `warden bundle sign` wrote it",
                    key.key_id()
                ),
            )
        })?;

    // From here on, every byte read is signed by a trusted key.
    let payload = Payload::parse(&payload_bytes)?;
    check_fields(&payload)?;
    if !payload.key_id.eq_ignore_ascii_case(key.key_id()) {
        return Err(malformed(
            "bundle payload",
            format_args!(
                "the payload names key `{}` but is signed with key `{}`",
                shorten(&payload.key_id),
                key.key_id()
            ),
        ));
    }
    if payload.issued_at > options.now.saturating_add(MAX_CLOCK_SKEW_SECS) {
        return Err(Error::new(
            ErrorKind::NotYetValid,
            format!(
                "the bundle was issued at {}, {} seconds ahead of this device's clock ({}); check the clocks of the signing machine and of this device, or wait until then",
                format_time(payload.issued_at),
                payload.issued_at - options.now,
                format_time(options.now)
            ),
        ));
    }
    if let Some(expires) = payload.expires_at
        && expires <= options.now
    {
        return Err(Error::new(
            ErrorKind::Expired,
            format!(
                "the bundle (version {}) expired at {} (it is now {}); sign and publish a new version with a later expiry",
                payload.version,
                format_time(expires),
                format_time(options.now)
            ),
        ));
    }
    if payload.version < options.min_version {
        return Err(Error::new(
            ErrorKind::Downgrade,
            format!(
                "the bundle is version {}, older than version {} already in use; publish a bundle with a version above {} (an old bundle may have been served by a stale cache)",
                payload.version, options.min_version, options.min_version
            ),
        ));
    }
    let (rule_count, warnings) = compile_rules(&payload.rules)?;
    Ok(Bundle {
        version: payload.version,
        issued_at: payload.issued_at,
        expires_at: payload.expires_at,
        key_id: key.key_id().to_owned(),
        rules: payload.rules,
        policy: payload.policy,
        disabled_rules: payload.disabled_rules,
        rule_count,
        warnings,
    })
}

fn find_key<'a>(key_id: &str, trusted: &'a [TrustedKey]) -> Result<&'a TrustedKey, Error> {
    if trusted.is_empty() {
        return Err(Error::new(
            ErrorKind::UnknownKey,
            format!(
                "the bundle is signed with key `{}` but no key is trusted; add the signer's public key and key id to the trusted keys",
                shorten(key_id)
            ),
        ));
    }
    if trusted.len() > MAX_TRUSTED_KEYS {
        return Err(Error::new(
            ErrorKind::InvalidKey,
            format!(
                "{} trusted keys; the limit is {MAX_TRUSTED_KEYS} — remove retired keys",
                trusted.len()
            ),
        ));
    }
    trusted
        .iter()
        .find(|k| k.key_id().eq_ignore_ascii_case(key_id))
        .ok_or_else(|| {
            let known: Vec<&str> = trusted.iter().map(TrustedKey::key_id).collect();
            Error::new(
                ErrorKind::UnknownKey,
                format!(
                    "the bundle is signed with key `{}`, which is not trusted (trusted: {}); add that key's public key to the trusted keys, or sign with a trusted key",
                    shorten(key_id),
                    known.join(", ")
                ),
            )
        })
}

/// The version a bundle claims, read **without** checking its signature — for `warden bundle sign
/// --previous`, which only needs to refuse a version that does not increase.
pub fn peek_version(bytes: &[u8]) -> Result<u64, Error> {
    let envelope = Envelope::parse(bytes)?;
    let payload_bytes = STANDARD
        .decode(envelope.payload.as_bytes())
        .map_err(|e| malformed("bundle file", format_args!("`payload` is not base64: {e}")))?;
    let payload = Payload::parse(&payload_bytes)?;
    Ok(payload.version)
}
