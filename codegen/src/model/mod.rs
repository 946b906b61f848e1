//! The one intermediate representation every pass reads.
//!
//! A [`Model`] is built once from a compiled [`prost_reflect::DescriptorPool`] (see [`build`]) and
//! holds everything a pass needs — names in proto and Rust spelling, types, presence, defaults,
//! comments, source locations and raw options — so that no pass goes back to descriptors.
//! It is a plain data type: a tenant schema lowered to a `FileDescriptorProto` arrives here the
//! same way a `.proto` file does.

mod build;
mod source;

pub use build::{BuildError, CelPolicy, ModelOptions};
pub use protogen_rules::RuleSet;
pub use source::{Comments, Location};

use prost_reflect::DynamicMessage;

pub use protogen_rules::Scalar;
use protogen_rules::{FieldRules, MessageRules, OneofRules};

/// Every package to generate, in package-name order.
#[derive(Clone, Debug)]
pub struct Model {
    pub packages: Vec<Package>,
    /// Things the build should tell the user about without failing (CEL rules skipped).
    pub warnings: Vec<BuildError>,
}

/// One proto package: one generated file, one Rust module.
#[derive(Clone, Debug)]
pub struct Package {
    /// Proto package name, `shop.v1`; empty for files without a package.
    pub name: String,
    /// Rust module path prost gives it: `["shop", "v1"]`.
    pub module: Vec<String>,
    /// Name of the file written for it: `shop.v1.rs`.
    pub file_name: String,
    /// The `.proto` files (names relative to their include root) that make up the package.
    pub files: Vec<String>,
    /// Top-level messages, nested ones inside them; map entries are not messages here.
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
}

#[derive(Clone, Debug, PartialEq, Eq, Copy)]
pub enum Syntax {
    Proto2,
    Proto3,
}

#[derive(Clone, Debug)]
pub struct Message {
    /// Proto name, `Line`.
    pub name: String,
    /// Fully-qualified name with a leading dot, `.shop.v1.Order.Line`.
    pub full_name: String,
    /// Path of the prost type from the package module: `["order", "Line"]`.
    pub rust_path: Vec<String>,
    pub syntax: Syntax,
    pub fields: Vec<Field>,
    /// Real oneofs only (proto3 `optional`'s synthetic oneofs are presence, see [`Presence`]).
    pub oneofs: Vec<Oneof>,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    pub comments: Comments,
    pub location: Option<Location>,
    pub deprecated: bool,
    /// The message options, custom extensions included (e.g. `buf.validate.message`).
    pub options: DynamicMessage,
    /// Message-level validation rules (the `oneof` rule).
    pub rules: MessageRules,
}

#[derive(Clone, Debug)]
pub struct Field {
    /// Proto name, `line_items`.
    pub name: String,
    /// JSON name, `lineItems` (or the `json_name` option).
    pub json_name: String,
    /// Rust field name in the prost struct, `line_items`, `r#type`. For a field inside a oneof
    /// this is the variant name of the oneof enum instead (`UpperCamel`).
    pub rust_name: String,
    pub number: u32,
    pub ty: FieldType,
    pub label: Label,
    pub presence: Presence,
    /// Repeated scalars: encoded packed by prost.
    pub packed: bool,
    /// Index into the message's `oneofs`.
    pub oneof: Option<usize>,
    /// Explicit proto2 `[default = …]`.
    pub default: Option<DefaultValue>,
    /// prost wraps this singular message field in `Box` (recursion or `Config::boxed`).
    pub boxed: bool,
    /// prost's Rust type for `bytes`: `Vec<u8>` or `bytes::Bytes`.
    pub bytes_repr: BytesRepr,
    pub deprecated: bool,
    pub comments: Comments,
    pub location: Option<Location>,
    /// The field options, custom extensions included (e.g. `buf.validate.field`).
    pub options: DynamicMessage,
    /// Validation rules, from `(buf.validate.field)` or a tenant schema; checked to fit the field.
    pub rules: FieldRules,
}

/// The element type of a field. For a map field this is [`FieldType::Map`].
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    Scalar(Scalar),
    Enum(TypeRef),
    Message(TypeRef),
    /// A proto2 group: a message encoded with start/end-group tags.
    Group(TypeRef),
    Map(Box<MapType>),
}

/// A reference to a named message or enum type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeRef {
    /// `.google.protobuf.Timestamp`
    pub full_name: String,
    /// How code at the top of the referring package's module names the prost type:
    /// `super::common::v1::Money`, `::prost_types::Timestamp`, `i32` for `Int32Value`.
    pub rust_path: String,
    /// The type is provided by an extern path (prost_types or a user mapping), not generated here.
    pub is_extern: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MapType {
    pub key: Scalar,
    pub value: FieldType,
    /// prost's Rust collection: `HashMap` or `BTreeMap`.
    pub btree: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Optional,
    Required,
    Repeated,
}

/// Whether "not set" is distinguishable from the default value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// proto3 singular scalars without `optional`, repeated and map fields.
    Implicit,
    /// proto2 optional/required, proto3 `optional`, messages, oneof members. prost uses `Option`
    /// except for oneof members, where the oneof enum carries it.
    Explicit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BytesRepr {
    Vec,
    Bytes,
}

/// An explicit proto2 default value.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    String(String),
    Bytes(Vec<u8>),
    /// The number and the prost variant name.
    Enum {
        number: i32,
        variant: String,
    },
}

#[derive(Clone, Debug)]
pub struct Oneof {
    pub name: String,
    /// Field of the prost struct holding it, `snake_case`.
    pub rust_field: String,
    /// The prost enum type, a path from the package module: `["order", "Payment"]`.
    pub rust_path: Vec<String>,
    /// Indices into the message's `fields`.
    pub fields: Vec<usize>,
    pub comments: Comments,
    pub location: Option<Location>,
    pub options: DynamicMessage,
    pub rules: OneofRules,
}

#[derive(Clone, Debug)]
pub struct Enum {
    pub name: String,
    pub full_name: String,
    /// Path of the prost enum from the package module.
    pub rust_path: Vec<String>,
    /// Closed (proto2): unknown numbers are not values of the enum.
    pub closed: bool,
    /// In declaration order; aliases (`allow_alias`) are kept and marked.
    pub values: Vec<EnumValue>,
    pub comments: Comments,
    pub location: Option<Location>,
    pub deprecated: bool,
}

#[derive(Clone, Debug)]
pub struct EnumValue {
    pub name: String,
    pub number: i32,
    /// prost's variant name, `Red`.
    pub rust_name: String,
    /// An alias of an earlier value with the same number; prost emits no variant for it.
    pub alias: bool,
    pub comments: Comments,
    pub deprecated: bool,
}

impl Model {
    /// All messages of all packages, depth first, parents before children.
    pub fn messages(&self) -> impl Iterator<Item = (&Package, &Message)> {
        self.packages
            .iter()
            .flat_map(|p| p.all_messages().map(move |m| (p, m)))
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.name == name)
    }
}

impl Package {
    /// This package's messages, nested ones included, parents before children.
    pub fn all_messages(&self) -> impl Iterator<Item = &Message> {
        let mut stack: Vec<&Message> = self.messages.iter().rev().collect();
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            stack.extend(next.messages.iter().rev());
            Some(next)
        })
    }

    /// This package's enums, nested ones included.
    pub fn all_enums(&self) -> impl Iterator<Item = &Enum> {
        self.enums
            .iter()
            .chain(self.all_messages().flat_map(|m| m.enums.iter()))
    }
}

impl Message {
    /// Fields that are not members of a real oneof, in declaration order.
    pub fn plain_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.oneof.is_none())
    }
}

impl Field {
    pub fn is_repeated(&self) -> bool {
        self.label == Label::Repeated && !self.is_map()
    }

    pub fn is_map(&self) -> bool {
        matches!(self.ty, FieldType::Map(_))
    }
}
