//! National identifiers of northern and central Europe, all built on a birth date: Swedish
//! personnummer, Finnish HETU, Norwegian fødselsnummer, Danish CPR and Polish PESEL.

use super::checksum::luhn_ok;
use super::util::{compact, compact_upper, dv, is_digits, num32, trimmed_ascii, valid_ymd};

/// Two ASCII digits as a number (the caller has checked they are digits).
fn two(b: &[u8]) -> u32 {
    num32(b).unwrap_or(0)
}

/// `se-personnummer`: `YYMMDD-NNNC`, `YYMMDD+NNNC` (over 100), `YYMMDDNNNC` or with a four-digit
/// year; a real birth date (day + 60 for a samordningsnummer) and Luhn over the 10 short digits.
pub(crate) fn se_personnummer(value: &str) -> bool {
    let Some(b) = trimmed_ascii(value) else {
        return false;
    };
    let mut d: Vec<u8> = b.to_vec();
    if d.len() == 11 || d.len() == 13 {
        let sep = d.len() - 5;
        if !matches!(d[sep], b'-' | b'+' | b' ') {
            return false;
        }
        d.remove(sep);
    }
    if !is_digits(&d) {
        return false;
    }
    let (century, short) = match d.len() {
        10 => (None, &d[..]),
        12 => (Some(two(&d[..2])), &d[2..]),
        _ => return false,
    };
    let (yy, mm, dd) = (two(&short[..2]), two(&short[2..4]), two(&short[4..6]));
    let dd = if dd > 60 { dd - 60 } else { dd };
    let date_ok = match century {
        Some(c @ 18..=20) => valid_ymd(c * 100 + yy, mm, dd),
        Some(_) => false,
        // Without the century, 2000 + yy has the right leap years for every year but 1900.
        None => valid_ymd(2000 + yy, mm, dd),
    };
    date_ok && luhn_ok(short)
}

/// `fi-hetu`: `DDMMYYCZZZQ` with century sign C (`+` 1800s; `-`, Y, X, W, V, U 1900s; A–F 2000s),
/// a real date, individual number 002–999 and check character = number mod 31.
pub(crate) fn fi_hetu(value: &str) -> bool {
    let Some(s) = compact_upper(value, b"", 11) else {
        return false;
    };
    if s.len() != 11 || !is_digits(&s[..6]) || !is_digits(&s[7..10]) {
        return false;
    }
    let century = match s[6] {
        b'+' => 1800,
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
        b'A'..=b'F' => 2000,
        _ => return false,
    };
    if !valid_ymd(century + two(&s[4..6]), two(&s[2..4]), two(&s[..2])) {
        return false;
    }
    let individual = num32(&s[7..10]).unwrap_or(0);
    if individual < 2 {
        return false;
    }
    let n = num32(&[&s[..6], &s[7..10]].concat()).unwrap_or(0);
    b"0123456789ABCDEFHJKLMNPRSTUVWXY".get((n % 31) as usize) == Some(&s[10])
}

/// Norwegian mod 11 check digit with the given weights; `None` when the remainder gives 10.
fn no_check(d: &[u8], weights: &[u32]) -> Option<u32> {
    let sum: u32 = d.iter().zip(weights).map(|(&c, &w)| w * dv(c)).sum();
    match (11 - sum % 11) % 11 {
        10 => None,
        c => Some(c),
    }
}

/// `no-fnr`: 11 digits `DDMMYY IIIKK`; two mod-11 check digits and a real birth date (D-numbers add
/// 40 to the day, H-numbers 40 to the month; FH-numbers, day ≥ 80, carry no date).
pub(crate) fn no_fnr(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 11) else {
        return false;
    };
    if d.len() != 11 || !is_digits(&d) {
        return false;
    }
    if no_check(&d[..9], &[3, 7, 6, 1, 8, 9, 4, 5, 2]) != Some(dv(d[9]))
        || no_check(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) != Some(dv(d[10]))
    {
        return false;
    }
    let (mut day, mut month, yy) = (two(&d[..2]), two(&d[2..4]), two(&d[4..6]));
    if day >= 80 {
        return true;
    }
    if day > 40 {
        day -= 40;
    }
    if month > 40 {
        month -= 40;
    }
    let individual = num32(&d[6..9]).unwrap_or(0);
    let year = match individual {
        0..=499 => 1900 + yy,
        500..=749 if yy >= 54 => 1800 + yy,
        500..=999 if yy < 40 => 2000 + yy,
        900..=999 if yy >= 40 => 1900 + yy,
        _ => return false,
    };
    valid_ymd(year, month, day)
}

/// `dk-cpr`: 10 digits `DDMMYY-SSSS` whose date exists in the century the 7th digit implies. The
/// old mod-11 check is not applied: CPR numbers issued since 2007 need not satisfy it.
pub(crate) fn dk_cpr(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 10) else {
        return false;
    };
    if d.len() != 10 || !is_digits(&d) {
        return false;
    }
    let (day, month, yy) = (two(&d[..2]), two(&d[2..4]), two(&d[4..6]));
    let year = match d[6] {
        b'5'..=b'8' if yy >= 58 => 1800 + yy,
        b'0'..=b'3' => 1900 + yy,
        b'4' | b'9' if yy >= 37 => 1900 + yy,
        _ => 2000 + yy,
    };
    valid_ymd(year, month, day)
}

/// `pl-pesel`: 11 digits `YYMMDDZZZXQ`; the month carries the century (+80 1800s, +0 1900s,
/// +20 2000s, +40 2100s, +60 2200s), the date is real, and Σ dᵢ·(1,3,7,9,1,3,7,9,1,3) + Q ≡ 0 (mod 10).
pub(crate) fn pl_pesel(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 11) else {
        return false;
    };
    if d.len() != 11 || !is_digits(&d) || d.iter().all(|&c| c == b'0') {
        return false;
    }
    let (yy, mm, dd) = (two(&d[..2]), two(&d[2..4]), two(&d[4..6]));
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return false,
    };
    if !valid_ymd(century + yy, month, dd) {
        return false;
    }
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = d[..10].iter().zip(W).map(|(&c, w)| w * dv(c)).sum();
    (10 - sum % 10) % 10 == dv(d[10])
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
    fn se_personnummer_table() {
        run(
            se_personnummer,
            &[
                ("880320-0016", true), // python-stdnum se.personnummer docs
                ("8803200016", true),
                ("19880320-0016", true),
                ("198803200016", true),
                ("880320+0016", true),
                ("811228-9874", true), // Skatteverket example
                ("701063-2391", true), // samordningsnummer (day 63 = 3rd)
                ("880320-0018", false),
                ("881320-0016", false), // month 13
                ("17880320-0016", false),
                ("880320/0016", false),
                ("88032-00016", false),
            ],
        );
    }

    #[test]
    fn fi_hetu_table() {
        run(
            fi_hetu,
            &[
                ("131052-308T", true), // python-stdnum fi.hetu tests
                ("131052+308T", true),
                ("131052A308T", true),
                ("131052a308t", true),
                ("131052-9993", true), // temporary number (900–999), still personal data
                ("131052-308U", false),
                ("131052/308T", false),
                ("131052T308T", false),
                ("310252-308Y", false), // 31 February
                ("130052-308R", false), // month 0
                ("131052-000V", false), // individual number below 002
                ("10101-0101", false),
            ],
        );
    }

    #[test]
    fn no_fnr_table() {
        run(
            no_fnr,
            &[
                ("151086 95088", true), // python-stdnum no.fodselsnummer docs
                ("15108695088", true),
                ("15108695077", false),
                ("1510869508", false),
                ("00000000000", false),
            ],
        );
    }

    #[test]
    fn dk_cpr_table() {
        run(
            dk_cpr,
            &[
                ("211062-5629", true), // python-stdnum dk.cpr docs
                ("2110625629", true),
                ("0101004000", true),   // 7th digit 4 with year 00 → 2000
                ("511062-5629", false), // day 51
                ("290201-1234", false), // 29 February 1901
                ("211362-5629", false),
                ("211062-562", false),
            ],
        );
    }

    #[test]
    fn pl_pesel_table() {
        run(
            pl_pesel,
            &[
                ("44051401359", true), // Wikipedia / python-stdnum pl.pesel docs
                ("02070803628", true), // born 1902-07-08
                ("02270803624", true), // born 2002-07-08 (month + 20)
                ("44051401358", false),
                ("44053201359", false), // 32 May
                ("44131401359", false), // month 13
                ("4405140135", false),
                ("00000000000", false),
            ],
        );
    }
}
