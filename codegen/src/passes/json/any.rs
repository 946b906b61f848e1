//! `google.protobuf.Any`: which packages need a type lookup, and the lookup itself.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{FieldType, Model, Package};
use crate::rust::{ident, path_tokens};

/// Name of the generated `AnyLookup` type in a package that uses `Any`.
pub(super) const ANY_LOOKUP: &str = "__ProtogenJsonAny";

pub(super) fn field_uses_any(ty: &FieldType) -> bool {
    match ty {
        FieldType::Message(r) => r.is_extern && r.full_name == ".google.protobuf.Any",
        FieldType::Map(map) => field_uses_any(&map.value),
        _ => false,
    }
}

/// `__ProtogenJsonAny`: every message of the build that has JSON, by full name, for `Any`.
pub(super) fn any_lookup(
    model: &Model,
    package: &Package,
    supported: &HashSet<&str>,
) -> TokenStream {
    let supers: Vec<TokenStream> = package.module.iter().map(|_| quote!(super)).collect();
    let mut arms: HashMap<&str, TokenStream> = HashMap::new();
    for (p, m) in model.messages() {
        if !supported.contains(m.full_name.as_str()) {
            continue;
        }
        let path = if p.name == package.name {
            path_tokens(&m.rust_path)
        } else {
            let module = path_tokens(&p.module);
            let inner = path_tokens(&m.rust_path);
            quote!(#(#supers::)* #module :: #inner)
        };
        let name = m.full_name.trim_start_matches('.');
        arms.insert(
            name,
            quote!(#name => ::core::option::Option::Some(const { &::protogen::json::message_type::<#path>() }),),
        );
    }
    let mut names: Vec<&&str> = arms.keys().collect();
    names.sort();
    let arms = names.into_iter().map(|n| &arms[*n]);
    let lookup = ident(ANY_LOOKUP);
    quote! {
        /// The message types an `Any` in this package may hold in JSON: every message of the build.
        #[doc(hidden)]
        pub struct #lookup;

        #[allow(deprecated)]
        impl ::protogen::json::AnyLookup for #lookup {
            fn find(type_name: &str) -> ::core::option::Option<&'static ::protogen::json::AnyType> {
                match type_name {
                    #(#arms)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    }
}
