//! Contact and free-text values: e-mail addresses, phone numbers, calendar dates and the
//! letter-and-digit mix used to keep generic-secret rules off plain words and numbers.

use super::util::{all_same, num32, trimmed_ascii, valid_ymd};

/// Characters allowed unquoted in the local part of an address (RFC 5322 `atext`).
fn is_atext(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&c)
}

/// Whether `label` is a DNS label: 1–63 letters, digits or hyphens, no hyphen at either end.
fn is_dns_label(label: &[u8]) -> bool {
    (1..=63).contains(&label.len())
        && label
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-')
        && label.first() != Some(&b'-')
        && label.last() != Some(&b'-')
}

/// `email`: `local@domain` where the local part is 1–64 `atext` characters and single dots, the
/// domain has at least two DNS labels, and the top-level label is 2–24 letters (or an `xn--`
/// internationalised label).
pub(crate) fn email(value: &str) -> bool {
    let Some(s) = trimmed_ascii(value) else {
        return false;
    };
    if s.len() > 254 {
        return false;
    }
    let Some(at) = s.iter().position(|&c| c == b'@') else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() || local.len() > 64 || domain.len() > 253 {
        return false;
    }
    let local_ok = local.iter().all(|&c| is_atext(c) || c == b'.')
        && local.first() != Some(&b'.')
        && local.last() != Some(&b'.')
        && !local.windows(2).any(|w| w == b"..");
    if !local_ok {
        return false;
    }
    let labels: Vec<&[u8]> = domain.split(|&c| c == b'.').collect();
    if labels.len() < 2 || !labels.iter().all(|l| is_dns_label(l)) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let letters_tld = (2..=24).contains(&tld.len()) && tld.iter().all(u8::is_ascii_alphabetic);
    let idn_tld = tld.len() > 4 && tld[..4].eq_ignore_ascii_case(b"xn--");
    letters_tld || idn_tld
}

/// `phone`: digits with `+` (leading only), one pair of parentheses, dashes, dots and spaces; 7–15
/// digits, not one repeated digit and not a counting run such as 1234567 or 9876543.
pub(crate) fn phone(value: &str) -> bool {
    let Some(s) = trimmed_ascii(value) else {
        return false;
    };
    if s.len() > 32
        || !s
            .iter()
            .all(|&c| c.is_ascii_digit() || b"+()-. ".contains(&c))
    {
        return false;
    }
    if s.iter().skip(1).any(|&c| c == b'+') {
        return false;
    }
    let open: Vec<usize> = s
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == b'(')
        .map(|(i, _)| i)
        .collect();
    let close: Vec<usize> = s
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == b')')
        .map(|(i, _)| i)
        .collect();
    match (open.as_slice(), close.as_slice()) {
        ([], []) => {}
        ([o], [c]) if o + 1 < *c => {}
        _ => return false,
    }
    let digits: Vec<u8> = s
        .iter()
        .copied()
        .filter(u8::is_ascii_digit)
        .map(|c| c - b'0')
        .collect();
    if !(7..=15).contains(&digits.len()) || all_same(&digits) {
        return false;
    }
    let up = digits.windows(2).all(|w| w[1] == (w[0] + 1) % 10);
    let down = digits.windows(2).all(|w| w[0] == (w[1] + 1) % 10);
    !(up || down)
}

/// `date`: `YYYY-MM-DD`, `DD.MM.YYYY`, `MM/DD/YYYY` or `DD/MM/YYYY` (day and month may have one digit
/// in the last three) naming a real day in 1900–2099.
pub(crate) fn date(value: &str) -> bool {
    let Some(s) = trimmed_ascii(value) else {
        return false;
    };
    let parts = |sep: u8| -> Option<[u32; 3]> {
        let mut it = s.split(|&c| c == sep);
        let (a, b, c) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        Some([part(a)?, part(b)?, part(c)?])
    };
    let year_ok = |y: u32| (1900..=2099).contains(&y);
    if s.len() == 10 && s[4] == b'-' && s[7] == b'-' {
        return parts(b'-').is_some_and(|[y, m, d]| year_ok(y) && valid_ymd(y, m, d));
    }
    let short = |p: &[u8]| (1..=2).contains(&p.len());
    let shape_ok = |sep: u8| {
        let p: Vec<&[u8]> = s.split(|&c| c == sep).collect();
        p.len() == 3 && short(p[0]) && short(p[1]) && p[2].len() == 4
    };
    if shape_ok(b'.') {
        return parts(b'.').is_some_and(|[d, m, y]| year_ok(y) && valid_ymd(y, m, d));
    }
    if shape_ok(b'/') {
        return parts(b'/')
            .is_some_and(|[a, b, y]| year_ok(y) && (valid_ymd(y, a, b) || valid_ymd(y, b, a)));
    }
    false
}

/// A date component: 1–4 ASCII digits.
fn part(p: &[u8]) -> Option<u32> {
    if p.is_empty() || p.len() > 4 {
        return None;
    }
    num32(p)
}

/// `ascii-mix`: contains at least one ASCII letter and one ASCII digit.
pub(crate) fn ascii_mix(value: &str) -> bool {
    value.bytes().any(|b| b.is_ascii_alphabetic()) && value.bytes().any(|b| b.is_ascii_digit())
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
    fn email_table() {
        run(
            email,
            &[
                ("jane.doe@example.co.uk", true),
                ("john+tag@mail.example.com", true),
                ("o'brien@example.ie", true),
                ("user_name-1@sub-domain.example.museum", true),
                ("a@b.io", true),
                ("user@example.xn--p1ai", true),
                ("plainaddress", false),
                ("@example.com", false),
                ("user@", false),
                ("user@localhost", false), // single label
                ("user@example.c", false), // one-letter TLD
                ("user@example.123", false),
                ("user@example.abcdefghijklmnopqrstuvwxy", false), // 25-letter TLD
                (".user@example.com", false),
                ("user.@example.com", false),
                ("us..er@example.com", false),
                ("user@-example.com", false),
                ("user@example-.com", false),
                ("user@exa_mple.com", false),
                ("user@@example.com", false),
                ("us er@example.com", false),
                ("jörg@example.de", false),
            ],
        );
    }

    #[test]
    fn phone_table() {
        run(
            phone,
            &[
                ("+1 (415) 555-2671", true), // E.164 example
                ("+14155552671", true),
                ("+44 20 7946 0958", true), // Ofcom drama number
                ("020 7946 0958", true),
                ("(030) 901820", true),
                ("555.867.5309", true),
                ("+49 30 901820-0", true),
                ("123456", false),           // 6 digits
                ("1234567890123456", false), // 16 digits
                ("1234567", false),          // counting run
                ("9876543210", false),
                ("7777777", false),
                ("1+4155552671", false),
                ("(415 555-2671", false),
                ("415) 555 (2671", false),
                ("415-555-2671 x12", false),
                ("＋14155552671", false),
            ],
        );
    }

    #[test]
    fn date_table() {
        run(
            date,
            &[
                ("2024-02-29", true),
                ("1900-01-01", true),
                ("2099-12-31", true),
                ("31.12.1999", true),
                ("1.2.2003", true),
                ("12/31/1999", true), // MM/DD
                ("31/12/1999", true), // DD/MM
                ("02/29/2000", true),
                ("2023-02-29", false),
                ("1900-02-29", false), // 1900 was not a leap year
                ("1899-12-31", false),
                ("2100-01-01", false),
                ("2024-13-01", false),
                ("2024-04-31", false),
                ("31.04.2020", false),
                ("13/13/2020", false),
                ("2024/02/29", false),
                ("24-02-29", false),
                ("2024-2-29", false),
                ("12/31/99", false),
                ("1.2.3.2003", false),
            ],
        );
    }

    #[test]
    fn ascii_mix_table() {
        run(
            ascii_mix,
            &[
                ("key1", true),
                ("9f", true),
                ("sk_live_51H8", true),
                ("password", false),
                ("12345678", false),
                ("", false),
                ("ключ1", false),
            ],
        );
    }
}
