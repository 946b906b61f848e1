//! The run-time form of a tenant schema: resolved types, numbers and rules, enough to check a
//! JSON payload without generating code.

use std::collections::BTreeMap;

use protogen_rules::FieldRules;
use protogen_rules::Scalar;

/// Every message and enum of one tenant schema.
#[derive(Clone, Debug)]
pub struct Schema {
    pub package: String,
    pub messages: Vec<MessageSchema>,
    pub enums: Vec<EnumSchema>,
    /// The entity the top-level `fields` declare (index into `messages`).
    pub root: Option<usize>,
    /// Message index by path in the document (`Order.Line`).
    pub by_name: BTreeMap<String, usize>,
}

#[derive(Clone, Debug)]
pub struct MessageSchema {
    /// `acme.crm.v1.Order.Line`.
    pub full_name: String,
    /// `Order.Line`.
    pub path: String,
    /// Payloads with keys that are not fields are rejected.
    pub strict: bool,
    /// In declaration order.
    pub fields: Vec<FieldSchema>,
}

#[derive(Clone, Debug)]
pub struct FieldSchema {
    pub name: String,
    pub json_name: String,
    pub number: i32,
    pub shape: Shape,
    pub rules: FieldRules,
    /// Singular scalars and enums are proto3 `optional`: absent differs from zero.
    pub explicit_presence: bool,
    pub required: bool,
    pub default: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Single(Kind),
    List(Kind),
    Map(Scalar, Kind),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Scalar(Scalar),
    /// Index into `Schema::enums`.
    Enum(usize),
    /// Index into `Schema::messages`.
    Message(usize),
    Timestamp,
    Duration,
}

#[derive(Clone, Debug)]
pub struct EnumSchema {
    pub full_name: String,
    pub path: String,
    /// `TIER_UNSPECIFIED`, number 0.
    pub unspecified: String,
    pub values: Vec<EnumValueSchema>,
}

#[derive(Clone, Debug)]
pub struct EnumValueSchema {
    /// As the document writes it: `GOLD`.
    pub name: String,
    /// In the proto file: `TIER_GOLD`.
    pub proto_name: String,
    pub number: i32,
}
