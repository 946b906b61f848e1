//! `google.protobuf.Any`: `{"@type": "type.googleapis.com/shop.v1.Order", ...fields}`, or with a
//! `"value"` key for well-known types. The types an `Any` may hold are those the build knew: the
//! `json` pass generates an [`AnyLookup`] naming every message of the model, and the well-known
//! types are added here.

use std::marker::PhantomData;

use prost::Message;
use serde::Serializer;

use super::kind::{self, Kind};
use super::read::{Decoder, Fatal, Token, describe_str};
use super::{EncodeError, ErrorKind, JsonMessage, Writer, wkt};

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
pub const fn message_type<M: JsonMessage + Message>() -> AnyType {
    AnyType {
        write: write_message::<M>,
        read: read_message::<M>,
    }
}

fn write_message<M: JsonMessage + Message>(
    bytes: &[u8],
    w: &mut Writer,
) -> Result<(), EncodeError> {
    let message = M::decode(bytes)
        .map_err(|e| EncodeError::new(format!("Any holding {}: {e}", M::TYPE_NAME)))?;
    w.fields(&message, false)
}

fn read_message<M: JsonMessage + Message>(d: &mut Decoder<'_>) -> R<Option<Vec<u8>>> {
    let mut message = M::default();
    d.merge_message_skipping(&mut message, Some("@type"))?;
    Ok(Some(message.encode_to_vec()))
}

const fn wkt_type<K: Kind>() -> AnyType
where
    K::Value: Message + Default,
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

fn read_wkt<K: Kind>(d: &mut Decoder<'_>) -> R<Option<Vec<u8>>>
where
    K::Value: Message + Default,
{
    let mut value = None;
    let mut seen = false;
    d.object(|d, key| match key {
        "@type" => d.skip_value(),
        "value" => {
            seen = true;
            if !K::NULLABLE && d.peek()? == Token::Null {
                return d.parse_null();
            }
            value = K::read(d)?;
            Ok(())
        }
        _ => d.unknown_field("google.protobuf.Any"),
    })?;
    if !seen {
        // An absent value is the type's default.
        value = Some(K::Value::default());
    }
    Ok(value.map(|v| v.encode_to_vec()))
}

fn well_known(name: &str) -> Option<&'static AnyType> {
    Some(match name {
        "google.protobuf.Timestamp" => const { &wkt_type::<wkt::Timestamp>() },
        "google.protobuf.Duration" => const { &wkt_type::<wkt::Duration>() },
        "google.protobuf.FieldMask" => const { &wkt_type::<wkt::FieldMask>() },
        "google.protobuf.Struct" => const { &wkt_type::<wkt::Struct>() },
        "google.protobuf.Value" => const { &wkt_type::<wkt::Value>() },
        "google.protobuf.ListValue" => const { &wkt_type::<wkt::ListValue>() },
        "google.protobuf.Empty" => const { &wkt_type::<wkt::Empty>() },
        "google.protobuf.Any" => const { &wkt_type::<Any<NoAnyTypes>>() },
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
    well_known(name).or_else(|| L::find(name))
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
        d.object(|d, key| {
            empty = false;
            if key == "@type" && type_url.is_none() {
                let at = d.offset();
                if d.peek()? == Token::String {
                    type_url = Some((d.parse_string()?.into_owned(), at));
                    return Ok(());
                }
            }
            d.skip_value()
        })?;
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
