//! Small helpers shared by the validators: separator stripping, digit handling, calendar dates.
//!
//! Everything works on ASCII bytes; a value with any non-ASCII byte is refused up front, so no
//! validator ever slices a `&str` off a character boundary.

/// `value` without surrounding ASCII whitespace and without any byte in `seps`, if it is ASCII and at
/// most `max` bytes long after stripping. The result is empty-checked by the callers' length tests.
pub(crate) fn compact(value: &str, seps: &[u8], max: usize) -> Option<Vec<u8>> {
    let trimmed = value.trim_matches(|c: char| c.is_ascii_whitespace());
    if !trimmed.is_ascii() || trimmed.len() > max.saturating_mul(4).max(64) {
        return None;
    }
    let out: Vec<u8> = trimmed.bytes().filter(|b| !seps.contains(b)).collect();
    if out.is_empty() || out.len() > max {
        return None;
    }
    Some(out)
}

/// Like [`compact`], then upper-cased.
pub(crate) fn compact_upper(value: &str, seps: &[u8], max: usize) -> Option<Vec<u8>> {
    let mut out = compact(value, seps, max)?;
    out.make_ascii_uppercase();
    Some(out)
}

/// `value` with surrounding ASCII whitespace removed, if it is ASCII.
pub(crate) fn trimmed_ascii(value: &str) -> Option<&[u8]> {
    let trimmed = value.trim_matches(|c: char| c.is_ascii_whitespace());
    if trimmed.is_empty() || !trimmed.is_ascii() {
        return None;
    }
    Some(trimmed.as_bytes())
}

/// Whether every byte is an ASCII digit (and there is at least one).
pub(crate) fn is_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// Whether every byte equals the first one (true for an empty slice).
pub(crate) fn all_same(b: &[u8]) -> bool {
    b.windows(2).all(|w| w[0] == w[1])
}

/// Numeric value of an ASCII digit (garbage in, garbage out for other bytes, never a panic).
pub(crate) fn dv(b: u8) -> u32 {
    u32::from(b.wrapping_sub(b'0'))
}

/// Decimal value of a short run of ASCII digits; `None` if any byte is not a digit or it overflows.
pub(crate) fn num(b: &[u8]) -> Option<u64> {
    if !is_digits(b) {
        return None;
    }
    b.iter().try_fold(0u64, |acc, &c| {
        acc.checked_mul(10)?.checked_add(u64::from(c - b'0'))
    })
}

/// Like [`num`] for at most 9 digits, as `u32`.
pub(crate) fn num32(b: &[u8]) -> Option<u32> {
    if b.len() > 9 {
        return None;
    }
    num(b).and_then(|n| u32::try_from(n).ok())
}

/// Whether `year` is a Gregorian leap year.
pub(crate) fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in `month` (1–12) of `year`; 0 for an invalid month.
pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether year-month-day is a real Gregorian calendar date.
pub(crate) fn valid_ymd(year: u32, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

/// Whether a two-digit year with this month and day is a real date in the 1900s or the 2000s
/// (used where the century is not encoded).
pub(crate) fn valid_yymmdd_any_century(yy: u32, month: u32, day: u32) -> bool {
    valid_ymd(1900 + yy, month, day) || valid_ymd(2000 + yy, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_strips_and_refuses() {
        assert_eq!(compact(" 12-34.5 ", b" -.", 10), Some(b"12345".to_vec()));
        assert_eq!(compact("12é", b" ", 10), None);
        assert_eq!(compact("   ", b" ", 10), None);
        assert_eq!(compact("123456", b"", 5), None);
        assert_eq!(compact_upper("ab-c", b"-", 5), Some(b"ABC".to_vec()));
        assert_eq!(trimmed_ascii(" x "), Some(&b"x"[..]));
        assert_eq!(trimmed_ascii(" ü "), None);
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(num(b"0123"), Some(123));
        assert_eq!(num(b"12a"), None);
        assert_eq!(num(b""), None);
        assert_eq!(num(b"99999999999999999999999"), None);
        assert_eq!(num32(b"1234567890"), None);
        assert!(all_same(b"7777") && !all_same(b"7787"));
        let table: &[(u32, u32, u32, bool)] = &[
            (2024, 2, 29, true),
            (2023, 2, 29, false),
            (1900, 2, 29, false),
            (2000, 2, 29, true),
            (2021, 4, 31, false),
            (2021, 12, 31, true),
            (2021, 13, 1, false),
            (2021, 0, 1, false),
            (2021, 1, 0, false),
        ];
        for &(y, m, d, ok) in table {
            assert_eq!(valid_ymd(y, m, d), ok, "{y}-{m}-{d}");
        }
        assert!(valid_yymmdd_any_century(0, 2, 29));
        assert!(!valid_yymmdd_any_century(1, 2, 29));
    }
}
