//! Rules that can never hold or do not fit their field: build errors, before any code exists.
//! protovalidate calls these compilation errors and reports them when a validator is built.

use std::cmp::Ordering;

use super::*;

/// A value's type, as far as rules care: a scalar, or an enum or message by full name (with a
/// leading dot, `.google.protobuf.Duration`). Groups are messages here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType<'a> {
    Scalar(Scalar),
    Enum(&'a str),
    Message(&'a str),
}

/// What a set of rules is applied to: a field, or the items, keys or values of one.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// A singular field, or one item of a repeated field, one key or one value of a map.
    Single(ValueType<'a>),
    Repeated(ValueType<'a>),
    /// A map: its key and value types.
    Map(Scalar, ValueType<'a>),
}

impl Target<'_> {
    fn describe(&self) -> String {
        match self {
            Target::Single(ty) => describe(ty),
            Target::Repeated(ty) => format!("repeated {}", describe(ty)),
            Target::Map(key, value) => format!("map<{}, {}>", key.proto_name(), describe(value)),
        }
    }
}

fn describe(ty: &ValueType<'_>) -> String {
    match ty {
        ValueType::Scalar(s) => s.proto_name().to_owned(),
        ValueType::Enum(name) | ValueType::Message(name) => name.trim_start_matches('.').to_owned(),
    }
}

/// The scalar a wrapper well-known type holds; protovalidate applies scalar rules to it.
pub fn wrapped_scalar(full_name: &str) -> Option<Scalar> {
    Some(match full_name {
        ".google.protobuf.DoubleValue" => Scalar::Double,
        ".google.protobuf.FloatValue" => Scalar::Float,
        ".google.protobuf.Int64Value" => Scalar::Int64,
        ".google.protobuf.UInt64Value" => Scalar::Uint64,
        ".google.protobuf.Int32Value" => Scalar::Int32,
        ".google.protobuf.UInt32Value" => Scalar::Uint32,
        ".google.protobuf.BoolValue" => Scalar::Bool,
        ".google.protobuf.StringValue" => Scalar::String,
        ".google.protobuf.BytesValue" => Scalar::Bytes,
        _ => return None,
    })
}

/// Every problem with `rules` on `target`, as messages for a located build error.
pub fn check_field(rules: &FieldRules, target: Target<'_>) -> Vec<String> {
    let mut errors = Vec::new();
    if let Some(ty) = &rules.ty {
        check_type(ty, target, &mut errors);
    }
    errors
}

fn check_type(rules: &TypeRules, target: Target<'_>, errors: &mut Vec<String>) {
    if !fits(rules, target) {
        errors.push(format!(
            "`{}` rules do not apply to a field of type `{}`",
            rules.family(),
            target.describe()
        ));
        return;
    }
    let family = rules.family();
    match rules {
        TypeRules::Number(n) => check_number(n, errors),
        TypeRules::Bool(_) | TypeRules::Any(_) => {}
        TypeRules::String(s) => check_string(s, errors),
        TypeRules::Bytes(b) => check_bytes(b, errors),
        TypeRules::Enum(e) => check_in(family, &e.in_, &e.not_in, errors),
        TypeRules::Repeated(r) => {
            let Target::Repeated(item) = target else {
                unreachable!("fits")
            };
            check_min_max(family, "items", r.min_items, r.max_items, errors);
            if r.unique && matches!(item, ValueType::Message(_)) {
                errors.push("`repeated.unique` applies only to scalars and enums".into());
            }
            if let Some(items) = &r.items {
                nested("repeated.items", items, Target::Single(item), errors);
            }
        }
        TypeRules::Map(m) => {
            let Target::Map(key, value) = target else {
                unreachable!("fits")
            };
            check_min_max(family, "pairs", m.min_pairs, m.max_pairs, errors);
            if let Some(keys) = &m.keys {
                nested(
                    "map.keys",
                    keys,
                    Target::Single(ValueType::Scalar(key)),
                    errors,
                );
            }
            if let Some(values) = &m.values {
                nested("map.values", values, Target::Single(value), errors);
            }
        }
        TypeRules::Duration(d) => {
            for s in d.constant.iter().chain(&d.in_).chain(&d.not_in) {
                check_seconds(family, s, errors);
            }
            check_range(family, &d.range, |a, b| Some(a.cmp(b)), errors);
            check_in(family, &d.in_, &d.not_in, errors);
        }
        TypeRules::Timestamp(t) => {
            check_range(family, &t.range, |a, b| Some(a.cmp(b)), errors);
            if t.lt_now && t.gt_now {
                errors.push("`timestamp.lt_now` and `timestamp.gt_now` can never both hold".into());
            }
            if let Some(within) = &t.within {
                check_seconds(family, within, errors);
                if *within <= Seconds::default() {
                    errors.push("`timestamp.within` must be a positive duration".into());
                }
            }
        }
        TypeRules::FieldMask(f) => check_in(family, &f.in_, &f.not_in, errors),
    }
}

fn nested(path: &str, rules: &FieldRules, target: Target<'_>, errors: &mut Vec<String>) {
    for e in check_field(rules, target) {
        errors.push(format!("in `{path}`: {e}"));
    }
}

/// Whether rules of this family may be written on the target at all.
fn fits(rules: &TypeRules, target: Target<'_>) -> bool {
    let single = match (rules, target) {
        (TypeRules::Repeated(_), Target::Repeated(_)) | (TypeRules::Map(_), Target::Map(..)) => {
            return true;
        }
        (_, Target::Single(ty)) => ty,
        _ => return false,
    };
    let message = match single {
        ValueType::Message(name) => Some(name),
        _ => None,
    };
    let scalar = match single {
        ValueType::Scalar(s) => Some(s),
        _ => message.and_then(wrapped_scalar),
    };
    match rules {
        TypeRules::Number(n) => scalar == Some(n.kind),
        TypeRules::Bool(_) => scalar == Some(Scalar::Bool),
        TypeRules::String(_) => scalar == Some(Scalar::String),
        TypeRules::Bytes(_) => scalar == Some(Scalar::Bytes),
        TypeRules::Enum(_) => matches!(single, ValueType::Enum(_)),
        TypeRules::Any(_) => message == Some(".google.protobuf.Any"),
        TypeRules::Duration(_) => message == Some(".google.protobuf.Duration"),
        TypeRules::Timestamp(_) => message == Some(".google.protobuf.Timestamp"),
        TypeRules::FieldMask(_) => message == Some(".google.protobuf.FieldMask"),
        TypeRules::Repeated(_) | TypeRules::Map(_) => false,
    }
}

fn check_number(n: &NumberRules, errors: &mut Vec<String>) {
    let family = n.kind.proto_name();
    let all = n.constant.iter().chain(&n.in_).chain(&n.not_in);
    let bounds = [n.range.lower, n.range.upper];
    if all
        .chain(bounds.iter().flatten().map(|b| &b.value))
        .any(|v| matches!(v, Number::F64(f) if f.is_nan()))
    {
        errors.push(format!("`{family}` rules cannot use NaN as a value"));
    }
    check_range(family, &n.range, compare_numbers, errors);
    check_in(family, &n.in_, &n.not_in, errors);
}

fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    match (*a, *b) {
        (Number::I64(a), Number::I64(b)) => Some(a.cmp(&b)),
        (Number::U64(a), Number::U64(b)) => Some(a.cmp(&b)),
        (Number::F64(a), Number::F64(b)) => a.partial_cmp(&b),
        _ => None,
    }
}

/// protovalidate picks the range form when `upper >= lower` and the exclusive form (outside the
/// two) otherwise; a range form that admits no value can never hold.
fn check_range<T: std::fmt::Debug>(
    family: &str,
    range: &Range<T>,
    cmp: impl Fn(&T, &T) -> Option<Ordering>,
    errors: &mut Vec<String>,
) {
    let (Some(lower), Some(upper)) = (&range.lower, &range.upper) else {
        return;
    };
    let empty = match cmp(&upper.value, &lower.value) {
        Some(Ordering::Equal) => !(lower.inclusive && upper.inclusive),
        _ => false,
    };
    if empty {
        let name = |b: &Bound<T>, lo: bool| match (lo, b.inclusive) {
            (true, true) => "gte",
            (true, false) => "gt",
            (false, true) => "lte",
            (false, false) => "lt",
        };
        errors.push(format!(
            "`{family}.{}` and `{family}.{}` admit no value",
            name(lower, true),
            name(upper, false)
        ));
    }
}

fn check_in<T: PartialEq + std::fmt::Debug>(
    family: &str,
    in_: &[T],
    not_in: &[T],
    errors: &mut Vec<String>,
) {
    if let Some(both) = in_.iter().find(|v| not_in.contains(v)) {
        errors.push(format!(
            "`{family}.in` and `{family}.not_in` both list {both:?}"
        ));
    }
}

fn check_min_max(
    family: &str,
    what: &str,
    min: Option<u64>,
    max: Option<u64>,
    errors: &mut Vec<String>,
) {
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        errors.push(format!(
            "`{family}.min_{what}` ({min}) is greater than `{family}.max_{what}` ({max})"
        ));
    }
}

fn check_len(family: &str, [len, min, max]: [(&str, Option<u64>); 3], errors: &mut Vec<String>) {
    if let ((min_name, Some(lo)), (max_name, Some(hi))) = (min, max)
        && lo > hi
    {
        errors.push(format!(
            "`{family}.{min_name}` ({lo}) is greater than `{family}.{max_name}` ({hi})"
        ));
    }
    if let (len_name, Some(len)) = len {
        for (name, bound, ok) in [
            (min.0, min.1, min.1.is_none_or(|lo| lo <= len)),
            (max.0, max.1, max.1.is_none_or(|hi| hi >= len)),
        ] {
            if !ok {
                errors.push(format!(
                    "`{family}.{len_name}` ({len}) contradicts `{family}.{name}` ({})",
                    bound.unwrap_or_default()
                ));
            }
        }
    }
}

fn check_pattern(family: &str, pattern: Option<&String>, errors: &mut Vec<String>) {
    if let Some(pattern) = pattern
        && let Err(err) = regex::Regex::new(pattern)
    {
        errors.push(format!(
            "`{family}.pattern` is not a valid RE2 regular expression: {err}"
        ));
    }
}

fn check_string(s: &StringRules, errors: &mut Vec<String>) {
    let family = "string";
    check_len(
        family,
        [
            ("len", s.len),
            ("min_len", s.min_len),
            ("max_len", s.max_len),
        ],
        errors,
    );
    check_len(
        family,
        [
            ("len_bytes", s.len_bytes),
            ("min_bytes", s.min_bytes),
            ("max_bytes", s.max_bytes),
        ],
        errors,
    );
    check_pattern(family, s.pattern.as_ref(), errors);
    check_in(family, &s.in_, &s.not_in, errors);
    if let (Some(contains), Some(not_contains)) = (&s.contains, &s.not_contains)
        && contains.contains(not_contains.as_str())
    {
        errors.push(format!(
                "`string.contains` ({contains:?}) always contains `string.not_contains` ({not_contains:?})"
            ));
    }
}

fn check_bytes(b: &BytesRules, errors: &mut Vec<String>) {
    let family = "bytes";
    check_len(
        family,
        [
            ("len", b.len),
            ("min_len", b.min_len),
            ("max_len", b.max_len),
        ],
        errors,
    );
    check_pattern(family, b.pattern.as_ref(), errors);
    check_in(family, &b.in_, &b.not_in, errors);
}

fn check_seconds(family: &str, s: &Seconds, errors: &mut Vec<String>) {
    if !(-999_999_999..=999_999_999).contains(&s.nanos)
        || (s.seconds > 0 && s.nanos < 0)
        || (s.seconds < 0 && s.nanos > 0)
    {
        errors.push(format!(
            "`{family}` rule value {}s {}ns is not a valid duration",
            s.seconds, s.nanos
        ));
    }
}
