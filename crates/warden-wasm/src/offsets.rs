//! The one place where text positions change units: Rust spans are UTF-8 byte offsets, JavaScript
//! strings are indexed in UTF-16 code units.
//!
//! The design decision to know: conversions walk the text once for a whole batch of positions (sorted
//! internally), so converting every finding of a 200 KB prompt costs one pass, and ASCII text (the
//! common case) costs nothing. A UTF-16 index that falls inside a surrogate pair is moved back to the
//! start of its character; one past the end of the text is clamped to the end.

/// Converts UTF-8 byte offsets of `text` (each on a character boundary) to UTF-16 indices.
pub fn bytes_to_utf16(text: &str, offsets: &[usize]) -> Vec<usize> {
    if text.is_ascii() {
        return offsets.iter().map(|&o| o.min(text.len())).collect();
    }
    convert(offsets, |targets, out| {
        let mut units = 0;
        let mut next = 0;
        for (byte, c) in text.char_indices() {
            while next < targets.len() && targets[next].0 <= byte {
                out[targets[next].1] = units;
                next += 1;
            }
            units += c.len_utf16();
        }
        for &(_, i) in &targets[next..] {
            out[i] = units;
        }
    })
}

/// Converts UTF-16 indices into `text` to UTF-8 byte offsets.
pub fn utf16_to_bytes(text: &str, indices: &[usize]) -> Vec<usize> {
    if text.is_ascii() {
        return indices.iter().map(|&i| i.min(text.len())).collect();
    }
    convert(indices, |targets, out| {
        let mut units = 0;
        let mut next = 0;
        for (byte, c) in text.char_indices() {
            let after = units + c.len_utf16();
            // A target at `units` starts here; one inside the surrogate pair (units + 1) belongs here too.
            while next < targets.len() && targets[next].0 < after {
                out[targets[next].1] = byte;
                next += 1;
            }
            units = after;
        }
        for &(_, i) in &targets[next..] {
            out[i] = text.len();
        }
    })
}

/// Sorts `(position, index)` pairs, lets `walk` fill the answers in one pass, returns them in input order.
fn convert(positions: &[usize], walk: impl FnOnce(&[(usize, usize)], &mut [usize])) -> Vec<usize> {
    let mut targets: Vec<(usize, usize)> = positions.iter().copied().zip(0..).collect();
    targets.sort_unstable();
    let mut out = vec![0; positions.len()];
    walk(&targets, &mut out);
    out
}

/// The length of `text` in UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().map(char::len_utf16).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character boundary of `text` as (byte offset, UTF-16 index), computed the slow, obvious way.
    fn boundaries(text: &str) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = text
            .char_indices()
            .map(|(b, _)| (b, text[..b].encode_utf16().count()))
            .collect();
        out.push((text.len(), text.encode_utf16().count()));
        out
    }

    const TEXTS: &[&str] = &[
        "",
        "plain ascii bob@example.com",
        "emoji 😀 then bob@example.com 🎉🎉",
        "中文字符 bob@example.com 日本語",
        "combining e\u{301}\u{301} cafe\u{301} bob@example.com",
        "flags 🇩🇪🇫🇷 and zwj 👩\u{200d}💻 x",
        "mixed ü 😀 中 a",
    ];

    #[test]
    fn round_trips_every_boundary() {
        for text in TEXTS {
            let pairs = boundaries(text);
            let bytes: Vec<usize> = pairs.iter().map(|p| p.0).collect();
            let units: Vec<usize> = pairs.iter().map(|p| p.1).collect();
            assert_eq!(bytes_to_utf16(text, &bytes), units, "{text:?}");
            assert_eq!(utf16_to_bytes(text, &units), bytes, "{text:?}");
            assert_eq!(utf16_len(text), *units.last().unwrap());
        }
    }

    #[test]
    fn unsorted_and_repeated_positions_keep_their_order() {
        let text = "😀a中b";
        assert_eq!(bytes_to_utf16(text, &[8, 0, 4, 4, 9]), vec![4, 0, 2, 2, 5]);
        assert_eq!(utf16_to_bytes(text, &[4, 0, 2, 2, 5]), vec![8, 0, 4, 4, 9]);
    }

    #[test]
    fn index_inside_a_surrogate_pair_moves_to_the_character_start() {
        let text = "a😀b";
        assert_eq!(utf16_to_bytes(text, &[2]), vec![1]);
    }

    #[test]
    fn positions_past_the_end_clamp() {
        assert_eq!(utf16_to_bytes("中文", &[2, 3, 100]), vec![6, 6, 6]);
        assert_eq!(utf16_to_bytes("ab", &[100]), vec![2]);
        assert_eq!(bytes_to_utf16("中文", &[6, 99]), vec![2, 2]);
    }

    #[test]
    fn slices_agree_between_units() {
        // The value at a converted span must be the same text on both sides.
        let text = "ключ 😀 bob@example.com 中";
        let start = text.find("bob").unwrap();
        let end = start + "bob@example.com".len();
        let u = bytes_to_utf16(text, &[start, end]);
        let utf16: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&utf16[u[0]..u[1]]).unwrap(),
            "bob@example.com"
        );
    }
}
