//! The `json-view` pass: proto3 JSON written straight from wire bytes through the views.
//!
//! For each message `Foo` with a view it emits `impl protogen::json::JsonViewFields for Foo`,
//! whose `write_view_fields` reads every field through `FooView`'s accessors and writes it with
//! the same kinds as the `json` pass (wrappers through `protogen::json::Wrapped`, as views hand
//! them out as `ExternView`s). It needs the `view` and `json` passes; `Passes` runs it only with
//! both (see `passes/mod.rs`). The view oneof enums' names come from the view pass's
//! [`ViewNames`], the one place they are chosen.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::json::{element_kind_for, in_json_scope, scalar_kind, supported_messages};
use super::view::ViewNames;
use crate::model::{Field, FieldType, Label, Message, Model, Package, Presence};
use crate::rust::{doc_attr, ident, path_tokens};

pub(super) fn package(model: &Model, package: &Package) -> TokenStream {
    let supported = supported_messages(model);
    let names = ViewNames::new(model);
    let mut out = TokenStream::new();
    for message in package.all_messages() {
        if supported.contains(message.full_name.as_str()) {
            out.extend(message_impl(message, &names));
        }
    }
    in_json_scope(out)
}

fn message_impl(message: &Message, names: &ViewNames) -> TokenStream {
    let ty = path_tokens(&message.rust_path);
    let full_name = message.full_name.trim_start_matches('.');
    let doc = doc_attr(&format!("proto3 JSON of `{full_name}`, from its view."));
    let mut order: Vec<usize> = (0..message.fields.len()).collect();
    order.sort_by_key(|&i| message.fields[i].number);
    let mut oneofs_written = HashSet::new();
    let mut writes = Vec::new();
    for i in order {
        let field = &message.fields[i];
        match field.oneof {
            Some(o) => {
                if oneofs_written.insert(o) {
                    writes.push(oneof_write(message, o, names));
                }
            }
            None => writes.push(field_write(field)),
        }
    }
    let body = if writes.is_empty() {
        quote!(let _ = (view, object);)
    } else {
        quote!(#(#writes)*)
    };
    quote! {
        #doc
        #[allow(deprecated)]
        impl __pj::JsonViewFields for #ty {
            fn write_view_fields(
                view: &<Self as ::protogen::Owned>::View<'_>,
                object: &mut __pj::ViewObject<'_>,
            ) -> ::core::result::Result<(), __pj::EncodeError> {
                #body
                ::core::result::Result::Ok(())
            }
        }
    }
}

fn field_write(field: &Field) -> TokenStream {
    let (json, proto) = (&field.json_name, &field.name);
    let accessor = ident(&field.rust_name);
    if let FieldType::Map(map) = &field.ty {
        let key = scalar_kind(map.key, field.bytes_repr);
        let value = element_kind_for(&map.value, field.bytes_repr, true);
        return quote!(object.map::<#key, #value, _>(#json, #proto, view.#accessor())?;);
    }
    let kind = element_kind_for(&field.ty, field.bytes_repr, true);
    if field.is_repeated() {
        return quote!(object.repeated::<#kind, _>(#json, #proto, view.#accessor())?;);
    }
    let message = matches!(field.ty, FieldType::Message(_) | FieldType::Group(_));
    if message {
        return if field.label == Label::Required {
            quote! {
                object.present::<#kind>(#json, #proto, view.#accessor().unwrap_or_default())?;
            }
        } else {
            quote!(object.optional::<#kind>(#json, #proto, view.#accessor())?;)
        };
    }
    if field.label == Label::Required {
        return quote!(object.present::<#kind>(#json, #proto, view.#accessor())?;);
    }
    if field.presence == Presence::Explicit {
        let has = format_ident!("has_{}", field.rust_name.trim_start_matches("r#"));
        return quote! {
            object.optional::<#kind>(#json, #proto, view.#has().then(|| view.#accessor()))?;
        };
    }
    quote!(object.field::<#kind>(#json, #proto, view.#accessor())?;)
}

fn oneof_write(message: &Message, index: usize, names: &ViewNames) -> TokenStream {
    let oneof = &message.oneofs[index];
    let accessor = ident(&oneof.rust_field);
    let (public, _) = &names.oneofs[&(message.full_name.clone(), index)];
    let mut path = names.modules[&message.full_name].clone();
    path.push(public.clone());
    let enum_path = path_tokens(&path);
    let arms = oneof.fields.iter().map(|&i| {
        let field = &message.fields[i];
        let kind = element_kind_for(&field.ty, field.bytes_repr, true);
        let (json, proto) = (&field.json_name, &field.name);
        let variant = ident(&field.rust_name);
        quote!(#enum_path::#variant(value) => object.present::<#kind>(#json, #proto, value)?,)
    });
    quote! {
        if let ::core::option::Option::Some(value) = view.#accessor() {
            match value {
                #(#arms)*
            }
        }
    }
}
