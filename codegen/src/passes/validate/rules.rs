//! One field's rules as calls to `protogen::validate::check`, on the value bound to `v` at
//! `path`. Constants are written into the code; patterns are compiled once per process.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::Gen;
use super::access::{Mode, ValueKind};
use crate::model::Scalar;
use protogen_rules::{
    Bound, BytesFormat, BytesRules, DurationRules, EnumRules, FieldMaskRules, MapRules, Number,
    NumberRules, Range, RepeatedRules, Seconds, StringFormat, StringRules, TimestampRules,
    TypeRules,
};

const CHECK: &str = "::protogen::validate::check";

fn check(name: &str) -> TokenStream {
    let path: syn::Path = syn::parse_str(&format!("{CHECK}::{name}")).expect("valid path");
    quote!(#path)
}

/// The checks of one value's type rules (not `repeated`/`map`, which wrap them).
pub(super) fn checks(
    generator: &Gen<'_>,
    kind: &ValueKind,
    rules: &TypeRules,
    prefix: &str,
) -> TokenStream {
    let at = format!("{prefix}{}", rules.family());
    let _ = generator;
    match rules {
        TypeRules::Number(n) => number(n, &at),
        TypeRules::Bool(b) => match b.constant {
            Some(c) => {
                let f = check("constant");
                quote!(#f(ctx, &path, #at, v, #c);)
            }
            None => TokenStream::new(),
        },
        TypeRules::String(s) => string(s, &at),
        TypeRules::Bytes(b) => bytes(b, &at),
        TypeRules::Enum(e) => enum_(e, kind, &at),
        TypeRules::Duration(d) => duration(d, &at),
        TypeRules::Timestamp(t) => timestamp(t, &at),
        TypeRules::Any(a) => {
            let f = check("any_in");
            let (in_, not_in) = (&a.in_, &a.not_in);
            let mut out = TokenStream::new();
            if !in_.is_empty() {
                out.extend(quote!(#f(ctx, &path, #at, v, &[#(#in_),*], false);));
            }
            if !not_in.is_empty() {
                out.extend(quote!(#f(ctx, &path, #at, v, &[#(#not_in),*], true);));
            }
            out
        }
        TypeRules::FieldMask(m) => field_mask(m, &at),
        // Checked to fit only repeated fields and maps, which handle them.
        TypeRules::Repeated(_) | TypeRules::Map(_) => TokenStream::new(),
    }
}

fn number_literal(kind: Scalar, n: Number) -> TokenStream {
    let as_f64 = match n {
        Number::I64(i) => i as f64,
        Number::U64(u) => u as f64,
        Number::F64(f) => f,
    };
    let int = |i: i128| match kind {
        Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => Literal::i32_suffixed(i as i32),
        Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => Literal::i64_suffixed(i as i64),
        Scalar::Uint32 | Scalar::Fixed32 => Literal::u32_suffixed(i as u32),
        _ => Literal::u64_suffixed(i as u64),
    };
    match (kind, n) {
        // Floats are compared (and printed, as protovalidate prints them) as `f64`s: a `float`
        // rule's value is its `f32`, widened.
        (Scalar::Float | Scalar::Double, _) => {
            let value = if kind == Scalar::Float {
                f64::from(as_f64 as f32)
            } else {
                as_f64
            };
            if value.is_infinite() {
                return if value > 0.0 {
                    quote!(f64::INFINITY)
                } else {
                    quote!(f64::NEG_INFINITY)
                };
            }
            let lit = Literal::f64_suffixed(value);
            quote!(#lit)
        }
        (_, Number::I64(i)) => {
            let lit = int(i128::from(i));
            quote!(#lit)
        }
        (_, Number::U64(u)) => {
            let lit = int(i128::from(u));
            quote!(#lit)
        }
        (_, Number::F64(f)) => {
            let lit = int(f as i128);
            quote!(#lit)
        }
    }
}

fn range_tokens<T>(range: &Range<T>, literal: impl Fn(&T) -> TokenStream) -> Option<TokenStream> {
    if range.is_empty() {
        return None;
    }
    let bound = |b: &Option<Bound<T>>| match b {
        Some(b) => {
            let (value, inclusive) = (literal(&b.value), b.inclusive);
            quote!(::core::option::Option::Some((#value, #inclusive)))
        }
        None => quote!(::core::option::Option::None),
    };
    let (lower, upper) = (bound(&range.lower), bound(&range.upper));
    let f = check("range");
    Some(quote!(#f(ctx, &path, AT, v, #lower, #upper);))
}

/// `const`, a range, `in` and `not_in` over values written by `literal` and compared as `value`.
fn ordered<T>(
    at: &str,
    value: TokenStream,
    constant: Option<&T>,
    range: &Range<T>,
    in_: &[T],
    not_in: &[T],
    literal: impl Fn(&T) -> TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(c) = constant {
        let (f, c) = (check("constant"), literal(c));
        out.extend(quote!(#f(ctx, &path, AT, v, #c);));
    }
    out.extend(range_tokens(range, &literal));
    for (list, f) in [(in_, "in_list"), (not_in, "not_in_list")] {
        if !list.is_empty() {
            let (f, items) = (check(f), list.iter().map(&literal));
            out.extend(quote!(#f(ctx, &path, AT, &v, &[#(#items),*]);));
        }
    }
    if out.is_empty() {
        return out;
    }
    let rebind = (value.to_string() != "v").then(|| quote!(let v = #value;));
    quote! {
        {
            const AT: &str = #at;
            #rebind
            #out
        }
    }
}

fn number(n: &NumberRules, at: &str) -> TokenStream {
    let kind = n.kind;
    let literal = |v: &Number| number_literal(kind, *v);
    let value = if kind == Scalar::Float {
        quote!(f64::from(v))
    } else {
        quote!(v)
    };
    let mut out = ordered(
        at,
        value,
        n.constant.as_ref(),
        &n.range,
        &n.in_,
        &n.not_in,
        literal,
    );
    if n.finite {
        let f = check("finite");
        let v = if kind == Scalar::Double {
            quote!(v)
        } else {
            quote!(f64::from(v))
        };
        out.extend(quote!(#f(ctx, &path, #at, #v);));
    }
    out
}

fn seconds_literal(s: &Seconds, wrapper: &str) -> TokenStream {
    let (seconds, nanos) = (
        Literal::i64_suffixed(s.seconds),
        Literal::i32_suffixed(s.nanos),
    );
    let wrapper = check(wrapper);
    let seconds_ty = check("Seconds");
    quote!(#wrapper(#seconds_ty { seconds: #seconds, nanos: #nanos }))
}

fn duration(d: &DurationRules, at: &str) -> TokenStream {
    let wrap = check("Duration");
    ordered(
        at,
        quote!(#wrap(v)),
        d.constant.as_ref(),
        &d.range,
        &d.in_,
        &d.not_in,
        |s| seconds_literal(s, "Duration"),
    )
}

fn timestamp(t: &TimestampRules, at: &str) -> TokenStream {
    let wrap = check("Timestamp");
    let mut out = ordered(
        at,
        quote!(#wrap(v)),
        t.constant.as_ref(),
        &t.range,
        &[],
        &[],
        |s| seconds_literal(s, "Timestamp"),
    );
    let now = check("timestamp_now");
    if t.lt_now {
        out.extend(quote!(#now(ctx, &path, #at, v, true);));
    }
    if t.gt_now {
        out.extend(quote!(#now(ctx, &path, #at, v, false);));
    }
    if let Some(within) = &t.within {
        let (f, s) = (check("timestamp_within"), (within.seconds, within.nanos));
        let (seconds, nanos) = (Literal::i64_suffixed(s.0), Literal::i32_suffixed(s.1));
        let ty = check("Seconds");
        out.extend(quote!(#f(ctx, &path, #at, v, #ty { seconds: #seconds, nanos: #nanos });));
    }
    out
}

fn enum_(e: &EnumRules, kind: &ValueKind, at: &str) -> TokenStream {
    let literal = |n: &i32| {
        let lit = Literal::i32_suffixed(*n);
        quote!(#lit)
    };
    let mut out = ordered(
        at,
        quote!(v),
        e.constant.as_ref(),
        &Range::default(),
        &e.in_,
        &e.not_in,
        literal,
    );
    if e.defined_only {
        let numbers = match kind {
            ValueKind::Enum { numbers, .. } => numbers.clone(),
            _ => Vec::new(),
        };
        let mut numbers = numbers;
        numbers.sort_unstable();
        numbers.dedup();
        let numbers = number_patterns(&numbers);
        let f = check("defined_only");
        out.extend(quote!(#f(ctx, &path, #at, matches!(v, #(#numbers)|*));));
    }
    out
}

/// Sorted, deduplicated numbers as `|`-patterns, runs written as ranges: `0..=2 | 5`.
fn number_patterns(numbers: &[i32]) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let start = numbers[i];
        let mut end = start;
        while i + 1 < numbers.len() && numbers[i + 1] == end + 1 {
            i += 1;
            end = numbers[i];
        }
        let (a, b) = (Literal::i32_unsuffixed(start), Literal::i32_unsuffixed(end));
        out.push(match end - start {
            0 => quote!(#a),
            1 => quote!(#a | #b),
            _ => quote!(#a..=#b),
        });
        i += 1;
    }
    out
}

/// A `static` regex compiled on first use; the pattern was checked when the code was generated.
fn regex(pattern: &str) -> TokenStream {
    quote! {
        static RE: ::std::sync::LazyLock<::protogen::regex::Regex> = ::std::sync::LazyLock::new(|| {
            ::protogen::regex::Regex::new(#pattern).expect("pattern checked when generated")
        });
    }
}

fn string(s: &StringRules, at: &str) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(c) = &s.constant {
        let f = check("string_const");
        out.extend(quote!(#f(ctx, &path, #at, v, #c);));
    }
    let lengths = [
        (s.len, "Len"),
        (s.min_len, "MinLen"),
        (s.max_len, "MaxLen"),
        (s.len_bytes, "LenBytes"),
        (s.min_bytes, "MinBytes"),
        (s.max_bytes, "MaxBytes"),
    ];
    for (n, variant) in lengths {
        if let Some(n) = n {
            let (f, length) = (check("string_length"), check(&format!("Length::{variant}")));
            out.extend(quote!(#f(ctx, &path, #at, v, #length, #n);));
        }
    }
    if let Some(pattern) = &s.pattern {
        let (re, f) = (regex(pattern), check("pattern"));
        out.extend(quote!({ #re #f(ctx, &path, #at, v, &RE); }));
    }
    let affixes = [
        (&s.prefix, "Prefix"),
        (&s.suffix, "Suffix"),
        (&s.contains, "Contains"),
        (&s.not_contains, "NotContains"),
    ];
    for (part, variant) in affixes {
        if let Some(part) = part {
            let (f, affix) = (check("string_affix"), check(&format!("Affix::{variant}")));
            out.extend(quote!(#f(ctx, &path, #at, v, #affix, #part);));
        }
    }
    for (list, negate) in [(&s.in_, false), (&s.not_in, true)] {
        if !list.is_empty() {
            let f = check("string_in");
            out.extend(quote!(#f(ctx, &path, #at, v, &[#(#list),*], #negate);));
        }
    }
    if let Some(format) = s.format {
        let strict = s.strict.unwrap_or(true);
        let name = match format {
            StringFormat::HttpHeaderName if strict => "HEADER_NAME".to_owned(),
            StringFormat::HttpHeaderName => "HEADER_NAME_LOOSE".to_owned(),
            StringFormat::HttpHeaderValue if strict => "HEADER_VALUE".to_owned(),
            StringFormat::HttpHeaderValue => "HEADER_VALUE_LOOSE".to_owned(),
            other => other.name().to_uppercase(),
        };
        let konst: syn::Path =
            syn::parse_str(&format!("::protogen::validate::format::{name}")).expect("valid path");
        let f = check("string_format");
        out.extend(quote!(#f(ctx, &path, #at, v, &#konst);));
    }
    out
}

fn byte_literal(b: &[u8]) -> Literal {
    Literal::byte_string(b)
}

fn bytes(b: &BytesRules, at: &str) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(c) = &b.constant {
        let (f, c) = (check("bytes_const"), byte_literal(c));
        out.extend(quote!(#f(ctx, &path, #at, v, #c);));
    }
    for (n, variant) in [(b.len, "Len"), (b.min_len, "MinLen"), (b.max_len, "MaxLen")] {
        if let Some(n) = n {
            let (f, length) = (check("bytes_length"), check(&format!("Length::{variant}")));
            out.extend(quote!(#f(ctx, &path, #at, v, #length, #n);));
        }
    }
    if let Some(pattern) = &b.pattern {
        let (re, f) = (regex(pattern), check("bytes_pattern"));
        out.extend(quote!({ #re #f(ctx, &path, #at, v, &RE); }));
    }
    for (part, variant) in [
        (&b.prefix, "Prefix"),
        (&b.suffix, "Suffix"),
        (&b.contains, "Contains"),
    ] {
        if let Some(part) = part {
            let (f, affix, part) = (
                check("bytes_affix"),
                check(&format!("Affix::{variant}")),
                byte_literal(part),
            );
            out.extend(quote!(#f(ctx, &path, #at, v, #affix, #part);));
        }
    }
    for (list, negate) in [(&b.in_, false), (&b.not_in, true)] {
        if !list.is_empty() {
            let f = check("bytes_in");
            let items = list.iter().map(|b| byte_literal(b));
            out.extend(quote!(#f(ctx, &path, #at, v, &[#(#items),*], #negate);));
        }
    }
    if let Some(format) = b.format {
        let (f, name) = (check("bytes_format"), format.name());
        let _ = BytesFormat::Ip;
        out.extend(quote!(#f(ctx, &path, #at, v, #name);));
    }
    out
}

fn field_mask(m: &FieldMaskRules, at: &str) -> TokenStream {
    let f = check("field_mask");
    let mut out = TokenStream::new();
    if let Some(c) = &m.constant {
        out.extend(quote!(#f(ctx, &path, #at, v, "const", &[#(#c),*]);));
    }
    for (list, rule) in [(&m.in_, "in"), (&m.not_in, "not_in")] {
        if !list.is_empty() {
            out.extend(quote!(#f(ctx, &path, #at, v, #rule, &[#(#list),*]);));
        }
    }
    out
}

/// `min_items`, `max_items`, `unique` on the list bound to `list` (length `len`), and whether
/// they read `len`.
pub(super) fn repeated(r: &RepeatedRules, kind: &ValueKind, mode: Mode) -> (TokenStream, bool) {
    let uses_len = r.min_items.is_some() || r.max_items.is_some();
    let mut out = TokenStream::new();
    if let Some(n) = r.min_items {
        let f = check("min_items");
        out.extend(quote!(#f(ctx, &path, "repeated", len, #n);));
    }
    if let Some(n) = r.max_items {
        let f = check("max_items");
        out.extend(quote!(#f(ctx, &path, "repeated", len, #n);));
    }
    if r.unique {
        let f = check("unique");
        let items = match (kind, mode) {
            (ValueKind::Scalar(Scalar::String), Mode::Owned) => {
                quote!(list.iter().map(|s| s.as_str()))
            }
            (ValueKind::Scalar(Scalar::Bytes), Mode::Owned) => quote!(list.iter().map(|b| &b[..])),
            (ValueKind::Wrapper(Scalar::String), Mode::Owned) => {
                quote!(list.iter().map(|s| s.as_str()))
            }
            (ValueKind::Wrapper(Scalar::Bytes), Mode::Owned) => quote!(list.iter().map(|b| &b[..])),
            (_, Mode::Owned) => quote!(list.iter().copied()),
            (ValueKind::Wrapper(_), Mode::View) => {
                quote!(
                    list.into_iter()
                        .map(|w| ::protogen::View::to_owned_message(&w))
                )
            }
            (_, Mode::View) => quote!(list.into_iter()),
        };
        out.extend(quote!(#f(ctx, &path, "repeated", #items);));
    }
    (out, uses_len)
}

/// `min_pairs`, `max_pairs` on the map bound to `list` (length `len`).
pub(super) fn map(m: &MapRules) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(n) = m.min_pairs {
        let f = check("min_pairs");
        out.extend(quote!(#f(ctx, &path, "map", len, #n);));
    }
    if let Some(n) = m.max_pairs {
        let f = check("max_pairs");
        out.extend(quote!(#f(ctx, &path, "map", len, #n);));
    }
    out
}
