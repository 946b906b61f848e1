//! `JsonWire`: the one-pass protobuf bytes → JSON transcoding of each message, read with the view
//! decoder's wire kinds and written with the JSON kinds (`runtime/src/json/wire.rs`).

use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::kind::{element_kind_for, scalar_kind, type_path, well_known_kind};
use crate::model::{BytesRepr, Field, FieldType, Label, Message, Presence, Scalar};
use crate::rust::path_tokens;

/// The view decoder's wire kind of a scalar (how it is read from the wire).
fn wire_kind(s: Scalar) -> TokenStream {
    super::super::view::scalar_kind(s)
}

/// What a value is to the transcoder: a scalar read with a wire kind, a generated message, or a
/// well-known type read through prost.
enum WireValue {
    Scalar(TokenStream, TokenStream),
    Message(TokenStream),
    WellKnown(TokenStream),
}

fn wire_value(ty: &FieldType, bytes: BytesRepr, first_values: &HashMap<&str, i32>) -> WireValue {
    match ty {
        FieldType::Scalar(s) => WireValue::Scalar(wire_kind(*s), element_kind_for(ty, bytes, true)),
        FieldType::Enum(r) => {
            let first = first_values.get(r.full_name.as_str()).copied().unwrap_or(0);
            let first = Literal::i32_unsuffixed(first);
            let first = if first.to_string().starts_with('-') {
                quote!({ #first })
            } else {
                quote!(#first)
            };
            WireValue::Scalar(
                quote!(::protogen::view::kind::Enum<#first>),
                element_kind_for(ty, bytes, true),
            )
        }
        FieldType::Message(r) | FieldType::Group(r) => {
            if r.is_extern
                && let Some(kind) = well_known_kind(&r.full_name, &r.rust_path)
            {
                return WireValue::WellKnown(kind);
            }
            WireValue::Message(type_path(&r.rust_path))
        }
        FieldType::Map(_) => unreachable!("map values are not maps"),
    }
}

/// A field's `WireKey`: its JSON and proto names as the transcoder writes them, each quoted,
/// escaped as the writer escapes strings, and between the separating comma and the colon.
fn wire_key(field: &Field) -> TokenStream {
    let key = |name: &str| {
        let mut out = b",\"".to_vec();
        for c in name.chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\u{8}' => out.extend_from_slice(b"\\b"),
                '\t' => out.extend_from_slice(b"\\t"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\u{c}' => out.extend_from_slice(b"\\f"),
                '\r' => out.extend_from_slice(b"\\r"),
                c if (c as u32) < 0x20 => {
                    out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
                }
                c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
        out.extend_from_slice(b"\":");
        Literal::byte_string(&out)
    };
    let (json, proto) = (key(&field.json_name), key(&field.name));
    quote!(__pj::WireKey { json: #json, proto: #proto })
}

/// The tags (field number and wire type, as on the wire) a field is read from: its type's wire
/// type, also length-delimited for a packable repeated field, and any for a map (prost reads map
/// entries as length-delimited whatever the key says). The transcoder dispatches on tags, so
/// the `match` checks the wire type too; the field's other tags are prost's errors.
fn wire_tags(field: &Field) -> Vec<u32> {
    let wires: Vec<u32> = match &field.ty {
        FieldType::Map(_) => (0..=5).collect(),
        FieldType::Scalar(s) => {
            let wire = match s {
                Scalar::Double | Scalar::Fixed64 | Scalar::Sfixed64 => 1,
                Scalar::Float | Scalar::Fixed32 | Scalar::Sfixed32 => 5,
                Scalar::String | Scalar::Bytes => 2,
                _ => 0,
            };
            if field.is_repeated() && wire != 2 {
                vec![wire, 2]
            } else {
                vec![wire]
            }
        }
        FieldType::Enum(_) if field.is_repeated() => vec![0, 2],
        FieldType::Enum(_) => vec![0],
        FieldType::Message(_) | FieldType::Group(_) => vec![2],
    };
    wires.into_iter().map(|w| field.number << 3 | w).collect()
}

/// A pattern matching `values`: runs of consecutive values as ranges (`1..=5 | 7`), as clippy
/// wants them in the generated code.
fn int_patterns(mut values: Vec<u32>) -> TokenStream {
    values.sort_unstable();
    values.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for v in values {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == v => *end = v,
            _ => runs.push((v, v)),
        }
    }
    let patterns = runs.into_iter().map(|(start, end)| {
        let (s, e) = (Literal::u32_unsuffixed(start), Literal::u32_unsuffixed(end));
        if start == end {
            quote!(#s)
        } else {
            quote!(#s..=#e)
        }
    });
    quote!(#(#patterns)|*)
}

/// `JsonWire`: the one-pass protobuf-bytes → JSON transcoding of a message.
pub(super) fn wire_impl(message: &Message, first_values: &HashMap<&str, i32>) -> TokenStream {
    let ty = path_tokens(&message.rust_path);
    let slots = message.fields.len() + message.oneofs.len();
    let transcodable = slots <= 256
        && message
            .fields
            .iter()
            .all(|f| f.label != Label::Required && !matches!(f.ty, FieldType::Group(_)));
    let arms = message.fields.iter().enumerate().map(|(i, field)| {
        let slot = Literal::usize_unsuffixed(i);
        let name = wire_key(field);
        let oneof = match field.oneof {
            Some(o) => {
                let o = Literal::usize_unsuffixed(message.fields.len() + o);
                quote!(#o)
            }
            None => quote!(__pj::NO_ONEOF),
        };
        // Strings have their own calls: checked for UTF-8 and escapes in one scan.
        let is_string = matches!(field.ty, FieldType::Scalar(Scalar::String));
        let call = if let FieldType::Map(map) = &field.ty {
            let (kw, kj) = (wire_kind(map.key), scalar_kind(map.key, field.bytes_repr));
            match wire_value(&map.value, field.bytes_repr, first_values) {
                WireValue::Scalar(vw, vj) => {
                    quote!(object.map_entry::<#kw, #kj, #vw, #vj>(key, #slot, #name))
                }
                WireValue::Message(m) => {
                    quote!(object.map_message_entry::<#kw, #kj, #m>(key, #slot, #name))
                }
                WireValue::WellKnown(j) => {
                    quote!(object.map_well_known_entry::<#kw, #kj, #j>(key, #slot, #name))
                }
            }
        } else if is_string && field.is_repeated() {
            quote!(object.repeated_string(key, #slot, #name))
        } else if is_string {
            let explicit = field.presence == Presence::Explicit;
            quote!(object.string(key, #slot, #oneof, #explicit, #name))
        } else if field.is_repeated() {
            match wire_value(&field.ty, field.bytes_repr, first_values) {
                WireValue::Scalar(w, j) => {
                    quote!(object.repeated::<#w, #j>(key, #slot, #name))
                }
                WireValue::Message(m) => {
                    quote!(object.repeated_message::<#m>(key, #slot, #name))
                }
                WireValue::WellKnown(j) => {
                    quote!(object.repeated_well_known::<#j>(key, #slot, #name))
                }
            }
        } else {
            match wire_value(&field.ty, field.bytes_repr, first_values) {
                WireValue::Scalar(w, j) => {
                    let explicit = field.presence == Presence::Explicit;
                    quote!(object.scalar::<#w, #j>(key, #slot, #oneof, #explicit, #name))
                }
                WireValue::Message(m) => {
                    quote!(object.message::<#m>(key, #slot, #oneof, #name))
                }
                WireValue::WellKnown(j) => {
                    quote!(object.well_known::<#j>(key, #slot, #oneof, #name))
                }
            }
        };
        let tags = int_patterns(wire_tags(field));
        quote!(#tags => {
            let key = __pj::WireObject::tag_key(tag);
            #call?
        })
    });
    let numbers = int_patterns(message.fields.iter().map(|f| f.number).collect());
    let body = if transcodable && message.fields.is_empty() {
        quote! {
            while let ::core::option::Option::Some(key) = object.next_key()? {
                object.skip(key)?;
            }
        }
    } else if transcodable {
        quote! {
            while let ::core::option::Option::Some(tag) = object.next_tag()? {
                match tag {
                    #(#arms)*
                    _ => object.other(tag, matches!(tag >> 3, #numbers))?,
                }
            }
        }
    } else {
        quote!(let _ = object;)
    };
    quote! {
        #[allow(deprecated)]
        impl __pj::JsonWire for #ty {
            const TRANSCODABLE: bool = #transcodable;

            fn transcode_fields(
                object: &mut __pj::WireObject<'_, '_>,
            ) -> ::core::result::Result<(), __pj::Fallback> {
                #body
                ::core::result::Result::Ok(())
            }
        }
    }
}
