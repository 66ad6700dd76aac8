//! National identifiers of Asia and the Middle East: Indian Aadhaar and PAN, Chinese RIC, Korean
//! RRN, Japanese My Number, Singapore NRIC/FIN, Israeli ID, Turkish T.C. Kimlik No.

use super::checksum::{iso7064_mod11_2_ok, luhn_ok, verhoeff_ok};
use super::util::{all_same, compact, compact_upper, dv, is_digits, num32, valid_ymd};

/// `in-aadhaar`: 12 digits (`2341 2341 2346`), first digit 2–9, not a palindrome, Verhoeff.
pub(crate) fn in_aadhaar(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 12) else {
        return false;
    };
    d.len() == 12
        && is_digits(&d)
        && d[0] >= b'2'
        && !d.iter().eq(d.iter().rev())
        && verhoeff_ok(&d)
}

/// `in-pan`: 5 letters, 4 digits (not 0000), 1 letter; the 4th letter is a holder type
/// (A, B, C, F, G, H, J, L, P, T, K, E). Upper case only: there is no check digit.
pub(crate) fn in_pan(value: &str) -> bool {
    let Some(s) = compact(value, b" ", 10) else {
        return false;
    };
    s.len() == 10
        && s[..5].iter().all(u8::is_ascii_uppercase)
        && is_digits(&s[5..9])
        && &s[5..9] != b"0000"
        && s[9].is_ascii_uppercase()
        && b"ABCFGHJLPTKE".contains(&s[3])
}

/// `cn-ric`: 17 digits and a check character (0–9 or X); region first digit 1–9, a real birth date
/// YYYYMMDD (1850–2099) and ISO 7064 mod 11-2.
pub(crate) fn cn_ric(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 18) else {
        return false;
    };
    if s.len() != 18 || !is_digits(&s[..17]) || s[0] == b'0' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (num32(&s[6..10]), num32(&s[10..12]), num32(&s[12..14]))
    else {
        return false;
    };
    (1850..=2099).contains(&year) && valid_ymd(year, month, day) && iso7064_mod11_2_ok(&s)
}

/// `kr-rrn`: 13 digits `YYMMDD-SBBBBNC`; the 7th digit gives sex and century, the date is real,
/// the place code ≤ 96 and C = (11 − Σ wᵢdᵢ mod 11) mod 10 with weights 2–9, 2–5. (Numbers issued
/// since October 2020 have random trailing digits and are not accepted.)
pub(crate) fn kr_rrn(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 13) else {
        return false;
    };
    if d.len() != 13 || !is_digits(&d) {
        return false;
    }
    let century = match d[6] {
        b'1' | b'2' | b'5' | b'6' => 1900,
        b'3' | b'4' | b'7' | b'8' => 2000,
        _ => 1800,
    };
    let (yy, mm, dd) = (
        dv(d[0]) * 10 + dv(d[1]),
        dv(d[2]) * 10 + dv(d[3]),
        dv(d[4]) * 10 + dv(d[5]),
    );
    if !valid_ymd(century + yy, mm, dd) || dv(d[7]) * 10 + dv(d[8]) > 96 {
        return false;
    }
    const W: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    let sum: u32 = d[..12].iter().zip(W).map(|(&c, w)| w * dv(c)).sum();
    (11 - sum % 11) % 10 == dv(d[12])
}

/// `jp-my-number`: 12 digits; check = 11 − (Σ weights 6,5,4,3,2,7,6,5,4,3,2 mod 11), 0 when that
/// remainder is 0 or 1.
pub(crate) fn jp_my_number(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 12) else {
        return false;
    };
    if d.len() != 12 || !is_digits(&d) || all_same(&d) {
        return false;
    }
    const W: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = d[..11].iter().zip(W).map(|(&c, w)| w * dv(c)).sum();
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    check == dv(d[11])
}

/// `sg-nric`: S/T (citizens), F/G (foreigners) or M, 7 digits and the check letter; weights
/// 2,7,6,5,4,3,2, offset 4 for T and G, 3 for M.
pub(crate) fn sg_nric(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" ", 9) else {
        return false;
    };
    if s.len() != 9 || !is_digits(&s[1..8]) {
        return false;
    }
    const W: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = s[1..8].iter().zip(W).map(|(&c, w)| w * dv(c)).sum();
    let (offset, table): (u32, &[u8; 11]) = match s[0] {
        b'S' => (0, b"JZIHGFEDCBA"),
        b'T' => (4, b"JZIHGFEDCBA"),
        b'F' => (0, b"XWUTRQPNMLK"),
        b'G' => (4, b"XWUTRQPNMLK"),
        b'M' => (3, b"XWUTRQPNJLK"),
        _ => return false,
    };
    table[((sum + offset) % 11) as usize] == s[8]
}

/// `il-id`: Israeli identity number, 9 digits (8 are zero-padded), Luhn-style check, not zero.
pub(crate) fn il_id(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 9) else {
        return false;
    };
    if !(8..=9).contains(&d.len()) || !is_digits(&d) || d.iter().all(|&c| c == b'0') {
        return false;
    }
    let padded: Vec<u8> = std::iter::repeat_n(b'0', 9 - d.len())
        .chain(d.iter().copied())
        .collect();
    luhn_ok(&padded)
}

/// `tr-tckn`: 11 digits, first not 0; d10 = (7·(d1+d3+d5+d7+d9) − (d2+d4+d6+d8)) mod 10 and
/// d11 = (d1+…+d10) mod 10.
pub(crate) fn tr_tckn(value: &str) -> bool {
    let Some(d) = compact(value, b" ", 11) else {
        return false;
    };
    if d.len() != 11 || !is_digits(&d) || d[0] == b'0' {
        return false;
    }
    let v: Vec<i32> = d.iter().map(|&c| i32::from(c - b'0')).collect();
    let odd = v[0] + v[2] + v[4] + v[6] + v[8];
    let even = v[1] + v[3] + v[5] + v[7];
    let d10 = (odd * 7 - even).rem_euclid(10);
    let d11 = v[..10].iter().sum::<i32>() % 10;
    d10 == v[9] && d11 == v[10]
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
    fn in_aadhaar_table() {
        run(
            in_aadhaar,
            &[
                ("234123412346", true), // python-stdnum in_.aadhaar docs
                ("2341 2341 2346", true),
                ("234123412347", false),
                ("123412341234", false), // first digit 1
                ("643343121", false),
                ("999911119999", false), // palindrome
            ],
        );
    }

    #[test]
    fn in_pan_table() {
        run(
            in_pan,
            &[
                ("ACUPA7085R", true), // python-stdnum in_.pan docs
                ("AAACB1234C", true), // company
                ("ACUPA0000R", false),
                ("ACUZA7085R", false), // Z is not a holder type
                ("ACUPA7085", false),
                ("acupa7085r", false),
                ("1CUPA7085R", false),
            ],
        );
    }

    #[test]
    fn cn_ric_table() {
        run(
            cn_ric,
            &[
                ("360426199101010071", true), // python-stdnum cn.ric tests
                ("44011320141005001x", true),
                ("11010519491231002X", true), // GB 11643 example
                ("36042619910102009X", false),
                ("360426199113010079", false), // month 13
                ("T60426199101010078", false),
                ("36042619910101007", false),
            ],
        );
    }

    #[test]
    fn kr_rrn_table() {
        run(
            kr_rrn,
            &[
                ("971013-9019902", true), // python-stdnum kr.rrn docs
                ("9710139019902", true),
                ("971013-9019903", false),
                ("971313-9019902", false), // month 13
                ("971013-901990", false),
            ],
        );
    }

    #[test]
    fn jp_my_number_table() {
        run(
            jp_my_number,
            &[
                ("6214 9832 0257", true), // python-stdnum jp.in_ docs
                ("621498320257", true),
                ("6214 9832 0258", false),
                ("6214 9832 025X", false),
                ("000000000000", false),
            ],
        );
    }

    #[test]
    fn sg_nric_table() {
        run(
            sg_nric,
            &[
                ("S1234567D", true),
                ("T1234567J", true),
                ("F1234567N", true),
                ("G1234567X", true),
                ("M1234567K", true),
                ("s1234567d", true),
                ("S1234567A", false),
                ("A1234567D", false),
                ("S123456D", false),
            ],
        );
    }

    #[test]
    fn il_id_table() {
        run(
            il_id,
            &[
                ("039337423", true), // python-stdnum il.idnr docs
                ("3933742-3", true),
                ("123456782", true),
                ("039337422", false),
                ("000000000", false),
                ("1234567", false),
            ],
        );
    }

    #[test]
    fn tr_tckn_table() {
        run(
            tr_tckn,
            &[
                ("17291716060", true), // python-stdnum tr.tckimlik docs
                ("10000000146", true), // well-known test number
                ("17291716050", false),
                ("07291716060", false),
                ("1729171606", false),
            ],
        );
    }
}
