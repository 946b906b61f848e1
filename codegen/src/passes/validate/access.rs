//! How a field's value is reached: from prost's struct (`Mode::Owned`, where values come as
//! references) or through the view's accessors (`Mode::View`, where they come by value), and
//! how a value is bound to `v` in the form the checks take (`&str`, `&[u8]`, a number,
//! `Seconds`, a message).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::Gen;
use crate::model::{Field, FieldType, Label, Message, Presence, Scalar};
use crate::rust::{ident, path_tokens};
use protogen_rules::plan::ValueKind;
use protogen_rules::wrapped_scalar;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    Owned,
    View,
}

pub(super) fn value_kind(generator: &Gen<'_>, ty: &FieldType) -> ValueKind {
    match ty {
        FieldType::Scalar(s) => ValueKind::Scalar(*s),
        FieldType::Enum(r) => {
            let numbers: Vec<i32> = generator
                .enums
                .get(r.full_name.as_str())
                .map(|e| e.values.iter().map(|v| v.number).collect())
                .unwrap_or_default();
            ValueKind::Enum {
                zero: numbers.first().copied().unwrap_or(0),
                numbers,
            }
        }
        FieldType::Message(r) | FieldType::Group(r) => match r.full_name.as_str() {
            ".google.protobuf.Timestamp" => ValueKind::Timestamp,
            ".google.protobuf.Duration" => ValueKind::Duration,
            ".google.protobuf.Any" => ValueKind::Any,
            ".google.protobuf.FieldMask" => ValueKind::FieldMask,
            name => match wrapped_scalar(name) {
                Some(s) if r.is_extern => ValueKind::Wrapper(s),
                _ if generator.generated.contains(name) && !r.is_extern => ValueKind::Message {
                    recurse: generator.checked.contains(name),
                },
                _ => ValueKind::Opaque,
            },
        },
        FieldType::Map(_) => ValueKind::Opaque,
    }
}

/// How a singular field is read.
pub(super) enum Singular {
    /// Always has a value (no presence): an expression for it.
    Present(TokenStream),
    /// May be unset: `scrutinee` is an `Option`, of the value or (oneof members) of the
    /// oneof enum, whose member is then `variant`.
    Optional {
        scrutinee: TokenStream,
        variant: Option<TokenStream>,
    },
}

/// The pattern matching a set [`Singular::Optional`], binding the value to `binding`.
pub(super) fn set_pattern(variant: &Option<TokenStream>, binding: TokenStream) -> TokenStream {
    match variant {
        Some(variant) => quote!(::core::option::Option::Some(#variant(#binding))),
        None => quote!(::core::option::Option::Some(#binding)),
    }
}

fn optional(scrutinee: TokenStream) -> Singular {
    Singular::Optional {
        scrutinee,
        variant: None,
    }
}

fn has_name(field: &Field) -> proc_macro2::Ident {
    format_ident!(
        "has_{}",
        crate::names::to_snake(&field.name).trim_start_matches("r#")
    )
}

pub(super) fn singular(
    generator: &Gen<'_>,
    message: &Message,
    field: &Field,
    mode: Mode,
) -> Singular {
    let name = ident(&field.rust_name);
    if let Some(index) = field.oneof {
        let oneof = &message.oneofs[index];
        let oneof_field = ident(&oneof.rust_field);
        let variant = ident(&field.rust_name);
        let (scrutinee, path) = match mode {
            Mode::Owned => (quote!(&self.#oneof_field), path_tokens(&oneof.rust_path)),
            Mode::View => (
                quote!(self.#oneof_field()),
                view_oneof_path(generator, message, index),
            ),
        };
        return Singular::Optional {
            scrutinee,
            variant: Some(quote!(#path::#variant)),
        };
    }
    let is_message = matches!(field.ty, FieldType::Message(_) | FieldType::Group(_));
    let tracked = field.presence == Presence::Explicit;
    // prost holds proto2 `required` scalars and groups directly, not in an `Option`: in its
    // structs they are always set.
    if mode == Mode::Owned
        && field.label == Label::Required
        && !matches!(field.ty, FieldType::Message(_))
    {
        return Singular::Present(quote!(&self.#name));
    }
    match (mode, is_message, tracked) {
        (Mode::Owned, true, _) | (Mode::Owned, false, true) => {
            optional(quote!(self.#name.as_ref()))
        }
        (Mode::View, true, _) => optional(quote!(self.#name())),
        (Mode::View, false, true) => {
            let has = has_name(field);
            optional(quote!(self.#has().then(|| self.#name())))
        }
        (Mode::Owned, false, false) => Singular::Present(quote!(&self.#name)),
        (Mode::View, false, false) => Singular::Present(quote!(self.#name())),
    }
}

fn view_oneof_path(generator: &Gen<'_>, message: &Message, index: usize) -> TokenStream {
    let names = generator.view_names();
    let (public, _) = &names.oneofs[&(message.full_name.clone(), index)];
    let mut segments = names.modules[&message.full_name].clone();
    segments.push(public.clone());
    path_tokens(&segments)
}

/// A repeated field or map: owned, a reference to the `Vec`/map; in a view, the accessor's
/// iterable.
pub(super) fn list(_message: &Message, field: &Field, mode: Mode) -> TokenStream {
    let name = ident(&field.rust_name);
    match mode {
        Mode::Owned => quote!(&self.#name),
        Mode::View => quote!(self.#name()),
    }
}

/// Whether a field counts as set for the message-level `oneof` rule.
pub(super) fn is_set(
    generator: &Gen<'_>,
    message: &Message,
    field: &Field,
    mode: Mode,
) -> TokenStream {
    if field.label == Label::Repeated {
        let list = list(message, field, mode);
        return quote!(!(#list).is_empty());
    }
    match singular(generator, message, field, mode) {
        Singular::Optional { scrutinee, variant } => {
            let pattern = set_pattern(&variant, quote!(_));
            quote!(matches!(#scrutinee, #pattern))
        }
        Singular::Present(_) => {
            let name = ident(&field.rust_name);
            let value = match mode {
                Mode::Owned => quote!(self.#name),
                Mode::View => quote!(self.#name()),
            };
            nonzero(&value_kind(generator, &field.ty), value)
        }
    }
}

pub(super) fn oneof_is_none(
    generator: &Gen<'_>,
    message: &Message,
    index: usize,
    mode: Mode,
) -> TokenStream {
    let _ = generator;
    let field = ident(&message.oneofs[index].rust_field);
    match mode {
        Mode::Owned => quote!(self.#field.is_none()),
        Mode::View => quote!(self.#field().is_none()),
    }
}

/// Statements binding `v` from `value`.
pub(super) fn bind(kind: &ValueKind, mode: Mode) -> TokenStream {
    bind_as(kind, mode, quote!(value), quote!(v))
}

pub(super) fn bind_as(
    kind: &ValueKind,
    mode: Mode,
    value: TokenStream,
    v: TokenStream,
) -> TokenStream {
    let owned_message = quote!(::protogen::View::to_owned_message(&#value));
    match (kind, mode) {
        (ValueKind::Scalar(s) | ValueKind::Wrapper(s), Mode::Owned) => match s {
            Scalar::String => quote!(let #v: &str = #value.as_str();),
            Scalar::Bytes => quote!(let #v: &[u8] = &#value[..];),
            _ => quote!(let #v = *#value;),
        },
        (ValueKind::Enum { .. }, Mode::Owned) => quote!(let #v = *#value;),
        (
            ValueKind::Scalar(_)
            | ValueKind::Enum { .. }
            | ValueKind::Message { .. }
            | ValueKind::Opaque,
            _,
        ) => {
            quote!(let #v = #value;)
        }
        (ValueKind::Wrapper(s), Mode::View) => match s {
            Scalar::String => quote!(let owned = #owned_message; let #v: &str = owned.as_str();),
            Scalar::Bytes => quote!(let owned = #owned_message; let #v: &[u8] = &owned[..];),
            _ => quote!(let #v = #owned_message;),
        },
        (ValueKind::Timestamp | ValueKind::Duration, mode) => {
            let source = match mode {
                Mode::Owned => value,
                Mode::View => owned_message,
            };
            quote! {
                let t = #source;
                let #v = ::protogen::validate::check::Seconds { seconds: t.seconds, nanos: t.nanos };
            }
        }
        (ValueKind::Any, Mode::Owned) => quote!(let #v: &str = #value.type_url.as_str();),
        (ValueKind::Any, Mode::View) => {
            quote!(let owned = #owned_message; let #v: &str = owned.type_url.as_str();)
        }
        (ValueKind::FieldMask, Mode::Owned) => quote!(let #v: &[String] = &#value.paths[..];),
        (ValueKind::FieldMask, Mode::View) => {
            quote!(let owned = #owned_message; let #v: &[String] = &owned.paths[..];)
        }
    }
}

/// An expression: the bound `v` is its type's zero value.
pub(super) fn is_zero(kind: &ValueKind) -> TokenStream {
    match kind {
        ValueKind::Scalar(s) | ValueKind::Wrapper(s) => match s {
            Scalar::String | Scalar::Bytes => quote!(v.is_empty()),
            Scalar::Bool => quote!(!v),
            // -0.0 is not the zero value: proto3 serializes it.
            Scalar::Float | Scalar::Double => quote!(v.to_bits() == 0),
            _ => quote!(v == 0),
        },
        ValueKind::Enum { zero, .. } => {
            let zero = Literal::i32_unsuffixed(*zero);
            quote!(v == #zero)
        }
        ValueKind::FieldMask => quote!(v.is_empty()),
        ValueKind::Any => quote!(v.is_empty()),
        _ => quote!(false),
    }
}

/// An expression: the bound `v` is not its type's zero value.
pub(super) fn is_nonzero(kind: &ValueKind) -> TokenStream {
    nonzero(kind, quote!(v))
}

/// An expression: the value `v` (a number, `bool`, `&str` or `&[u8]`, or an owned `String`
/// or `Vec<u8>` field) is not its type's zero value.
fn nonzero(kind: &ValueKind, v: TokenStream) -> TokenStream {
    match kind {
        ValueKind::Scalar(s) | ValueKind::Wrapper(s) => match s {
            Scalar::String | Scalar::Bytes => quote!(!#v.is_empty()),
            Scalar::Bool => quote!(#v),
            Scalar::Float | Scalar::Double => quote!(#v.to_bits() != 0),
            _ => quote!(#v != 0),
        },
        ValueKind::Enum { zero, .. } => {
            let zero = Literal::i32_unsuffixed(*zero);
            quote!(#v != #zero)
        }
        ValueKind::FieldMask | ValueKind::Any => quote!(!#v.is_empty()),
        _ => quote!(true),
    }
}
