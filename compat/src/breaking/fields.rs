//! Rules on a field paired with its old self (same message, same number; extensions by
//! extendee and number): type, cardinality, name, JSON name, oneof, default and options.

use prost_types::field_descriptor_proto::{Label, Type};

use super::messages::describe;
use super::{At, Check};
use crate::go::{self, quote};
use crate::image::{Field, Index, Syntax, TypeDef, tag};

pub(super) fn check(c: &mut Check<'_, '_>) {
    let mut pairs = Vec::new();
    for (name, old) in &c.old.messages {
        let Some(new) = c.new.messages.get(name) else {
            continue;
        };
        let both_map_entries = old.is_map_entry() && new.is_map_entry();
        let new_fields = c.new.fields(new);
        for (number, old_field) in c.old.fields(old) {
            if let Some(new_field) = new_fields.get(&number) {
                pairs.push((new_field.clone(), old_field, both_map_entries));
            }
        }
    }
    for (extendee, old_exts) in &c.old.extensions {
        let Some(new_exts) = c.new.extensions.get(extendee) else {
            continue;
        };
        for (number, old_field) in old_exts {
            if let Some(new_field) = new_exts.get(number) {
                pairs.push((new_field.clone(), old_field.clone(), false));
            }
        }
    }
    for (new, old, in_map_entry) in &pairs {
        pair(c, new, old, *in_map_entry);
    }
}

fn pair(c: &mut Check<'_, '_>, new: &Field<'_>, old: &Field<'_>, in_map_entry: bool) {
    if !in_map_entry {
        cardinality(c, new, old);
    }
    types(c, new, old);
    names(c, new, old);
    oneof(c, new, old);
    default(c, new, old);
    strings(c, new, old, in_map_entry);
    jstype(c, new, old);
}

/// buf's field cardinality.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cardinality {
    Explicit,
    Implicit,
    Required,
    Repeated,
    Map,
}

impl Cardinality {
    fn text(self) -> &'static str {
        match self {
            Cardinality::Explicit => "optional with explicit presence",
            Cardinality::Implicit => "optional with implicit presence",
            Cardinality::Required => "required",
            Cardinality::Repeated => "repeated",
            Cardinality::Map => "map",
        }
    }

    fn wire_group(self) -> u8 {
        match self {
            Cardinality::Explicit | Cardinality::Implicit => 1,
            Cardinality::Required => 2,
            Cardinality::Repeated | Cardinality::Map => 3,
        }
    }

    fn wire_json_group(self) -> u8 {
        match self {
            Cardinality::Map => 4,
            other => other.wire_group(),
        }
    }
}

fn is_map(index: &Index<'_>, field: &Field<'_>) -> bool {
    field.proto.label() == Label::Repeated
        && field.proto.r#type() == Type::Message
        && matches!(
            index.type_def(field.proto.type_name()),
            Some(TypeDef::Message(m)) if m.options.as_ref().is_some_and(|o| o.map_entry())
        )
}

fn cardinality_of(index: &Index<'_>, field: &Field<'_>) -> Cardinality {
    match field.proto.label() {
        Label::Repeated if is_map(index, field) => Cardinality::Map,
        Label::Repeated => Cardinality::Repeated,
        Label::Required => Cardinality::Required,
        Label::Optional => {
            let explicit = field.syntax != Syntax::Proto3
                || field.is_extension()
                || field.proto.oneof_index.is_some()
                || matches!(field.proto.r#type(), Type::Message | Type::Group);
            if explicit {
                Cardinality::Explicit
            } else {
                Cardinality::Implicit
            }
        }
    }
}

fn cardinality(c: &mut Check<'_, '_>, new: &Field<'_>, old: &Field<'_>) {
    let (before, after) = (cardinality_of(c.old, old), cardinality_of(c.new, new));
    let message = || {
        format!(
            "{} changed cardinality from {} to {}.",
            describe(new, true),
            quote(before.text()),
            quote(after.text())
        )
    };
    let rules = [
        ("FIELD_SAME_CARDINALITY", before != after),
        (
            "FIELD_WIRE_COMPATIBLE_CARDINALITY",
            before.wire_group() != after.wire_group(),
        ),
        (
            "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
            before.wire_json_group() != after.wire_json_group(),
        ),
    ];
    for (rule, changed) in rules {
        if changed {
            c.add(rule, At::Element(&new.loc), Some(&old.loc), message());
        }
    }
}

/// protoreflect's name of a kind.
fn kind_name(ty: Type) -> &'static str {
    match ty {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Group => "group",
        Type::Message => "message",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Enum => "enum",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
    }
}

/// Kinds whose values read back on the wire as each other (protobuf's "updating" rules).
fn wire_group(ty: Type) -> u8 {
    match ty {
        Type::Int32 | Type::Int64 | Type::Uint32 | Type::Uint64 | Type::Bool => 1,
        Type::Sint32 | Type::Sint64 => 2,
        Type::String => 3,
        Type::Bytes => 4,
        Type::Fixed32 | Type::Sfixed32 => 5,
        Type::Fixed64 | Type::Sfixed64 => 6,
        Type::Double => 7,
        Type::Float => 8,
        Type::Group => 9,
        Type::Message => 10,
        Type::Enum => 11,
    }
}

/// Kinds compatible both on the wire and in JSON.
fn wire_json_group(ty: Type) -> u8 {
    match ty {
        Type::Int32 | Type::Uint32 => 1,
        Type::Int64 | Type::Uint64 => 2,
        Type::Fixed32 | Type::Sfixed32 => 3,
        Type::Fixed64 | Type::Sfixed64 => 4,
        Type::Bool => 5,
        Type::Sint32 => 6,
        Type::Sint64 => 7,
        Type::String => 8,
        Type::Bytes => 9,
        Type::Double => 10,
        Type::Float => 11,
        Type::Group => 12,
        Type::Message => 13,
        Type::Enum => 14,
    }
}

fn is_named(ty: Type) -> bool {
    matches!(ty, Type::Message | Type::Enum | Type::Group)
}

/// Where a field's type is written: its type name for named types, else its scalar type.
fn type_loc(field: &Field<'_>) -> crate::image::Loc {
    let tag = if is_named(field.proto.r#type()) {
        tag::FIELD_TYPE_NAME
    } else {
        tag::FIELD_TYPE
    };
    field.loc.child(&[tag])
}

fn changed_kind(
    c: &mut Check<'_, '_>,
    rule: &'static str,
    new: &Field<'_>,
    old: &Field<'_>,
    extra: &str,
) {
    let message = format!(
        "{} changed type from {} to {}.{extra}",
        describe(new, true),
        quote(kind_name(old.proto.r#type())),
        quote(kind_name(new.proto.r#type())),
    );
    let (at, against) = (type_loc(new), type_loc(old));
    c.add(rule, At::Element(&at), Some(&against), message);
}

fn changed_type_name(c: &mut Check<'_, '_>, rule: &'static str, new: &Field<'_>, old: &Field<'_>) {
    let message = format!(
        "{} changed type from {} to {}.",
        describe(new, true),
        quote(old.proto.type_name().trim_start_matches('.')),
        quote(new.proto.type_name().trim_start_matches('.')),
    );
    let at = new.loc.child(&[tag::FIELD_TYPE_NAME]);
    let against = old.loc.child(&[tag::FIELD_TYPE_NAME]);
    c.add(rule, At::Element(&at), Some(&against), message);
}

const WIRE_RULES: &str = "See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules.";
const JSON_RULES: &str = "See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules and https://developers.google.com/protocol-buffers/docs/proto3#json for JSON compatibility rules.";

fn types(c: &mut Check<'_, '_>, new: &Field<'_>, old: &Field<'_>) {
    let (before, after) = (old.proto.r#type(), new.proto.r#type());
    let renamed = new.proto.type_name() != old.proto.type_name();
    if before != after {
        changed_kind(c, "FIELD_SAME_TYPE", new, old, "");
    } else if is_named(after) && renamed {
        changed_type_name(c, "FIELD_SAME_TYPE", new, old);
    }
    if c.on("FIELD_WIRE_COMPATIBLE_TYPE") {
        if wire_group(before) != wire_group(after) {
            match (before, after) {
                (Type::String, Type::Bytes) => {}
                (Type::Bytes, Type::String) => {
                    let extra = format!(
                        " {WIRE_RULES} Note that while string and bytes are compatible if the \
                         data is valid UTF-8, there is no way to enforce that a bytes field is \
                         UTF-8, so these fields may be incompatible."
                    );
                    changed_kind(c, "FIELD_WIRE_COMPATIBLE_TYPE", new, old, &extra);
                }
                _ => changed_kind(
                    c,
                    "FIELD_WIRE_COMPATIBLE_TYPE",
                    new,
                    old,
                    &format!(" {WIRE_RULES}"),
                ),
            }
        } else if renamed {
            named_compatible(c, "FIELD_WIRE_COMPATIBLE_TYPE", new, old);
        }
    }
    if c.on("FIELD_WIRE_JSON_COMPATIBLE_TYPE") {
        if wire_json_group(before) != wire_json_group(after) {
            changed_kind(
                c,
                "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
                new,
                old,
                &format!(" {JSON_RULES}"),
            );
        } else if renamed {
            named_compatible(c, "FIELD_WIRE_JSON_COMPATIBLE_TYPE", new, old);
        }
    }
}

/// A message or group whose type changed is a different type; an enum is the same if it has the
/// same short name and keeps every old value.
fn named_compatible(c: &mut Check<'_, '_>, rule: &'static str, new: &Field<'_>, old: &Field<'_>) {
    match new.proto.r#type() {
        Type::Message | Type::Group => changed_type_name(c, rule, new, old),
        Type::Enum => {
            let before = c.old.type_def(old.proto.type_name());
            let after = c.new.type_def(new.proto.type_name());
            let same = match (before, after) {
                (Some(TypeDef::Enum(b)), Some(TypeDef::Enum(a))) => {
                    b.name() == a.name()
                        && b.value.iter().all(|v| {
                            a.value
                                .iter()
                                .any(|w| w.name() == v.name() && w.number() == v.number())
                        })
                }
                _ => false,
            };
            if !same {
                changed_type_name(c, rule, new, old);
            }
        }
        _ => {}
    }
}

/// The JSON name protoc gives a field without `json_name`: underscores removed, the letter after
/// each one upper-cased.
pub(crate) fn default_json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

fn json_name(field: &Field<'_>) -> String {
    match &field.proto.json_name {
        Some(name) => name.clone(),
        None => default_json_name(field.name()),
    }
}

fn names(c: &mut Check<'_, '_>, new: &Field<'_>, old: &Field<'_>) {
    let (before, after) = if old.is_extension() {
        (old.full_name.as_str(), new.full_name.as_str())
    } else {
        (old.name(), new.name())
    };
    if before != after {
        let message = format!(
            "{} changed name from {} to {}.",
            describe(new, false),
            quote(before),
            quote(after)
        );
        let at = new.loc.child(&[tag::FIELD_NAME]);
        let against = old.loc.child(&[tag::FIELD_NAME]);
        c.add("FIELD_SAME_NAME", At::Element(&at), Some(&against), message);
    }
    if old.is_extension() {
        return;
    }
    let (before, after) = (json_name(old), json_name(new));
    if before != after {
        let message = format!(
            "{} changed option \"json_name\" from {} to {}.",
            describe(new, true),
            quote(&before),
            quote(&after)
        );
        let at = [new.loc.child(&[tag::FIELD_JSON_NAME]), new.loc.clone()];
        c.add(
            "FIELD_SAME_JSON_NAME",
            At::FirstOf(&at),
            Some(&old.loc),
            message,
        );
    }
}

fn oneof(c: &mut Check<'_, '_>, new: &Field<'_>, old: &Field<'_>) {
    if old.is_extension() {
        return;
    }
    let message = match (old.real_oneof(), new.real_oneof()) {
        (None, None) => return,
        (Some(before), Some(after)) if before.name() == after.name() => return,
        (Some(before), Some(after)) => format!(
            // buf's message has this stray `q` (a `%sq` in its format string).
            "{}q moved from oneof {} to oneof {}.",
            describe(new, true),
            quote(before.name()),
            quote(after.name())
        ),
        (Some(_), None) => format!(
            "{} moved from inside to outside a oneof.",
            describe(new, true)
        ),
        (None, Some(_)) => format!(
            "{} moved from outside to inside a oneof.",
            describe(new, true)
        ),
    };
    c.add(
        "FIELD_SAME_ONEOF",
        At::Element(&new.loc),
        Some(&old.loc),
        message,
    );
}

/// A field's default as buf compares (`Value`) and prints it.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(Vec<u8>),
    Bool(bool),
    Int(i128),
    F32(f32),
    F64(f64),
}

impl Value {
    fn is_zero(&self) -> bool {
        match self {
            Value::Str(s) => s.is_empty(),
            Value::Bool(b) => !b,
            Value::Int(i) => *i == 0,
            Value::F32(f) => f.to_bits() == 0,
            Value::F64(f) => f.to_bits() == 0,
        }
    }

    fn equals(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Str(a), Str(b)) => a == b,
            (Str(_), _) | (_, Str(_)) => false,
            (F32(a), F64(b)) | (F64(b), F32(a)) => (a.is_nan() && b.is_nan()) || *a == *b as f32,
            (a, b) => match (a.number(), b.number()) {
                (None, None) => true,
                (Some(x), Some(y)) => x == y,
                _ => false,
            },
        }
    }

    /// As an exact number (`None` for NaN): an integer, or a float's value.
    fn number(&self) -> Option<Number> {
        match *self {
            Value::Bool(b) => Some(Number::Int(i128::from(b))),
            Value::Int(i) => Some(Number::Int(i)),
            Value::F32(f) if f.is_nan() => None,
            Value::F64(f) if f.is_nan() => None,
            Value::F32(f) => Some(Number::from_f64(f64::from(f))),
            Value::F64(f) => Some(Number::from_f64(f)),
            Value::Str(_) => None,
        }
    }
}

#[derive(PartialEq)]
enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    fn from_f64(f: f64) -> Number {
        if f.fract() == 0.0 && f.abs() < 1e38 {
            Number::Int(f as i128)
        } else {
            Number::Float(f)
        }
    }
}

/// A field's default: explicit, else the type's zero (an enum's first value). `None` for fields
/// that cannot have one.
fn default_of(index: &Index<'_>, field: &Field<'_>) -> Option<(Value, String)> {
    if field.proto.label() == Label::Repeated
        || matches!(field.proto.r#type(), Type::Message | Type::Group)
    {
        return None;
    }
    let text = field.proto.default_value.as_deref();
    let ty = field.proto.r#type();
    Some(match ty {
        Type::String => {
            let s = text.unwrap_or("").to_owned();
            let printable = quote(&s);
            (Value::Str(s.into_bytes()), printable)
        }
        Type::Bytes => {
            let bytes = unescape(text.unwrap_or(""));
            let printable: Vec<String> = bytes.iter().map(|b| format!("0x{b:X}")).collect();
            (Value::Str(bytes), format!("[{}]", printable.join(",")))
        }
        Type::Bool => {
            let b = text == Some("true");
            (Value::Bool(b), b.to_string())
        }
        Type::Enum => {
            let Some(TypeDef::Enum(e)) = index.type_def(field.proto.type_name()) else {
                return None;
            };
            let value = match text {
                Some(name) => e.value.iter().find(|v| v.name() == name),
                None => e.value.first(),
            }?;
            (
                Value::Int(i128::from(value.number())),
                format!("{}.{}", e.name(), value.name()),
            )
        }
        Type::Float => {
            let f = text.map_or(0.0, parse_float) as f32;
            (Value::F32(f), go::f32_text(f))
        }
        Type::Double => {
            let f = text.map_or(0.0, parse_float);
            (Value::F64(f), go::f64_text(f))
        }
        _ => {
            let i = text.and_then(|t| t.parse::<i128>().ok()).unwrap_or(0);
            (Value::Int(i), i.to_string())
        }
    })
}

fn parse_float(text: &str) -> f64 {
    match text {
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        "nan" => f64::NAN,
        t => t.parse().unwrap_or(0.0),
    }
}

/// A `bytes` default as descriptors store it: C escapes (`\n`, `\x41`, `\101`).
fn unescape(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b != b'\\' || i >= bytes.len() {
            out.push(b);
            continue;
        }
        let e = bytes[i];
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'x' | b'X' => {
                let digits: String = bytes[i..]
                    .iter()
                    .take(2)
                    .take_while(|c| c.is_ascii_hexdigit())
                    .map(|&c| c as char)
                    .collect();
                i += digits.len();
                out.push(u8::from_str_radix(&digits, 16).unwrap_or(0));
            }
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                let mut n = 1;
                while n < 3 && i < bytes.len() && (b'0'..=b'7').contains(&bytes[i]) {
                    value = value * 8 + u32::from(bytes[i] - b'0');
                    i += 1;
                    n += 1;
                }
                out.push(value as u8);
            }
            other => out.push(other),
        }
    }
    out
}

fn default(c: &mut Check<'_, '_>, new: &Field<'_>, old: &Field<'_>) {
    if !c.on("FIELD_SAME_DEFAULT") {
        return;
    }
    let (Some((before, before_text)), Some((after, after_text))) =
        (default_of(c.old, old), default_of(c.new, new))
    else {
        return;
    };
    if (before.is_zero() && after.is_zero()) || before.equals(&after) {
        return;
    }
    let message = format!(
        "{} changed default value from {before_text} to {after_text}.",
        describe(new, true)
    );
    let at = [new.loc.child(&[tag::FIELD_DEFAULT]), new.loc.clone()];
    c.add(
        "FIELD_SAME_DEFAULT",
        At::FirstOf(&at),
        Some(&old.loc),
        message,
    );
}

/// C++ string type, Java and proto UTF-8 validation of string (and bytes) fields.
fn strings(c: &mut Check<'_, '_>, new: &Field<'_>, old: &Field<'_>, in_map_entry: bool) {
    let (before, after) = (old.proto.r#type(), new.proto.r#type());
    let stringish = |t| matches!(t, Type::String | Type::Bytes);
    if !in_map_entry && stringish(before) && stringish(after) {
        let (b, a) = (cpp_string_type(old), cpp_string_type(new));
        // Moving from STRING_PIECE to STRING is not breaking.
        if b != a && !(b == "STRING_PIECE" && a == "STRING") {
            let message = format!(
                "{} changed C++ string type from {} to {}.",
                describe(new, true),
                quote(b),
                quote(a)
            );
            let at = [new.loc.child(&[tag::FIELD_OPTIONS, 1]), new.loc.clone()];
            c.add(
                "FIELD_SAME_CPP_STRING_TYPE",
                At::FirstOf(&at),
                Some(&old.loc),
                message,
            );
        }
    }
    if before != Type::String || after != Type::String {
        return;
    }
    let (b, a) = (java_utf8(c.old, old), java_utf8(c.new, new));
    if b != a {
        let message = format!(
            "{} changed Java string UTF8 validation from {} to {}.",
            describe(new, true),
            quote(b),
            quote(a)
        );
        let at = [
            crate::image::Loc {
                file: new.loc.file,
                path: vec![tag::FILE_OPTIONS, 27],
            },
            new.loc.clone(),
        ];
        c.add(
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            At::FirstOf(&at),
            Some(&old.loc),
            message,
        );
    }
    let (b, a) = (utf8(old.syntax), utf8(new.syntax));
    if b != a {
        let message = format!(
            "{} changed UTF8 validation from {b} to {a}.",
            describe(new, true)
        );
        c.add(
            "FIELD_SAME_UTF8_VALIDATION",
            At::Element(&new.loc),
            Some(&old.loc),
            message,
        );
    }
}

fn cpp_string_type(field: &Field<'_>) -> &'static str {
    use prost_types::field_options::CType;
    match field.proto.options.as_ref().and_then(|o| o.ctype) {
        Some(c) if c == CType::Cord as i32 => "CORD",
        Some(c) if c == CType::StringPiece as i32 => "STRING_PIECE",
        _ => "STRING",
    }
}

/// proto3 strings are validated, proto2 ones are not.
fn utf8(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Proto3 => "VERIFY",
        _ => "NONE",
    }
}

fn java_utf8(index: &Index<'_>, field: &Field<'_>) -> &'static str {
    let check = index.files[field.loc.file]
        .proto
        .options
        .as_ref()
        .is_some_and(|o| o.java_string_check_utf8());
    if check { "VERIFY" } else { utf8(field.syntax) }
}

fn jstype(c: &mut Check<'_, '_>, new: &Field<'_>, old: &Field<'_>) {
    let is_64 = |t| {
        matches!(
            t,
            Type::Int64 | Type::Sint64 | Type::Uint64 | Type::Fixed64 | Type::Sfixed64
        )
    };
    if !is_64(old.proto.r#type()) || !is_64(new.proto.r#type()) {
        return;
    }
    let js = |f: &Field<'_>| {
        f.proto
            .options
            .as_ref()
            .map_or(prost_types::field_options::JsType::JsNormal, |o| o.jstype())
            .as_str_name()
    };
    let (before, after) = (js(old), js(new));
    if before != after {
        let message = format!(
            "{} changed option \"jstype\" from {} to {}.",
            describe(new, true),
            quote(before),
            quote(after)
        );
        let at = [new.loc.child(&[tag::FIELD_OPTIONS, 6]), new.loc.clone()];
        c.add(
            "FIELD_SAME_JSTYPE",
            At::FirstOf(&at),
            Some(&old.loc),
            message,
        );
    }
}
