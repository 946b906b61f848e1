//! The well-known types' special JSON forms. prost maps them to `prost_types` (and the wrappers to
//! plain Rust types, which the scalar kinds cover), so their JSON is written here by hand.

use std::collections::BTreeMap;
use std::io::Write as _;

use prost_types::value::Kind as ValueKind;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use super::kind::Kind;
use super::read::{Decoder, Fatal, Token, describe_str};
use super::{EncodeError, ErrorKind, Writer};

type R<T> = Result<T, Fatal>;

const MIN_TIMESTAMP_SECONDS: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX_TIMESTAMP_SECONDS: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
const MAX_DURATION_SECONDS: u64 = 315_576_000_000;
const MAX_DURATION_NANOS: u32 = 999_999_999;

fn check_timestamp(t: &prost_types::Timestamp) -> Result<(), EncodeError> {
    if (MIN_TIMESTAMP_SECONDS..=MAX_TIMESTAMP_SECONDS).contains(&t.seconds)
        && (0..1_000_000_000).contains(&t.nanos)
    {
        Ok(())
    } else {
        Err(EncodeError::new(format!(
            "Timestamp out of range: {}s {}ns (0001-01-01 to 9999-12-31, nanos in [0, 1e9))",
            t.seconds, t.nanos
        )))
    }
}

fn check_duration(d: &prost_types::Duration) -> Result<(), EncodeError> {
    let same_sign = d.seconds == 0 || d.nanos == 0 || (d.seconds < 0) == (d.nanos < 0);
    if d.seconds.unsigned_abs() <= MAX_DURATION_SECONDS
        && d.nanos.unsigned_abs() <= MAX_DURATION_NANOS
        && same_sign
    {
        Ok(())
    } else {
        Err(EncodeError::new(format!(
            "Duration out of range: {}s {}ns",
            d.seconds, d.nanos
        )))
    }
}

/// A well-known type written as a string with its `Display` (prost's, which is exactly the proto3
/// form for values that pass `check`) and read with `parse`.
macro_rules! string_form_kind {
    ($kind:ident, $value:ty, $check:ident, $parse:ident, $wrong:literal, $expected:literal) => {
        impl Kind for $kind {
            type Value = $value;

            fn is_default(_: &Self::Value) -> bool {
                false
            }

            fn write(v: &Self::Value, w: &mut Writer) -> Result<(), EncodeError> {
                $check(v)?;
                let mut buf = [0u8; 40];
                let mut cursor = std::io::Cursor::new(&mut buf[..]);
                write!(cursor, "\"{v}\"").map_err(EncodeError::io)?;
                let len = cursor.position() as usize;
                w.raw(&buf[..len]);
                Ok(())
            }

            fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
                $check(v).map_err(serde::ser::Error::custom)?;
                s.collect_str(v)
            }

            fn read(d: &mut Decoder<'_>) -> R<Option<Self::Value>> {
                let at = d.offset();
                if d.peek()? != Token::String {
                    return d.wrong_type($wrong);
                }
                let s = d.parse_string()?;
                match $parse(&s).filter(|v| $check(v).is_ok()) {
                    Some(v) => Ok(Some(v)),
                    None => d.invalid(ErrorKind::InvalidValue, at, $expected, describe_str(&s)),
                }
            }
        }
    };
}

/// `google.protobuf.Timestamp`: an RFC 3339 string in UTC with 0, 3, 6 or 9 fractional digits.
pub struct Timestamp;

string_form_kind!(
    Timestamp,
    prost_types::Timestamp,
    check_timestamp,
    parse_timestamp,
    "a Timestamp (an RFC 3339 string)",
    "a Timestamp: RFC 3339 `1972-01-01T10:00:20.021Z` (or with an offset), 0001-01-01 to 9999-12-31"
);

fn parse_timestamp(s: &str) -> Option<prost_types::Timestamp> {
    strict_rfc3339(s).then(|| s.parse().ok()).flatten()
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, upper-case `T` and `Z`, 1 to 9 fraction digits.
fn strict_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && b.get(10) == Some(&b'T')
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19)
        // No leap second: Google's parsers (Go's, Python's) refuse `:60`.
        && b[17] <= b'5')
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start || i - start > 9 {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            digits(i + 1..i + 3)
                && b.get(i + 3) == Some(&b':')
                && digits(i + 4..i + 6)
                && i + 6 == b.len()
        }
        _ => false,
    }
}

/// `google.protobuf.Duration`: `"1.500s"`, with 0, 3, 6 or 9 fractional digits.
pub struct Duration;

string_form_kind!(
    Duration,
    prost_types::Duration,
    check_duration,
    parse_duration,
    "a Duration (a string like \"1.5s\")",
    "a Duration: seconds with up to 9 fractional digits and an `s`, within ±315576000000s"
);

fn parse_duration(s: &str) -> Option<prost_types::Duration> {
    let plain = s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b's');
    plain.then(|| s.parse().ok()).flatten()
}

/// `google.protobuf.FieldMask`: its paths in lowerCamelCase, joined by commas.
pub struct FieldMask;

fn mask_to_string(v: &prost_types::FieldMask) -> Result<String, EncodeError> {
    let mut out = String::new();
    for (i, path) in v.paths.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut upper = false;
        for ch in path.chars() {
            if ch.is_ascii_uppercase() {
                return Err(EncodeError::new(format!(
                    "FieldMask path `{path}` cannot be written in lowerCamelCase"
                )));
            }
            if upper {
                if !ch.is_ascii_lowercase() {
                    return Err(EncodeError::new(format!(
                        "FieldMask path `{path}` cannot be written in lowerCamelCase"
                    )));
                }
                out.push(ch.to_ascii_uppercase());
                upper = false;
            } else if ch == '_' {
                upper = true;
            } else {
                out.push(ch);
            }
        }
        if upper {
            return Err(EncodeError::new(format!(
                "FieldMask path `{path}` cannot be written in lowerCamelCase"
            )));
        }
    }
    Ok(out)
}

impl Kind for FieldMask {
    type Value = prost_types::FieldMask;

    fn is_default(_: &Self::Value) -> bool {
        false
    }

    fn write(v: &Self::Value, w: &mut Writer) -> Result<(), EncodeError> {
        w.str(&mask_to_string(v)?);
        Ok(())
    }

    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&mask_to_string(v).map_err(serde::ser::Error::custom)?)
    }

    fn read(d: &mut Decoder<'_>) -> R<Option<Self::Value>> {
        let at = d.offset();
        if d.peek()? != Token::String {
            return d.wrong_type("a FieldMask (a string of comma-separated paths)");
        }
        let s = d.parse_string()?;
        let mut paths = Vec::new();
        // `""` is the empty mask; otherwise every path between commas must be there (Go's
        // protojson refuses `"a,,b"` as well).
        if s.split(',').any(str::is_empty) && !s.is_empty() {
            return d.invalid(
                ErrorKind::InvalidValue,
                at,
                "a FieldMask: paths separated by single commas",
                describe_str(&s),
            );
        }
        for path in s.split(',').filter(|p| !p.is_empty()) {
            let mut out = String::with_capacity(path.len() + 4);
            for ch in path.chars() {
                if ch == '_' {
                    return d.invalid(
                        ErrorKind::InvalidValue,
                        at,
                        "a FieldMask in lowerCamelCase (no `_`)",
                        describe_str(&s),
                    );
                }
                if ch.is_ascii_uppercase() {
                    out.push('_');
                    out.push(ch.to_ascii_lowercase());
                } else {
                    out.push(ch);
                }
            }
            paths.push(out);
        }
        Ok(Some(prost_types::FieldMask { paths }))
    }
}

/// `google.protobuf.Empty` (prost's `()`): `{}`.
pub struct Empty;

impl Kind for Empty {
    type Value = ();

    fn is_default(_: &()) -> bool {
        false
    }

    fn write(_: &(), w: &mut Writer) -> Result<(), EncodeError> {
        w.raw(b"{}");
        Ok(())
    }

    fn serialize<S: Serializer>(_: &(), s: S) -> Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }

    fn read(d: &mut Decoder<'_>) -> R<Option<()>> {
        if d.peek()? != Token::Object {
            return d.wrong_type("an object (google.protobuf.Empty)");
        }
        d.object(|d, _| d.unknown_field("google.protobuf.Empty"))?;
        Ok(Some(()))
    }
}

/// `google.protobuf.NullValue` (an `i32` to prost): `null`.
pub struct NullValue;

impl Kind for NullValue {
    type Value = i32;
    const NULLABLE: bool = true;

    /// Its one value, 0, is its default: a proto3 field of this type is written only with
    /// `emit_defaults` (or in a oneof). Other numbers are written as `null` too.
    fn is_default(v: &i32) -> bool {
        *v == 0
    }

    fn write(_: &i32, w: &mut Writer) -> Result<(), EncodeError> {
        w.null();
        Ok(())
    }

    fn serialize<S: Serializer>(_: &i32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }

    fn read(d: &mut Decoder<'_>) -> R<Option<i32>> {
        let at = d.offset();
        match d.peek()? {
            Token::Null => d.parse_null().map(|()| Some(0)),
            Token::String => {
                let s = d.parse_string()?;
                if s == "NULL_VALUE" {
                    Ok(Some(0))
                } else if d.options().ignore_unknown_fields {
                    Ok(None)
                } else {
                    d.invalid(ErrorKind::InvalidValue, at, "null", describe_str(&s))
                }
            }
            // A number, as for any open enum: Go's protojson and Python's json_format accept one.
            Token::Number => super::kind::I32::read(d),
            _ => d.wrong_type("null"),
        }
    }
}

/// `google.protobuf.Value`: any JSON value.
pub struct Value;

fn write_value(v: &prost_types::Value, w: &mut Writer) -> Result<(), EncodeError> {
    match &v.kind {
        None | Some(ValueKind::NullValue(_)) => w.null(),
        Some(ValueKind::NumberValue(n)) => {
            if !n.is_finite() {
                return Err(EncodeError::new(format!(
                    "google.protobuf.Value cannot hold the number {n} in JSON"
                )));
            }
            w.f64(*n)
        }
        Some(ValueKind::StringValue(s)) => w.str(s),
        Some(ValueKind::BoolValue(b)) => w.bool(*b),
        Some(ValueKind::StructValue(s)) => write_struct(s, w)?,
        Some(ValueKind::ListValue(l)) => write_list(l, w)?,
    }
    Ok(())
}

fn write_struct(s: &prost_types::Struct, w: &mut Writer) -> Result<(), EncodeError> {
    w.byte(b'{');
    for (i, (k, v)) in s.fields.iter().enumerate() {
        w.key(i == 0, k);
        write_value(v, w)?;
    }
    w.byte(b'}');
    Ok(())
}

fn write_list(l: &prost_types::ListValue, w: &mut Writer) -> Result<(), EncodeError> {
    w.byte(b'[');
    for (i, v) in l.values.iter().enumerate() {
        if i > 0 {
            w.byte(b',');
        }
        write_value(v, w)?;
    }
    w.byte(b']');
    Ok(())
}

struct SerValue<'a>(&'a prost_types::Value);
struct SerStruct<'a>(&'a prost_types::Struct);
struct SerList<'a>(&'a prost_types::ListValue);

impl serde::Serialize for SerValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0.kind {
            None | Some(ValueKind::NullValue(_)) => s.serialize_unit(),
            Some(ValueKind::NumberValue(n)) if n.is_finite() => s.serialize_f64(*n),
            Some(ValueKind::NumberValue(n)) => Err(serde::ser::Error::custom(format!(
                "google.protobuf.Value cannot hold the number {n} in JSON"
            ))),
            Some(ValueKind::StringValue(v)) => s.serialize_str(v),
            Some(ValueKind::BoolValue(b)) => s.serialize_bool(*b),
            Some(ValueKind::StructValue(v)) => SerStruct(v).serialize(s),
            Some(ValueKind::ListValue(v)) => SerList(v).serialize(s),
        }
    }
}

impl serde::Serialize for SerStruct<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.fields.len()))?;
        for (k, v) in &self.0.fields {
            map.serialize_entry(k, &SerValue(v))?;
        }
        map.end()
    }
}

impl serde::Serialize for SerList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.values.len()))?;
        for v in &self.0.values {
            seq.serialize_element(&SerValue(v))?;
        }
        seq.end()
    }
}

use serde::Serialize as _;

fn read_value(d: &mut Decoder<'_>) -> R<Option<prost_types::Value>> {
    let kind = match d.peek()? {
        Token::Null => {
            d.parse_null()?;
            ValueKind::NullValue(0)
        }
        Token::Bool => ValueKind::BoolValue(d.parse_bool()?),
        Token::Number => {
            let at = d.offset();
            let t = d.parse_number()?;
            let n: f64 = t.parse().unwrap_or(f64::INFINITY);
            if !n.is_finite() {
                return d.invalid(
                    ErrorKind::OutOfRange,
                    at,
                    "a finite number",
                    format!("number {t}"),
                );
            }
            ValueKind::NumberValue(n)
        }
        Token::String => ValueKind::StringValue(d.parse_string()?.into_owned()),
        Token::Array => ValueKind::ListValue(read_list(d)?.unwrap_or_default()),
        Token::Object => ValueKind::StructValue(read_struct(d)?.unwrap_or_default()),
    };
    Ok(Some(prost_types::Value { kind: Some(kind) }))
}

fn read_struct(d: &mut Decoder<'_>) -> R<Option<prost_types::Struct>> {
    if d.peek()? != Token::Object {
        return d.wrong_type("an object (google.protobuf.Struct)");
    }
    let mut fields = BTreeMap::new();
    d.object(|d, key| {
        let at = d.key_offset();
        if let Some(v) = read_value(d)?
            && fields.insert(key.to_owned(), v).is_some()
        {
            d.error(
                ErrorKind::DuplicateField,
                at,
                "each key at most once",
                format!("key {}", describe_str(key).trim_start_matches("string ")),
            )?;
        }
        Ok(())
    })?;
    Ok(Some(prost_types::Struct { fields }))
}

fn read_list(d: &mut Decoder<'_>) -> R<Option<prost_types::ListValue>> {
    if d.peek()? != Token::Array {
        return d.wrong_type("an array (google.protobuf.ListValue)");
    }
    let mut values = Vec::new();
    d.array(|d| {
        if let Some(v) = read_value(d)? {
            values.push(v);
        }
        Ok(())
    })?;
    Ok(Some(prost_types::ListValue { values }))
}

/// The `Kind` of a JSON-shaped well-known type from its write, serialize and read functions.
macro_rules! json_shaped_kind {
    ($kind:ty, $value:ty, nullable: $nullable:expr, $write:ident, $ser:ident, $read:ident) => {
        impl Kind for $kind {
            type Value = $value;
            const NULLABLE: bool = $nullable;
            const RECURSIVE: bool = true;

            fn is_default(_: &Self::Value) -> bool {
                false
            }

            fn write(v: &Self::Value, w: &mut Writer) -> Result<(), EncodeError> {
                $write(v, w)
            }

            fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
                $ser(v).serialize(s)
            }

            fn read(d: &mut Decoder<'_>) -> R<Option<Self::Value>> {
                $read(d)
            }
        }
    };
}

json_shaped_kind!(Value, prost_types::Value, nullable: true, write_value, SerValue, read_value);

/// `google.protobuf.Struct`: a JSON object.
pub struct Struct;

json_shaped_kind!(Struct, prost_types::Struct, nullable: false, write_struct, SerStruct, read_struct);

/// `google.protobuf.ListValue`: a JSON array.
pub struct ListValue;

json_shaped_kind!(ListValue, prost_types::ListValue, nullable: false, write_list, SerList, read_list);
