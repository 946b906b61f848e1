//! protogen-rules: the validation rule model, what a field, a oneof or a message must satisfy.
//!
//! Plain data, independent of where the rules came from: protogen-codegen reads it from
//! protovalidate's `(buf.validate.*)` options, and a tenant schema's constraints are lowered into
//! the same types (handed to the model as a [`RuleSet`]). [`check_field`] rejects rules that can
//! never hold or do not fit their field, before any code is generated.
//!
//! This crate depends on no part of the generator (no syn, prettyplease or prost-reflect), so the
//! tenant crate, which schema registries run, can use the rules without it.
//!
//! Names follow protovalidate's `validate.proto`, so a rule's id is `<family>.<rule>`
//! (`string.min_len`, `int32.gt_lt_exclusive`) exactly as protovalidate reports it.

mod check;
pub mod plan;

pub use check::{Target, ValueType, check_field, wrapped_scalar};

use std::collections::HashMap;

/// A protobuf scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    Double,
    Float,
    Int32,
    Int64,
    Uint32,
    Uint64,
    Sint32,
    Sint64,
    Fixed32,
    Fixed64,
    Sfixed32,
    Sfixed64,
    Bool,
    String,
    Bytes,
}

impl Scalar {
    /// The wire type of one value: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit.
    pub fn wire_type(self) -> u8 {
        match self {
            Scalar::Double | Scalar::Fixed64 | Scalar::Sfixed64 => 1,
            Scalar::Float | Scalar::Fixed32 | Scalar::Sfixed32 => 5,
            Scalar::String | Scalar::Bytes => 2,
            Scalar::Int32
            | Scalar::Int64
            | Scalar::Uint32
            | Scalar::Uint64
            | Scalar::Sint32
            | Scalar::Sint64
            | Scalar::Bool => 0,
        }
    }

    /// The proto spelling, `sfixed64`.
    pub fn proto_name(self) -> &'static str {
        match self {
            Scalar::Double => "double",
            Scalar::Float => "float",
            Scalar::Int32 => "int32",
            Scalar::Int64 => "int64",
            Scalar::Uint32 => "uint32",
            Scalar::Uint64 => "uint64",
            Scalar::Sint32 => "sint32",
            Scalar::Sint64 => "sint64",
            Scalar::Fixed32 => "fixed32",
            Scalar::Fixed64 => "fixed64",
            Scalar::Sfixed32 => "sfixed32",
            Scalar::Sfixed64 => "sfixed64",
            Scalar::Bool => "bool",
            Scalar::String => "string",
            Scalar::Bytes => "bytes",
        }
    }
}

/// Validation rules keyed by fully-qualified name with a leading dot: `.pkg.Msg.field` for
/// fields, `.pkg.Msg` for messages, `.pkg.Msg.oneof_name` for oneofs. Rules given here replace
/// whatever the `(buf.validate.*)` options of that element say.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    pub fields: HashMap<String, FieldRules>,
    pub messages: HashMap<String, MessageRules>,
    pub oneofs: HashMap<String, OneofRules>,
}

/// The rules of one field (or of the items, keys or values of a repeated field or map).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldRules {
    /// The field must be set: present for fields with presence, not the zero value otherwise.
    pub required: bool,
    pub ignore: Ignore,
    /// The rules for the field's type; `None` when only `required`/`ignore` (or nothing) is set.
    pub ty: Option<TypeRules>,
    /// CEL expressions on the field, which protogen does not compile: kept so the build can
    /// refuse them, or skip them with a warning.
    pub cel: Vec<String>,
}

/// When a field's rules are skipped (protovalidate's `buf.validate.Ignore`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ignore {
    /// Skip when the field has presence and is unset.
    #[default]
    Unspecified,
    /// Also skip when the value is the zero value ("", 0, empty list, unset message, …).
    IfZeroValue,
    /// Never validate the field, not even `required`.
    Always,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeRules {
    /// The 12 numeric kinds; `NumberRules::kind` says which (it prefixes the rule ids).
    Number(NumberRules),
    Bool(BoolRules),
    String(StringRules),
    Bytes(BytesRules),
    Enum(EnumRules),
    Repeated(RepeatedRules),
    Map(MapRules),
    Any(AnyRules),
    Duration(DurationRules),
    Timestamp(TimestampRules),
    FieldMask(FieldMaskRules),
}

impl TypeRules {
    /// The family name protovalidate uses in rule ids and rule paths: `int32`, `string`,
    /// `repeated`, `duration`, …
    pub fn family(&self) -> &'static str {
        match self {
            TypeRules::Number(n) => n.kind.proto_name(),
            TypeRules::Bool(_) => "bool",
            TypeRules::String(_) => "string",
            TypeRules::Bytes(_) => "bytes",
            TypeRules::Enum(_) => "enum",
            TypeRules::Repeated(_) => "repeated",
            TypeRules::Map(_) => "map",
            TypeRules::Any(_) => "any",
            TypeRules::Duration(_) => "duration",
            TypeRules::Timestamp(_) => "timestamp",
            TypeRules::FieldMask(_) => "field_mask",
        }
    }
}

/// A number of any of the 12 numeric kinds, as written in the rule.
#[derive(Clone, Copy, PartialEq)]
pub enum Number {
    I64(i64),
    U64(u64),
    F64(f64),
}

/// The bare number, as build errors quote it.
impl std::fmt::Debug for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::I64(n) => write!(f, "{n}"),
            Number::U64(n) => write!(f, "{n}"),
            Number::F64(n) => write!(f, "{n}"),
        }
    }
}

/// One end of a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound<T> {
    pub value: T,
    /// `lte`/`gte` rather than `lt`/`gt`.
    pub inclusive: bool,
}

/// `gt`/`gte` and `lt`/`lte`. With both ends and `lower > upper` the range is the exclusive form
/// (the value must lie outside `[upper, lower]`), as in protovalidate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range<T> {
    pub lower: Option<Bound<T>>,
    pub upper: Option<Bound<T>>,
}

impl<T> Default for Range<T> {
    fn default() -> Self {
        Range {
            lower: None,
            upper: None,
        }
    }
}

impl<T> Range<T> {
    pub fn is_empty(&self) -> bool {
        self.lower.is_none() && self.upper.is_none()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NumberRules {
    /// Which of the 12 numeric kinds the rules are written for (`int32`, `double`, …).
    pub kind: Scalar,
    pub constant: Option<Number>,
    pub range: Range<Number>,
    pub in_: Vec<Number>,
    pub not_in: Vec<Number>,
    /// Floats only: not NaN and not ±infinity.
    pub finite: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoolRules {
    pub constant: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StringRules {
    pub constant: Option<String>,
    /// Lengths in characters (Unicode scalar values).
    pub len: Option<u64>,
    pub min_len: Option<u64>,
    pub max_len: Option<u64>,
    /// Lengths in UTF-8 bytes.
    pub len_bytes: Option<u64>,
    pub min_bytes: Option<u64>,
    pub max_bytes: Option<u64>,
    /// RE2 syntax.
    pub pattern: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub contains: Option<String>,
    pub not_contains: Option<String>,
    pub in_: Vec<String>,
    pub not_in: Vec<String>,
    pub format: Option<StringFormat>,
    /// For the HTTP header formats: RFC 7230 strictly (the default) or only no NUL/CR/LF.
    pub strict: Option<bool>,
}

/// protovalidate's `string` well-known formats. The rule id is `string.<id>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StringFormat {
    Email,
    Hostname,
    Ip,
    Ipv4,
    Ipv6,
    Uri,
    UriRef,
    Address,
    Uuid,
    Tuuid,
    IpWithPrefixlen,
    Ipv4WithPrefixlen,
    Ipv6WithPrefixlen,
    IpPrefix,
    Ipv4Prefix,
    Ipv6Prefix,
    HostAndPort,
    Ulid,
    ProtobufFqn,
    ProtobufDotFqn,
    HttpHeaderName,
    HttpHeaderValue,
}

impl StringFormat {
    pub const ALL: &'static [StringFormat] = &[
        StringFormat::Email,
        StringFormat::Hostname,
        StringFormat::Ip,
        StringFormat::Ipv4,
        StringFormat::Ipv6,
        StringFormat::Uri,
        StringFormat::UriRef,
        StringFormat::Address,
        StringFormat::Uuid,
        StringFormat::Tuuid,
        StringFormat::IpWithPrefixlen,
        StringFormat::Ipv4WithPrefixlen,
        StringFormat::Ipv6WithPrefixlen,
        StringFormat::IpPrefix,
        StringFormat::Ipv4Prefix,
        StringFormat::Ipv6Prefix,
        StringFormat::HostAndPort,
        StringFormat::Ulid,
        StringFormat::ProtobufFqn,
        StringFormat::ProtobufDotFqn,
        StringFormat::HttpHeaderName,
        StringFormat::HttpHeaderValue,
    ];

    /// The rule's name in `StringRules` (`ip_with_prefixlen`); the header formats share
    /// `well_known_regex`.
    pub fn name(self) -> &'static str {
        match self {
            StringFormat::Email => "email",
            StringFormat::Hostname => "hostname",
            StringFormat::Ip => "ip",
            StringFormat::Ipv4 => "ipv4",
            StringFormat::Ipv6 => "ipv6",
            StringFormat::Uri => "uri",
            StringFormat::UriRef => "uri_ref",
            StringFormat::Address => "address",
            StringFormat::Uuid => "uuid",
            StringFormat::Tuuid => "tuuid",
            StringFormat::IpWithPrefixlen => "ip_with_prefixlen",
            StringFormat::Ipv4WithPrefixlen => "ipv4_with_prefixlen",
            StringFormat::Ipv6WithPrefixlen => "ipv6_with_prefixlen",
            StringFormat::IpPrefix => "ip_prefix",
            StringFormat::Ipv4Prefix => "ipv4_prefix",
            StringFormat::Ipv6Prefix => "ipv6_prefix",
            StringFormat::HostAndPort => "host_and_port",
            StringFormat::Ulid => "ulid",
            StringFormat::ProtobufFqn => "protobuf_fqn",
            StringFormat::ProtobufDotFqn => "protobuf_dot_fqn",
            StringFormat::HttpHeaderName | StringFormat::HttpHeaderValue => "well_known_regex",
        }
    }

    /// Looks a format up by the name `name()` gives (header formats excepted).
    pub fn from_name(name: &str) -> Option<StringFormat> {
        StringFormat::ALL
            .iter()
            .copied()
            .find(|f| f.name() == name && f.name() != "well_known_regex")
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BytesRules {
    pub constant: Option<Vec<u8>>,
    pub len: Option<u64>,
    pub min_len: Option<u64>,
    pub max_len: Option<u64>,
    /// RE2 syntax, matched against the bytes (which must be UTF-8, as in protovalidate).
    pub pattern: Option<String>,
    pub prefix: Option<Vec<u8>>,
    pub suffix: Option<Vec<u8>>,
    pub contains: Option<Vec<u8>>,
    pub in_: Vec<Vec<u8>>,
    pub not_in: Vec<Vec<u8>>,
    pub format: Option<BytesFormat>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BytesFormat {
    Ip,
    Ipv4,
    Ipv6,
    Uuid,
}

impl BytesFormat {
    pub fn name(self) -> &'static str {
        match self {
            BytesFormat::Ip => "ip",
            BytesFormat::Ipv4 => "ipv4",
            BytesFormat::Ipv6 => "ipv6",
            BytesFormat::Uuid => "uuid",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnumRules {
    pub constant: Option<i32>,
    /// The value must be one of the enum's declared numbers.
    pub defined_only: bool,
    pub in_: Vec<i32>,
    pub not_in: Vec<i32>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RepeatedRules {
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    /// Scalars and enums only (as in protovalidate).
    pub unique: bool,
    pub items: Option<Box<FieldRules>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapRules {
    pub min_pairs: Option<u64>,
    pub max_pairs: Option<u64>,
    pub keys: Option<Box<FieldRules>>,
    pub values: Option<Box<FieldRules>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnyRules {
    /// Allowed type URLs.
    pub in_: Vec<String>,
    /// Forbidden type URLs.
    pub not_in: Vec<String>,
}

/// A `google.protobuf.Duration` or `Timestamp` value: seconds and nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seconds {
    pub seconds: i64,
    pub nanos: i32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DurationRules {
    pub constant: Option<Seconds>,
    pub range: Range<Seconds>,
    pub in_: Vec<Seconds>,
    pub not_in: Vec<Seconds>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimestampRules {
    pub constant: Option<Seconds>,
    pub range: Range<Seconds>,
    pub lt_now: bool,
    pub gt_now: bool,
    /// Within this duration of now, either side.
    pub within: Option<Seconds>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldMaskRules {
    pub constant: Option<Vec<String>>,
    /// Every path must be one of these (or below one of them).
    pub in_: Vec<String>,
    /// No path may be one of these (or below one of them).
    pub not_in: Vec<String>,
}

/// Rules on a real `oneof`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OneofRules {
    /// Exactly one member must be set.
    pub required: bool,
}

/// Rules on a message as a whole.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageRules {
    /// protovalidate's message-level `oneof` rule: at most one (exactly one if `required`) of
    /// the named fields may be set.
    pub oneofs: Vec<MessageOneofRule>,
    /// CEL expressions on the message (not compiled; see [`FieldRules::cel`]).
    pub cel: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageOneofRule {
    /// Proto field names.
    pub fields: Vec<String>,
    pub required: bool,
}

impl FieldRules {
    /// No rule at all: the pass emits nothing for the field (beyond recursing into messages).
    pub fn is_empty(&self) -> bool {
        !self.required
            && self.ignore == Ignore::Unspecified
            && self.ty.is_none()
            && self.cel.is_empty()
    }
}
