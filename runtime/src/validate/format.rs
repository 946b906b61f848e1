//! The well-known string formats of protovalidate (`string.email`, `string.hostname`, …), with
//! protovalidate's definitions. URIs are checked by `iri-string` (RFC 3986); the small
//! grammars below are written out because each is a few lines and matches protovalidate's
//! own hand-written checks more closely than a general-purpose crate would.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::check::Format;

macro_rules! formats {
    ($($konst:ident: $name:literal, $id:literal, $what:literal, $empty:literal, $check:path, $empty_ok:literal;)*) => {$(
        pub const $konst: Format = Format {
            name: $name,
            id: $id,
            what: $what,
            empty_what: $empty,
            check: $check,
            empty_ok: $empty_ok,
        };
    )*};
}

formats! {
    EMAIL: "email", "email", "email address", "email address", is_email, false;
    HOSTNAME: "hostname", "hostname", "hostname", "hostname", is_hostname, false;
    IP: "ip", "ip", "IP address", "IP address", is_ip, false;
    IPV4: "ipv4", "ipv4", "IPv4 address", "IPv4 address", is_ipv4, false;
    IPV6: "ipv6", "ipv6", "IPv6 address", "IPv6 address", is_ipv6, false;
    URI: "uri", "uri", "URI", "URI", is_uri, false;
    URI_REF: "uri_ref", "uri_ref", "URI Reference", "URI Reference", is_uri_ref, true;
    ADDRESS: "address", "address", "hostname, or ip address", "hostname, or ip address", is_address, false;
    UUID: "uuid", "uuid", "UUID", "UUID", is_uuid, false;
    TUUID: "tuuid", "tuuid", "trimmed UUID", "trimmed UUID", is_tuuid, false;
    IP_WITH_PREFIXLEN: "ip_with_prefixlen", "ip_with_prefixlen", "IP prefix", "IP prefix", is_ip_with_prefixlen, false;
    IPV4_WITH_PREFIXLEN: "ipv4_with_prefixlen", "ipv4_with_prefixlen", "IPv4 address with prefix length", "IPv4 address with prefix length", is_ipv4_with_prefixlen, false;
    IPV6_WITH_PREFIXLEN: "ipv6_with_prefixlen", "ipv6_with_prefixlen", "IPv6 address with prefix length", "IPv6 address with prefix length", is_ipv6_with_prefixlen, false;
    IP_PREFIX: "ip_prefix", "ip_prefix", "IP prefix", "IP prefix", is_ip_prefix, false;
    IPV4_PREFIX: "ipv4_prefix", "ipv4_prefix", "IPv4 prefix", "IPv4 prefix", is_ipv4_prefix, false;
    IPV6_PREFIX: "ipv6_prefix", "ipv6_prefix", "IPv6 prefix", "IPv6 prefix", is_ipv6_prefix, false;
    HOST_AND_PORT: "host_and_port", "host_and_port", "host (hostname or IP address) and port pair", "host and port pair", is_host_and_port, false;
    ULID: "ulid", "ulid", "ULID", "ULID", is_ulid, false;
    PROTOBUF_FQN: "protobuf_fqn", "protobuf_fqn", "fully-qualified Protobuf name", "fully-qualified Protobuf name", is_protobuf_fqn, false;
    PROTOBUF_DOT_FQN: "protobuf_dot_fqn", "protobuf_dot_fqn", "fully-qualified Protobuf name with a leading dot", "fully-qualified Protobuf name with a leading dot", is_protobuf_dot_fqn, false;
    HEADER_NAME: "well_known_regex", "well_known_regex.header_name", "HTTP header name", "HTTP header name", is_header_name, false;
    HEADER_NAME_LOOSE: "well_known_regex", "well_known_regex.header_name", "HTTP header name", "HTTP header name", is_header_name_loose, false;
    HEADER_VALUE: "well_known_regex", "well_known_regex.header_value", "HTTP header value", "HTTP header value", is_header_value, true;
    HEADER_VALUE_LOOSE: "well_known_regex", "well_known_regex.header_value", "HTTP header value", "HTTP header value", is_header_value_loose, true;
}

/// The HTML5 definition of a valid email address (what protovalidate implements): a local part
/// of `atext` and dots, `@`, and a domain of hostname labels.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&b));
    local_ok && domain.len() <= 253 && domain.split('.').all(is_label)
}

/// One hostname label: 1–63 letters, digits and hyphens, not starting or ending with a hyphen.
fn is_label(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// RFC 1034 hostname, one trailing dot allowed, the last label not all digits.
pub fn is_hostname(s: &str) -> bool {
    if s.len() > 253 {
        return false;
    }
    let s = s.strip_suffix('.').unwrap_or(s);
    let mut last_all_digits = false;
    for label in s.split('.') {
        if !is_label(label) {
            return false;
        }
        last_all_digits = label.bytes().all(|b| b.is_ascii_digit());
    }
    !last_all_digits
}

pub fn is_ip(s: &str) -> bool {
    is_ipv4(s) || is_ipv6(s)
}

/// Dotted decimal, four octets, no leading zeros.
pub fn is_ipv4(s: &str) -> bool {
    s.parse::<Ipv4Addr>().is_ok()
}

/// RFC 4291 text form, optionally with an RFC 6874 zone id (`fe80::1%eth0`).
pub fn is_ipv6(s: &str) -> bool {
    let addr = match s.split_once('%') {
        Some((addr, zone)) if !zone.is_empty() => addr,
        Some(_) => return false,
        None => s,
    };
    addr.parse::<Ipv6Addr>().is_ok()
}

pub fn is_uri(s: &str) -> bool {
    iri_string::validate::iri::<iri_string::spec::UriSpec>(s).is_ok()
}

pub fn is_uri_ref(s: &str) -> bool {
    iri_string::validate::iri_reference::<iri_string::spec::UriSpec>(s).is_ok()
}

pub fn is_address(s: &str) -> bool {
    is_hostname(s) || is_ip(s)
}

/// `8-4-4-4-12` hexadecimal digits, either case.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A UUID without dashes: 32 hexadecimal digits.
pub fn is_tuuid(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// `addr/len`: the prefix length a decimal number without leading zeros, at most `max`.
fn split_prefix(s: &str, max: u32) -> Option<(&str, u32)> {
    let (addr, len) = s.split_once('/')?;
    if len.is_empty() || len.len() > 3 || (len.len() > 1 && len.starts_with('0')) {
        return None;
    }
    let len: u32 = len.parse().ok()?;
    (len <= max).then_some((addr, len))
}

pub fn is_ipv4_with_prefixlen(s: &str) -> bool {
    split_prefix(s, 32).is_some_and(|(addr, _)| is_ipv4(addr))
}

pub fn is_ipv6_with_prefixlen(s: &str) -> bool {
    split_prefix(s, 128).is_some_and(|(addr, _)| !addr.contains('%') && is_ipv6(addr))
}

pub fn is_ip_with_prefixlen(s: &str) -> bool {
    is_ipv4_with_prefixlen(s) || is_ipv6_with_prefixlen(s)
}

/// A network prefix: the address has no bits set past the prefix length.
pub fn is_ipv4_prefix(s: &str) -> bool {
    split_prefix(s, 32).is_some_and(|(addr, len)| {
        addr.parse::<Ipv4Addr>()
            .is_ok_and(|a| len == 32 || u32::from(a) & (u32::MAX >> len) == 0)
    })
}

pub fn is_ipv6_prefix(s: &str) -> bool {
    split_prefix(s, 128).is_some_and(|(addr, len)| {
        addr.parse::<Ipv6Addr>()
            .is_ok_and(|a| len == 128 || u128::from(a) & (u128::MAX >> len) == 0)
    })
}

pub fn is_ip_prefix(s: &str) -> bool {
    is_ipv4_prefix(s) || is_ipv6_prefix(s)
}

/// `host:port` with a hostname or IPv4 host, or `[ipv6]:port`; the port 0–65535 without
/// leading zeros.
pub fn is_host_and_port(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some((ip, port)) = rest.split_once("]:") else {
            return false;
        };
        if !is_ipv6(ip) {
            return false;
        }
        ("", port)
    } else {
        match s.rsplit_once(':') {
            Some((host, port)) if is_hostname(host) || is_ipv4(host) => ("", port),
            _ => return false,
        }
    };
    debug_assert!(host.is_empty());
    !port.is_empty()
        && port.len() <= 5
        && !(port.len() > 1 && port.starts_with('0'))
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().is_ok_and(|p| p <= 65_535)
}

/// 26 Crockford base32 characters, the first at most `7` (128 bits).
pub fn is_ulid(s: &str) -> bool {
    const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz";
    s.len() == 26
        && matches!(s.as_bytes()[0], b'0'..=b'7')
        && s.bytes().all(|b| CROCKFORD.contains(&b))
}

/// Identifiers (`[A-Za-z_][A-Za-z0-9_]*`) joined by dots: `buf.validate.FieldRules`.
pub fn is_protobuf_fqn(s: &str) -> bool {
    s.split('.').all(|ident| {
        let mut b = ident.bytes();
        b.next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
            && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
    })
}

pub fn is_protobuf_dot_fqn(s: &str) -> bool {
    s.strip_prefix('.').is_some_and(is_protobuf_fqn)
}

/// RFC 7230 `token`, with HTTP/2's leading `:` for pseudo-headers.
pub fn is_header_name(s: &str) -> bool {
    let s = s.strip_prefix(':').unwrap_or(s);
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_|~`".contains(&b))
}

/// RFC 7230 `field-value`: no control characters but horizontal tab.
pub fn is_header_value(s: &str) -> bool {
    s.chars()
        .all(|c| !(c <= '\u{8}' || ('\u{a}'..='\u{1f}').contains(&c) || c == '\u{7f}'))
}

/// The non-strict header forms: only NUL, CR and LF are forbidden.
pub fn is_header_name_loose(s: &str) -> bool {
    !s.is_empty() && is_header_value_loose(s)
}

pub fn is_header_value_loose(s: &str) -> bool {
    !s.contains(['\0', '\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames() {
        assert!(is_hostname("example.com"));
        assert!(is_hostname("example.com."));
        assert!(is_hostname("a-b.c"));
        assert!(!is_hostname("-ab.c"));
        assert!(!is_hostname("ab-.c"));
        assert!(!is_hostname("a..b"));
        assert!(!is_hostname("1.2.3.4"));
        assert!(!is_hostname(&"a".repeat(64)));
        assert!(!is_hostname("exa_mple.com"));
    }

    #[test]
    fn emails() {
        assert!(is_email("foo@example.com"));
        assert!(is_email("a.b+c@localhost"));
        assert!(!is_email("foo@"));
        assert!(!is_email("@example.com"));
        assert!(!is_email("foo@bar@example.com"));
        assert!(!is_email("<foo@example.com>"));
        assert!(!is_email("foo@-example.com"));
    }

    #[test]
    fn ips() {
        assert!(is_ipv4("192.168.0.1"));
        assert!(!is_ipv4("192.168.0.01"));
        assert!(!is_ipv4("256.0.0.1"));
        assert!(is_ipv6("::1"));
        assert!(is_ipv6("fe80::1%eth0"));
        assert!(!is_ipv6("fe80::1%"));
        assert!(is_ipv6("::ffff:1.2.3.4"));
        assert!(!is_ipv6("1::2::3"));
        assert!(is_ipv4_prefix("10.0.0.0/8"));
        assert!(!is_ipv4_prefix("10.0.0.1/8"));
        assert!(is_ipv4_with_prefixlen("10.0.0.1/8"));
        assert!(!is_ipv4_with_prefixlen("10.0.0.1/33"));
        assert!(!is_ipv4_with_prefixlen("10.0.0.1/08"));
        assert!(is_ipv6_prefix("2001:db8::/32"));
        assert!(!is_ipv6_prefix("2001:db8::1/32"));
    }

    #[test]
    fn hosts_and_ports() {
        assert!(is_host_and_port("example.com:443"));
        assert!(is_host_and_port("127.0.0.1:0"));
        assert!(is_host_and_port("[::1]:8080"));
        assert!(!is_host_and_port("::1:8080"));
        assert!(!is_host_and_port("example.com"));
        assert!(!is_host_and_port("example.com:65536"));
        assert!(!is_host_and_port("example.com:080"));
    }

    #[test]
    fn ids_and_names() {
        assert!(is_uuid("550e8400-e29b-41d4-a716-446655440000"));
        assert!(!is_uuid("550e8400e29b41d4a716446655440000"));
        assert!(is_tuuid("550e8400e29b41d4a716446655440000"));
        assert!(is_ulid("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assert!(!is_ulid("81ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assert!(!is_ulid("01ARZ3NDEKTSV4RRFFQ69G5FAI"));
        assert!(is_protobuf_fqn("buf.validate.Rule"));
        assert!(!is_protobuf_fqn("buf..validate"));
        assert!(is_protobuf_dot_fqn(".buf.validate"));
        assert!(is_uri("https://example.com/a?b#c"));
        assert!(!is_uri("/relative"));
        assert!(is_uri_ref("/relative"));
        assert!(!is_uri("http://exa mple.com"));
        assert!(is_header_name(":authority"));
        assert!(!is_header_name("a b"));
        assert!(is_header_value("text/html; q=0.9\tx"));
        assert!(!is_header_value("a\nb"));
    }
}
