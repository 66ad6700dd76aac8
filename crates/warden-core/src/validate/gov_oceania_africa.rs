//! Identifiers of Australia (tax file number, business number, Medicare card) and South Africa
//! (identity number).

use super::checksum::luhn_ok;
use super::util::{all_same, compact, dv, is_digits, valid_yymmdd_any_century};

/// Weighted digit sum.
fn weighted(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&c, &w)| w * dv(c)).sum()
}

/// `au-tfn`: 9 digits (`123 456 782`), Σ dᵢ·(1,4,3,7,5,8,6,9,10) ≡ 0 (mod 11), not all one digit.
pub(crate) fn au_tfn(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 9) else {
        return false;
    };
    d.len() == 9
        && is_digits(&d)
        && !all_same(&d)
        && weighted(&d, &[1, 4, 3, 7, 5, 8, 6, 9, 10]).is_multiple_of(11)
}

/// `au-abn`: 11 digits (`51 824 753 556`), first digit minus 1, weights 10,1,3,5,…,19, sum ≡ 0
/// (mod 89).
pub(crate) fn au_abn(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 11) else {
        return false;
    };
    if d.len() != 11 || !is_digits(&d) || d[0] == b'0' {
        return false;
    }
    let mut digits = d.clone();
    digits[0] -= 1;
    weighted(&digits, &[10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]).is_multiple_of(89)
}

/// `au-medicare`: 10 digits (card number, issue number) or 11 (with the individual reference), first
/// digit 2–6, 9th digit = Σ first 8 · (1,3,7,9,1,3,7,9) mod 10.
pub(crate) fn au_medicare(value: &str) -> bool {
    let Some(d) = compact(value, b" -/", 11) else {
        return false;
    };
    (10..=11).contains(&d.len())
        && is_digits(&d)
        && (b'2'..=b'6').contains(&d[0])
        && weighted(&d[..8], &[1, 3, 7, 9, 1, 3, 7, 9]) % 10 == dv(d[8])
}

/// `za-id`: 13 digits `YYMMDD SSSS C A Z`: a real birth date, citizenship digit 0–2, Luhn.
pub(crate) fn za_id(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 13) else {
        return false;
    };
    if d.len() != 13 || !is_digits(&d) || !matches!(d[10], b'0'..=b'2') {
        return false;
    }
    let (yy, mm, dd) = (
        dv(d[0]) * 10 + dv(d[1]),
        dv(d[2]) * 10 + dv(d[3]),
        dv(d[4]) * 10 + dv(d[5]),
    );
    valid_yymmdd_any_century(yy, mm, dd) && luhn_ok(&d)
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
    fn au_tfn_table() {
        run(
            au_tfn,
            &[
                ("123 456 782", true), // python-stdnum au.tfn docs
                ("876 543 210", true),
                ("123456782", true),
                ("999 999 999", false),
                ("123 456 781", false),
                ("12345678", false),
                ("000000000", false),
            ],
        );
    }

    #[test]
    fn au_abn_table() {
        run(
            au_abn,
            &[
                ("51 824 753 556", true), // ATO ABN format example
                ("83 914 571 673", true), // python-stdnum au.abn docs
                ("53 004 085 616", true), // Australian Broadcasting Corporation
                ("99 999 999 999", false),
                ("51 824 753 557", false),
                ("01 824 753 556", false),
                ("5182475355", false),
            ],
        );
    }

    #[test]
    fn au_medicare_table() {
        run(
            au_medicare,
            &[
                ("2123 45670 1", true), // Presidio test value
                ("2123456701", true),
                ("21234567011", true),
                ("2123 45671 1", false),
                ("1123 45670 1", false),
                ("7123 45670 1", false),
                ("212345670", false),
            ],
        );
    }

    #[test]
    fn za_id_table() {
        run(
            za_id,
            &[
                ("7503305044089", true), // python-stdnum za.idnr docs
                ("750330 5044 08 9", true),
                ("8001015009087", true), // Wikipedia example
                ("8503305044089", false),
                ("7513305044089", false), // month 13
                ("7503305044389", false), // citizenship digit 3
                ("9125568", false),
            ],
        );
    }
}
