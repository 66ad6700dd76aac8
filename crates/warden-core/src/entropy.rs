//! Shannon entropy and the length-aware entropy gate used by generic-secret rules.
//!
//! A fixed threshold penalises short tokens: no string of length L can exceed log2(L) bits per
//! character. The gate therefore asks for `min(E, log2(len) − 0.5)` bits, and values made only of
//! digits first lose `1.2 / log2(len)` bits (as detect-secrets does), so long numbers do not pass
//! as random keys. Lengths and frequencies count characters, not bytes.

/// Shannon entropy of `s` in bits per character (0 for the empty string).
pub fn shannon(s: &str) -> f64 {
    let mut ascii = [0u32; 128];
    // Non-ASCII characters are sorted and counted in runs: O(n log n) whatever the alphabet.
    let mut other: Vec<char> = Vec::new();
    let mut len = 0u32;
    for c in s.chars() {
        len += 1;
        match ascii.get_mut(c as usize) {
            Some(n) => *n += 1,
            None => other.push(c),
        }
    }
    if len == 0 {
        return 0.0;
    }
    other.sort_unstable();
    let runs = other.chunk_by(|a, b| a == b).map(|run| run.len() as u32);
    let total = f64::from(len);
    ascii
        .iter()
        .copied()
        .chain(runs)
        .filter(|&n| n > 0)
        .map(|n| {
            let p = f64::from(n) / total;
            -p * p.log2()
        })
        .sum()
}

/// Whether `s` passes a minimum entropy of `min_bits`, adjusted for length (see docs/rule-format.md):
/// the entropy, less `1.2 / log2(len)` when `s` is all ASCII digits, must be at least
/// `min(min_bits, log2(len) − 0.5)`. A gate of 0 or less (or NaN) lets everything through; the empty
/// string passes no positive gate.
pub fn passes_gate(s: &str, min_bits: f64) -> bool {
    if min_bits.is_nan() || min_bits <= 0.0 {
        return true;
    }
    let len = s.chars().count();
    if len == 0 {
        return false;
    }
    let log_len = (len as f64).log2();
    let mut bits = shannon(s);
    if len > 1 && s.bytes().all(|b| b.is_ascii_digit()) {
        bits -= 1.2 / log_len;
    }
    bits >= min_bits.min(log_len - 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn shannon_values() {
        let table: &[(&str, f64)] = &[
            ("", 0.0),
            ("aaaa", 0.0),
            ("ab", 1.0),
            ("abcd", 2.0),
            ("aabb", 1.0),
            ("0123456789abcdef", 4.0),
            (
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/",
                6.0,
            ),
            ("ééàà", 1.0),
            ("🔑🔑🔒🔒", 1.0),
        ];
        for &(s, want) in table {
            assert!(close(shannon(s), want), "{s:?}: {} != {want}", shannon(s));
        }
        // 256 distinct non-ASCII characters, once each: 8 bits.
        let wide: String = (0x100u32..0x200).filter_map(char::from_u32).collect();
        assert!(close(shannon(&wide), 8.0));
        assert!(close(shannon(&format!("{wide}{wide}")), 8.0));
        // 1 of 4 'a', 3 of 4 'b': 0.811 bits.
        assert!(close(
            shannon("abbb"),
            -(0.25f64 * 0.25f64.log2() + 0.75 * 0.75f64.log2())
        ));
    }

    #[test]
    fn gate_is_length_aware() {
        // 16 distinct hex characters: 4.0 bits, max possible for length 16 → threshold min(4.5, 3.5).
        assert!(passes_gate("0123456789abcdef", 4.5));
        // 8 distinct characters: 3.0 bits ≥ min(3.5, 2.5).
        assert!(passes_gate("abcdefgh", 3.5));
        // Repetitive values fail whatever their length.
        assert!(!passes_gate("aaaaaaaaaaaaaaaaaaaaaaaa", 3.5));
        assert!(!passes_gate("abababababababababababab", 3.5));
        // A real-looking key passes 3.5, a word does not.
        assert!(passes_gate("AKIAIOSFODNN7EXAMPLEx9Zq", 3.5));
        assert!(!passes_gate("passwordpassword", 3.5));
        assert!(!passes_gate("", 3.5));
    }

    #[test]
    fn digits_only_penalty() {
        // "0123456789" has log2(10) = 3.32 bits; less the penalty 1.2 / 3.32 = 0.36 that is 2.96,
        // still above the threshold min(3.0, 3.32 − 0.5 = 2.82). A less varied number is not.
        assert!(passes_gate("0123456789", 3.0));
        assert!(!passes_gate("1122334455", 3.0));
        // 3.0 bits, less 1.2 / 4 for being all digits: fails 3.0. One letter more avoids the penalty.
        assert!(close(shannon("1212343456567878"), 3.0));
        assert!(!passes_gate("1212343456567878", 3.0));
        assert!(passes_gate("1212343456567878a", 3.0));
    }

    #[test]
    fn disabled_and_odd_gates() {
        assert!(passes_gate("", 0.0));
        assert!(passes_gate("aaaa", -1.0));
        assert!(passes_gate("aaaa", f64::NAN));
        assert!(!passes_gate("aaaa", f64::INFINITY));
        assert!(passes_gate("x", 3.0)); // log2(1) − 0.5 < 0: a single character cannot do better
    }
}
