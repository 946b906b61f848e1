//! `JsonMessage::write_fields`: one line per field, naming its JSON name, proto name and kind.

use proc_macro2::TokenStream;
use quote::quote;

use super::kind::field_kind;
use super::{Storage, storage};
use crate::model::{Field, Label, Message};
use crate::rust::{ident, path_tokens};

pub(super) fn plain_write(field: &Field) -> TokenStream {
    let kind = field_kind(field);
    let (json, proto) = (&field.json_name, &field.name);
    let name = ident(&field.rust_name);
    match storage(field) {
        Storage::Plain if field.label == Label::Required => {
            quote!(sink.present::<#kind>(#json, #proto, &self.#name)?;)
        }
        Storage::Plain => quote!(sink.field::<#kind>(#json, #proto, &self.#name)?;),
        Storage::Option => quote!(sink.optional::<#kind>(#json, #proto, &self.#name)?;),
        Storage::Boxed => quote! {
            if let ::core::option::Option::Some(value) = &self.#name {
                sink.present::<#kind>(#json, #proto, &**value)?;
            }
        },
    }
}

pub(super) fn oneof_write(message: &Message, index: usize) -> TokenStream {
    let oneof = &message.oneofs[index];
    let field_name = ident(&oneof.rust_field);
    let enum_path = path_tokens(&oneof.rust_path);
    let arms = oneof.fields.iter().map(|&i| {
        let field = &message.fields[i];
        let kind = field_kind(field);
        let (json, proto) = (&field.json_name, &field.name);
        let variant = ident(&field.rust_name);
        let value = if field.boxed {
            quote!(&**value)
        } else {
            quote!(value)
        };
        quote!(#enum_path::#variant(value) => sink.present::<#kind>(#json, #proto, #value)?,)
    });
    quote! {
        if let ::core::option::Option::Some(value) = &self.#field_name {
            match value {
                #(#arms)*
            }
        }
    }
}
