//! National identifiers of continental western Europe: German Steuer-IdNr, Dutch BSN, Spanish
//! DNI and NIE, Italian codice fiscale, French NIR, Belgian national number.

use super::checksum::iso7064_mod11_10_ok;
use super::util::{all_same, compact, compact_upper, dv, is_digits, num, num32, valid_ymd};

/// `de-steuer-id`: 11 digits, first not 0; in the first 10 exactly one digit occurs twice or three
/// times (never three in a row) and the rest at most once; ISO 7064 mod 11,10.
pub(crate) fn de_steuer_id(value: &str) -> bool {
    let Some(d) = compact(value, b" -./", 11) else {
        return false;
    };
    if d.len() != 11 || !is_digits(&d) || d[0] == b'0' {
        return false;
    }
    let mut counts = [0u8; 10];
    for &c in &d[..10] {
        counts[(dv(c) % 10) as usize] += 1;
    }
    let repeated: Vec<u8> = counts.iter().copied().filter(|&n| n > 1).collect();
    if repeated.len() != 1 || !matches!(repeated[0], 2 | 3) {
        return false;
    }
    if d[..10].windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return false;
    }
    iso7064_mod11_10_ok(&d)
}

/// `nl-bsn`: 9 digits (8 are zero-padded), 11-proof: Σ dᵢ·(9..2) − d₉ ≡ 0 (mod 11), not zero.
pub(crate) fn nl_bsn(value: &str) -> bool {
    let Some(d) = compact(value, b" -.", 9) else {
        return false;
    };
    if !(8..=9).contains(&d.len()) || !is_digits(&d) {
        return false;
    }
    let padded: Vec<u8> = std::iter::repeat_n(b'0', 9 - d.len())
        .chain(d.iter().copied())
        .collect();
    if padded.iter().all(|&c| c == b'0') {
        return false;
    }
    let sum: i64 = padded[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&c, w)| w * i64::from(dv(c)))
        .sum::<i64>()
        - i64::from(dv(padded[8]));
    sum.rem_euclid(11) == 0
}

/// The Spanish control letters, indexed by number mod 23.
const ES_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// `es-dni`: 8 digits and the mod-23 control letter (`54362315-K`).
pub(crate) fn es_dni(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -.", 9) else {
        return false;
    };
    if s.len() != 9 || all_same(&s[..8]) {
        return false;
    }
    let Some(n) = num32(&s[..8]) else {
        return false;
    };
    ES_LETTERS[(n % 23) as usize] == s[8]
}

/// `es-nie`: X, Y or Z (read as 0, 1, 2), 7 digits and the mod-23 control letter (`X-2482300W`).
pub(crate) fn es_nie(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -.", 9) else {
        return false;
    };
    if s.len() != 9 {
        return false;
    }
    let lead = match s[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    let Some(n) = num32(&s[1..8]) else {
        return false;
    };
    ES_LETTERS[((lead * 10_000_000 + n) % 23) as usize] == s[8]
}

/// Value of a character in an odd (1st, 3rd, …) position of a codice fiscale.
const CF_ODD: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// `it-codice-fiscale`: 6 letters, birth year, month letter, day (+40 for women), place code and
/// the check letter; digits may be replaced by LMNPQRSTUV (omocodia).
pub(crate) fn it_codice_fiscale(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 16) else {
        return false;
    };
    if s.len() != 16 || !s.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    // Positions that hold digits (possibly omocodia letters).
    const NUMERIC: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
    let mut digits = [0u32; 16];
    for (i, &c) in s.iter().enumerate() {
        if NUMERIC.contains(&i) {
            digits[i] = if c.is_ascii_digit() {
                dv(c)
            } else {
                match b"LMNPQRSTUV".iter().position(|&o| o == c) {
                    Some(p) => p as u32,
                    None => return false,
                }
            };
        } else if !c.is_ascii_uppercase() {
            return false;
        }
    }
    let Some(month) = b"ABCDEHLMPRST".iter().position(|&m| m == s[8]) else {
        return false;
    };
    let day = digits[9] * 10 + digits[10];
    let day = if day > 40 { day - 40 } else { day };
    // The year has two digits; 2000 is a leap year, so any real day of the month passes here.
    if !valid_ymd(2000 + digits[6] * 10 + digits[7], month as u32 + 1, day) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in s[..15].iter().enumerate() {
        // Digits 0–9 count like the letters A–J in both tables.
        let idx = if c.is_ascii_digit() {
            dv(c)
        } else {
            u32::from(c - b'A')
        };
        sum += if i % 2 == 0 {
            CF_ODD[idx as usize]
        } else {
            idx
        };
    }
    u32::from(s[15] - b'A') == sum % 26
}

/// `fr-nir`: sex digit, birth year and month, department (digits, or 2A/2B for Corsica), commune,
/// order number and key = 97 − (first 13 digits mod 97), with 2A → 19 and 2B → 18.
pub(crate) fn fr_nir(value: &str) -> bool {
    let Some(mut s) = compact_upper(value, b" .-", 15) else {
        return false;
    };
    if s.len() != 15 || !matches!(s[0], b'1'..=b'4' | b'7' | b'8') {
        return false;
    }
    match &s[5..7] {
        b"2A" => s[5..7].copy_from_slice(b"19"),
        b"2B" => s[5..7].copy_from_slice(b"18"),
        _ => {}
    }
    let (Some(body), Some(key)) = (num(&s[..13]), num(&s[13..])) else {
        return false;
    };
    let month = num(&s[3..5]).unwrap_or(0);
    if !matches!(month, 1..=12 | 20..=42 | 50..=99) {
        return false;
    }
    key == 97 - body % 97
}

/// `be-nrn`: 11 digits `YY.MM.DD-SSS.CC`; CC = 97 − (first 9 digits mod 97), with a `2` prefixed for
/// people born from 2000. The month may be 0 (unknown) or +20/+40 (BIS numbers), the day 0.
pub(crate) fn be_nrn(value: &str) -> bool {
    let Some(d) = compact(value, b" .-", 11) else {
        return false;
    };
    if d.len() != 11 || !is_digits(&d) || d.iter().all(|&c| c == b'0') {
        return false;
    }
    let (Some(body), Some(check)) = (num(&d[..9]), num(&d[9..])) else {
        return false;
    };
    let century = if 97 - body % 97 == check {
        1900
    } else if 97 - (2_000_000_000 + body) % 97 == check {
        2000
    } else {
        return false;
    };
    let yy = dv(d[0]) * 10 + dv(d[1]);
    let mm = dv(d[2]) * 10 + dv(d[3]);
    let dd = dv(d[4]) * 10 + dv(d[5]);
    let month = match mm {
        0..=12 => mm,
        20..=32 => mm - 20,
        40..=52 => mm - 40,
        _ => return false,
    };
    month == 0 || dd == 0 || valid_ymd(century + yy, month, dd)
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
    fn de_steuer_id_table() {
        run(
            de_steuer_id,
            &[
                ("36 574 261 809", true), // python-stdnum de.idnr docs
                ("11234567890", true),    // python-stdnum tests: one digit twice
                ("11123456786", false),   // three in a row (BZSt rule)
                ("12345678903", false),   // each digit once
                ("11112345678", false),   // four times
                ("11223456785", false),   // two digits repeated
                ("01234567896", false),
                ("36574261808", false),
                ("3657426180", false),
            ],
        );
    }

    #[test]
    fn nl_bsn_table() {
        run(
            nl_bsn,
            &[
                ("1112.22.333", true), // python-stdnum nl.bsn docs
                ("111222333", true),
                ("123456782", true),
                ("11122233", false),
                ("111222334", false),
                ("000000000", false),
                ("1112223333", false),
            ],
        );
    }

    #[test]
    fn es_dni_nie_table() {
        run(
            es_dni,
            &[
                ("54362315-K", true), // python-stdnum es.dni docs
                ("54362315K", true),
                ("12345678z", true),
                ("54362315Z", false),
                ("5436231-K", false),
                ("00000000T", false),
            ],
        );
        run(
            es_nie,
            &[
                ("X-2482300W", true), // python-stdnum es.nie docs
                ("x2482300w", true),
                ("Y1234567X", true),
                ("X-2482300A", false),
                ("A-2482300W", false),
                ("X248230W", false),
            ],
        );
    }

    #[test]
    fn it_codice_fiscale_table() {
        run(
            it_codice_fiscale,
            &[
                ("RCCMNL83S18D969H", true),  // python-stdnum it.codicefiscale docs
                ("MRTMTT91D08F205J", true),  // Presidio test value
                ("RCCMNL83S58D969L", true),  // same with day + 40
                ("RCCMNLUPSLRDRVNH", false), // omocodia gone too far: bad check
                ("RCCMNL83S18D969X", false),
                ("RCCMNL83S18D969", false),
                ("RCCMNL83Z18D969H", false), // Z is not a month letter
                ("RCCMNL83S32D969H", false), // day 32
            ],
        );
    }

    #[test]
    fn fr_nir_table() {
        run(
            fr_nir,
            &[
                ("2 95 10 99 126 111 93", true), // python-stdnum fr.nir docs
                ("295109912611193", true),
                ("1 69 05 2A 101 001 89", true), // Corsica: key computed with 2A → 19
                ("1 69 05 2A 101 001 50", false),
                ("2 95 10 99 126 111 94", false),
                ("5 95 10 99 126 111 93", false),
                ("2 95 00 99 126 111 93", false),
                ("2 95 10 99 126 111 9", false),
            ],
        );
    }

    #[test]
    fn be_nrn_table() {
        run(
            be_nrn,
            &[
                ("85.07.30-033.28", true), // python-stdnum be.nn docs
                ("85 07 30 033 28", true),
                ("17 07 30 033 84", true), // born 2017
                ("00000100166", true),     // unknown date of birth
                ("12345678901", false),
                ("85133000105", false), // month 13
                ("85.07.30-033.29", false),
                ("00000000000", false),
            ],
        );
    }
}
