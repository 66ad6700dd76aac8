//! Cryptocurrency formats: Base58Check (double SHA-256), Bech32/Bech32m (BIP-173/BIP-350),
//! Bitcoin and Ethereum addresses.

use sha2::{Digest, Sha256};

use super::util::trimmed_ascii;

const BASE58_ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Longest Base58 string decoded (extended keys are 111 characters).
const BASE58_MAX: usize = 200;

/// Decodes Base58 (Bitcoin alphabet); `None` on a foreign character or an over-long input.
fn base58_decode(s: &[u8]) -> Option<Vec<u8>> {
    if s.is_empty() || s.len() > BASE58_MAX {
        return None;
    }
    // Little-endian big number, one byte per limb.
    let mut le: Vec<u8> = Vec::with_capacity(s.len());
    for &c in s {
        let mut carry = BASE58_ALPHABET.iter().position(|&a| a == c)? as u32;
        for b in le.iter_mut() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            le.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = s.iter().take_while(|&&c| c == b'1').count();
    let mut out = vec![0u8; zeros];
    out.extend(le.iter().rev());
    Some(out)
}

/// The payload of a Base58Check string whose last 4 bytes are the first 4 bytes of
/// SHA-256(SHA-256(payload)).
fn base58check_payload(s: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = base58_decode(s)?;
    if bytes.len() < 5 {
        return None;
    }
    let checksum = bytes.split_off(bytes.len() - 4);
    let digest = Sha256::digest(Sha256::digest(&bytes));
    (digest[..4] == checksum[..]).then_some(bytes)
}

/// `base58check`: decodes and carries a valid double SHA-256 checksum.
pub(crate) fn base58check(value: &str) -> bool {
    trimmed_ascii(value).and_then(base58check_payload).is_some()
}

const BECH32_CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_CONST: u32 = 1;
const BECH32M_CONST: u32 = 0x2bc8_30a3;
/// Longest Bech32 string accepted (BOLT 11 invoices go past BIP-173's 90).
const BECH32_MAX: usize = 1023;

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk = 1u32;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Which checksum constant a valid Bech32 string uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bech32Variant {
    Bech32,
    Bech32m,
}

/// Decodes a Bech32/Bech32m string into (lower-case HRP, 5-bit data without checksum, variant).
fn bech32_decode(s: &[u8], max_len: usize) -> Option<(Vec<u8>, Vec<u8>, Bech32Variant)> {
    if s.len() < 8 || s.len() > max_len || s.iter().any(|&c| !(33..=126).contains(&c)) {
        return None;
    }
    let has_lower = s.iter().any(u8::is_ascii_lowercase);
    let has_upper = s.iter().any(u8::is_ascii_uppercase);
    if has_lower && has_upper {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let sep = lower.iter().rposition(|&c| c == b'1')?;
    if sep == 0 || sep > 83 || sep + 7 > lower.len() {
        return None;
    }
    let hrp = &lower[..sep];
    let data: Vec<u8> = lower[sep + 1..]
        .iter()
        .map(|c| BECH32_CHARSET.iter().position(|a| a == c).map(|p| p as u8))
        .collect::<Option<_>>()?;
    let expanded = hrp
        .iter()
        .map(|c| c >> 5)
        .chain(std::iter::once(0))
        .chain(hrp.iter().map(|c| c & 31));
    let variant = match bech32_polymod(expanded.chain(data.iter().copied())) {
        BECH32_CONST => Bech32Variant::Bech32,
        BECH32M_CONST => Bech32Variant::Bech32m,
        _ => return None,
    };
    let payload_len = data.len() - 6;
    Some((hrp.to_vec(), data[..payload_len].to_vec(), variant))
}

/// `bech32`: HRP, `1`, data and a valid Bech32 or Bech32m checksum; not mixed case.
pub(crate) fn bech32(value: &str) -> bool {
    trimmed_ascii(value)
        .and_then(|s| bech32_decode(s, BECH32_MAX))
        .is_some()
}

/// Regroups 5-bit values into bytes (no padding allowed beyond 4 zero bits).
fn five_to_eight(data: &[u8]) -> Option<Vec<u8>> {
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut out = Vec::with_capacity(data.len() * 5 / 8);
    for &v in data {
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    (bits < 5 && (acc & ((1 << bits) - 1)) == 0).then_some(out)
}

/// A segwit address (BIP-173/BIP-350) on mainnet (`bc`) or testnet (`tb`).
fn segwit_address(s: &[u8]) -> bool {
    let Some((hrp, data, variant)) = bech32_decode(s, 90) else {
        return false;
    };
    if hrp != b"bc" && hrp != b"tb" {
        return false;
    }
    let Some((&version, program)) = data.split_first() else {
        return false;
    };
    let Some(program) = five_to_eight(program) else {
        return false;
    };
    if version > 16 || !(2..=40).contains(&program.len()) {
        return false;
    }
    match version {
        0 => variant == Bech32Variant::Bech32 && matches!(program.len(), 20 | 32),
        _ => variant == Bech32Variant::Bech32m,
    }
}

/// `bitcoin-address`: Base58Check P2PKH/P2SH (mainnet `1…`/`3…`, testnet `m…`/`n…`/`2…`) or a
/// Bech32/Bech32m segwit address (`bc1…`, `tb1…`).
pub(crate) fn bitcoin_address(value: &str) -> bool {
    let Some(s) = trimmed_ascii(value) else {
        return false;
    };
    let lower_prefix = s.get(..3).map(<[u8]>::to_ascii_lowercase);
    if matches!(lower_prefix.as_deref(), Some(b"bc1" | b"tb1")) {
        return segwit_address(s);
    }
    if !(26..=35).contains(&s.len()) {
        return false;
    }
    match base58check_payload(s) {
        Some(p) => p.len() == 21 && matches!(p[0], 0x00 | 0x05 | 0x6f | 0xc4),
        None => false,
    }
}

/// `ethereum-address`: `0x` and 40 hex digits, not all zero. The EIP-55 mixed-case checksum needs
/// Keccak-256 and is not checked.
pub(crate) fn ethereum_address(value: &str) -> bool {
    let Some(s) = trimmed_ascii(value) else {
        return false;
    };
    let Some(hex) = s.strip_prefix(b"0x") else {
        return false;
    };
    hex.len() == 40 && hex.iter().all(u8::is_ascii_hexdigit) && hex.iter().any(|&c| c != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&str) -> bool, table: &[(&str, bool)]) {
        for &(v, ok) in table {
            assert_eq!(f(v), ok, "{v}");
        }
    }

    #[test]
    fn base58check_table() {
        run(
            base58check,
            &[
                ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", true), // genesis block address
                ("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", true), // WIF example (Bitcoin wiki)
                (
                    "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8",
                    true,
                ), // BIP-32 test vector 1 master public key
                ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", false),
                ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", false), // 0 is not Base58
                ("1111", false),
            ],
        );
    }

    #[test]
    fn bitcoin_address_table() {
        run(
            bitcoin_address,
            &[
                ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", true),
                ("1NEDqZPvTWRaoho48qXuLLsrYomMXPABfD", true), // python-stdnum bitcoin docs
                ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", true), // P2SH (Bitcoin wiki)
                ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", true), // BIP-173
                (
                    "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
                    true,
                ), // BIP-173
                (
                    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
                    true,
                ), // BIP-350
                ("1NEDqZPvTWRaoho48qXuLLsrYomMXPABfA", false),
                ("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", false), // a key, not an address
                ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", false), // one character changed
                ("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", false), // BIP-173: invalid HRP
                (
                    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
                    false,
                ), // BIP-350: v1 with Bech32
                ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", false), // BIP-350: v0 with Bech32m
                (
                    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
                    false,
                ), // BIP-350: version 17
                ("bc1pw5dgrnzv", false),                               // BIP-350: 1-byte program
                ("bc1gmk9yu", false),                                  // BIP-350: empty data
                ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", false), // BIP-173: 16-byte v0 program
            ],
        );
    }

    #[test]
    fn bech32_table() {
        run(
            bech32,
            &[
                // BIP-173 valid test vectors.
                ("A12UEL5L", true),
                ("a12uel5l", true),
                ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", true),
                (
                    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
                    true,
                ),
                ("?1ezyfcl", true),
                // BIP-350 valid Bech32m vectors.
                ("A1LQFN3A", true),
                ("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", true),
                // BIP-173 invalid vectors.
                (
                    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
                    false,
                ),
                ("pzry9x0s0muk", false),
                ("1pzry9x0s0muk", false),
                ("x1b4n0q5v", false),
                ("li1dgmt3", false),
                ("A1G7SGD8", false),
                ("10a06t8", false),
                ("1qzzfhee", false),
                ("A12uEL5L", false), // mixed case
            ],
        );
    }

    #[test]
    fn ethereum_address_table() {
        run(
            ethereum_address,
            &[
                ("0x52908400098527886E0F7030069857D2E4169EE7", true), // EIP-55 examples
                ("0xde709f2102306220921060314715629080e2fb77", true),
                ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", true),
                ("0x0000000000000000000000000000000000000000", false),
                ("0x52908400098527886E0F7030069857D2E4169EE", false),
                ("52908400098527886E0F7030069857D2E4169EE7", false),
                ("0x52908400098527886E0F7030069857D2E4169EEG", false),
            ],
        );
    }
}
