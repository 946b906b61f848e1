//! A plan's checks (`protogen_rules::plan::Check`) run on a typed value: the same
//! `protogen::validate::check` call the `validate` pass generates for each, with the same
//! arguments, so violations match the generated code's to the letter.

use std::collections::HashMap;

use protogen::validate::check::{self, Seconds};
use protogen::validate::{Ctx, Path, format};
use protogen_rules::plan::{Affix, Check, Constant, Length, Rule};
use protogen_rules::{Bound, Number, StringFormat};

use super::read::Typed;

/// Runs `checks` on `value` (a field's, an item's, a key's or a map value's).
pub(super) fn run(
    checks: &[Check],
    value: &Typed,
    regexes: &HashMap<String, regex::Regex>,
    ctx: &mut Ctx,
    path: &Path<'_>,
) {
    for c in checks {
        one(c, value, regexes, ctx, path);
    }
}

fn one(
    c: &Check,
    value: &Typed,
    regexes: &HashMap<String, regex::Regex>,
    ctx: &mut Ctx,
    path: &Path<'_>,
) {
    let at = c.at.as_str();
    match (&c.rule, value) {
        (Rule::Const(_) | Rule::Range { .. } | Rule::In(_) | Rule::NotIn(_), _) => {
            ordered(&c.rule, value, ctx, path, at)
        }
        (Rule::Finite, Typed::F32(v)) => check::finite(ctx, path, at, f64::from(*v)),
        (Rule::Finite, Typed::F64(v)) => check::finite(ctx, path, at, *v),
        (Rule::BoolConst(c), Typed::Bool(v)) => check::constant(ctx, path, at, *v, *c),
        (Rule::StringConst(c), Typed::Str(v)) => check::string_const(ctx, path, at, v, c),
        (Rule::StringLength(l, n), Typed::Str(v)) => {
            check::string_length(ctx, path, at, v, length(*l), *n)
        }
        (Rule::StringPattern(p), Typed::Str(v)) => check::pattern(ctx, path, at, v, &regexes[p]),
        (Rule::StringAffix(a, part), Typed::Str(v)) => {
            check::string_affix(ctx, path, at, v, affix(*a), part)
        }
        (Rule::StringIn { list, negate }, Typed::Str(v)) => {
            let list: Vec<&str> = list.iter().map(String::as_str).collect();
            check::string_in(ctx, path, at, v, &list, *negate)
        }
        (Rule::StringFormat { format, strict }, Typed::Str(v)) => {
            check::string_format(ctx, path, at, v, string_format(*format, *strict))
        }
        (Rule::BytesConst(c), Typed::Bytes(v)) => check::bytes_const(ctx, path, at, v, c),
        (Rule::BytesLength(l, n), Typed::Bytes(v)) => {
            check::bytes_length(ctx, path, at, v, length(*l), *n)
        }
        (Rule::BytesPattern(p), Typed::Bytes(v)) => {
            check::bytes_pattern(ctx, path, at, v, &regexes[p])
        }
        (Rule::BytesAffix(a, part), Typed::Bytes(v)) => {
            check::bytes_affix(ctx, path, at, v, affix(*a), part)
        }
        (Rule::BytesIn { list, negate }, Typed::Bytes(v)) => {
            let list: Vec<&[u8]> = list.iter().map(Vec::as_slice).collect();
            check::bytes_in(ctx, path, at, v, &list, *negate)
        }
        (Rule::BytesFormat(f), Typed::Bytes(v)) => check::bytes_format(ctx, path, at, v, f.name()),
        (Rule::DefinedOnly(numbers), Typed::Enum(v)) => {
            check::defined_only(ctx, path, at, numbers.binary_search(v).is_ok())
        }
        (Rule::TimestampNow { before }, Typed::Timestamp(t)) => {
            check::timestamp_now(ctx, path, at, *t, *before)
        }
        (Rule::TimestampWithin(w), Typed::Timestamp(t)) => {
            check::timestamp_within(ctx, path, at, *t, seconds(w))
        }
        // The rules were checked to fit their field when the schema was lowered, and tenant
        // schemas have no `Any` or `FieldMask` fields; the list and map rules run on the
        // collection (`collection`).
        _ => {}
    }
}

/// `const`, the range, `in`, `not_in`, compared as the generated code compares them: integers
/// as `i64`/`u64` (the same values and text as their own width), floats as `f64`.
fn ordered(rule: &Rule, value: &Typed, ctx: &mut Ctx, path: &Path<'_>, at: &str) {
    match value {
        Typed::I32(v) => compare(rule, i64::from(*v), ctx, path, at, signed),
        Typed::I64(v) => compare(rule, *v, ctx, path, at, signed),
        Typed::U32(v) => compare(rule, u64::from(*v), ctx, path, at, unsigned),
        Typed::U64(v) => compare(rule, *v, ctx, path, at, unsigned),
        Typed::F32(v) => compare(rule, f64::from(*v), ctx, path, at, float),
        Typed::F64(v) => compare(rule, *v, ctx, path, at, float),
        Typed::Enum(v) => compare(rule, *v, ctx, path, at, |c| match c {
            Constant::Enum(n) => *n,
            _ => 0,
        }),
        Typed::Duration(v) => compare(rule, check::Duration(*v), ctx, path, at, |c| {
            check::Duration(time(c))
        }),
        Typed::Timestamp(v) => compare(rule, check::Timestamp(*v), ctx, path, at, |c| {
            check::Timestamp(time(c))
        }),
        Typed::Bool(_) | Typed::Str(_) | Typed::Bytes(_) => {}
    }
}

fn compare<T: PartialOrd + std::fmt::Display + Copy>(
    rule: &Rule,
    v: T,
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    conv: impl Fn(&Constant) -> T,
) {
    let list = |l: &[Constant]| l.iter().map(&conv).collect::<Vec<T>>();
    match rule {
        Rule::Const(c) => check::constant(ctx, path, at, v, conv(c)),
        Rule::Range { lower, upper } => {
            let bound = |b: &Option<Bound<Constant>>| b.map(|b| (conv(&b.value), b.inclusive));
            check::range(ctx, path, at, v, bound(lower), bound(upper))
        }
        Rule::In(l) => check::in_list(ctx, path, at, &v, &list(l)),
        Rule::NotIn(l) => check::not_in_list(ctx, path, at, &v, &list(l)),
        _ => {}
    }
}

// The plan normalizes numbers to the comparison type of their kind (`plan::normalize`).

fn signed(c: &Constant) -> i64 {
    match c {
        Constant::Number(_, Number::I64(n)) => *n,
        _ => 0,
    }
}

fn unsigned(c: &Constant) -> u64 {
    match c {
        Constant::Number(_, Number::U64(n)) => *n,
        _ => 0,
    }
}

fn float(c: &Constant) -> f64 {
    match c {
        Constant::Number(_, Number::F64(n)) => *n,
        _ => 0.0,
    }
}

fn time(c: &Constant) -> Seconds {
    match c {
        Constant::Duration(s) | Constant::Timestamp(s) => seconds(s),
        _ => seconds(&Default::default()),
    }
}

fn seconds(s: &protogen_rules::Seconds) -> Seconds {
    Seconds {
        seconds: s.seconds,
        nanos: s.nanos,
    }
}

/// The list's or map's own checks (`min_items`, `max_items`, `unique`, `min_pairs`,
/// `max_pairs`): `len` entries, and for `unique` the items, when every item was read.
pub(super) fn collection(
    checks: &[Check],
    len: usize,
    items: Option<&[Typed]>,
    ctx: &mut Ctx,
    path: &Path<'_>,
) {
    for c in checks {
        let at = c.at.as_str();
        match c.rule {
            Rule::MinItems(n) => check::min_items(ctx, path, at, len, n),
            Rule::MaxItems(n) => check::max_items(ctx, path, at, len, n),
            Rule::MinPairs(n) => check::min_pairs(ctx, path, at, len, n),
            Rule::MaxPairs(n) => check::max_pairs(ctx, path, at, len, n),
            // Items of the wrong type are reported when each item is read.
            Rule::Unique => {
                if let Some(items) = items {
                    check::unique(ctx, path, at, items.iter())
                }
            }
            _ => {}
        }
    }
}

fn length(l: Length) -> check::Length {
    match l {
        Length::Len => check::Length::Len,
        Length::MinLen => check::Length::MinLen,
        Length::MaxLen => check::Length::MaxLen,
        Length::LenBytes => check::Length::LenBytes,
        Length::MinBytes => check::Length::MinBytes,
        Length::MaxBytes => check::Length::MaxBytes,
    }
}

fn affix(a: Affix) -> check::Affix {
    match a {
        Affix::Prefix => check::Affix::Prefix,
        Affix::Suffix => check::Affix::Suffix,
        Affix::Contains => check::Affix::Contains,
        Affix::NotContains => check::Affix::NotContains,
    }
}

fn string_format(f: StringFormat, strict: bool) -> &'static check::Format {
    match f {
        StringFormat::Email => &format::EMAIL,
        StringFormat::Hostname => &format::HOSTNAME,
        StringFormat::Ip => &format::IP,
        StringFormat::Ipv4 => &format::IPV4,
        StringFormat::Ipv6 => &format::IPV6,
        StringFormat::Uri => &format::URI,
        StringFormat::UriRef => &format::URI_REF,
        StringFormat::Address => &format::ADDRESS,
        StringFormat::Uuid => &format::UUID,
        StringFormat::Tuuid => &format::TUUID,
        StringFormat::IpWithPrefixlen => &format::IP_WITH_PREFIXLEN,
        StringFormat::Ipv4WithPrefixlen => &format::IPV4_WITH_PREFIXLEN,
        StringFormat::Ipv6WithPrefixlen => &format::IPV6_WITH_PREFIXLEN,
        StringFormat::IpPrefix => &format::IP_PREFIX,
        StringFormat::Ipv4Prefix => &format::IPV4_PREFIX,
        StringFormat::Ipv6Prefix => &format::IPV6_PREFIX,
        StringFormat::HostAndPort => &format::HOST_AND_PORT,
        StringFormat::Ulid => &format::ULID,
        StringFormat::ProtobufFqn => &format::PROTOBUF_FQN,
        StringFormat::ProtobufDotFqn => &format::PROTOBUF_DOT_FQN,
        StringFormat::HttpHeaderName if strict => &format::HEADER_NAME,
        StringFormat::HttpHeaderName => &format::HEADER_NAME_LOOSE,
        StringFormat::HttpHeaderValue if strict => &format::HEADER_VALUE,
        StringFormat::HttpHeaderValue => &format::HEADER_VALUE_LOOSE,
    }
}
