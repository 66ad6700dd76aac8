//! Ed25519 keys: the administrator's signing key and the public keys the extension trusts.
//!
//! A public key is written as the standard base64 of its 32 raw bytes; its key id is the lowercase hex
//! of the first 8 bytes of the SHA-256 of those bytes. The id is derived, never chosen, so a trusted key
//! whose id does not match its key is a configuration mistake and is refused ([`ErrorKind::InvalidKey`]).
//! Several trusted keys at once are how keys are rotated.

use crate::error::{Error, ErrorKind};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::fmt;

/// Length of a key id in hex digits.
pub const KEY_ID_LEN: usize = 16;

/// The key id of a raw Ed25519 public key.
pub fn key_id(public_key: &[u8; 32]) -> String {
    Sha256::digest(public_key)[..KEY_ID_LEN / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A public key the verifier trusts, with its key id.
#[derive(Clone, PartialEq, Eq)]
pub struct TrustedKey {
    key_id: String,
    key: ed25519_dalek::VerifyingKey,
}

impl TrustedKey {
    /// Reads `{keyId, publicKey}` as an administrator writes it in the policy. The id must be the key's
    /// own (either case).
    pub fn new(key_id: &str, public_key: &str) -> Result<TrustedKey, Error> {
        let key = TrustedKey::from_base64(public_key)?;
        if !key.key_id.eq_ignore_ascii_case(key_id.trim()) {
            return Err(Error::new(
                ErrorKind::InvalidKey,
                format!(
                    "trusted key `{}`: the key id of this public key is `{}`; correct the key id (it is printed by `warden bundle keygen`)",
                    key_id.trim(),
                    key.key_id
                ),
            ));
        }
        Ok(key)
    }

    /// Reads a public key written as base64 (standard alphabet, padded) and derives its id.
    pub fn from_base64(public_key: &str) -> Result<TrustedKey, Error> {
        let bytes = STANDARD
            .decode(public_key.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidKey,
                    format!(
                        "`{}` is not an Ed25519 public key: expected the base64 of 32 bytes (44 characters), as printed by `warden bundle keygen`",
                        shorten(public_key.trim())
                    ),
                )
            })?;
        TrustedKey::from_bytes(&bytes)
    }

    /// A public key from its 32 raw bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<TrustedKey, Error> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| {
            Error::new(
                ErrorKind::InvalidKey,
                "the public key is not a valid Ed25519 point; copy it again from `warden bundle keygen`",
            )
        })?;
        Ok(TrustedKey {
            key_id: key_id(bytes),
            key,
        })
    }

    /// The key id (16 lowercase hex digits).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public key as base64.
    pub fn public_key(&self) -> String {
        STANDARD.encode(self.key.as_bytes())
    }

    /// The raw public key.
    pub fn as_bytes(&self) -> &[u8; 32] {
        self.key.as_bytes()
    }

    pub(crate) fn verifying_key(&self) -> &ed25519_dalek::VerifyingKey {
        &self.key
    }
}

impl fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustedKey")
            .field("key_id", &self.key_id)
            .field("public_key", &self.public_key())
            .finish()
    }
}

/// An administrator's private signing key. Signing is deterministic (Ed25519), so this crate needs no
/// randomness; new keys come from the CLI's `warden bundle keygen`.
#[derive(Clone)]
pub struct SigningKey {
    key: ed25519_dalek::SigningKey,
}

impl SigningKey {
    /// The key with this 32-byte secret seed (the private key of RFC 8032).
    pub fn from_seed(seed: &[u8; 32]) -> SigningKey {
        SigningKey {
            key: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// The secret seed, for writing the key file.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The matching public key, to be trusted by the extension.
    pub fn public_key(&self) -> TrustedKey {
        let key = self.key.verifying_key();
        TrustedKey {
            key_id: key_id(key.as_bytes()),
            key,
        }
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.key.sign(message).to_bytes()
    }
}

impl fmt::Debug for SigningKey {
    // Never print the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.public_key().key_id)
            .finish_non_exhaustive()
    }
}

/// At most 60 characters of `s`, for quoting input in messages.
pub(crate) fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_derived_and_checked() {
        let key = SigningKey::from_seed(&[7; 32]).public_key();
        assert_eq!(key.key_id().len(), KEY_ID_LEN);
        let again = TrustedKey::new(&key.key_id().to_uppercase(), &key.public_key()).unwrap();
        assert_eq!(again, key);
        let other = SigningKey::from_seed(&[8; 32]).public_key();
        let err = TrustedKey::new(other.key_id(), &key.public_key()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidKey);
        assert!(err.message().contains(key.key_id()), "{err}");
    }

    #[test]
    fn bad_public_keys_are_refused() {
        for bad in ["", "not base64!", "AAAA", &STANDARD.encode([1u8; 31])] {
            let err = TrustedKey::from_base64(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey, "{bad}");
        }
    }

    #[test]
    fn debug_does_not_print_the_secret() {
        let key = SigningKey::from_seed(&[9; 32]);
        let debug = format!("{key:?}");
        assert!(!debug.contains(&STANDARD.encode([9u8; 32])));
        assert!(debug.contains(key.public_key().key_id()));
    }
}
