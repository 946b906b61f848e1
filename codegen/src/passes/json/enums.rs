//! `JsonEnum` and serde impls for each enum.

use std::collections::HashSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::model::Enum;
use crate::rust::{doc_attr, path_tokens};

pub(super) fn enum_impls(enum_: &Enum) -> TokenStream {
    let ty = path_tokens(&enum_.rust_path);
    let full_name = enum_.full_name.trim_start_matches('.');
    let closed = enum_.closed.then(|| {
        quote!(
            const CLOSED: bool = true;
        )
    });
    if !enum_.values.iter().any(|v| v.alias) {
        // prost's `as_str_name`/`from_str_name` are exactly the proto names.
        let closed = enum_.closed.then(|| quote!(, closed));
        return quote!(::protogen::__json_serde_enum!(#ty, prost_names #closed););
    }
    // With aliases, every name is accepted and the first name of a number is written.
    let doc = doc_attr(&format!("proto3 JSON names of `{full_name}`."));
    let mut numbers = HashSet::new();
    let to_name = enum_
        .values
        .iter()
        .filter(|v| numbers.insert(v.number))
        .map(|v| {
            let (name, number) = (&v.name, Literal::i32_unsuffixed(v.number));
            quote!(#number => ::core::option::Option::Some(#name),)
        });
    let from_name = enum_.values.iter().map(|v| {
        let (name, number) = (&v.name, Literal::i32_unsuffixed(v.number));
        quote!(#name => ::core::option::Option::Some(#number),)
    });
    quote! {
        #doc
        #[allow(deprecated)]
        impl __pj::JsonEnum for #ty {
            #closed

            fn json_name(number: i32) -> ::core::option::Option<&'static str> {
                match number {
                    #(#to_name)*
                    _ => ::core::option::Option::None,
                }
            }

            fn from_json_name(name: &str) -> ::core::option::Option<i32> {
                match name {
                    #(#from_name)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        ::protogen::__json_serde_enum!(#ty);
    }
}
