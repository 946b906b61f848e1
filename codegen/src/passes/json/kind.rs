//! Each field's runtime *kind*: the marker type in `protogen::json::kind` (or `wkt`) that knows
//! how its proto type is written and read.

use proc_macro2::TokenStream;
use quote::quote;

use super::any::ANY_LOOKUP;
use crate::model::{BytesRepr, Field, FieldType, MapType, Scalar};
use crate::rust::ident;

/// The well-known types' kinds (prost maps them to `prost_types` and plain Rust types).
pub(super) fn well_known_kind(full_name: &str, rust_path: &str) -> Option<TokenStream> {
    let name = full_name.strip_prefix(".google.protobuf.")?;
    Some(match name {
        "Timestamp" => quote!(__pj::wkt::Timestamp),
        "Duration" => quote!(__pj::wkt::Duration),
        "FieldMask" => quote!(__pj::wkt::FieldMask),
        "Struct" => quote!(__pj::wkt::Struct),
        "Value" => quote!(__pj::wkt::Value),
        "ListValue" => quote!(__pj::wkt::ListValue),
        "Empty" => quote!(__pj::wkt::Empty),
        "Any" => {
            let lookup = ident(ANY_LOOKUP);
            quote!(__pj::Any<#lookup>)
        }
        "BoolValue" => quote!(__pj::kind::Bool),
        "Int32Value" => quote!(__pj::kind::I32),
        "Int64Value" => quote!(__pj::kind::I64),
        "UInt32Value" => quote!(__pj::kind::U32),
        "UInt64Value" => quote!(__pj::kind::U64),
        "FloatValue" => quote!(__pj::kind::F32),
        "DoubleValue" => quote!(__pj::kind::F64),
        "StringValue" => quote!(__pj::kind::Str),
        "BytesValue" if rust_path.contains("Bytes") => quote!(__pj::kind::BytesBuf),
        "BytesValue" => quote!(__pj::kind::Bytes),
        _ => return None,
    })
}

pub(super) fn type_path(path: &str) -> TokenStream {
    let parsed: syn::Type = syn::parse_str(path).expect("prost type paths parse");
    quote!(#parsed)
}

pub(crate) fn scalar_kind(s: Scalar, bytes: BytesRepr) -> TokenStream {
    match s {
        Scalar::Double => quote!(__pj::kind::F64),
        Scalar::Float => quote!(__pj::kind::F32),
        Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => quote!(__pj::kind::I32),
        Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => quote!(__pj::kind::I64),
        Scalar::Uint32 | Scalar::Fixed32 => quote!(__pj::kind::U32),
        Scalar::Uint64 | Scalar::Fixed64 => quote!(__pj::kind::U64),
        Scalar::Bool => quote!(__pj::kind::Bool),
        Scalar::String => quote!(__pj::kind::Str),
        Scalar::Bytes => match bytes {
            BytesRepr::Vec => quote!(__pj::kind::Bytes),
            BytesRepr::Bytes => quote!(__pj::kind::BytesBuf),
        },
    }
}

/// The kind of one element (the field's kind, for singular fields).
fn element_kind(ty: &FieldType, bytes: BytesRepr) -> TokenStream {
    element_kind_for(ty, bytes, false)
}

/// The kind of one element; for views (`view`), wrapper types are read through
/// `protogen::json::Wrapped`, as views hand them out as `ExternView`s.
pub(crate) fn element_kind_for(ty: &FieldType, bytes: BytesRepr, view: bool) -> TokenStream {
    match ty {
        FieldType::Scalar(s) => scalar_kind(*s, bytes),
        FieldType::Enum(r) if r.full_name == ".google.protobuf.NullValue" => {
            quote!(__pj::wkt::NullValue)
        }
        FieldType::Enum(r) => {
            let path = type_path(&r.rust_path);
            quote!(__pj::kind::Enum<#path>)
        }
        FieldType::Message(r) | FieldType::Group(r) => {
            if r.is_extern
                && let Some(kind) = well_known_kind(&r.full_name, &r.rust_path)
            {
                let wrapper = r.full_name.ends_with("Value")
                    && !matches!(
                        r.full_name.as_str(),
                        ".google.protobuf.Value" | ".google.protobuf.ListValue"
                    );
                if view && wrapper {
                    return quote!(__pj::Wrapped<#kind>);
                }
                return kind;
            }
            let path = type_path(&r.rust_path);
            quote!(__pj::kind::Msg<#path>)
        }
        FieldType::Map(map) => {
            let MapType { key, value, btree } = map.as_ref();
            let key = scalar_kind(*key, bytes);
            let value = element_kind_for(value, bytes, view);
            if *btree {
                quote!(__pj::kind::BTreeMapOf<#key, #value>)
            } else {
                quote!(__pj::kind::HashMapOf<#key, #value>)
            }
        }
    }
}

pub(super) fn field_kind(field: &Field) -> TokenStream {
    let element = element_kind(&field.ty, field.bytes_repr);
    if field.is_repeated() {
        quote!(__pj::kind::Repeated<#element>)
    } else {
        element
    }
}
