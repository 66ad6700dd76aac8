//! Check-digit algorithms shared by the validators (Luhn, Verhoeff, ISO 7064 mod 97-10, mod 11-10,
//! mod 11-2) and the generic `luhn`, `verhoeff` and `imei` validators.

use super::util::{all_same, compact, dv, is_digits};

/// Separators a plain digit string may contain.
pub(crate) const DIGIT_SEPS: &[u8] = b" -.";

/// Luhn mod 10 over ASCII digits: true when the sum is a multiple of 10 (at least 2 digits).
pub(crate) fn luhn_ok(d: &[u8]) -> bool {
    d.len() >= 2 && is_digits(d) && luhn_sum(d).is_multiple_of(10)
}

/// The Luhn sum of ASCII digits, doubling every second digit from the right.
pub(crate) fn luhn_sum(d: &[u8]) -> u32 {
    d.iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let x = dv(c) % 10;
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum()
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff over ASCII digits, check digit last: true when the checksum is 0 (at least 2 digits).
pub(crate) fn verhoeff_ok(d: &[u8]) -> bool {
    if d.len() < 2 || !is_digits(d) {
        return false;
    }
    let mut c = 0usize;
    for (i, &b) in d.iter().rev().enumerate() {
        let p = VERHOEFF_P[i % 8][(dv(b) % 10) as usize];
        c = usize::from(VERHOEFF_D[c][usize::from(p)]);
    }
    c == 0
}

/// ISO 7064 mod 97-10 remainder of an alphanumeric string, letters counting 10 (A) to 35 (Z).
/// `None` for any other byte.
pub(crate) fn mod97(s: &[u8]) -> Option<u32> {
    let mut r = 0u32;
    for &c in s {
        r = match c {
            b'0'..=b'9' => (r * 10 + dv(c)) % 97,
            b'A'..=b'Z' => (r * 100 + u32::from(c - b'A') + 10) % 97,
            _ => return None,
        };
    }
    Some(r)
}

/// ISO 7064 mod 11,10 over ASCII digits, check digit last.
pub(crate) fn iso7064_mod11_10_ok(d: &[u8]) -> bool {
    if d.len() < 2 || !is_digits(d) {
        return false;
    }
    let mut check = 5u32;
    for &b in d {
        let c = if check == 0 { 10 } else { check };
        check = ((c * 2) % 11 + dv(b)) % 10;
    }
    check == 1
}

/// ISO 7064 mod 11-2 over digits with a final check character 0–9 or `X` (= 10).
pub(crate) fn iso7064_mod11_2_ok(d: &[u8]) -> bool {
    let Some((&last, body)) = d.split_last() else {
        return false;
    };
    if body.is_empty() || !is_digits(body) {
        return false;
    }
    let check = match last {
        b'0'..=b'9' => dv(last),
        b'X' => 10,
        _ => return false,
    };
    // Weight of position i counted from the right (check = position 0) is 2^i mod 11.
    let mut sum = check;
    let mut w = 1u32;
    for &b in body.iter().rev() {
        w = (w * 2) % 11;
        sum += w * dv(b);
    }
    sum % 11 == 1
}

/// The `luhn` validator: digits (spaces, dashes, dots allowed), Luhn valid, not all zero.
pub(crate) fn luhn(value: &str) -> bool {
    let Some(d) = compact(value, DIGIT_SEPS, 64) else {
        return false;
    };
    luhn_ok(&d) && d.iter().any(|&b| b != b'0')
}

/// The `verhoeff` validator: digits (spaces, dashes, dots allowed), Verhoeff valid, not all zero.
pub(crate) fn verhoeff(value: &str) -> bool {
    let Some(d) = compact(value, DIGIT_SEPS, 64) else {
        return false;
    };
    verhoeff_ok(&d) && d.iter().any(|&b| b != b'0')
}

/// The `imei` validator: 15 digits (spaces, dashes, dots, slashes allowed), Luhn, not all one digit.
pub(crate) fn imei(value: &str) -> bool {
    let Some(d) = compact(value, b" -./", 15) else {
        return false;
    };
    d.len() == 15 && !all_same(&d) && luhn_ok(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_table() {
        let table: &[(&str, bool)] = &[
            ("79927398713", true), // Wikipedia example
            ("7992 7398 713", true),
            ("4111-1111-1111-1111", true),
            ("49927398716", true), // python-stdnum luhn docs
            ("79927398710", false),
            ("79927398714", false),
            ("49927398717", false),
            ("1234567812345678", false),
            ("00000000", false),
            ("0", false),
            ("12a4", false),
            ("4111_1111_1111_1111", false),
        ];
        for &(v, ok) in table {
            assert_eq!(luhn(v), ok, "{v}");
        }
    }

    #[test]
    fn verhoeff_table() {
        let table: &[(&str, bool)] = &[
            ("2363", true),         // Wikipedia: 236 → check 3
            ("1428570", true),      // python-stdnum verhoeff docs
            ("12345678902", true),  // 1234567890 → check 2
            ("234123412346", true), // python-stdnum Aadhaar docs
            ("2364", false),
            ("1428572", false),
            ("2633", false), // transposition caught
            ("0000", false),
            ("2", false),
        ];
        for &(v, ok) in table {
            assert_eq!(verhoeff(v), ok, "{v}");
        }
    }

    #[test]
    fn imei_table() {
        let table: &[(&str, bool)] = &[
            ("35-209900-176148-1", true), // python-stdnum imei docs
            ("490154203237518", true),    // Wikipedia
            ("35 209900 176148 1", true),
            ("35-209900-176148-2", false),
            ("49015420323751", false),   // 14 digits, no check digit
            ("4901542032375186", false), // 16 digits (IMEISV)
            ("000000000000000", false),
            ("35-209900-176148-X", false),
        ];
        for &(v, ok) in table {
            assert_eq!(imei(v), ok, "{v}");
        }
    }

    #[test]
    fn iso7064_helpers() {
        // mod 97-10: the IBAN of ISO 13616's example rearranged, and LEI samples.
        assert_eq!(mod97(b"3214282912345698765432161182"), Some(1));
        assert_eq!(mod97(b"WEST12345698765432GB82"), Some(1));
        assert_eq!(mod97(b"ab"), None);
        // mod 11,10: German IdNr sample from python-stdnum.
        assert!(iso7064_mod11_10_ok(b"36574261809"));
        assert!(!iso7064_mod11_10_ok(b"36574261808"));
        // mod 11-2: ISO 7064 example 0794 → check 0, and a Chinese RIC with X.
        assert!(iso7064_mod11_2_ok(b"07940"));
        assert!(iso7064_mod11_2_ok(b"44011320141005001X"));
        assert!(!iso7064_mod11_2_ok(b"440113201410050019"));
        assert!(!iso7064_mod11_2_ok(b"X"));
        assert!(!iso7064_mod11_2_ok(b""));
    }
}
