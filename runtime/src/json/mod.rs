//! proto3 JSON for generated types: the canonical encoding, and a decoder that reports every
//! problem of a payload at once.
//!
//! The `json` pass of protogen generates, for every message, an implementation of
//! [`JsonMessage`] (which fields exist, under which names, read and written through which
//! [`kind`]) and `serde::Serialize`/`serde::Deserialize`; for every enum, [`JsonEnum`]. The work is
//! done here: [`Writer`] is a hand-written JSON writer into a `Vec<u8>` and [`Decoder`] a
//! hand-written JSON parser that tracks paths and positions, so that one decode can report every
//! error with where it is (serde's model stops at the first error and has no positions).
//!
//! ```ignore
//! let text = protogen::json::to_string(&order)?;                     // canonical
//! let text = protogen::json::to_string_with(&order, &EncodeOptions { emit_defaults: true, ..Default::default() })?;
//! let order: Order = protogen::json::from_str(&text)?;                // strict
//! let decoded = protogen::json::from_str_with::<Order>(&text, &DecodeOptions::lenient())?;
//! ```

mod any;
mod deserialize;
mod double;
mod error;
#[doc(hidden)]
pub mod kind;
mod read;
mod view;
mod wire;
#[doc(hidden)]
pub mod wkt;
mod write;

// What generated code calls, not users (see ARCHITECTURE.md, "API boundaries"): public so that
// generated code in users' crates reaches it, hidden from the docs and the semver promise.
#[doc(hidden)]
pub use any::{Any, AnyLookup, AnyType, NoAnyTypes, message_type};
pub use error::{EncodeError, ErrorKind, JsonError, JsonErrors};
#[doc(hidden)]
pub use read::{Decoder, Fatal};
pub use view::{JsonViewFields, view_to_vec, view_to_writer, view_write_to_vec};
#[doc(hidden)]
pub use view::{ViewKey, ViewKind, ViewObject, Wrapped};
#[doc(hidden)]
pub use wire::{Fallback, MAX_SLOTS, NO_ONEOF, WireKey, WireObject, transcodes_in_one_pass};
pub use wire::{JsonWire, bytes_to_vec, bytes_write_to_vec};
#[doc(hidden)]
pub use write::{FieldSink, Writer};

/// Re-exported so generated code names one serde.
pub use serde;

use std::io;

/// How messages are written. The default is the canonical proto3 JSON encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Keys are the proto field names (`line_items`) instead of the JSON names (`lineItems`).
    pub use_proto_names: bool,
    /// Fields without presence (proto3 scalars, repeated fields, maps) are written even when they
    /// hold their default value. Unset fields with presence are never written.
    pub emit_defaults: bool,
    /// Enum values are written as numbers instead of names.
    pub enums_as_numbers: bool,
}

/// The default [`DecodeOptions::max_depth`], as protobuf's parsers.
pub const DEFAULT_MAX_DEPTH: usize = 100;

/// How JSON is read. The default is strict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Skip keys that name no field (and enum names that name no value) instead of reporting
    /// them; the skipped keys' paths are returned in [`Decoded::unused`].
    pub ignore_unknown_fields: bool,
    /// Accept the limited coercions of Go mapstructure's `WeaklyTypedInput`: `"true"`/`"1"`/`"t"`
    /// and numbers (non-zero is true) for bools, numbers and bools for strings, bools (`1`/`0`)
    /// and empty strings (`0`) for numbers, a single value for a repeated field.
    pub weak_typing: bool,
    /// Objects and arrays nested deeper than this are an error (100, as protobuf's parsers).
    /// The decoder recurses once per level; past 100 levels it checks the stack left and stops
    /// with a [`ErrorKind::DepthLimit`] error before the thread's stack would overflow.
    pub max_depth: usize,
    /// Inputs longer than this many bytes are refused before parsing (64 MiB).
    pub max_input_size: usize,
    /// The decode stops after this many errors (100).
    pub max_errors: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            ignore_unknown_fields: false,
            weak_typing: false,
            max_depth: DEFAULT_MAX_DEPTH,
            max_input_size: 64 << 20,
            max_errors: 100,
        }
    }
}

impl DecodeOptions {
    /// Unknown fields ignored and weak typing on: the most forgiving decode.
    pub fn lenient() -> Self {
        DecodeOptions {
            ignore_unknown_fields: true,
            weak_typing: true,
            ..DecodeOptions::default()
        }
    }
}

/// A successful decode with its metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<T> {
    pub message: T,
    /// JSON paths of the keys that were skipped because they name no field
    /// (with [`DecodeOptions::ignore_unknown_fields`]), in input order: `$.items[0].colour`.
    pub unused: Vec<String>,
}

/// A generated message's JSON description. Implemented by the `json` pass; the functions of this
/// module and the generated `Serialize`/`Deserialize` impls use it.
pub trait JsonMessage: Default {
    /// The fully-qualified proto name, `shop.v1.Order` (the `@type` of an `Any` holding it).
    const TYPE_NAME: &'static str;
    /// How many fields and oneofs the message has: the decoder's duplicate-key slots.
    #[doc(hidden)]
    const SLOTS: usize;

    /// Writes every field that is to be written, in field-number order.
    #[doc(hidden)]
    fn write_fields<S: FieldSink>(&self, sink: &mut S) -> Result<(), S::Error>;

    /// The field (by index, in declaration order) that `key` names, by its JSON or proto name.
    #[doc(hidden)]
    fn field_index(key: &str) -> Option<usize>;

    /// The decoder's fast path for keys: the field named by the key at the start of `raw` (the
    /// input just past the key's opening quote) when it is written without escapes and the colon
    /// follows its closing quote, and the length of the name, quote and colon. Matching the raw
    /// bytes beats scanning the key for its end and escapes and then matching the string; other
    /// keys (and spaces before the colon) are read in full and looked up with
    /// [`field_index`](Self::field_index).
    #[doc(hidden)]
    fn raw_field(raw: &[u8]) -> Option<(usize, usize)>;

    /// Reads the value of field `field` (an index from [`field_index`](Self::field_index) or
    /// [`raw_field`](Self::raw_field)).
    #[doc(hidden)]
    fn merge_field_at(&mut self, field: usize, decoder: &mut Decoder<'_>) -> Result<(), Fatal>;

    /// Reads the value of `key` into the field it names; `Ok(false)` when no field has that name
    /// (the value is then still to be read).
    #[doc(hidden)]
    fn merge_field(&mut self, key: &str, decoder: &mut Decoder<'_>) -> Result<bool, Fatal> {
        match Self::field_index(key) {
            Some(field) => self.merge_field_at(field, decoder).map(|()| true),
            None => Ok(false),
        }
    }
}

/// A generated enum's value names.
pub trait JsonEnum {
    /// A closed (proto2) enum: numbers it does not name are not its values, so JSON that gives
    /// one is refused (skipped with `ignore_unknown_fields`), as Java's and C++'s parsers do.
    const CLOSED: bool = false;

    /// The name of `number`, if it is a value of the enum (the first name, for aliases).
    fn json_name(number: i32) -> Option<&'static str>;
    /// The number of the value called `name`, aliases included.
    fn from_json_name(name: &str) -> Option<i32>;
}

/// The canonical JSON of `message`.
pub fn to_string<M: JsonMessage>(message: &M) -> Result<String, EncodeError> {
    to_string_with(message, &EncodeOptions::default())
}

/// The JSON of `message`, written with `options`.
pub fn to_string_with<M: JsonMessage>(
    message: &M,
    options: &EncodeOptions,
) -> Result<String, EncodeError> {
    let bytes = to_vec_with(message, options)?;
    // The writer only ever writes valid UTF-8: ASCII structure and escapes around `&str`s.
    Ok(String::from_utf8(bytes).expect("the JSON writer writes UTF-8"))
}

/// The JSON of `message`, as bytes.
pub fn to_vec_with<M: JsonMessage>(
    message: &M,
    options: &EncodeOptions,
) -> Result<Vec<u8>, EncodeError> {
    let mut writer = Writer::new(*options);
    writer.message(message)?;
    Ok(writer.into_bytes())
}

/// Appends the JSON of `message` to `out`.
pub fn write_to_vec<M: JsonMessage>(
    message: &M,
    options: &EncodeOptions,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let mut writer = Writer::with_buffer(*options, std::mem::take(out));
    let result = writer.message(message);
    *out = writer.into_bytes();
    result
}

/// Writes the JSON of `message` to `out`.
pub fn to_writer<M: JsonMessage, W: io::Write>(
    message: &M,
    options: &EncodeOptions,
    mut out: W,
) -> Result<(), EncodeError> {
    let bytes = to_vec_with(message, options)?;
    out.write_all(&bytes).map_err(EncodeError::io)
}

/// Decodes `text` strictly (the canonical options).
pub fn from_str<M: JsonMessage>(text: &str) -> Result<M, JsonErrors> {
    from_str_with(text, &DecodeOptions::default()).map(|d| d.message)
}

/// Decodes `text` with `options`.
pub fn from_str_with<M: JsonMessage>(
    text: &str,
    options: &DecodeOptions,
) -> Result<Decoded<M>, JsonErrors> {
    read::decode_root(text, options, true)
}

/// Decodes UTF-8 bytes with `options`.
pub fn from_slice_with<M: JsonMessage>(
    bytes: &[u8],
    options: &DecodeOptions,
) -> Result<Decoded<M>, JsonErrors> {
    match std::str::from_utf8(bytes) {
        Ok(text) => from_str_with(text, options),
        Err(err) => Err(JsonErrors::single(error::JsonError::invalid_utf8(
            bytes,
            err.valid_up_to(),
        ))),
    }
}

/// Decodes a `serde_json::Value` (a dynamic map, as from another decoder) with `options`: the same
/// rules and errors as text, with paths but without line and column (reported as 0).
pub fn from_value<M: JsonMessage>(
    value: &serde_json::Value,
    options: &DecodeOptions,
) -> Result<Decoded<M>, JsonErrors> {
    let text = serde_json::to_string(value).map_err(|e| {
        JsonErrors::single(JsonError::new(
            ErrorKind::Syntax,
            "$".into(),
            0,
            0,
            "JSON".into(),
            e.to_string(),
        ))
    })?;
    read::decode_root(&text, options, false)
}

/// Reads `text`, one JSON value, as a field's value is read by `from_str`: with `read`, a
/// [`kind::Kind::read`] (or [`kind::read_enum`] for an enum known only at run time) and the
/// default options. The value, or every error found (paths start at `$`, with no positions).
///
/// For readers of JSON that is not a generated message: the tenant checker reads each value of
/// a payload with this, so it accepts exactly what the generated code's `from_str` accepts.
pub fn read_value<T>(
    text: &str,
    read: impl FnOnce(&mut Decoder<'_>) -> Result<Option<T>, Fatal>,
) -> Result<T, JsonErrors> {
    read::decode_value(text, read)
}

/// `serde::Serialize` for a generated message (what its generated impl calls): the canonical
/// encoding through any serializer.
pub fn serialize<M: JsonMessage, S: serde::Serializer>(
    message: &M,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    kind::serialize_message(message, serializer)
}

/// `serde::Deserialize` for a generated message: strict, canonical decoding of whatever the
/// deserializer holds; every error is in the message. serde_json's deserializers hand over the
/// value's text, read once; others' values are buffered as a `serde_json::Value`.
pub fn deserialize<'de, M: JsonMessage, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<M, D::Error> {
    deserialize::message(deserializer)
}

/// `serde::Serialize` for a generated enum: its name, or its number when it has none.
pub fn serialize_enum<E: JsonEnum, S: serde::Serializer>(
    number: i32,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match E::json_name(number) {
        Some(name) => serializer.serialize_str(name),
        None => serializer.serialize_i32(number),
    }
}

/// `serde::Deserialize` for a generated enum: a value name or a number.
pub fn deserialize_enum<'de, E: JsonEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<i32, D::Error> {
    deserialize::enum_number::<E, D>(deserializer)
}

/// `serde::Serialize` and `serde::Deserialize` for a generated message, through
/// [`JsonMessage`] (what the `json` pass emits for each message).
#[doc(hidden)]
#[macro_export]
macro_rules! __json_serde_message {
    ($ty:ty) => {
        #[allow(deprecated)]
        impl $crate::json::serde::Serialize for $ty {
            fn serialize<S: $crate::json::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::json::serialize(self, serializer)
            }
        }

        #[allow(deprecated)]
        impl<'de> $crate::json::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::json::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::json::deserialize(deserializer)
            }
        }
    };
}

/// `serde::Serialize` and `serde::Deserialize` for a generated enum, through [`JsonEnum`]; with
/// a second argument, also `JsonEnum` itself from prost's `as_str_name`/`from_str_name` (for
/// enums without aliases).
#[doc(hidden)]
#[macro_export]
macro_rules! __json_serde_enum {
    ($ty:ty, prost_names $(, $closed:ident)?) => {
        #[allow(deprecated)]
        impl $crate::json::JsonEnum for $ty {
            $(const CLOSED: bool = $crate::__json_closed!($closed);)?

            fn json_name(number: i32) -> ::core::option::Option<&'static str> {
                <$ty>::try_from(number)
                    .ok()
                    .map(|value| value.as_str_name())
            }

            fn from_json_name(name: &str) -> ::core::option::Option<i32> {
                <$ty>::from_str_name(name).map(|value| value as i32)
            }
        }

        $crate::__json_serde_enum!($ty);
    };
    ($ty:ty) => {
        #[allow(deprecated)]
        impl $crate::json::serde::Serialize for $ty {
            fn serialize<S: $crate::json::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::json::serialize_enum::<Self, S>(*self as i32, serializer)
            }
        }

        #[allow(deprecated)]
        impl<'de> $crate::json::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::json::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                let number = $crate::json::deserialize_enum::<Self, D>(deserializer)?;
                <$ty>::try_from(number).map_err(|_| {
                    <D::Error as $crate::json::serde::de::Error>::custom(::core::format_args!(
                        "{number} is not a value of {}",
                        ::core::stringify!($ty)
                    ))
                })
            }
        }
    };
}

/// `closed` → `true` (the one word `__json_serde_enum!` takes after `prost_names`).
#[doc(hidden)]
#[macro_export]
macro_rules! __json_closed {
    (closed) => {
        true
    };
}

/// A xorshift generator: the random inputs of the tests that compare a fast path with a plain one.
#[cfg(test)]
pub(crate) fn xorshift() -> impl FnMut() -> u64 {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
