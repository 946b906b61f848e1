//! The `json` pass: proto3 JSON for every message and enum, through `protogen::json`.
//!
//! For each message it emits `impl protogen::json::JsonMessage` — `write_fields` (one line per
//! field naming its JSON name, proto name and *kind*, the runtime marker type that knows how the
//! proto type is written and read), `raw_field` (the decoder's fast path: a key as written in
//! the input, matched on its first byte and then its bytes with the closing quote and colon),
//! `field_index` (a `match` from JSON and proto names, for keys with escapes) and
//! `merge_field_at` (field index to the runtime's field reader) — plus
//! `serde::Serialize`/`Deserialize` impls that call the runtime. Each enum gets `JsonEnum` (value
//! names both ways) and serde impls. A package whose messages hold `google.protobuf.Any` also
//! gets `__ProtogenJsonAny`, naming every message of the build for `@type` resolution.
//!
//! Messages that use a type with no JSON support (an `extern_path` type other than the
//! well-known ones) get no JSON impls, and neither do the messages that use them.
//!
//! The pass is laid out like the runtime's `json/` module: `kind.rs` picks each field's runtime
//! kind, `write.rs` and `read.rs` emit `JsonMessage`'s writing and reading halves, `wire.rs` the
//! bytes → JSON transcoder (`JsonWire`), `enums.rs` `JsonEnum`, `any.rs` the `Any` type lookup.

mod any;
mod enums;
mod kind;
mod read;
mod wire;
mod write;

use std::collections::{HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::model::{Field, FieldType, Label, Message, Model, Package, Presence, TypeRef};
use crate::rust::{doc_attr, path_tokens};
use any::{any_lookup, field_uses_any};
use enums::enum_impls;
use kind::well_known_kind;
use read::{merge_call, merge_fns};
use wire::wire_impl;
use write::{oneof_write, plain_write};

pub(super) use kind::{element_kind_for, scalar_kind};

pub(super) fn package(model: &Model, package: &Package) -> TokenStream {
    let supported = supported_messages(model);
    // prost reads a map entry without a value as the enum's first value.
    let first_values: HashMap<&str, i32> = model
        .packages
        .iter()
        .flat_map(|p| p.all_enums())
        .filter_map(|e| Some((e.full_name.as_str(), e.values.first()?.number)))
        .collect();
    let mut out = TokenStream::new();
    let mut uses_any = false;
    for message in package.all_messages() {
        if supported.contains(message.full_name.as_str()) {
            uses_any |= message.fields.iter().any(|f| field_uses_any(&f.ty));
            out.extend(message_impls(message, &first_values));
        }
    }
    for enum_ in package.all_enums() {
        out.extend(enum_impls(enum_));
    }
    let mut out = in_json_scope(out);
    if uses_any {
        out.extend(any_lookup(model, package, &supported));
    }
    out
}

/// Wraps a pass's items in `const _: () = { use ::protogen::json as __pj; … };`, so that the
/// generated code names the runtime briefly without adding a name to the package module.
pub(super) fn in_json_scope(items: TokenStream) -> TokenStream {
    if items.is_empty() {
        return items;
    }
    quote! {
        const _: () = {
            // Unused in packages of enums only (their impls are macros).
            #[allow(unused_imports)]
            use ::protogen::json as __pj;
            #items
        };
    }
}

fn is_supported_ref(
    r: &TypeRef,
    enum_: bool,
    supported: &HashSet<&str>,
    known: &HashSet<&str>,
) -> bool {
    if r.is_extern {
        if enum_ {
            return r.full_name == ".google.protobuf.NullValue";
        }
        return well_known_kind(&r.full_name, &r.rust_path).is_some();
    }
    // Types outside the model come from another protogen build: assumed to have JSON.
    enum_ || !known.contains(r.full_name.as_str()) || supported.contains(r.full_name.as_str())
}

fn type_supported(ty: &FieldType, supported: &HashSet<&str>, known: &HashSet<&str>) -> bool {
    match ty {
        FieldType::Scalar(_) => true,
        FieldType::Enum(r) => is_supported_ref(r, true, supported, known),
        FieldType::Message(r) | FieldType::Group(r) => is_supported_ref(r, false, supported, known),
        FieldType::Map(map) => type_supported(&map.value, supported, known),
    }
}

/// Full names of the model's messages that can have JSON: all but those reaching an unsupported
/// extern type.
pub(super) fn supported_messages(model: &Model) -> HashSet<&str> {
    let known: HashSet<&str> = model
        .messages()
        .map(|(_, m)| m.full_name.as_str())
        .collect();
    let mut supported = known.clone();
    loop {
        let before = supported.len();
        let dropped: Vec<&str> = model
            .messages()
            .map(|(_, m)| m)
            .filter(|m| supported.contains(m.full_name.as_str()))
            .filter(|m| {
                !m.fields
                    .iter()
                    .all(|f| type_supported(&f.ty, &supported, &known))
            })
            .map(|m| m.full_name.as_str())
            .collect();
        for name in dropped {
            supported.remove(name);
        }
        if supported.len() == before {
            return supported;
        }
    }
}

/// How prost stores a singular non-oneof field.
enum Storage {
    /// `T`: implicit presence, repeated, maps, proto2 `required`.
    Plain,
    /// `Option<T>`.
    Option,
    /// `Option<Box<T>>`.
    Boxed,
}

fn storage(field: &Field) -> Storage {
    if field.is_repeated() || field.is_map() {
        return Storage::Plain;
    }
    let message = matches!(field.ty, FieldType::Message(_) | FieldType::Group(_));
    if field.label == Label::Required {
        return Storage::Plain;
    }
    if field.boxed {
        return Storage::Boxed;
    }
    if message || field.presence == Presence::Explicit {
        Storage::Option
    } else {
        Storage::Plain
    }
}

fn message_impls(message: &Message, first_values: &HashMap<&str, i32>) -> TokenStream {
    let ty = path_tokens(&message.rust_path);
    let full_name = message.full_name.trim_start_matches('.');
    let slots = Literal::usize_unsuffixed(message.fields.len() + message.oneofs.len());

    let mut writes = Vec::new();
    let mut arms = Vec::new();
    // Written in field-number order, as protobuf's printers do; oneofs at their first member.
    let mut order: Vec<usize> = (0..message.fields.len()).collect();
    order.sort_by_key(|&i| message.fields[i].number);
    let mut oneofs_written = HashSet::new();
    for i in order {
        let field = &message.fields[i];
        match field.oneof {
            Some(o) => {
                if oneofs_written.insert(o) {
                    writes.push(oneof_write(message, o));
                }
            }
            None => writes.push(plain_write(field)),
        }
        arms.push((i, merge_call(message, i)));
    }

    let wire = wire_impl(message, first_values);
    let doc = doc_attr(&format!("proto3 JSON of `{full_name}`."));
    let write_body = if writes.is_empty() {
        quote!(let _ = sink;)
    } else {
        quote!(#(#writes)*)
    };
    let merge = merge_fns(message, &arms);
    quote! {
        #doc
        #[allow(deprecated)]
        impl __pj::JsonMessage for #ty {
            const TYPE_NAME: &'static str = #full_name;
            const SLOTS: usize = #slots;

            fn write_fields<S: __pj::FieldSink>(
                &self,
                sink: &mut S,
            ) -> ::core::result::Result<(), S::Error> {
                #write_body
                ::core::result::Result::Ok(())
            }

            #merge
        }

        ::protogen::__json_serde_message!(#ty);

        #wire
    }
}
