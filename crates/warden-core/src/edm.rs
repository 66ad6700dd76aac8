//! Exact-data match: admins list values (customer ids, project code names) as salted SHA-256 digests,
//! so a rule file never holds the values themselves. A candidate found by the rule's pattern is
//! normalized, hashed with the salt and looked up.

use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// How a candidate value is normalized before hashing. Admins hash their values the same way
/// (`warden edm hash` does it for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalize {
    /// The value as matched.
    None,
    /// Lowercased (Unicode).
    Lowercase,
    /// Uppercased (Unicode).
    Uppercase,
    /// Digits only.
    Digits,
    /// ASCII letters and digits only, uppercased.
    AlnumUpper,
}

impl Normalize {
    /// The normalization with this rule-file name.
    pub fn from_name(name: &str) -> Option<Normalize> {
        Some(match name {
            "none" => Normalize::None,
            "lowercase" => Normalize::Lowercase,
            "uppercase" => Normalize::Uppercase,
            "digits" => Normalize::Digits,
            "alnum-upper" => Normalize::AlnumUpper,
            _ => return None,
        })
    }

    /// Applies the normalization.
    pub fn apply(self, value: &str) -> String {
        match self {
            Normalize::None => value.to_owned(),
            Normalize::Lowercase => value.to_lowercase(),
            Normalize::Uppercase => value.to_uppercase(),
            Normalize::Digits => value.chars().filter(char::is_ascii_digit).collect(),
            Normalize::AlnumUpper => value
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        }
    }
}

/// The lowercase hex SHA-256 of `salt` followed by the normalized `value`: what an admin puts in
/// `exact_match.hashes`.
pub fn hash_value(salt: &[u8], value: &str, normalize: Normalize) -> String {
    hex(&digest(salt, &normalize.apply(value)))
}

fn digest(salt: &[u8], normalized: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(normalized.as_bytes());
    h.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes hex (either case); `None` when it is not hex.
pub fn decode_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}

/// A compiled exact-data-match list.
#[derive(Debug, Clone)]
pub(crate) struct ExactMatch {
    salt: Vec<u8>,
    hashes: HashSet<[u8; 32]>,
    normalize: Normalize,
}

impl ExactMatch {
    pub(crate) fn new(
        salt: &str,
        hashes: &[String],
        normalize: Normalize,
    ) -> Result<ExactMatch, String> {
        let salt = decode_hex(salt).filter(|s| s.len() >= 8).ok_or_else(|| {
            "`exact_match.salt` must be at least 8 bytes written as hex (for example 32 hex digits)".to_owned()
        })?;
        if hashes.is_empty() {
            return Err("`exact_match.hashes` is empty; list the SHA-256 digests to match (see `warden edm hash`)".into());
        }
        let mut set = HashSet::with_capacity(hashes.len());
        for (i, h) in hashes.iter().enumerate() {
            let bytes = decode_hex(h)
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| {
                    format!(
                        "`exact_match.hashes` entry {} is not a SHA-256 digest (64 hex digits)",
                        i + 1
                    )
                })?;
            set.insert(bytes);
        }
        Ok(ExactMatch {
            salt,
            hashes: set,
            normalize,
        })
    }

    pub(crate) fn contains(&self, value: &str) -> bool {
        self.hashes
            .contains(&digest(&self.salt, &self.normalize.apply(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_after_normalization() {
        let salt = "00112233445566778899aabbccddeeff";
        let h = hash_value(
            &decode_hex(salt).unwrap(),
            "cust-004211",
            Normalize::AlnumUpper,
        );
        let em = ExactMatch::new(salt, &[h], Normalize::AlnumUpper).unwrap();
        assert!(em.contains("CUST-004211"));
        assert!(em.contains("cust 004211"));
        assert!(!em.contains("CUST-004212"));
    }

    #[test]
    fn bad_salt_and_hashes_are_explained() {
        assert!(
            ExactMatch::new("zz", &["00".repeat(32)], Normalize::None)
                .unwrap_err()
                .contains("salt")
        );
        assert!(
            ExactMatch::new("00112233445566778899", &["abc".into()], Normalize::None)
                .unwrap_err()
                .contains("entry 1")
        );
        assert!(
            ExactMatch::new("00112233445566778899", &[], Normalize::None)
                .unwrap_err()
                .contains("empty")
        );
    }
}
