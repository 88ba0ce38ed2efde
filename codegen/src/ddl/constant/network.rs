//! Network addresses as `inet_out` and `macaddr_out` write them.

use std::net::{Ipv4Addr, Ipv6Addr};

/// An `inet` or `cidr` as `inet_out` writes it: a host's full mask (`/32`,
/// `/128`) left out of an `inet`, a `cidr`'s mask always shown and its
/// IPv4 address written in full (`10.1/16` is `10.1.0.0/16`); IPv6 in
/// lower case with the longest run of zero groups shortened. `None` for
/// what the server refuses (a `cidr` with bits set right of its mask).
pub(super) fn inet(value: &str, cidr: bool) -> Option<String> {
    let v = value.trim();
    let (address, bits) = match v.split_once('/') {
        Some((address, bits)) => (address, Some(bits.parse::<u8>().ok()?)),
        None => (v, None),
    };
    if address.contains(':') {
        return ipv6(address, bits, cidr);
    }
    let mut octets: Vec<u8> = address
        .split('.')
        .map(|o| o.parse().ok())
        .collect::<Option<_>>()?;
    if octets.is_empty() || octets.len() > 4 || (!cidr && octets.len() != 4) {
        return None;
    }
    // An abbreviated `cidr` without a mask takes the mask of its class.
    let bits = match bits {
        Some(b) if b <= 32 => b,
        Some(_) => return None,
        None if !cidr || octets.len() == 4 => 32,
        None => return None,
    };
    octets.resize(4, 0);
    let address = Ipv4Addr::new(octets[0], octets[1], octets[2], octets[3]);
    if cidr && u32::from(address).checked_shl(u32::from(bits)).unwrap_or(0) != 0 {
        return None;
    }
    Some(if cidr || bits != 32 {
        format!("{address}/{bits}")
    } else {
        address.to_string()
    })
}

fn ipv6(address: &str, bits: Option<u8>, cidr: bool) -> Option<String> {
    let parsed: Ipv6Addr = address.parse().ok()?;
    let bits = bits.unwrap_or(128);
    if bits > 128 || (cidr && u128::from(parsed).checked_shl(u32::from(bits)).unwrap_or(0) != 0) {
        return None;
    }
    let segments = parsed.segments();
    // An IPv4-compatible address (`::1.2.3.4`) keeps its dotted tail, as
    // an IPv4-mapped one (`::ffff:1.2.3.4`) does in Rust's spelling too.
    let text = if segments[..6] == [0; 6] && segments[6] != 0 {
        let [.., a, b, c, d] = parsed.octets();
        format!("::{}", Ipv4Addr::new(a, b, c, d))
    } else {
        parsed.to_string()
    };
    Some(if cidr || bits != 128 {
        format!("{text}/{bits}")
    } else {
        text
    })
}

/// A `macaddr` as `macaddr_out` writes it: six lower-case pairs and colons.
pub(super) fn macaddr(value: &str) -> Option<String> {
    let digits: String = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.'))
        .collect();
    if digits.len() != 12 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let lower = digits.to_ascii_lowercase();
    let pairs: Vec<&str> = (0..6).map(|i| &lower[2 * i..2 * i + 2]).collect();
    Some(pairs.join(":"))
}

/// A `macaddr8` as `macaddr8_out` writes it: eight lower-case pairs; six
/// given are eight with `ff:fe` in the middle.
pub(super) fn macaddr8(value: &str) -> Option<String> {
    let digits: String = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.'))
        .collect();
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let lower = digits.to_ascii_lowercase();
    let full = match lower.len() {
        16 => lower,
        12 => format!("{}fffe{}", &lower[..6], &lower[6..]),
        _ => return None,
    };
    let pairs: Vec<&str> = (0..8).map(|i| &full[2 * i..2 * i + 2]).collect();
    Some(pairs.join(":"))
}

#[cfg(test)]
mod tests {
    use super::inet;

    #[test]
    fn addresses_print_as_the_server_prints_them() {
        for (given, cidr, printed) in [
            ("10.0.0.1/32", false, Some("10.0.0.1")),
            ("10.1/16", true, Some("10.1.0.0/16")),
            ("10.1.2.3/16", true, None),
            ("::1", false, Some("::1")),
            ("2001:DB8::1/64", false, Some("2001:db8::1/64")),
            ("2001:db8:0:0:1:0:0:1", false, Some("2001:db8::1:0:0:1")),
            ("::ffff:1.2.3.4", false, Some("::ffff:1.2.3.4")),
            ("::1.2.3.4", false, Some("::1.2.3.4")),
            ("2001:db8::/32", true, Some("2001:db8::/32")),
            ("2001:db8::1/32", true, None),
            ("::", true, Some("::/128")),
        ] {
            assert_eq!(inet(given, cidr).as_deref(), printed, "{given}");
        }
    }
}
