//! A plan's checks (`protogen_rules::plan::Check`) as calls to `protogen::validate::check`, on
//! the value bound to `v` at `path`: one call per check, in the plan's order. Constants are
//! written into the code; patterns are compiled once per process.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::access::Mode;
use crate::model::Scalar;
use protogen_rules::plan::{Affix, Check, Constant, Length, Rule, ValueKind};
use protogen_rules::{Bound, Number, Seconds, StringFormat};

const CHECK: &str = "::protogen::validate::check";

fn check(name: &str) -> TokenStream {
    let path: syn::Path = syn::parse_str(&format!("{CHECK}::{name}")).expect("valid path");
    quote!(#path)
}

/// The calls of `checks` on one value of `kind` bound to `v`. The ordered rules of a family
/// (`const`, the range, `in`, `not_in`), which the plan puts first, share one block naming
/// their rule path once.
pub(super) fn checks(checks: &[Check], kind: &ValueKind) -> TokenStream {
    let ordered = checks.iter().take_while(|c| is_ordered(&c.rule)).count();
    let mut out = ordered_block(&checks[..ordered], kind);
    for c in &checks[ordered..] {
        out.extend(call(c, kind));
    }
    out
}

fn is_ordered(rule: &Rule) -> bool {
    matches!(
        rule,
        Rule::Const(_) | Rule::Range { .. } | Rule::In(_) | Rule::NotIn(_)
    )
}

/// `const`, the range, `in` and `not_in` over `v` as its family compares it.
fn ordered_block(checks: &[Check], kind: &ValueKind) -> TokenStream {
    let Some(first) = checks.first() else {
        return TokenStream::new();
    };
    let at = &first.at;
    let mut out = TokenStream::new();
    for c in checks {
        out.extend(match &c.rule {
            Rule::Const(value) => {
                let (f, value) = (check("constant"), constant(value));
                quote!(#f(ctx, &path, AT, v, #value);)
            }
            Rule::Range { lower, upper } => {
                let bound = |b: &Option<Bound<Constant>>| match b {
                    Some(b) => {
                        let (value, inclusive) = (constant(&b.value), b.inclusive);
                        quote!(::core::option::Option::Some((#value, #inclusive)))
                    }
                    None => quote!(::core::option::Option::None),
                };
                let (f, lower, upper) = (check("range"), bound(lower), bound(upper));
                quote!(#f(ctx, &path, AT, v, #lower, #upper);)
            }
            Rule::In(list) | Rule::NotIn(list) => {
                let name = match c.rule {
                    Rule::In(_) => "in_list",
                    _ => "not_in_list",
                };
                let (f, items) = (check(name), list.iter().map(constant));
                quote!(#f(ctx, &path, AT, &v, &[#(#items),*]);)
            }
            _ => unreachable!("only ordered rules"),
        });
    }
    // The value as the family compares it.
    let rebind = match kind {
        ValueKind::Duration => {
            let wrap = check("Duration");
            Some(quote!(let v = #wrap(v);))
        }
        ValueKind::Timestamp => {
            let wrap = check("Timestamp");
            Some(quote!(let v = #wrap(v);))
        }
        ValueKind::Scalar(Scalar::Float) | ValueKind::Wrapper(Scalar::Float) => {
            Some(quote!(let v = f64::from(v);))
        }
        _ => None,
    };
    quote! {
        {
            const AT: &str = #at;
            #rebind
            #out
        }
    }
}

/// A rule value as a literal of the type its value is compared as.
fn constant(value: &Constant) -> TokenStream {
    match value {
        Constant::Number(kind, n) => number_literal(*kind, *n),
        Constant::Enum(n) => {
            let lit = Literal::i32_suffixed(*n);
            quote!(#lit)
        }
        Constant::Duration(s) => seconds_literal(s, "Duration"),
        Constant::Timestamp(s) => seconds_literal(s, "Timestamp"),
    }
}

/// A normalized number (see `protogen_rules::plan::normalize`) with the suffix of its kind.
fn number_literal(kind: Scalar, n: Number) -> TokenStream {
    let lit = match (kind, n) {
        (_, Number::F64(f)) if f.is_infinite() && f > 0.0 => return quote!(f64::INFINITY),
        (_, Number::F64(f)) if f.is_infinite() => return quote!(f64::NEG_INFINITY),
        (_, Number::F64(f)) => Literal::f64_suffixed(f),
        (Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32, Number::I64(i)) => {
            Literal::i32_suffixed(i as i32)
        }
        (_, Number::I64(i)) => Literal::i64_suffixed(i),
        (Scalar::Uint32 | Scalar::Fixed32, Number::U64(u)) => Literal::u32_suffixed(u as u32),
        (_, Number::U64(u)) => Literal::u64_suffixed(u),
    };
    quote!(#lit)
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

/// One rule that is not of the ordered group.
fn call(c: &Check, kind: &ValueKind) -> TokenStream {
    let at = &c.at;
    match &c.rule {
        Rule::Const(_) | Rule::Range { .. } | Rule::In(_) | Rule::NotIn(_) => {
            ordered_block(std::slice::from_ref(c), kind)
        }
        Rule::Finite => {
            let f = check("finite");
            let v = match kind {
                ValueKind::Scalar(Scalar::Double) | ValueKind::Wrapper(Scalar::Double) => {
                    quote!(v)
                }
                _ => quote!(f64::from(v)),
            };
            quote!(#f(ctx, &path, #at, #v);)
        }
        Rule::BoolConst(c) => {
            let f = check("constant");
            quote!(#f(ctx, &path, #at, v, #c);)
        }
        Rule::StringConst(c) => {
            let f = check("string_const");
            quote!(#f(ctx, &path, #at, v, #c);)
        }
        Rule::StringLength(length, n) => {
            let (f, length) = (check("string_length"), length_path(*length));
            quote!(#f(ctx, &path, #at, v, #length, #n);)
        }
        Rule::StringPattern(pattern) => {
            let (re, f) = (regex(pattern), check("pattern"));
            quote!({ #re #f(ctx, &path, #at, v, &RE); })
        }
        Rule::StringAffix(affix, part) => {
            let (f, affix) = (check("string_affix"), affix_path(*affix));
            quote!(#f(ctx, &path, #at, v, #affix, #part);)
        }
        Rule::StringIn { list, negate } => {
            let f = check("string_in");
            quote!(#f(ctx, &path, #at, v, &[#(#list),*], #negate);)
        }
        Rule::StringFormat { format, strict } => {
            let name = match (format, strict) {
                (StringFormat::HttpHeaderName, true) => "HEADER_NAME".to_owned(),
                (StringFormat::HttpHeaderName, false) => "HEADER_NAME_LOOSE".to_owned(),
                (StringFormat::HttpHeaderValue, true) => "HEADER_VALUE".to_owned(),
                (StringFormat::HttpHeaderValue, false) => "HEADER_VALUE_LOOSE".to_owned(),
                (other, _) => other.name().to_uppercase(),
            };
            let konst: syn::Path = syn::parse_str(&format!("::protogen::validate::format::{name}"))
                .expect("valid path");
            let f = check("string_format");
            quote!(#f(ctx, &path, #at, v, &#konst);)
        }
        Rule::BytesConst(c) => {
            let (f, c) = (check("bytes_const"), Literal::byte_string(c));
            quote!(#f(ctx, &path, #at, v, #c);)
        }
        Rule::BytesLength(length, n) => {
            let (f, length) = (check("bytes_length"), length_path(*length));
            quote!(#f(ctx, &path, #at, v, #length, #n);)
        }
        Rule::BytesPattern(pattern) => {
            let (re, f) = (regex(pattern), check("bytes_pattern"));
            quote!({ #re #f(ctx, &path, #at, v, &RE); })
        }
        Rule::BytesAffix(affix, part) => {
            let (f, affix, part) = (
                check("bytes_affix"),
                affix_path(*affix),
                Literal::byte_string(part),
            );
            quote!(#f(ctx, &path, #at, v, #affix, #part);)
        }
        Rule::BytesIn { list, negate } => {
            let f = check("bytes_in");
            let items = list.iter().map(|b| Literal::byte_string(b));
            quote!(#f(ctx, &path, #at, v, &[#(#items),*], #negate);)
        }
        Rule::BytesFormat(format) => {
            let (f, name) = (check("bytes_format"), format.name());
            quote!(#f(ctx, &path, #at, v, #name);)
        }
        Rule::DefinedOnly(numbers) => {
            let (f, numbers) = (check("defined_only"), number_patterns(numbers));
            quote!(#f(ctx, &path, #at, matches!(v, #(#numbers)|*));)
        }
        Rule::AnyIn { list, negate } => {
            let f = check("any_in");
            quote!(#f(ctx, &path, #at, v, &[#(#list),*], #negate);)
        }
        Rule::TimestampNow { before } => {
            let f = check("timestamp_now");
            quote!(#f(ctx, &path, #at, v, #before);)
        }
        Rule::TimestampWithin(within) => {
            let (seconds, nanos) = (
                Literal::i64_suffixed(within.seconds),
                Literal::i32_suffixed(within.nanos),
            );
            let (f, ty) = (check("timestamp_within"), check("Seconds"));
            quote!(#f(ctx, &path, #at, v, #ty { seconds: #seconds, nanos: #nanos });)
        }
        Rule::FieldMask { rule, paths } => {
            let f = check("field_mask");
            quote!(#f(ctx, &path, #at, v, #rule, &[#(#paths),*]);)
        }
        // The list's and map's own rules (see `collection`), never on a value.
        Rule::MinItems(_) | Rule::MaxItems(_) | Rule::Unique => TokenStream::new(),
        Rule::MinPairs(_) | Rule::MaxPairs(_) => TokenStream::new(),
    }
}

fn length_path(length: Length) -> TokenStream {
    let variant = match length {
        Length::Len => "Len",
        Length::MinLen => "MinLen",
        Length::MaxLen => "MaxLen",
        Length::LenBytes => "LenBytes",
        Length::MinBytes => "MinBytes",
        Length::MaxBytes => "MaxBytes",
    };
    check(&format!("Length::{variant}"))
}

fn affix_path(affix: Affix) -> TokenStream {
    let variant = match affix {
        Affix::Prefix => "Prefix",
        Affix::Suffix => "Suffix",
        Affix::Contains => "Contains",
        Affix::NotContains => "NotContains",
    };
    check(&format!("Affix::{variant}"))
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

/// The list's or map's own checks (`min_items`, `max_items`, `unique`, `min_pairs`,
/// `max_pairs`) on the collection bound to `list` (its length bound to `len`), items of `kind`;
/// and whether they read `len`.
pub(super) fn collection(checks: &[Check], kind: &ValueKind, mode: Mode) -> (TokenStream, bool) {
    let mut out = TokenStream::new();
    let mut uses_len = false;
    for c in checks {
        let at = &c.at;
        let (name, n) = match c.rule {
            Rule::MinItems(n) => ("min_items", n),
            Rule::MaxItems(n) => ("max_items", n),
            Rule::MinPairs(n) => ("min_pairs", n),
            Rule::MaxPairs(n) => ("max_pairs", n),
            Rule::Unique => {
                let (f, items) = (check("unique"), unique_items(kind, mode));
                out.extend(quote!(#f(ctx, &path, #at, #items);));
                continue;
            }
            _ => continue,
        };
        uses_len = true;
        let f = check(name);
        out.extend(quote!(#f(ctx, &path, #at, len, #n);));
    }
    (out, uses_len)
}

/// The items of the list bound to `list`, as `check::unique` compares them.
fn unique_items(kind: &ValueKind, mode: Mode) -> TokenStream {
    match (kind, mode) {
        (ValueKind::Scalar(Scalar::String) | ValueKind::Wrapper(Scalar::String), Mode::Owned) => {
            quote!(list.iter().map(|s| s.as_str()))
        }
        (ValueKind::Scalar(Scalar::Bytes) | ValueKind::Wrapper(Scalar::Bytes), Mode::Owned) => {
            quote!(list.iter().map(|b| &b[..]))
        }
        (_, Mode::Owned) => quote!(list.iter().copied()),
        (ValueKind::Wrapper(_), Mode::View) => {
            quote!(
                list.into_iter()
                    .map(|w| ::protogen::View::to_owned_message(&w))
            )
        }
        (_, Mode::View) => quote!(list.into_iter()),
    }
}
