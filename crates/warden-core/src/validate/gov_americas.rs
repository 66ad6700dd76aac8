//! National identifiers of the Americas outside the US: Canadian SIN, Brazilian CPF and CNPJ,
//! Chilean RUT, Mexican CURP.

use super::checksum::luhn_ok;
use super::util::{all_same, compact, compact_upper, dv, is_digits, valid_ymd};
/// `ca-sin`: 9 digits (spaces, dashes allowed), first digit not 0 or 8, Luhn.
pub(crate) fn ca_sin(value: &str) -> bool {
    let Some(d) = compact(value, b" -.", 9) else {
        return false;
    };
    d.len() == 9 && is_digits(&d) && d[0] != b'0' && d[0] != b'8' && !all_same(&d) && luhn_ok(&d)
}

/// Brazilian mod 11 check digit: weights run down from `first_weight` to 2, then 0 if the
/// remainder is below 2, else 11 − remainder. Characters count as their code − 48 (so the 2026
/// alphanumeric CNPJ letters work too).
fn br_mod11(body: &[u8], weights: &[u32]) -> u32 {
    let sum: u32 = body
        .iter()
        .zip(weights)
        .map(|(&c, &w)| w * u32::from(c.wrapping_sub(b'0')))
        .sum();
    let r = sum % 11;
    if r < 2 { 0 } else { 11 - r }
}

/// `br-cpf`: 11 digits (`000.000.000-00`), two mod-11 check digits, not all one digit.
pub(crate) fn br_cpf(value: &str) -> bool {
    let Some(d) = compact(value, b" .-/", 11) else {
        return false;
    };
    if d.len() != 11 || !is_digits(&d) || all_same(&d) {
        return false;
    }
    let d1 = br_mod11(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]);
    let d2 = br_mod11(&d[..10], &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    dv(d[9]) == d1 && dv(d[10]) == d2
}

/// `br-cnpj`: 14 characters (`00.000.000/0000-00`), the first 12 digits or (since 2026) upper-case
/// letters, two mod-11 check digits, not all one digit.
pub(crate) fn br_cnpj(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" .-/", 14) else {
        return false;
    };
    if s.len() != 14
        || !s[..12].iter().all(u8::is_ascii_alphanumeric)
        || !is_digits(&s[12..])
        || all_same(&s)
    {
        return false;
    }
    const W1: [u32; 12] = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const W2: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    dv(s[12]) == br_mod11(&s[..12], &W1) && dv(s[13]) == br_mod11(&s[..13], &W2)
}

/// `cl-rut`: 7–8 digits and a check character 0–9 or K (`12.345.678-5`); mod 11 with weights
/// 2–7 from the right, 11 → 0, 10 → K.
pub(crate) fn cl_rut(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" .-", 9) else {
        return false;
    };
    let Some((&check, body)) = s.split_last() else {
        return false;
    };
    if !(7..=8).contains(&body.len()) || !is_digits(body) || all_same(body) {
        return false;
    }
    let sum: u32 = body
        .iter()
        .rev()
        .zip([2u32, 3, 4, 5, 6, 7].iter().cycle())
        .map(|(&c, &w)| w * dv(c))
        .sum();
    let expected = match 11 - sum % 11 {
        11 => b'0',
        10 => b'K',
        n => b'0' + n as u8,
    };
    check == expected
}

/// CURP state codes (two letters), plus `NE` for people born abroad.
const CURP_STATES: &[u8] = b"ASBCBSCCCLCMCSCHDFDGGTGRHGJCMCMNMSNTNLOCPLQTQRSPSLSRTCTSTLVZYNZSNE";

/// First four letters never issued (they are replaced because they spell words).
const CURP_BLOCKED: &str = "BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA \
CULO FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO \
LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO \
PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY";

/// `mx-curp`: 4 letters, birth date YYMMDD, sex H/M/X, state code, 3 consonants, a homoclave
/// (digit before 2000, letter after) and a check digit.
pub(crate) fn mx_curp(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 18) else {
        return false;
    };
    if s.len() != 18
        || !s[..4].iter().all(u8::is_ascii_uppercase)
        || !is_digits(&s[4..10])
        || !s[10..16].iter().all(u8::is_ascii_uppercase)
        || !s[16].is_ascii_alphanumeric()
        || !s[17].is_ascii_digit()
    {
        return false;
    }
    if CURP_BLOCKED.split(' ').any(|w| w.as_bytes() == &s[..4])
        || !matches!(s[10], b'H' | b'M' | b'X')
    {
        return false;
    }
    if !CURP_STATES.chunks(2).any(|st| st == &s[11..13]) {
        return false;
    }
    let century = if s[16].is_ascii_digit() { 1900 } else { 2000 };
    let (yy, mm, dd) = (
        dv(s[4]) * 10 + dv(s[5]),
        dv(s[6]) * 10 + dv(s[7]),
        dv(s[8]) * 10 + dv(s[9]),
    );
    if !valid_ymd(century + yy, mm, dd) {
        return false;
    }
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ";
    let mut sum = 0u32;
    for (i, c) in s[..17].iter().enumerate() {
        let Some(v) = ALPHABET.iter().position(|a| a == c) else {
            return false;
        };
        sum += v as u32 * (18 - i as u32);
    }
    (10 - sum % 10) % 10 == dv(s[17])
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
    fn ca_sin_table() {
        run(
            ca_sin,
            &[
                ("123-456-782", true), // python-stdnum ca.sin docs
                ("123 456 782", true),
                ("130692544", true),    // Presidio test value
                ("046 454 286", false), // well-known sample, but starts with 0
                ("123-456-783", false),
                ("812-345-678", false),
                ("999-999-999", false),
                ("12345678", false),
            ],
        );
    }

    #[test]
    fn br_cpf_table() {
        run(
            br_cpf,
            &[
                ("390.533.447-05", true), // python-stdnum br.cpf docs
                ("39053344705", true),
                ("231.002.999-00", false), // python-stdnum br.cpf docs: bad checksum
                ("529.982.247-25", true),
                ("390.533.447=05", false),
                ("111.111.111-11", false),
                ("000.000.000-00", false),
                ("390.533.447-0", false),
            ],
        );
    }

    #[test]
    fn br_cnpj_table() {
        run(
            br_cnpj,
            &[
                ("16.727.230/0001-97", true), // python-stdnum br.cnpj docs
                ("16727230000197", true),
                ("11.222.333/0001-81", true),
                ("12.ABC.345/01DE-35", true), // Receita Federal alphanumeric example
                ("16.727.230.0001-98", false),
                ("16.727.230/0001=97", false),
                ("11.111.111/1111-11", false),
                ("12.ABC.345/01DE-34", false),
            ],
        );
    }

    #[test]
    fn cl_rut_table() {
        run(
            cl_rut,
            &[
                ("76086428-5", true), // python-stdnum cl.rut docs
                ("12.531.909-2", true),
                ("10626628-K", true), // python-stdnum test list
                ("9334748-k", true),
                ("99595090-1", true),
                ("76086428-4", false),
                ("12531909-K", false),
                ("1253190-2", false),
                ("11111111-1", false),
            ],
        );
    }

    #[test]
    fn mx_curp_table() {
        run(
            mx_curp,
            &[
                ("BOXW310820HNERXN09", true), // python-stdnum mx.curp docs
                ("boxw310820hnerxn09", true),
                ("BOXW310820HNERXN08", false),
                ("BOXW311320HNERXN09", false), // month 13
                ("BOXW310820HXXRXN09", false), // unknown state
                ("BOXW310820ZNERXN09", false), // sex
                ("PUTA310820HNERXN09", false), // blocked word
                ("BOXW310820HNERXN0", false),
            ],
        );
    }
}
