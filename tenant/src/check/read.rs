//! A payload's values read as the generated code's `protogen::json::from_str` reads them: with
//! the runtime's own readers (`protogen::json::kind`, `wkt`), one value at a time, so a value the
//! checker accepts is exactly one the generated code accepts.

use protogen::json::kind::{self, KeyKind};
use protogen::json::{Decoder, Fatal, JsonErrors, wkt};
use protogen::validate::check::Seconds;
use protogen::validate::{Ctx, Key, Path};
use protogen_rules::Scalar;
use serde_json::Value;

use crate::schema::{EnumSchema, Kind};

/// A value read from JSON, typed as the generated code holds it.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
pub(super) enum Typed {
    Bool(bool),
    I32(i32),
    I64(i64),
    U32(u32),
    U64(u64),
    F32(f32),
    F64(f64),
    Str(String),
    Bytes(Vec<u8>),
    Enum(i32),
    Timestamp(Seconds),
    Duration(Seconds),
}

impl Typed {
    /// The type's zero value (`IGNORE_IF_ZERO_VALUE`), as the generated code tells it: -0.0 is
    /// not zero, and a timestamp or duration never is.
    pub(super) fn is_zero(&self, enum_zero: i32) -> bool {
        match self {
            Typed::Bool(b) => !b,
            Typed::I32(v) => *v == 0,
            Typed::I64(v) => *v == 0,
            Typed::U32(v) => *v == 0,
            Typed::U64(v) => *v == 0,
            Typed::F32(v) => v.to_bits() == 0,
            Typed::F64(v) => v.to_bits() == 0,
            Typed::Str(s) => s.is_empty(),
            Typed::Bytes(b) => b.is_empty(),
            Typed::Enum(v) => *v == enum_zero,
            Typed::Timestamp(_) | Typed::Duration(_) => false,
        }
    }

    /// The value as a map key in a field path.
    pub(super) fn key(&self) -> Key<'_> {
        match self {
            Typed::Bool(b) => Key::Bool(*b),
            Typed::I32(v) => Key::Int(i64::from(*v)),
            Typed::I64(v) => Key::Int(*v),
            Typed::U32(v) => Key::Uint(u64::from(*v)),
            Typed::U64(v) => Key::Uint(*v),
            Typed::Str(s) => Key::Str(s),
            // Map keys are integers, bool or string.
            _ => Key::Index(0),
        }
    }
}

/// Reads one value of a scalar, enum, timestamp or duration kind (messages are walked by the
/// caller); `Err` holds every error the JSON reader reports for it.
pub(super) fn value(kind: &Kind, enums: &[EnumSchema], value: &Value) -> Result<Typed, JsonErrors> {
    // The value's text, as the payload held it (serde_json keeps every `f64` exactly).
    let text = value.to_string();
    let read = |read: fn(&mut Decoder<'_>) -> Result<Option<Typed>, Fatal>| {
        protogen::json::read_value(&text, read)
    };
    match kind {
        Kind::Scalar(s) => read(scalar_reader(*s)),
        Kind::Enum(i) => {
            let e = &enums[*i];
            protogen::json::read_value(&text, |d| {
                Ok(kind::read_enum(d, |name| enum_number(e, name))?.map(Typed::Enum))
            })
        }
        Kind::Timestamp => read(|d| {
            Ok(<wkt::Timestamp as kind::Kind>::read(d)?.map(|t| {
                Typed::Timestamp(Seconds {
                    seconds: t.seconds,
                    nanos: t.nanos,
                })
            }))
        }),
        Kind::Duration => read(|d| {
            Ok(<wkt::Duration as kind::Kind>::read(d)?.map(|t| {
                Typed::Duration(Seconds {
                    seconds: t.seconds,
                    nanos: t.nanos,
                })
            }))
        }),
        Kind::Message(_) => unreachable!("messages are walked, not read"),
    }
}

/// The number of the enum value `name` names, as the generated enum's JSON reads it: the
/// proto names (`TIER_GOLD`, `TIER_UNSPECIFIED`).
fn enum_number(e: &EnumSchema, name: &str) -> Option<i32> {
    if name == e.unspecified {
        return Some(0);
    }
    e.values
        .iter()
        .find(|v| v.proto_name == name)
        .map(|v| v.number)
}

type Reader = fn(&mut Decoder<'_>) -> Result<Option<Typed>, Fatal>;

/// The runtime's reader of a scalar, its value typed.
fn scalar_reader(s: Scalar) -> Reader {
    macro_rules! reader {
        ($kind:ty, $variant:ident) => {
            |d| Ok(<$kind as kind::Kind>::read(d)?.map(Typed::$variant))
        };
    }
    match s {
        Scalar::Double => reader!(kind::F64, F64),
        Scalar::Float => reader!(kind::F32, F32),
        Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => reader!(kind::I32, I32),
        Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => reader!(kind::I64, I64),
        Scalar::Uint32 | Scalar::Fixed32 => reader!(kind::U32, U32),
        Scalar::Uint64 | Scalar::Fixed64 => reader!(kind::U64, U64),
        Scalar::Bool => reader!(kind::Bool, Bool),
        Scalar::String => reader!(kind::Str, Str),
        Scalar::Bytes => reader!(kind::Bytes, Bytes),
    }
}

/// A map key (the JSON object's key text) as the runtime's map reader parses it.
pub(super) fn key(s: Scalar, text: &str) -> Option<Typed> {
    Some(match s {
        Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => {
            Typed::I32(kind::I32::parse_key(text)?)
        }
        Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => {
            Typed::I64(kind::I64::parse_key(text)?)
        }
        Scalar::Uint32 | Scalar::Fixed32 => Typed::U32(kind::U32::parse_key(text)?),
        Scalar::Uint64 | Scalar::Fixed64 => Typed::U64(kind::U64::parse_key(text)?),
        Scalar::Bool => Typed::Bool(kind::Bool::parse_key(text)?),
        Scalar::String => Typed::Str(kind::Str::parse_key(text)?),
        // Not map key types; the lowering refuses them.
        Scalar::Double | Scalar::Float | Scalar::Bytes => return None,
    })
}

/// A `tenant.type` violation at `path` (the field, item or entry), for each error the JSON
/// reader found in the value, worded as its error is.
pub(super) fn type_errors(ctx: &mut Ctx, path: Option<&Path<'_>>, errors: &JsonErrors) {
    for e in &errors.errors {
        type_violation(
            ctx,
            path,
            format_args!("expected {}, found {}", e.expected, e.found),
        );
    }
}

/// A `tenant.type` violation: a value the generated code's JSON reader would refuse.
pub(super) fn type_violation(
    ctx: &mut Ctx,
    path: Option<&Path<'_>>,
    message: std::fmt::Arguments<'_>,
) {
    ctx.violation(path, "type", "tenant.type", message);
}

/// A `tenant.type` violation for a value of the wrong JSON type for `expected`, worded as the
/// JSON reader words it.
pub(super) fn wrong_json_type(
    ctx: &mut Ctx,
    path: Option<&Path<'_>>,
    expected: &str,
    found: &Value,
) {
    let found = match found {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    };
    type_violation(
        ctx,
        path,
        format_args!("expected {expected}, found {found}"),
    );
}
