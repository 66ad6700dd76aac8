//! United Kingdom identifiers: NHS number, National Insurance number (NINO) and Unique Taxpayer
//! Reference (UTR).

use super::util::{all_same, compact, compact_upper, dv, is_digits};

/// `uk-nhs`: 10 digits (`943 476 5919`), weights 10..2, check = 11 − (sum mod 11), 11 → 0, 10 invalid.
pub(crate) fn uk_nhs(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 10) else {
        return false;
    };
    if d.len() != 10 || !is_digits(&d) || all_same(&d) {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(&c, w)| w * dv(c))
        .sum();
    match 11 - sum % 11 {
        10 => false,
        11 => d[9] == b'0',
        check => dv(d[9]) == check,
    }
}

/// `uk-nino`: two prefix letters, 6 digits and a suffix A–D (spaces allowed, upper case). The first
/// letter is not D, F, I, Q, U or V; the second not D, F, I, O, Q, U or V; BG, GB, KN, NK, NT, TN
/// and ZZ are never issued.
pub(crate) fn uk_nino(value: &str) -> bool {
    let Some(s) = compact(value, b" ", 9) else {
        return false;
    };
    if s.len() != 9 || !is_digits(&s[2..8]) || !matches!(s[8], b'A'..=b'D') {
        return false;
    }
    let (a, b) = (s[0], s[1]);
    if !a.is_ascii_uppercase()
        || !b.is_ascii_uppercase()
        || b"DFIQUV".contains(&a)
        || b"DFIOQUV".contains(&b)
    {
        return false;
    }
    !matches!(
        &s[..2],
        b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
    )
}

/// `uk-utr`: 10 digits (or 13, of which the last 10 count), optionally with a leading or trailing
/// K; the first digit is the check digit over the other nine (weights 6,7,8,9,10,5,4,3,2).
pub(crate) fn uk_utr(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" ", 14) else {
        return false;
    };
    let s = s
        .strip_prefix(b"K")
        .or_else(|| s.strip_suffix(b"K"))
        .unwrap_or(&s);
    if !(s.len() == 10 || s.len() == 13) || !is_digits(s) {
        return false;
    }
    let utr = &s[s.len() - 10..];
    if all_same(utr) {
        return false;
    }
    const W: [u32; 9] = [6, 7, 8, 9, 10, 5, 4, 3, 2];
    let sum: u32 = utr[1..].iter().zip(W).map(|(&c, w)| w * dv(c)).sum();
    b"21987654321".get((sum % 11) as usize) == Some(&utr[0])
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
    fn uk_nhs_table() {
        run(
            uk_nhs,
            &[
                ("943 476 5919", true), // NHS Digital test number (python-stdnum gb.nhs docs)
                ("9434765919", true),
                ("401-023-2137", true), // Presidio test value
                ("943 476 5918", false),
                ("943 476 591", false),
                ("0000000000", false),
                ("1234567890", false), // check would be 10
            ],
        );
    }

    #[test]
    fn uk_nino_table() {
        run(
            uk_nino,
            &[
                ("AB 12 34 56 C", true),
                ("AB123456C", true),
                ("JG103759A", true),
                ("CE 10 37 59 D", true),
                ("QQ 12 34 56 C", false), // HMRC's documentation sample: Q is never a first letter
                ("DA123456A", false),
                ("AO123456A", false),
                ("GB123456A", false),
                ("NT123456A", false),
                ("ZZ123456A", false),
                ("AB123456E", false),
                ("AB123456", false),
                ("ab123456c", false),
            ],
        );
    }

    #[test]
    fn uk_utr_table() {
        run(
            uk_utr,
            &[
                ("1955839661", true), // python-stdnum gb.utr docs
                ("19558 39661", true),
                ("K1955839661", true),
                ("1955839661K", true),
                ("1231955839661", true), // 13-digit form: last 10 count
                ("2955839661", false),
                ("195583966", false),
                ("1111111111", false),
            ],
        );
    }
}
