//! IBAN (ISO 13616) validation: the per-country BBAN structure from the SWIFT IBAN registry
//! (89 countries, as shipped in python-stdnum's `iban.dat`) and the ISO 7064 mod 97-10 check.

use super::checksum::mod97;
use super::util::{compact_upper, is_digits};

/// Country code and BBAN structure in registry notation: `<n>!<t>` = exactly n characters of type
/// t, where `n` is digits, `a` upper-case letters and `c` letters or digits.
const IBAN_FORMATS: &[(&str, &str)] = &[
    ("AD", "4!n4!n12!c"),
    ("AE", "3!n16!n"),
    ("AL", "8!n16!c"),
    ("AT", "5!n11!n"),
    ("AZ", "4!a20!c"),
    ("BA", "3!n3!n8!n2!n"),
    ("BE", "3!n7!n2!n"),
    ("BG", "4!a4!n2!n8!c"),
    ("BH", "4!a14!c"),
    ("BI", "5!n5!n11!n2!n"),
    ("BR", "8!n5!n10!n1!a1!c"),
    ("BY", "4!c4!n16!c"),
    ("CH", "5!n12!c"),
    ("CR", "4!n14!n"),
    ("CY", "3!n5!n16!c"),
    ("CZ", "4!n6!n10!n"),
    ("DE", "8!n10!n"),
    ("DJ", "5!n5!n11!n2!n"),
    ("DK", "4!n9!n1!n"),
    ("DO", "4!c20!n"),
    ("EE", "2!n14!n"),
    ("EG", "4!n4!n17!n"),
    ("ES", "4!n4!n1!n1!n10!n"),
    ("FI", "3!n11!n"),
    ("FK", "2!a12!n"),
    ("FO", "4!n9!n1!n"),
    ("FR", "5!n5!n11!c2!n"),
    ("GB", "4!a6!n8!n"),
    ("GE", "2!a16!n"),
    ("GI", "4!a15!c"),
    ("GL", "4!n9!n1!n"),
    ("GR", "3!n4!n16!c"),
    ("GT", "4!c20!c"),
    ("HN", "4!a20!n"),
    ("HR", "7!n10!n"),
    ("HU", "3!n4!n1!n15!n1!n"),
    ("IE", "4!a6!n8!n"),
    ("IL", "3!n3!n13!n"),
    ("IQ", "4!a3!n12!n"),
    ("IS", "4!n2!n6!n10!n"),
    ("IT", "1!a5!n5!n12!c"),
    ("JO", "4!a4!n18!c"),
    ("KW", "4!a22!c"),
    ("KZ", "3!n13!c"),
    ("LB", "4!n20!c"),
    ("LC", "4!a24!c"),
    ("LI", "5!n12!c"),
    ("LT", "5!n11!n"),
    ("LU", "3!n13!c"),
    ("LV", "4!a13!c"),
    ("LY", "3!n3!n15!n"),
    ("MC", "5!n5!n11!c2!n"),
    ("MD", "2!c18!c"),
    ("ME", "3!n13!n2!n"),
    ("MK", "3!n10!c2!n"),
    ("MN", "4!n12!n"),
    ("MR", "5!n5!n11!n2!n"),
    ("MT", "4!a5!n18!c"),
    ("MU", "4!a2!n2!n12!n3!n3!a"),
    ("NI", "4!a20!n"),
    ("NL", "4!a10!n"),
    ("NO", "4!n6!n1!n"),
    ("OM", "3!n16!c"),
    ("PK", "4!a16!c"),
    ("PL", "8!n16!n"),
    ("PS", "4!a21!c"),
    ("PT", "4!n4!n11!n2!n"),
    ("QA", "4!a21!c"),
    ("RO", "4!a16!c"),
    ("RS", "3!n13!n2!n"),
    ("RU", "9!n5!n15!c"),
    ("SA", "2!n18!c"),
    ("SC", "4!a2!n2!n16!n3!a"),
    ("SD", "2!n12!n"),
    ("SE", "3!n16!n1!n"),
    ("SI", "5!n8!n2!n"),
    ("SK", "4!n6!n10!n"),
    ("SM", "1!a5!n5!n12!c"),
    ("SO", "4!n3!n12!n"),
    ("ST", "8!n11!n2!n"),
    ("SV", "4!a20!n"),
    ("TL", "3!n14!n2!n"),
    ("TN", "2!n3!n13!n2!n"),
    ("TR", "5!n1!n16!c"),
    ("UA", "6!n19!c"),
    ("VA", "3!n15!n"),
    ("VG", "4!a16!n"),
    ("XK", "4!n10!n2!n"),
    ("YE", "4!a4!n18!c"),
];

/// Whether `bban` matches a registry structure such as `8!n10!n`.
fn bban_matches(bban: &[u8], format: &str) -> bool {
    let mut pos = 0usize;
    let mut count = 0usize;
    for f in format.bytes() {
        match f {
            b'0'..=b'9' => count = count * 10 + usize::from(f - b'0'),
            b'!' => {}
            b'n' | b'a' | b'c' => {
                let Some(part) = bban.get(pos..pos + count) else {
                    return false;
                };
                let ok = part.iter().all(|c| match f {
                    b'n' => c.is_ascii_digit(),
                    b'a' => c.is_ascii_uppercase(),
                    _ => c.is_ascii_uppercase() || c.is_ascii_digit(),
                });
                if !ok {
                    return false;
                }
                pos += count;
                count = 0;
            }
            _ => return false,
        }
    }
    pos == bban.len()
}

/// `iban`: country code, two check digits and a BBAN of the registered structure (spaces and
/// dashes allowed, either case), and the whole number mod 97 == 1.
pub(crate) fn iban(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 34) else {
        return false;
    };
    if s.len() < 5 {
        return false;
    }
    let (country, rest) = s.split_at(2);
    let (check, bban) = rest.split_at(2);
    let Some(&(_, format)) = IBAN_FORMATS.iter().find(|(c, _)| c.as_bytes() == country) else {
        return false;
    };
    if !is_digits(check) || !bban_matches(bban, format) {
        return false;
    }
    let mut rearranged = Vec::with_capacity(s.len());
    rearranged.extend_from_slice(bban);
    rearranged.extend_from_slice(country);
    rearranged.extend_from_slice(check);
    mod97(&rearranged) == Some(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_table_is_sane() {
        assert_eq!(IBAN_FORMATS.len(), 89);
        for w in IBAN_FORMATS.windows(2) {
            assert!(w[0].0 < w[1].0, "table not sorted at {}", w[1].0);
        }
        // A few registry lengths (IBAN = 4 + BBAN).
        let len_of = |cc: &str| -> usize {
            let (_, f) = IBAN_FORMATS
                .iter()
                .find(|(c, _)| *c == cc)
                .copied()
                .unwrap_or(("", ""));
            f.split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse::<usize>().ok())
                .sum::<usize>()
                + 4
        };
        assert_eq!(len_of("NO"), 15);
        assert_eq!(len_of("DE"), 22);
        assert_eq!(len_of("GB"), 22);
        assert_eq!(len_of("FR"), 27);
        assert_eq!(len_of("RU"), 33);
        assert_eq!(len_of("LC"), 32);
    }

    #[test]
    fn iban_table() {
        let table: &[(&str, bool)] = &[
            // SWIFT IBAN registry examples and python-stdnum iban docs.
            ("GB82 WEST 1234 5698 7654 32", true),
            ("GB82WEST12345698765432", true),
            ("gb82 west 1234 5698 7654 32", true),
            ("DE89 3704 0044 0532 0130 00", true),
            ("NL91 ABNA 0417 1643 00", true),
            ("FR14 2004 1010 0505 0001 3M02 606", true),
            ("BE71 0961 2345 6769", true),
            ("NO93 8601 1117 947", true),
            ("CH93 0076 2011 6238 5295 7", true),
            ("IT60 X054 2811 1010 0000 0123 456", true),
            ("ES91 2100 0418 4502 0005 1332", true),
            ("MT84 MALT 0110 0001 2345 MTLC AST0 01S", true),
            ("SA03 8000 0000 6080 1016 7519", true),
            ("BR18 0036 0305 0000 1000 9795 493C 1", true),
            ("GB82 WEST 1234 5698 7654 33", false), // check digits
            ("GB82 WEST 1234 5698 7654 3", false),  // length
            ("GB82 WE5T 1234 5698 7654 32", false), // bank code must be letters
            ("DE89 3704 0044 0532 0130 0", false),
            ("XX82 WEST 1234 5698 7654 32", false), // unknown country
            ("US12 3456 7890 1234", false),
            ("GB8X WEST 1234 5698 7654 32", false),
            ("GB82_WEST_1234_5698_7654_32", false),
        ];
        for &(v, ok) in table {
            assert_eq!(iban(v), ok, "{v}");
        }
    }

    #[test]
    fn bban_structure() {
        assert!(bban_matches(b"WEST12345698765432", "4!a6!n8!n"));
        assert!(!bban_matches(b"WEST1234569876543", "4!a6!n8!n"));
        assert!(!bban_matches(b"WEST123456987654321", "4!a6!n8!n"));
        assert!(!bban_matches(b"", "4!a"));
        assert!(!bban_matches(b"AB", "2!x"));
    }
}
