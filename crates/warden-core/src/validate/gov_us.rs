//! United States identifiers: Social Security number, ITIN, National Provider Identifier, DEA
//! registration number and Medicare Beneficiary Identifier.

use super::checksum::luhn_ok;
use super::util::{all_same, compact, compact_upper, dv, is_digits, num32, trimmed_ascii};

/// The 9 digits of an `AAA-GG-SSSS` number written without delimiters or with the same delimiter
/// (dash, space or dot) in both places.
fn nine_digits_aaa_gg_ssss(value: &str) -> Option<Vec<u8>> {
    let b = trimmed_ascii(value)?;
    let digits: Vec<u8> = match b.len() {
        9 => b.to_vec(),
        11 if b[3] == b[6] && matches!(b[3], b'-' | b' ' | b'.') => {
            [&b[..3], &b[4..6], &b[7..]].concat()
        }
        _ => return None,
    };
    is_digits(&digits).then_some(digits)
}

/// `us-ssn`: area not 000, 666 or 9xx; group not 00; serial not 0000; not one repeated digit;
/// consistent delimiters; published sample numbers rejected.
pub(crate) fn us_ssn(value: &str) -> bool {
    const SAMPLES: [&[u8]; 4] = [b"078051120", b"219099999", b"457555462", b"123456789"];
    let Some(d) = nine_digits_aaa_gg_ssss(value) else {
        return false;
    };
    let area = &d[..3];
    !(area == b"000" || area == b"666" || area[0] == b'9')
        && &d[3..5] != b"00"
        && &d[5..] != b"0000"
        && !all_same(&d)
        && !SAMPLES.contains(&d.as_slice())
}

/// `us-itin`: 9XX-GG-XXXX with group 50–65, 70–88, 90–92 or 94–99, consistent delimiters.
pub(crate) fn us_itin(value: &str) -> bool {
    let Some(d) = nine_digits_aaa_gg_ssss(value) else {
        return false;
    };
    let group = num32(&d[3..5]).unwrap_or(0);
    d[0] == b'9' && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// `us-npi`: 10 digits starting 1 or 2 (or the 15-digit `80840…` form), Luhn over `80840` + NPI.
pub(crate) fn us_npi(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 15) else {
        return false;
    };
    let npi = match d.len() {
        10 => &d[..],
        15 if d.starts_with(b"80840") => &d[5..],
        _ => return false,
    };
    if !is_digits(npi) || !matches!(npi[0], b'1' | b'2') {
        return false;
    }
    let full = [&b"80840"[..], npi].concat();
    luhn_ok(&full)
}

/// `us-dea`: registrant-type letter, a letter or `9`, 7 digits;
/// (d1 + d3 + d5) + 2·(d2 + d4 + d6) ends in d7.
pub(crate) fn us_dea(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 9) else {
        return false;
    };
    if s.len() != 9 || !b"ABCDEFGHJKLMPRSTUX".contains(&s[0]) {
        return false;
    }
    if !(s[1].is_ascii_uppercase() || s[1] == b'9') || !is_digits(&s[2..]) {
        return false;
    }
    let d: Vec<u32> = s[2..].iter().map(|&c| dv(c)).collect();
    let sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
    sum % 10 == d[6]
}

/// `us-mbi`: 11 characters; position classes N A AN N A AN N A A N N where N is a digit (the first
/// 1–9), A a letter other than S, L, O, I, B, Z, and AN either. Dashes and spaces allowed; upper case.
pub(crate) fn us_mbi(value: &str) -> bool {
    let Some(s) = compact(value, b" -", 11) else {
        return false;
    };
    if s.len() != 11 {
        return false;
    }
    let alpha = |c: u8| c.is_ascii_uppercase() && !b"SLOIBZ".contains(&c);
    let digit = |c: u8| c.is_ascii_digit();
    let classes = b"NAXNAXNAANN";
    s[0] != b'0'
        && s.iter().zip(classes).all(|(&c, &k)| match k {
            b'N' => digit(c),
            b'A' => alpha(c),
            _ => alpha(c) || digit(c),
        })
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
    fn us_ssn_table() {
        run(
            us_ssn,
            &[
                ("536-22-1234", true),
                ("536 22 1234", true),
                ("536.22.1234", true),
                ("536221234", true),
                ("078-05-1120", false), // Woolworth wallet sample
                ("219-09-9999", false), // SSA advertisement sample
                ("457-55-5462", false), // LifeLock sample
                ("123-45-6789", false),
                ("000-12-3456", false),
                ("666-12-3456", false),
                ("900-12-3456", false),
                ("536-00-1234", false),
                ("536-22-0000", false),
                ("111-11-1111", false),
                ("536-22 1234", false), // inconsistent delimiters
                ("536-221234", false),
                ("53-622-1234", false),
                ("536-22-123", false),
            ],
        );
    }

    #[test]
    fn us_itin_table() {
        run(
            us_itin,
            &[
                ("912-70-1234", true),
                ("900-50-0000", true),
                ("999 99 9999", true),
                ("912941234", true),
                ("912-93-1234", false), // group 93 is not an ITIN group
                ("912-49-1234", false),
                ("912-66-1234", false),
                ("812-70-1234", false),
                ("912-70 1234", false),
            ],
        );
    }

    #[test]
    fn us_npi_table() {
        run(
            us_npi,
            &[
                ("1234567893", true), // CMS NPI check digit example
                ("808401234567893", true),
                ("1245319599", true), // Presidio test value
                ("1234567890", false),
                ("3234567891", false), // must start with 1 or 2
                ("123456789", false),
                ("808411234567893", false),
            ],
        );
    }

    #[test]
    fn us_dea_table() {
        run(
            us_dea,
            &[
                ("AP5836727", true), // Wikipedia
                ("AB1234563", true),
                ("MJ1234563", true), // mid-level practitioner
                ("ab1234563", true),
                ("A91234563", true),
                ("AB1234564", false),
                ("IB1234563", false), // I is not a registrant type
                ("AB123456", false),
                ("AB12345631", false),
            ],
        );
    }

    #[test]
    fn us_mbi_table() {
        run(
            us_mbi,
            &[
                ("1EG4-TE5-MK73", true), // CMS example
                ("1EG4TE5MK73", true),
                ("9AA0AA0AA00", true),
                ("1eg4te5mk73", false), // upper case only
                ("0EG4TE5MK73", false),
                ("1SG4TE5MK73", false), // S excluded
                ("1EG4TE5MK7", false),
                ("1EG4TE5M173", false),
            ],
        );
    }
}
