//! The resolvers: `impl protogen::graphql::Object` for each message and its view, one `match` arm
//! per field of its object type (numbered as [`object_fields`] lists them, as the SDL prints
//! them), then one per oneof member (numbered on, oneof after oneof). Each arm hands the field's
//! value to the runtime's `Out`, which writes it as the query's selection says: the generated
//! code only says where a value is and what it is.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::schema::{ObjectField, object_fields};
use crate::model::{Field, FieldType, Label, Message, Presence, Scalar, TypeRef};
use crate::passes::json::element_kind_for;
use crate::passes::view::ViewNames;
use crate::rust::{ident, path_tokens};

/// How a value reaches the resolver: a reference into prost's struct, or a view accessor's value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Owned,
    View,
}

/// `impl Object` for `message` (`Source::Owned`) or for its view.
pub(super) fn object_impl(message: &Message, source: Source, names: &ViewNames) -> TokenStream {
    let ty = match source {
        Source::Owned => path_tokens(&message.rust_path),
        Source::View => {
            let path = path_tokens(&names.views[&message.full_name]);
            quote!(#path<'_>)
        }
    };
    let mut arms = Vec::new();
    let mut members = Vec::new();
    for (index, item) in object_fields(message).into_iter().enumerate() {
        let index = Literal::u32_unsuffixed(index as u32);
        let value = match item {
            ObjectField::Field(i) => field_value(&message.fields[i], source),
            ObjectField::Oneof(o) => {
                members.push(o);
                let arm = oneof_case(message, o, source, names);
                arms.push(quote!(#index => #arm,));
                continue;
            }
            ObjectField::Placeholder => quote!(::core::option::Option::<bool>::None),
        };
        arms.push(quote!(#index => out.value(#value),));
    }
    let mut next = object_fields(message).len() as u32;
    for o in members {
        for &i in &message.oneofs[o].fields {
            let index = Literal::u32_unsuffixed(next);
            next += 1;
            let arm = member_value(message, o, i, source, names);
            arms.push(quote!(#index => #arm,));
        }
    }
    quote! {
        #[allow(deprecated)]
        impl __pg::Object for #ty {
            fn resolve(&self, field: u32, out: __pg::Out<'_, '_>) -> __pg::Resolved {
                match field {
                    #(#arms)*
                    _ => out.null(),
                }
            }
        }
    }
}

/// The value of a field that is not in a oneof.
fn field_value(field: &Field, source: Source) -> TokenStream {
    let name = ident(&field.rust_name);
    let message = matches!(field.ty, FieldType::Message(_) | FieldType::Group(_));
    if let FieldType::Map(map) = &field.ty {
        let key_ty = FieldType::Scalar(map.key);
        let (entries, key, value) = match source {
            Source::Owned => (
                quote!(self.#name.iter()),
                element(&key_ty, field, Form::Ref(quote!(k))),
                element(&map.value, field, Form::Ref(quote!(v))),
            ),
            Source::View => (
                quote!(::core::iter::IntoIterator::into_iter(self.#name())),
                element(&key_ty, field, Form::View(quote!(k))),
                element(&map.value, field, Form::View(quote!(v))),
            ),
        };
        return quote!(__pg::List(#entries.map(|(k, v)| __pg::Obj(__pg::Entry(#key, #value)))));
    }
    if field.is_repeated() {
        let items = match source {
            Source::Owned => mapped(quote!(self.#name.iter()), &field.ty, field, true),
            Source::View => mapped(quote!(self.#name()), &field.ty, field, false),
        };
        return quote!(__pg::List(#items));
    }
    let required = field.label == Label::Required;
    let optional = !required && (message || field.presence == Presence::Explicit);
    match source {
        Source::Owned if !optional => element(&field.ty, field, Form::Place(quote!(self.#name))),
        Source::Owned if copied(&field.ty) => quote!(self.#name),
        // `Option<&str>`, `Option<&[u8]>`: values as they are.
        Source::Owned if as_deref(&field.ty) => quote!(self.#name.as_deref()),
        Source::Owned if field.boxed => {
            mapped(quote!(self.#name.as_deref()), &field.ty, field, true)
        }
        Source::Owned => mapped(quote!(self.#name.as_ref()), &field.ty, field, true),
        Source::View if message && required => element(
            &field.ty,
            field,
            Form::View(quote!(self.#name().unwrap_or_default())),
        ),
        Source::View if message => mapped(quote!(self.#name()), &field.ty, field, false),
        Source::View if optional => {
            let has = format_ident!("has_{}", field.rust_name.trim_start_matches("r#"));
            let value = element(&field.ty, field, Form::View(quote!(self.#name())));
            quote!(self.#has().then(|| #value))
        }
        Source::View => element(&field.ty, field, Form::View(quote!(self.#name()))),
    }
}

/// An expression a value comes as: a reference (`Ref`), a place in prost's struct (`Place`),
/// a view accessor's value (`View`).
enum Form {
    Ref(TokenStream),
    Place(TokenStream),
    View(TokenStream),
}

/// Values that are `Value`s as they are when copied out of prost's struct: numbers and bools.
fn copied(ty: &FieldType) -> bool {
    match ty {
        FieldType::Scalar(s) => !matches!(s, Scalar::String | Scalar::Bytes),
        FieldType::Message(r) => r
            .full_name
            .strip_prefix(".google.protobuf.")
            .is_some_and(|n| {
                r.is_extern && wrapped_scalar(n).is_some_and(|s| copied(&FieldType::Scalar(s)))
            }),
        _ => false,
    }
}

/// Values whose `Option` becomes a `Value` by `as_deref`: strings and bytes (`Option<&str>`,
/// `Option<&[u8]>`).
fn as_deref(ty: &FieldType) -> bool {
    let scalar = match ty {
        FieldType::Scalar(s) => Some(*s),
        FieldType::Message(r) if r.is_extern => r
            .full_name
            .strip_prefix(".google.protobuf.")
            .and_then(wrapped_scalar),
        _ => None,
    };
    matches!(scalar, Some(Scalar::String | Scalar::Bytes))
}

/// `items` (an iterator or `Option` of references, when `refs`, else of view values) mapped to
/// `Value`s.
fn mapped(items: TokenStream, ty: &FieldType, field: &Field, refs: bool) -> TokenStream {
    if refs && copied(ty) {
        return quote!(#items.copied());
    }
    if !refs && view_value_as_is(ty) {
        return items;
    }
    let function = match (ty, refs) {
        (FieldType::Message(r) | FieldType::Group(r), _) if !is_well_known(r) => {
            Some(quote!(__pg::Obj))
        }
        (FieldType::Scalar(Scalar::String), true) => {
            Some(quote!(::prost::alloc::string::String::as_str))
        }
        (FieldType::Enum(r), false) if r.full_name != ".google.protobuf.NullValue" => {
            let path = type_path(&r.rust_path);
            Some(quote!(__pg::Enum::<#path>::new))
        }
        _ if written_by_json_kind(ty) => {
            let kind = element_kind_for(ty, field.bytes_repr, !refs);
            Some(if refs {
                quote!(__pg::Json::<#kind>)
            } else {
                quote!(__pg::JsonView::<#kind>)
            })
        }
        _ => None,
    };
    if let Some(function) = function {
        return quote!(#items.map(#function));
    }
    if is_empty(ty) {
        return quote!(#items.map(|_| __pg::Obj(__pg::Empty)));
    }
    let form = if refs {
        Form::Ref(quote!(v))
    } else {
        Form::View(quote!(v))
    };
    let value = element(ty, field, form);
    quote!(#items.map(|v| #value))
}

/// Well-known types written by their proto3 JSON kind: `NullValue`, and every well-known message
/// but `Empty` and the wrappers.
fn written_by_json_kind(ty: &FieldType) -> bool {
    match ty {
        FieldType::Enum(r) => r.full_name == ".google.protobuf.NullValue",
        FieldType::Message(r) | FieldType::Group(r) => {
            is_well_known(r)
                && !is_empty(ty)
                && r.full_name
                    .strip_prefix(".google.protobuf.")
                    .is_some_and(|n| wrapped_scalar(n).is_none())
        }
        _ => false,
    }
}

/// `google.protobuf.Empty`, whose value says nothing.
fn is_empty(ty: &FieldType) -> bool {
    matches!(ty, FieldType::Message(r) if is_well_known(r) && r.full_name == ".google.protobuf.Empty")
}

/// View values that are `Value`s as they are: scalars.
fn view_value_as_is(ty: &FieldType) -> bool {
    matches!(ty, FieldType::Scalar(_))
}

fn is_well_known(r: &TypeRef) -> bool {
    r.is_extern && r.full_name.starts_with(".google.protobuf.")
}

/// One value of type `ty` as a runtime `Value`.
fn element(ty: &FieldType, field: &Field, v: Form) -> TokenStream {
    match ty {
        FieldType::Scalar(s) => scalar(*s, field, v),
        FieldType::Enum(r) if r.full_name == ".google.protobuf.NullValue" => {
            json_kind(ty, field, v)
        }
        FieldType::Enum(r) => {
            let path = type_path(&r.rust_path);
            let n = match v {
                Form::Ref(v) => quote!(*#v),
                Form::Place(v) | Form::View(v) => v,
            };
            quote!(__pg::Enum::<#path>::new(#n))
        }
        FieldType::Message(r) | FieldType::Group(r) => message_value(r, ty, field, v),
        FieldType::Map(_) => unreachable!("map values are elements"),
    }
}

fn message_value(r: &TypeRef, ty: &FieldType, field: &Field, v: Form) -> TokenStream {
    let wkt = is_well_known(r)
        .then(|| r.full_name.strip_prefix(".google.protobuf."))
        .flatten();
    match (wkt, v) {
        (Some("Empty"), _) => quote!(__pg::Obj(__pg::Empty)),
        (Some(name), Form::View(v)) if wrapped_scalar(name).is_some() => {
            // The wrapper's value, decoded: NaN must be a field error, as for a plain double,
            // which the JSON kind (writing "NaN") would not give.
            quote!(::protogen::View::to_owned_message(&#v))
        }
        (Some(name), v) if wrapped_scalar(name).is_some() => {
            scalar(wrapped_scalar(name).expect("checked"), field, v)
        }
        (Some(_), v) => json_kind(ty, field, v),
        (None, Form::Place(v)) => quote!(__pg::Obj(&#v)),
        (None, Form::Ref(v) | Form::View(v)) => quote!(__pg::Obj(#v)),
    }
}

/// A well-known type written by its proto3 JSON kind.
fn json_kind(ty: &FieldType, field: &Field, v: Form) -> TokenStream {
    match v {
        Form::Ref(v) => {
            let kind = element_kind_for(ty, field.bytes_repr, false);
            quote!(__pg::Json::<#kind>(#v))
        }
        Form::Place(v) => {
            let kind = element_kind_for(ty, field.bytes_repr, false);
            quote!(__pg::Json::<#kind>(&#v))
        }
        Form::View(v) => {
            let kind = element_kind_for(ty, field.bytes_repr, true);
            quote!(__pg::JsonView::<#kind>(#v))
        }
    }
}

/// The scalar a wrapper type wraps.
fn wrapped_scalar(name: &str) -> Option<Scalar> {
    Some(match name {
        "BoolValue" => Scalar::Bool,
        "Int32Value" => Scalar::Int32,
        "Int64Value" => Scalar::Int64,
        "UInt32Value" => Scalar::Uint32,
        "UInt64Value" => Scalar::Uint64,
        "FloatValue" => Scalar::Float,
        "DoubleValue" => Scalar::Double,
        "StringValue" => Scalar::String,
        "BytesValue" => Scalar::Bytes,
        _ => return None,
    })
}

/// A scalar as a `Value`: `&str`, `&[u8]`, a number or a bool.
fn scalar(s: Scalar, _field: &Field, v: Form) -> TokenStream {
    match (s, v) {
        (_, Form::View(v)) => v,
        (Scalar::String, Form::Ref(v) | Form::Place(v)) => quote!(#v.as_str()),
        (Scalar::Bytes, Form::Ref(v) | Form::Place(v)) => quote!(&#v[..]),
        (_, Form::Ref(v)) => quote!(*#v),
        (_, Form::Place(v)) => v,
    }
}

fn type_path(path: &str) -> TokenStream {
    let parsed: syn::Type = syn::parse_str(path).expect("prost type paths parse");
    quote!(#parsed)
}

/// A oneof's union: which member is set (its position among the oneof's fields).
fn oneof_case(message: &Message, o: usize, source: Source, names: &ViewNames) -> TokenStream {
    let oneof = &message.oneofs[o];
    let (value, enum_path) = oneof_access(message, o, source, names);
    let arms = oneof.fields.iter().enumerate().map(|(m, &i)| {
        let variant = ident(&message.fields[i].rust_name);
        quote!(#enum_path::#variant(_) => #m,)
    });
    quote!(out.union(self, #value.map(|v| match v { #(#arms)* })))
}

/// The value of oneof member `i` (a field index), null when another member is set.
fn member_value(
    message: &Message,
    o: usize,
    i: usize,
    source: Source,
    names: &ViewNames,
) -> TokenStream {
    let field = &message.fields[i];
    let (value, enum_path) = oneof_access(message, o, source, names);
    let variant = ident(&field.rust_name);
    let v = match source {
        // Only message members are boxed: `Obj(&**v)`.
        Source::Owned if field.boxed => Form::Ref(quote!(&**v)),
        Source::Owned => Form::Ref(quote!(v)),
        Source::View => Form::View(quote!(v)),
    };
    let element = element(&field.ty, field, v);
    let binding = if is_empty(&field.ty) {
        quote!(_)
    } else {
        quote!(v)
    };
    quote! {
        match #value {
            ::core::option::Option::Some(#enum_path::#variant(#binding)) => out.value(#element),
            _ => out.null(),
        }
    }
}

/// The oneof's value (`Option` of its enum) and the enum's path.
fn oneof_access(
    message: &Message,
    o: usize,
    source: Source,
    names: &ViewNames,
) -> (TokenStream, TokenStream) {
    let oneof = &message.oneofs[o];
    let field = ident(&oneof.rust_field);
    match source {
        Source::Owned => (quote!(self.#field.as_ref()), path_tokens(&oneof.rust_path)),
        Source::View => {
            let (public, _) = &names.oneofs[&(message.full_name.clone(), o)];
            let mut path = names.modules[&message.full_name].clone();
            path.push(public.clone());
            (quote!(self.#field()), path_tokens(&path))
        }
    }
}
