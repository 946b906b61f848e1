//! `serde::Deserialize` for generated messages and enums.
//!
//! serde's data model cannot carry what proto3 JSON decoding needs (duplicate keys, the text of a
//! number, every error at once), so a message's `Deserialize` hands the whole value to the
//! [`Decoder`](super::Decoder). From serde_json's deserializers (`from_str`, `from_slice`,
//! `from_reader`, `from_value`, and so axum's `Json`) it gets the value's raw text through
//! serde_json's `RawValue` protocol and reads it once, borrowed when the input is. Any other
//! deserializer does not know that protocol and hands the value over as a newtype or a plain
//! value; that is buffered as a `serde_json::Value` and decoded with [`from_value`](super::from_value)
//! (the one path on which a key given twice is not seen: `Value` keeps the last).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::value::SeqAccessDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{DecodeOptions, JsonEnum, JsonMessage, from_value, read};

/// The name under which serde_json's deserializers hand over a value's raw text: what its
/// `Deserialize for Box<RawValue>` asks for (feature `raw_value`). Asking for it ourselves, rather
/// than deserializing a `Box<RawValue>`, keeps the fallback for other deserializers, which
/// answer with `visit_newtype_struct`.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Decodes a message from whatever `deserializer` holds: strict, canonical proto3 JSON, every
/// error (with its path; line and column are those of the whole input, which serde_json adds).
pub(super) fn message<'de, M: JsonMessage, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<M, D::Error> {
    let options = DecodeOptions::default();
    let decoded = match deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, InputVisitor)? {
        Input::Text(text) => read::decode_root(&text, &options, false),
        Input::Value(value) => from_value(&value, &options),
    };
    decoded.map(|d| d.message).map_err(de::Error::custom)
}

/// Reads an enum value's name or number.
pub(super) fn enum_number<'de, E: JsonEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<i32, D::Error> {
    deserializer.deserialize_any(EnumVisitor::<E>(std::marker::PhantomData))
}

/// A message's JSON as a deserializer hands it over.
enum Input<'de> {
    /// The raw text of the value (serde_json).
    Text(Cow<'de, str>),
    /// The value itself (any other deserializer).
    Value(Value),
}

struct InputVisitor;

impl<'de> Visitor<'de> for InputVisitor {
    type Value = Input<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Input<'de>, A::Error> {
        let first = match map.next_key_seed(KeySeed)? {
            None => return Ok(Input::Value(Value::Object(serde_json::Map::new()))),
            Some(Key::RawValue) => return map.next_value_seed(TextSeed).map(Input::Text),
            Some(Key::Other(first)) => first,
        };
        // A deserializer that answered a newtype with the map itself: buffer it.
        let mut object = serde_json::Map::new();
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        Ok(Input::Value(Value::Object(object)))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Input<'de>, D::Error> {
        Value::deserialize(d).map(Input::Value)
    }

    // Not an object: still the decoder's to report (or, for a well-known type, to read).
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Input<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Input::Value)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Input<'de>, D::Error> {
        Value::deserialize(d).map(Input::Value)
    }
    fn visit_none<E>(self) -> Result<Input<'de>, E> {
        Ok(Input::Value(Value::Null))
    }
    fn visit_unit<E>(self) -> Result<Input<'de>, E> {
        Ok(Input::Value(Value::Null))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Input<'de>, E> {
        Ok(Input::Value(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Input<'de>, E> {
        Ok(Input::Value(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Input<'de>, E> {
        Ok(Input::Value(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Input<'de>, E> {
        Ok(Input::Value(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Input<'de>, E> {
        Ok(Input::Value(v.into()))
    }
}

/// The first key of a map: serde_json's raw-value marker, or a real key.
enum Key {
    RawValue,
    Other(String),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            RAW_VALUE_TOKEN => Key::RawValue,
            _ => Key::Other(v.to_owned()),
        })
    }

    fn visit_string<E>(self, v: String) -> Result<Key, E> {
        Ok(match v.as_str() {
            RAW_VALUE_TOKEN => Key::RawValue,
            _ => Key::Other(v),
        })
    }
}

/// The raw text, borrowed from the input when serde_json parses a slice or a `str`.
struct TextSeed;

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TextSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw JSON text")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

struct EnumVisitor<E>(std::marker::PhantomData<E>);

impl<E: JsonEnum> Visitor<'_> for EnumVisitor<E> {
    type Value = i32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an enum value name or number")
    }

    fn visit_str<Er: de::Error>(self, name: &str) -> Result<i32, Er> {
        E::from_json_name(name)
            .ok_or_else(|| Er::custom(format_args!("unknown enum value name `{name}`")))
    }

    fn visit_i64<Er: de::Error>(self, n: i64) -> Result<i32, Er> {
        i32::try_from(n).map_err(|_| Er::custom(format_args!("enum number out of range: {n}")))
    }

    fn visit_u64<Er: de::Error>(self, n: u64) -> Result<i32, Er> {
        i32::try_from(n).map_err(|_| Er::custom(format_args!("enum number out of range: {n}")))
    }

    /// An exact integer written as a float (`2.0`, `1e1`), as the message decoder accepts.
    fn visit_f64<Er: de::Error>(self, n: f64) -> Result<i32, Er> {
        if n.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&n) {
            Ok(n as i32)
        } else {
            Err(Er::custom(format_args!("enum number out of range: {n}")))
        }
    }
}
