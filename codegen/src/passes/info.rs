//! The `info` pass: static descriptions of every message and enum (`protogen::MessageInfo`,
//! `protogen::EnumInfo`), so generic code can name fields and values without reflection.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Enum, FieldType, Label, Message, Model, Package, Presence, Scalar};
use crate::rust::{doc_attr, path_tokens};

pub(super) fn package(_model: &Model, package: &Package) -> TokenStream {
    let messages = package.all_messages().map(message_info);
    let enums = package.all_enums().map(enum_info);
    quote! { #(#messages)* #(#enums)* }
}

fn message_info(message: &Message) -> TokenStream {
    let ty = path_tokens(&message.rust_path);
    let full_name = message.full_name.trim_start_matches('.');
    let doc = doc_attr(&format!(
        "Names, numbers and types of `{full_name}`'s fields."
    ));
    let fields = message.fields.iter().map(|field| {
        let (name, json_name) = (&field.name, &field.json_name);
        let number = proc_macro2::Literal::u32_unsuffixed(field.number);
        let kind = kind_tokens(&field.ty);
        let cardinality = match (field.label, field.presence) {
            (Label::Repeated, _) if field.is_map() => quote!(Map),
            (Label::Repeated, _) => quote!(Repeated),
            (Label::Required, _) => quote!(Required),
            (Label::Optional, Presence::Explicit) => quote!(Optional),
            (Label::Optional, Presence::Implicit) => quote!(Singular),
        };
        let oneof = match field.oneof {
            Some(i) => {
                let name = &message.oneofs[i].name;
                quote!(::core::option::Option::Some(#name))
            }
            None => quote!(::core::option::Option::None),
        };
        quote! {
            ::protogen::FieldInfo {
                number: #number,
                name: #name,
                json_name: #json_name,
                kind: #kind,
                cardinality: ::protogen::Cardinality::#cardinality,
                oneof: #oneof,
            }
        }
    });
    quote! {
        #doc
        impl ::protogen::MessageInfo for #ty {
            const FULL_NAME: &'static str = #full_name;
            const FIELDS: &'static [::protogen::FieldInfo] = &[#(#fields),*];
        }
    }
}

fn kind_tokens(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Scalar(s) => {
            let variant = scalar_variant(*s);
            quote!(::protogen::FieldKind::#variant)
        }
        FieldType::Enum(r) => {
            let name = r.full_name.trim_start_matches('.');
            quote!(::protogen::FieldKind::Enum(#name))
        }
        FieldType::Message(r) => {
            let name = r.full_name.trim_start_matches('.');
            quote!(::protogen::FieldKind::Message(#name))
        }
        FieldType::Group(r) => {
            let name = r.full_name.trim_start_matches('.');
            quote!(::protogen::FieldKind::Group(#name))
        }
        FieldType::Map(map) => {
            let key = kind_tokens(&FieldType::Scalar(map.key));
            let value = kind_tokens(&map.value);
            quote!(::protogen::FieldKind::Map(&#key, &#value))
        }
    }
}

fn scalar_variant(s: Scalar) -> TokenStream {
    match s {
        Scalar::Double => quote!(Double),
        Scalar::Float => quote!(Float),
        Scalar::Int32 => quote!(Int32),
        Scalar::Int64 => quote!(Int64),
        Scalar::Uint32 => quote!(Uint32),
        Scalar::Uint64 => quote!(Uint64),
        Scalar::Sint32 => quote!(Sint32),
        Scalar::Sint64 => quote!(Sint64),
        Scalar::Fixed32 => quote!(Fixed32),
        Scalar::Fixed64 => quote!(Fixed64),
        Scalar::Sfixed32 => quote!(Sfixed32),
        Scalar::Sfixed64 => quote!(Sfixed64),
        Scalar::Bool => quote!(Bool),
        Scalar::String => quote!(String),
        Scalar::Bytes => quote!(Bytes),
    }
}

fn enum_info(enum_: &Enum) -> TokenStream {
    let ty = path_tokens(&enum_.rust_path);
    let full_name = enum_.full_name.trim_start_matches('.');
    let doc = doc_attr(&format!("Names and numbers of `{full_name}`'s values."));
    let values = enum_.values.iter().map(|v| {
        let name = &v.name;
        let number = proc_macro2::Literal::i32_unsuffixed(v.number);
        quote!((#name, #number))
    });
    let closed = enum_.closed;
    quote! {
        #doc
        impl ::protogen::EnumInfo for #ty {
            const FULL_NAME: &'static str = #full_name;
            const VALUES: &'static [(&'static str, i32)] = &[#(#values),*];
            const CLOSED: bool = #closed;
        }
    }
}
