//! Payment, banking and securities identifiers: payment cards (IIN table + Luhn), ABA routing
//! numbers, ISIN, CUSIP, LEI and SWIFT/BIC codes (with the ISO 3166-1 country list).

use super::checksum::{luhn_ok, luhn_sum, mod97};
use super::util::{all_same, compact, compact_upper, dv, is_digits, num32};

/// ISO 3166-1 alpha-2 codes (249 assigned) followed by `XK` (Kosovo, used by SWIFT and IBAN).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET \
FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR \
IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN \
MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR \
TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";

/// Whether `cc` (two upper-case letters) is an ISO 3166-1 alpha-2 country code or `XK`.
pub(crate) fn is_country(cc: &[u8]) -> bool {
    cc.len() == 2 && COUNTRIES.split(' ').any(|c| c.as_bytes() == cc)
}

/// The first `n` digits of `d` as a number (0 when `d` is shorter).
fn prefix(d: &[u8], n: usize) -> u32 {
    d.get(..n).and_then(num32).unwrap_or(0)
}

/// Whether the IIN (leading digits) of a card number is assigned to a scheme that issues numbers
/// of this length.
fn iin_matches_length(d: &[u8]) -> bool {
    let len = d.len();
    let (p1, p2, p3, p4) = (prefix(d, 1), prefix(d, 2), prefix(d, 3), prefix(d, 4));
    let in_range = |lo: usize, hi: usize| (lo..=hi).contains(&len);
    match p1 {
        // Visa (including Electron and co-badged Dankort 4571).
        4 => matches!(len, 13 | 16 | 19),
        // Mastercard 2221–2720; Mir 2200–2204.
        2 => {
            ((2221..=2720).contains(&p4) && len == 16)
                || ((2200..=2204).contains(&p4) && in_range(16, 19))
        }
        3 => {
            // American Express.
            if p2 == 34 || p2 == 37 {
                len == 15
            // Diners Club International 300–305, 3095, 36, 38, 39.
            } else if (300..=305).contains(&p3) || p4 == 3095 || matches!(p2, 36 | 38 | 39) {
                in_range(14, 19)
            // JCB.
            } else {
                (3528..=3589).contains(&p4) && in_range(16, 19)
            }
        }
        5 => {
            // Mastercard 51–55 (16); Maestro 50, 56–58 (12–19).
            if (51..=55).contains(&p2) {
                len == 16
            } else {
                matches!(p2, 50 | 56..=58) && in_range(12, 19)
            }
        }
        // Discover 6011, 644–649, 65; UnionPay 62; RuPay 60; InterPayment 636; InstaPayment 637–639
        // (all 16–19); Maestro 6304, 67xx (12–19).
        6 => {
            if p4 == 6011
                || (644..=649).contains(&p3)
                || matches!(p2, 60 | 62 | 65)
                || (636..=639).contains(&p3)
            {
                in_range(16, 19)
            } else {
                (p4 == 6304 || p2 == 67) && in_range(12, 19)
            }
        }
        // UnionPay / RuPay 81, 82.
        8 => matches!(p2, 81 | 82) && in_range(16, 19),
        // Troy 9792.
        9 => p4 == 9792 && len == 16,
        _ => false,
    }
}

/// `credit-card`: 12–19 digits (spaces, dashes, dots allowed), IIN valid for the length, Luhn.
pub(crate) fn credit_card(value: &str) -> bool {
    let Some(d) = compact(value, b" -.", 19) else {
        return false;
    };
    (12..=19).contains(&d.len())
        && is_digits(&d)
        && !all_same(&d)
        && iin_matches_length(&d)
        && luhn_ok(&d)
}

/// `aba-routing`: 9 digits, prefix 00–12, 21–32, 61–72 or 80, 3-7-1 weights sum to a multiple of 10.
pub(crate) fn aba_routing(value: &str) -> bool {
    let Some(d) = compact(value, b" -", 9) else {
        return false;
    };
    if d.len() != 9 || !is_digits(&d) || all_same(&d) {
        return false;
    }
    let p = prefix(&d, 2);
    if !matches!(p, 0..=12 | 21..=32 | 61..=72 | 80) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(&b, &w)| w * dv(b))
        .sum();
    sum.is_multiple_of(10)
}

/// `isin`: 2 letters, 9 alphanumerics, a check digit; Luhn over the letter-expanded digits.
pub(crate) fn isin(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 12) else {
        return false;
    };
    if s.len() != 12
        || !s[..2].iter().all(u8::is_ascii_uppercase)
        || !s[2..11].iter().all(u8::is_ascii_alphanumeric)
        || !s[11].is_ascii_digit()
    {
        return false;
    }
    let mut expanded = Vec::with_capacity(24);
    for &c in &s {
        if c.is_ascii_digit() {
            expanded.push(c);
        } else {
            let v = c - b'A' + 10;
            expanded.push(b'0' + v / 10);
            expanded.push(b'0' + v % 10);
        }
    }
    luhn_sum(&expanded).is_multiple_of(10)
}

/// `cusip`: 8 characters (digits, letters, `*`, `@`, `#`) and a double-add-double check digit.
pub(crate) fn cusip(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 9) else {
        return false;
    };
    if s.len() != 9 || !s[8].is_ascii_digit() || all_same(&s) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &c) in s[..8].iter().enumerate() {
        let mut v = match c {
            b'0'..=b'9' => dv(c),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'*' => 36,
            b'@' => 37,
            b'#' => 38,
            _ => return false,
        };
        if i % 2 == 1 {
            v *= 2;
        }
        sum += v / 10 + v % 10;
    }
    (10 - sum % 10) % 10 == dv(s[8])
}

/// `lei`: 20 alphanumerics ending in two check digits, ISO 7064 mod 97-10 == 1.
pub(crate) fn lei(value: &str) -> bool {
    let Some(s) = compact_upper(value, b" -", 20) else {
        return false;
    };
    s.len() == 20
        && s[..18].iter().all(u8::is_ascii_alphanumeric)
        && is_digits(&s[18..])
        && !all_same(&s[..18])
        && mod97(&s) == Some(1)
}

/// `swift-bic`: 4-letter institution, ISO 3166 country, 2-character location, optional 3-character
/// branch; upper case only (there is no check digit, so lower-case words are not taken).
pub(crate) fn swift_bic(value: &str) -> bool {
    let Some(s) = compact(value, b" ", 11) else {
        return false;
    };
    (s.len() == 8 || s.len() == 11)
        && s[..4].iter().all(u8::is_ascii_uppercase)
        && is_country(&s[4..6])
        && s[6..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_list() {
        assert_eq!(COUNTRIES.split(' ').count(), 250);
        let mut all: Vec<&str> = COUNTRIES.split(' ').collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 250);
        assert!(is_country(b"DE") && is_country(b"XK") && !is_country(b"UK") && !is_country(b"D"));
    }

    #[test]
    fn credit_card_table() {
        let table: &[(&str, bool)] = &[
            // Published test numbers (PayPal/Stripe/Braintree developer docs, Presidio tests).
            ("4111 1111 1111 1111", true),  // Visa 16
            ("4012888888881881", true),     // Visa 16
            ("4222222222222", true),        // Visa 13
            ("4111111111111111110", true),  // Visa 19
            ("5555 5555 5555 4444", true),  // Mastercard
            ("5105105105105100", true),     // Mastercard
            ("2223003122003222", true),     // Mastercard 2-series
            ("3782 822463 10005", true),    // Amex
            ("371449635398431", true),      // Amex
            ("6011111111111117", true),     // Discover
            ("6011-0009-9013-9424", true),  // Discover
            ("3530111333300000", true),     // JCB
            ("3566002020360505", true),     // JCB
            ("30569309025904", true),       // Diners 14
            ("38520000023237", true),       // Diners 14
            ("6200000000000005", true),     // UnionPay
            ("6759649826438453", true),     // Maestro UK
            ("6304000000000000", true),     // Maestro
            ("5018.0000.0009", true),       // Maestro, 12 digits
            ("6771 7980 2100 0008", true),  // Maestro (Adyen test card)
            ("5018.0000.0008", false),      // Luhn
            ("4111 1111 1111 1112", false), // Luhn
            ("5555555555554443", false),    // Luhn
            ("411111111111", false),        // Visa with 12 digits
            ("37828224631000", false),      // Amex with 14 digits
            ("5555555555554444000", false), // Mastercard with 19 digits
            ("1234567812345670", false),    // Luhn ok, no scheme starts with 1
            ("7000000000000000", false),
            ("0000000000000000", false),
            ("4111 1111 1111 111a", false),
        ];
        for &(v, ok) in table {
            assert_eq!(credit_card(v), ok, "{v}");
        }
    }

    #[test]
    fn aba_routing_table() {
        let table: &[(&str, bool)] = &[
            ("011000015", true), // Federal Reserve Bank of Boston
            ("021000021", true), // JPMorgan Chase, New York
            ("121000358", true), // Bank of America, California
            ("111000025", true), // python-stdnum rtn docs
            ("0110-0001-5", true),
            ("011000016", false), // checksum
            ("111000024", false), // checksum
            ("131000012", false), // prefix 13 unused
            ("911000025", false), // prefix 91 unused
            ("000000000", false),
            ("01100001", false),
        ];
        for &(v, ok) in table {
            assert_eq!(aba_routing(v), ok, "{v}");
        }
    }

    #[test]
    fn isin_table() {
        let table: &[(&str, bool)] = &[
            ("US0378331005", true), // Apple (python-stdnum isin docs)
            ("AU0000XVGZA3", true), // Wikipedia
            ("GB0002634946", true), // BAE Systems (Wikipedia)
            ("US5949181045", true), // Microsoft
            ("us0378331005", true),
            ("US0378331004", false),
            ("US037833100", false),
            ("1S0378331005", false),
            ("US03783310X5", false),
        ];
        for &(v, ok) in table {
            assert_eq!(isin(v), ok, "{v}");
        }
    }

    #[test]
    fn cusip_table() {
        let table: &[(&str, bool)] = &[
            ("037833100", true), // Apple
            ("38259P508", true), // Google (Wikipedia)
            ("594918104", true), // Microsoft
            ("DUS0421C5", true), // python-stdnum cusip docs
            ("037833101", false),
            ("DUS0421CN", false),
            ("000000000", false),
            ("03783310", false),
            ("0378331!0", false),
        ];
        for &(v, ok) in table {
            assert_eq!(cusip(v), ok, "{v}");
        }
    }

    #[test]
    fn lei_table() {
        let table: &[(&str, bool)] = &[
            ("213800D1EI4B9WTWWD28", true), // python-stdnum lei docs
            ("5493001KJTIIGC8Y1R12", true), // Bloomberg Finance L.P.
            ("529900T8BM49AURSDO55", true), // Deutsche Börse AG
            ("213800D1EI4B9WTWWD29", false),
            ("5493001KJTIIGC8Y1R21", false),
            ("213800D1EI4B9WTWWD2", false),
            ("213800D1EI4B9WTWWDX8", false),
        ];
        for &(v, ok) in table {
            assert_eq!(lei(v), ok, "{v}");
        }
    }

    #[test]
    fn swift_bic_table() {
        let table: &[(&str, bool)] = &[
            ("DEUTDEFF", true), // Deutsche Bank
            ("DEUTDEFF500", true),
            ("AGRIFRPP882", true), // python-stdnum bic docs
            ("NEDSZAJJXXX", true),
            ("CHASUS33", true),
            ("ABNA BE 2A", true),
            ("deutdeff", false), // lower case is not taken
            ("DEUTUKFF", false), // UK is not an ISO 3166 code
            ("DEUTDEF", false),
            ("DEUTDEFF50", false),
            ("DEU1DEFF", false),
            ("FAVORITE", false), // an upper-case word: "RI" is not a country
            ("ANDROIDS", false), // an upper-case word: "OI" is not a country
        ];
        for &(v, ok) in table {
            assert_eq!(swift_bic(v), ok, "{v}");
        }
    }
}
