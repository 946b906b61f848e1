//! `google.protobuf.Any`: `{"@type": "type.googleapis.com/shop.v1.Order", ...fields}`, or with a
//! `"value"` key for the well-known types that have a special JSON form (an `Any` among them, so
//! an `Any` holding an `Any` nests: `{"@type": ".../google.protobuf.Any", "value": {"@type": …}}`).
//! `google.protobuf.Empty` has no special form there: like C++, Java and Python (not Go), an
//! `Any` holding it is `{"@type": ".../google.protobuf.Empty"}`. The types an `Any` may hold are
//! those the build knew: the `json` pass generates an [`AnyLookup`] naming every message of the
//! model, and the well-known types are added here.

use std::marker::PhantomData;

use prost::Message;
use serde::Serializer;

use super::kind::{self, Kind};
use super::read::{Decoder, Fatal, Token, describe_str};
use super::{EncodeError, ErrorKind, JsonMessage, JsonWire, Writer, wire, wkt};
use crate::view::DEFAULT_RECURSION_LIMIT;

type R<T> = Result<T, Fatal>;

/// How to write and read the payload of an `Any` holding one type.
pub struct AnyType {
    /// Writes the payload's members after `"@type":"…"` (each preceded by a comma).
    pub write: fn(&[u8], &mut Writer) -> Result<(), EncodeError>,
    /// Reads the `Any` object (skipping `@type`) and returns the payload's encoding.
    pub read: fn(&mut Decoder<'_>) -> R<Option<Vec<u8>>>,
}

/// The message types an `Any` may hold, by full name (`shop.v1.Order`).
pub trait AnyLookup {
    fn find(type_name: &str) -> Option<&'static AnyType>;
}

/// Only the well-known types.
pub struct NoAnyTypes;

impl AnyLookup for NoAnyTypes {
    fn find(_: &str) -> Option<&'static AnyType> {
        None
    }
}

/// The [`AnyType`] of a generated message.
pub const fn message_type<M: JsonWire>() -> AnyType {
    AnyType {
        write: write_message::<M>,
        read: read_message::<M>,
    }
}

/// The payload's fields, written from its bytes as the transcoder writes a message (so what only
/// bytes hold, extensions, is written too), with a fresh recursion budget, as Google's
/// implementations parse a payload. The message's `{` becomes the comma after `"@type"`, and its
/// `}` is left to the `Any`.
fn write_message<M: JsonWire>(bytes: &[u8], w: &mut Writer) -> Result<(), EncodeError> {
    let start = w.bytes().len();
    wire::transcode_message::<M>(bytes, w, DEFAULT_RECURSION_LIMIT)
        .map_err(|e| EncodeError::new(format!("Any holding {}: {e}", M::TYPE_NAME)))?;
    let end = w.bytes().len();
    if end - start == 2 {
        w.truncate(start);
    } else {
        w.replace(start, b',');
        w.truncate(end - 1);
    }
    Ok(())
}

fn read_message<M: JsonMessage + Message>(d: &mut Decoder<'_>) -> R<Option<Vec<u8>>> {
    let mut message = M::default();
    d.merge_message_skipping(&mut message, Some("@type"))?;
    Ok(Some(message.encode_to_vec()))
}

const fn wkt_type<K: Kind>() -> AnyType
where
    K::Value: Message + Default + 'static,
{
    AnyType {
        write: write_wkt::<K>,
        read: read_wkt::<K>,
    }
}

fn write_wkt<K: Kind>(bytes: &[u8], w: &mut Writer) -> Result<(), EncodeError>
where
    K::Value: Message + Default,
{
    let value = K::Value::decode(bytes)
        .map_err(|e| EncodeError::new(format!("Any holding a well-known type: {e}")))?;
    w.raw(b",\"value\":");
    K::write(&value, w)
}

/// The `"value"` of an `Any` holding a well-known type `K`: required, and `null` only where it is
/// a value of `K` (`google.protobuf.Value`), as Python's `json_format` reads it (C++ takes a
/// missing value as the default).
fn read_wkt<K: Kind>(d: &mut Decoder<'_>) -> R<Option<Vec<u8>>>
where
    K::Value: Message + Default + 'static,
{
    let start = d.offset();
    let mut value = None;
    let mut seen = false;
    d.object(|d, key| match key {
        "@type" => d.skip_value(),
        "value" => {
            seen = true;
            if !K::NULLABLE && d.peek()? == Token::Null {
                return d
                    .wrong_type::<()>("a value of the Any's type (null is not one)")
                    .map(drop);
            }
            value = K::read(d)?;
            Ok(())
        }
        _ => d.unknown_field("google.protobuf.Any"),
    })?;
    if !seen {
        return d.invalid(
            ErrorKind::InvalidValue,
            start,
            "an Any of a well-known type with its \"value\"",
            "an object without one",
        );
    }
    Ok(value.map(|v| encode_wkt::<K>(&v)))
}

/// A well-known type's encoding, as the payload of an `Any`. prost leaves out a `-0.0` in the
/// wrappers of floats (it is their default to prost); Google's implementations keep it (its bits
/// are not zero's), so it is encoded here.
fn encode_wkt<K: Kind>(value: &K::Value) -> Vec<u8>
where
    K::Value: Message + 'static,
{
    let mut bytes = value.encode_to_vec();
    // Only a float wrapper's -0.0 is a value prost encodes as nothing.
    if bytes.is_empty() && !K::is_default(value) {
        if let Some(v) = (value as &dyn std::any::Any).downcast_ref::<f64>()
            && v.is_sign_negative()
        {
            prost::encoding::double::encode(1, v, &mut bytes);
        } else if let Some(v) = (value as &dyn std::any::Any).downcast_ref::<f32>()
            && v.is_sign_negative()
        {
            prost::encoding::float::encode(1, v, &mut bytes);
        }
    }
    bytes
}

/// `google.protobuf.Empty` in an `Any`: an ordinary message without fields, so
/// `{"@type": "…"}` and nothing else (any other key is an unknown field of Empty).
const EMPTY_IN_ANY: AnyType = AnyType {
    write: write_empty,
    read: read_empty,
};

fn write_empty(bytes: &[u8], _: &mut Writer) -> Result<(), EncodeError> {
    <() as Message>::decode(bytes)
        .map_err(|e| EncodeError::new(format!("Any holding google.protobuf.Empty: {e}")))?;
    Ok(())
}

fn read_empty(d: &mut Decoder<'_>) -> R<Option<Vec<u8>>> {
    d.object(|d, key| match key {
        "@type" => d.skip_value(),
        _ => d.unknown_field("google.protobuf.Empty"),
    })?;
    Ok(Some(Vec::new()))
}

/// The well-known types an `Any` holds in their special forms (and Empty as a plain message);
/// an `Any` among them resolves its own payload through the same `L`.
fn well_known<L: AnyLookup>(name: &str) -> Option<&'static AnyType> {
    Some(match name {
        "google.protobuf.Timestamp" => const { &wkt_type::<wkt::Timestamp>() },
        "google.protobuf.Duration" => const { &wkt_type::<wkt::Duration>() },
        "google.protobuf.FieldMask" => const { &wkt_type::<wkt::FieldMask>() },
        "google.protobuf.Struct" => const { &wkt_type::<wkt::Struct>() },
        "google.protobuf.Value" => const { &wkt_type::<wkt::Value>() },
        "google.protobuf.ListValue" => const { &wkt_type::<wkt::ListValue>() },
        "google.protobuf.Empty" => &EMPTY_IN_ANY,
        "google.protobuf.Any" => const { &wkt_type::<Any<L>>() },
        "google.protobuf.BoolValue" => const { &wkt_type::<kind::Bool>() },
        "google.protobuf.Int32Value" => const { &wkt_type::<kind::I32>() },
        "google.protobuf.Int64Value" => const { &wkt_type::<kind::I64>() },
        "google.protobuf.UInt32Value" => const { &wkt_type::<kind::U32>() },
        "google.protobuf.UInt64Value" => const { &wkt_type::<kind::U64>() },
        "google.protobuf.FloatValue" => const { &wkt_type::<kind::F32>() },
        "google.protobuf.DoubleValue" => const { &wkt_type::<kind::F64>() },
        "google.protobuf.StringValue" => const { &wkt_type::<kind::Str>() },
        "google.protobuf.BytesValue" => const { &wkt_type::<kind::Bytes>() },
        _ => return None,
    })
}

fn lookup<L: AnyLookup>(type_url: &str) -> Option<&'static AnyType> {
    // The name after the last `/`; a bare name is taken as it is, as Go's and Python's
    // protobuf take it.
    let name = type_url.rsplit_once('/').map_or(type_url, |(_, n)| n);
    well_known::<L>(name).or_else(|| L::find(name))
}

/// `google.protobuf.Any`, resolving its type through `L` (and the well-known types).
pub struct Any<L>(PhantomData<L>);

impl<L: AnyLookup> Kind for Any<L> {
    type Value = prost_types::Any;

    fn is_default(_: &Self::Value) -> bool {
        false
    }

    fn write(v: &Self::Value, w: &mut Writer) -> Result<(), EncodeError> {
        if v.type_url.is_empty() && v.value.is_empty() {
            w.raw(b"{}");
            return Ok(());
        }
        let Some(ty) = lookup::<L>(&v.type_url) else {
            return Err(EncodeError::new(format!(
                "Any holds `{}`, a type unknown to the build",
                v.type_url
            )));
        };
        w.byte(b'{');
        w.key(true, "@type");
        w.str(&v.type_url);
        (ty.write)(&v.value, w)?;
        w.byte(b'}');
        Ok(())
    }

    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
        // Rare enough to go through a buffer: the payload's type is only known at run time.
        let mut w = Writer::new(Default::default());
        Self::write(v, &mut w).map_err(serde::ser::Error::custom)?;
        let value: serde_json::Value =
            serde_json::from_slice(w.bytes()).map_err(serde::ser::Error::custom)?;
        serde::Serialize::serialize(&value, s)
    }

    fn read(d: &mut Decoder<'_>) -> R<Option<Self::Value>> {
        if d.peek()? != Token::Object {
            return d.wrong_type("an object (google.protobuf.Any)");
        }
        let start = d.offset();
        // First pass: find "@type", which may come after the payload's fields.
        let mut type_url: Option<(String, usize)> = None;
        let mut empty = true;
        let mut types = 0;
        d.object(|d, key| {
            empty = false;
            if key == "@type" {
                types += 1;
                if types > 1 {
                    // As every other key: at most once (C++ and Python refuse it too).
                    let at = d.key_offset();
                    d.error(
                        ErrorKind::DuplicateField,
                        at,
                        "\"@type\" at most once",
                        "`@type` again",
                    )?;
                    return d.skip_value();
                }
                let at = d.offset();
                if d.peek()? == Token::String {
                    type_url = Some((d.parse_string()?.into_owned(), at));
                    return Ok(());
                }
            }
            d.skip_value()
        })?;
        if types > 1 {
            return Ok(None);
        }
        if empty {
            return Ok(Some(prost_types::Any::default()));
        }
        let end = d.offset();
        let Some((type_url, at)) = type_url else {
            return d.invalid(
                ErrorKind::InvalidValue,
                start,
                "an Any with an \"@type\" string",
                "an object without one",
            );
        };
        let Some(ty) = lookup::<L>(&type_url) else {
            return d.invalid(
                ErrorKind::InvalidValue,
                at,
                "the type URL of a message known to the build",
                describe_str(&type_url),
            );
        };
        d.rewind(start);
        let value = (ty.read)(d)?;
        debug_assert_eq!(d.offset(), end);
        Ok(value.map(|value| prost_types::Any { type_url, value }))
    }
}
