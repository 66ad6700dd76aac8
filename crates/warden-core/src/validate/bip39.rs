//! BIP-39 mnemonic seed phrases: English word list (2,048 words, CC0/MIT, from the BIP) and the
//! SHA-256 checksum that the last word carries.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

/// The BIP-39 English word list (2,048 words, sorted), CC0 / MIT.
const BIP39_ENGLISH: &str = include_str!("bip39-english.txt");

/// The English list split into words, built on first use.
static BIP39_WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| BIP39_ENGLISH.lines().collect());

/// Index of `word` in the English list (which is sorted).
fn bip39_index(word: &str) -> Option<usize> {
    BIP39_WORDS.binary_search(&word).ok()
}

/// `bip39`: 12, 15, 18, 21 or 24 whitespace-separated words (any case) from the English list whose
/// final bits match the leading bits of SHA-256 of the entropy.
pub(crate) fn bip39(value: &str) -> bool {
    if !value.is_ascii() || value.len() > 24 * 10 + 64 {
        return false;
    }
    let words: Vec<String> = value
        .split_ascii_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    if !matches!(words.len(), 12 | 15 | 18 | 21 | 24) {
        return false;
    }
    let mut bits: Vec<bool> = Vec::with_capacity(words.len() * 11);
    for w in &words {
        let Some(i) = bip39_index(w) else {
            return false;
        };
        bits.extend((0..11).rev().map(|b| (i >> b) & 1 == 1));
    }
    let checksum_bits = words.len() * 11 / 33;
    let entropy_bits = bits.len() - checksum_bits;
    let entropy: Vec<u8> = bits[..entropy_bits]
        .chunks(8)
        .map(|byte| byte.iter().fold(0u8, |acc, &b| (acc << 1) | u8::from(b)))
        .collect();
    let hash = Sha256::digest(&entropy);
    bits[entropy_bits..]
        .iter()
        .enumerate()
        .all(|(i, &b)| ((hash[i / 8] >> (7 - i % 8)) & 1 == 1) == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_list() {
        let words: Vec<&str> = BIP39_ENGLISH.lines().collect();
        assert_eq!(words.len(), 2048);
        assert_eq!(BIP39_WORDS.len(), 2048);
        assert_eq!(words[0], "abandon");
        assert_eq!(words[2047], "zoo");
        assert!(words.windows(2).all(|w| w[0] < w[1]));
        let digest = Sha256::digest(BIP39_ENGLISH.as_bytes());
        // SHA-256 of bitcoin/bips bip-0039/english.txt.
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"
        );
    }

    #[test]
    fn bip39_table() {
        let rep =
            |w: &str, n: usize, last: &str| format!("{}{last}", format!("{w} ").repeat(n - 1));
        let cases: Vec<(String, bool)> = vec![
            // Trezor python-mnemonic test vectors (BIP-39 reference).
            (rep("abandon", 12, "about"), true),
            (
                "legal winner thank year wave sausage worth useful legal winner thank yellow"
                    .into(),
                true,
            ),
            (
                "letter advice cage absurd amount doctor acoustic avoid letter advice cage above"
                    .into(),
                true,
            ),
            (rep("zoo", 12, "wrong"), true),
            (rep("abandon", 18, "agent"), true),
            (rep("abandon", 24, "art"), true),
            (rep("zoo", 24, "vote"), true),
            (
                "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic"
                    .into(),
                true,
            ),
            (
                "  Legal  Winner thank year wave sausage worth useful legal winner thank yellow\n"
                    .into(),
                true,
            ),
            (rep("abandon", 12, "abandon"), false), // checksum
            (rep("abandon", 11, "about"), false),   // word count
            (rep("abandon", 13, "about"), false),
            (
                "legal winner thank year wave sausage worth useful legal winner thank yellowish"
                    .into(),
                false,
            ),
            (
                "legal winner thank year wave sausage worth useful legal winner thank zoo".into(),
                false,
            ),
        ];
        for (v, ok) in cases {
            assert_eq!(bip39(&v), ok, "{v}");
        }
    }
}
