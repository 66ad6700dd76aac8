//! Structured documents and tokens: PEM blocks (BEGIN line and matching END), JSON Web Tokens,
//! passport/ID-card machine-readable zones (ICAO 9303) and vehicle identification numbers.

use super::util::{all_same, compact, compact_upper, num32, trimmed_ascii};

/// How far past the BEGIN line [`pem_block_end`] looks for the END line.
const PEM_WINDOW: usize = 64 * 1024;

/// Longest PEM label accepted (the longest in RFC 7468 and OpenPGP is under 40).
const PEM_LABEL_MAX: usize = 64;

/// If `b` starts with `-----BEGIN <label>-----`, the label and the length of that line.
fn pem_begin_line(b: &[u8]) -> Option<(&[u8], usize)> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let rest = b.strip_prefix(BEGIN)?;
    let close = find(&rest[..rest.len().min(PEM_LABEL_MAX + 5)], b"-----")?;
    let label = &rest[..close];
    // RFC 7468 label: printable ASCII words separated by single spaces or hyphens.
    let is_sep = |c: &u8| *c == b' ' || *c == b'-';
    let well_formed = !label.is_empty()
        && label.iter().all(|&c| (0x20..=0x7e).contains(&c))
        && !label.first().is_some_and(is_sep)
        && !label.last().is_some_and(is_sep)
        && !label.windows(2).any(|w| is_sep(&w[0]) && is_sep(&w[1]));
    well_formed.then_some((label, BEGIN.len() + close + 5))
}

/// Position of the first occurrence of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// For a match of a PEM `-----BEGIN …-----` line starting at `begin` in `text`, the end offset of the
/// matching `-----END …-----` line, searched within 64 KiB. `None` when there is no matching end.
///
/// The first END line after the BEGIN line must carry the same label, and no other BEGIN line may
/// come before it. The returned offset is just past the END line's closing dashes (always a
/// character boundary); `begin` itself may be any byte offset.
pub fn pem_block_end(text: &str, begin: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let start = bytes.get(begin..)?;
    let (label, line_len) = pem_begin_line(start)?;
    let window_end = start.len().min(PEM_WINDOW);
    let body = &start[line_len..window_end];
    let end_at = find(body, b"-----END ")?;
    if find(&body[..end_at], b"-----BEGIN ").is_some() {
        return None;
    }
    let after = &body[end_at + 9..];
    if after.get(..label.len()) != Some(label) || !after[label.len()..].starts_with(b"-----") {
        return None;
    }
    Some(begin + line_len + end_at + 9 + label.len() + 5)
}

/// `pem-block`: the value opens with a well-formed `-----BEGIN <label>-----` line; if it also holds
/// an END line, that line must carry the same label.
pub(crate) fn pem_block(value: &str) -> bool {
    let trimmed = value.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let Some((_, line_len)) = pem_begin_line(trimmed.as_bytes()) else {
        return false;
    };
    let rest = &trimmed.as_bytes()[line_len..];
    if rest.iter().all(u8::is_ascii_whitespace) {
        return true;
    }
    if !matches!(rest.first(), Some(b'\r' | b'\n')) {
        return false;
    }
    match find(rest, b"-----END ") {
        None => true,
        Some(_) => pem_block_end(trimmed, 0).is_some(),
    }
}

/// Decodes unpadded (or `=`-padded) base64url.
fn base64url_decode(s: &[u8]) -> Option<Vec<u8>> {
    let s = match s.iter().position(|&c| c == b'=') {
        Some(p) if s[p..].iter().all(|&c| c == b'=') && s.len() - p <= 2 => &s[..p],
        Some(_) => return None,
        None => s,
    };
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// Whether `segment` is base64url for a JSON object, returning it.
fn json_object(segment: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    if segment.is_empty() {
        return None;
    }
    match serde_json::from_slice(&base64url_decode(segment)?).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

/// `jwt`: three dot-separated base64url segments; the header is a JSON object with a string `alg`,
/// the payload a JSON object, the signature base64url (empty for `alg: none`).
pub(crate) fn jwt(value: &str) -> bool {
    let Some(s) = trimmed_ascii(value) else {
        return false;
    };
    let parts: Vec<&[u8]> = s.split(|&c| c == b'.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return false;
    };
    let Some(h) = json_object(header) else {
        return false;
    };
    if !h.get("alg").is_some_and(serde_json::Value::is_string) {
        return false;
    }
    json_object(payload).is_some() && base64url_decode(signature).is_some()
}

/// ICAO 9303 check digit of a field: weights 7, 3, 1; digits count as themselves, letters A–Z as
/// 10–35 and the filler `<` as 0. `None` for other characters.
fn mrz_digit(field: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &c) in field.iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    Some(b'0' + (sum % 10) as u8)
}

/// Whether `check` is the check digit of `field`.
fn mrz_ok(field: &[u8], check: u8) -> bool {
    mrz_digit(field) == Some(check)
}

/// Whether a YYMMDD MRZ date is plausible (digits, month 1–12, day 1–31).
fn mrz_date(d: &[u8]) -> bool {
    match (num32(&d[2..4]), num32(&d[4..6]), num32(&d[..2])) {
        (Some(m), Some(day), Some(_)) => (1..=12).contains(&m) && (1..=31).contains(&day),
        _ => false,
    }
}

/// TD3 (passport) line 2: document number, birth date, expiry, personal number and composite.
fn td3_line2(l: &[u8]) -> bool {
    l.len() == 44
        && mrz_ok(&l[..9], l[9])
        && mrz_date(&l[13..19])
        && mrz_ok(&l[13..19], l[19])
        && matches!(l[20], b'M' | b'F' | b'X' | b'<')
        && mrz_date(&l[21..27])
        && mrz_ok(&l[21..27], l[27])
        && (mrz_ok(&l[28..42], l[42]) || (l[42] == b'<' && l[28..42].iter().all(|&c| c == b'<')))
        && mrz_ok(&[&l[..10], &l[13..20], &l[21..43]].concat(), l[43])
}

/// TD2 line 2: document number, birth date, expiry and composite.
fn td2_line2(l: &[u8]) -> bool {
    l.len() == 36
        && mrz_ok(&l[..9], l[9])
        && mrz_date(&l[13..19])
        && mrz_ok(&l[13..19], l[19])
        && mrz_date(&l[21..27])
        && mrz_ok(&l[21..27], l[27])
        && mrz_ok(&[&l[..10], &l[13..20], &l[21..35]].concat(), l[35])
}

/// TD1 line 1: document number check digit, including numbers longer than 9 characters that
/// continue in the optional field.
fn td1_line1(l: &[u8]) -> bool {
    if l.len() != 30 || !matches!(l[0], b'A' | b'C' | b'I') {
        return false;
    }
    if l[14] != b'<' {
        return mrz_ok(&l[5..14], l[14]);
    }
    let ext_len = l[15..].iter().position(|&c| c == b'<').unwrap_or(15);
    if ext_len < 2 {
        return false;
    }
    let number = [&l[5..14], &l[15..15 + ext_len - 1]].concat();
    mrz_ok(&number, l[15 + ext_len - 1])
}

/// TD1 line 2 on its own: birth date and expiry check digits.
fn td1_line2(l: &[u8]) -> bool {
    l.len() == 30
        && mrz_date(&l[..6])
        && mrz_ok(&l[..6], l[6])
        && matches!(l[7], b'M' | b'F' | b'X' | b'<')
        && mrz_date(&l[8..14])
        && mrz_ok(&l[8..14], l[14])
}

/// `mrz`: a TD3 passport line 2 (44 characters) or both TD3 lines; a TD2 line 2 or both lines; a
/// TD1 line 1 or 2, or two or three TD1 lines (composite checked). Whitespace between lines is
/// ignored; characters are A–Z, 0–9 and `<`.
pub(crate) fn mrz(value: &str) -> bool {
    let Some(s) = compact(value, b" \t\r\n", 90) else {
        return false;
    };
    let charset_ok = |l: &[u8]| {
        l.iter()
            .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<')
    };
    if !charset_ok(&s) {
        return false;
    }
    match s.len() {
        44 => td3_line2(&s),
        88 => matches!(s[0], b'P' | b'V') && charset_ok(&s[..44]) && td3_line2(&s[44..]),
        36 => td2_line2(&s),
        72 => {
            matches!(s[0], b'A' | b'C' | b'I' | b'P' | b'V')
                && charset_ok(&s[..36])
                && td2_line2(&s[36..])
        }
        30 => td1_line1(&s) || td1_line2(&s),
        60 | 90 => {
            let (l1, l2) = (&s[..30], &s[30..60]);
            td1_line1(l1)
                && td1_line2(l2)
                && charset_ok(&s[60..])
                && mrz_ok(
                    &[&l1[5..30], &l2[..7], &l2[8..15], &l2[18..29]].concat(),
                    l2[29],
                )
        }
        _ => false,
    }
}

/// VIN transliteration of a character (ISO 3779 / 49 CFR 565); `None` for I, O, Q and others.
fn vin_value(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None,
    })
}

/// `vin`: 17 characters without I, O, Q; the 9th is the check digit (0–9 or X) of the weighted sum
/// mod 11 (weights 8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,3,2).
pub(crate) fn vin(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 17) else {
        return false;
    };
    if s.len() != 17 || all_same(&s) {
        return false;
    }
    const W: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let mut sum = 0u32;
    for (&c, w) in s.iter().zip(W) {
        let Some(v) = vin_value(c) else { return false };
        sum += v * w;
    }
    let check = match sum % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    };
    s[8] == check
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
