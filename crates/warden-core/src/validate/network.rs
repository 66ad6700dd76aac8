//! Network addresses: IPv4 (optionally with a CIDR prefix), IPv6 (brackets, zone and prefix
//! allowed) and MAC addresses.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::util::trimmed_ascii;

/// Splits an optional `/prefix` (at most `max`) off an address.
fn split_prefix(s: &str, max: u8) -> Option<&str> {
    match s.split_once('/') {
        None => Some(s),
        Some((addr, prefix)) => {
            let ok = !prefix.is_empty()
                && prefix.len() <= 3
                && prefix.bytes().all(|b| b.is_ascii_digit());
            (ok && prefix.parse::<u8>().is_ok_and(|p| p <= max)).then_some(addr)
        }
    }
}

/// `ipv4`: four dotted decimal octets 0–255 without leading zeros, optional `/0`–`/32`; not
/// 0.0.0.0 nor 255.255.255.255.
pub(crate) fn ipv4(value: &str) -> bool {
    let Some(b) = trimmed_ascii(value) else {
        return false;
    };
    let Ok(s) = std::str::from_utf8(b) else {
        return false;
    };
    let Some(addr) = split_prefix(s, 32) else {
        return false;
    };
    match addr.parse::<Ipv4Addr>() {
        Ok(ip) => !ip.is_unspecified() && !ip.is_broadcast(),
        Err(_) => false,
    }
}

/// `ipv6`: an IPv6 address in any RFC 4291 text form (including embedded IPv4), optionally in
/// brackets, with a `%zone` and a `/0`–`/128` prefix; not the unspecified address `::`.
pub(crate) fn ipv6(value: &str) -> bool {
    let Some(b) = trimmed_ascii(value) else {
        return false;
    };
    let Ok(mut s) = std::str::from_utf8(b) else {
        return false;
    };
    if let Some(inner) = s.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return false;
        };
        s = inner;
    }
    let Some(mut addr) = split_prefix(s, 128) else {
        return false;
    };
    if let Some((a, zone)) = addr.split_once('%') {
        let zone_ok = !zone.is_empty()
            && zone.len() <= 32
            && zone
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'));
        if !zone_ok {
            return false;
        }
        addr = a;
    }
    if addr.len() > 45 {
        return false;
    }
    match addr.parse::<Ipv6Addr>() {
        Ok(ip) => !ip.is_unspecified(),
        Err(_) => false,
    }
}

/// `mac-address`: six hex octets joined by `:` or `-` (the same throughout), or three groups of four
/// joined by `.` (Cisco); not all zero, not the broadcast address.
pub(crate) fn mac_address(value: &str) -> bool {
    let Some(s) = trimmed_ascii(value) else {
        return false;
    };
    let hex: Vec<u8> = match s.len() {
        17 => {
            let sep = s[2];
            if !matches!(sep, b':' | b'-') || (1..6).any(|i| s[i * 3 - 1] != sep) {
                return false;
            }
            s.iter()
                .enumerate()
                .filter(|(i, _)| i % 3 != 2)
                .map(|(_, &c)| c)
                .collect()
        }
        14 => {
            if s[4] != b'.' || s[9] != b'.' {
                return false;
            }
            s.iter()
                .enumerate()
                .filter(|(i, _)| *i != 4 && *i != 9)
                .map(|(_, &c)| c)
                .collect()
        }
        _ => return false,
    };
    hex.len() == 12
        && hex.iter().all(u8::is_ascii_hexdigit)
        && !hex.iter().all(|&c| c == b'0')
        && !hex.iter().all(|&c| c == b'f' || c == b'F')
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
    fn ipv4_table() {
        run(
            ipv4,
            &[
                ("192.168.1.1", true),
                ("8.8.8.8", true),
                ("10.0.0.0/8", true),
                ("127.0.0.1", true),
                ("0.0.0.0", false),
                ("255.255.255.255", false),
                ("256.1.1.1", false),
                ("1.2.3", false),
                ("1.2.3.4.5", false),
                ("01.2.3.4", false), // leading zero (octal ambiguity)
                ("1.2.3.4/33", false),
                ("1.2.3.4/", false),
                ("1.2.3.-4", false),
                ("1.2.3.4 ", true),
            ],
        );
    }

    #[test]
    fn ipv6_table() {
        run(
            ipv6,
            &[
                ("2001:db8::8a2e:370:7334", true), // RFC 3849 documentation prefix
                ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", true),
                ("::1", true),
                ("fe80::1%eth0", true),
                ("[2001:db8::1]", true),
                ("2001:db8::/32", true),
                ("::ffff:192.0.2.128", true), // IPv4-mapped
                ("::", false),
                ("2001:db8::8a2e::7334", false), // two ::
                ("2001:db8:85a3:0:0:8a2e:370:7334:1", false),
                ("12345::1", false),
                ("gggg::1", false),
                ("2001:db8::1/129", false),
                ("[2001:db8::1", false),
                ("std::vector", false),
            ],
        );
    }

    #[test]
    fn mac_address_table() {
        run(
            mac_address,
            &[
                ("00:1A:2B:3C:4D:5E", true),
                ("00-1a-2b-3c-4d-5e", true),
                ("001a.2b3c.4d5e", true),
                ("00:00:00:00:00:00", false),
                ("FF:FF:FF:FF:FF:FF", false),
                ("ff-ff-ff-ff-ff-ff", false),
                ("00:1A-2B:3C:4D:5E", false), // mixed separators
                ("00:1A:2B:3C:4D", false),
                ("00:1A:2B:3C:4D:5G", false),
                ("001A2B3C4D5E", false),
            ],
        );
    }
}
