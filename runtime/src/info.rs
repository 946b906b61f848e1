//! Static descriptions of generated messages and enums, emitted by the `info` pass.

/// A generated message's proto identity and field table.
pub trait MessageInfo {
    /// Fully-qualified proto name without a leading dot: `shop.v1.Order`.
    const FULL_NAME: &'static str;
    /// Every field in declaration order, oneof members included.
    const FIELDS: &'static [FieldInfo];

    /// The field with this proto name or JSON name.
    fn field_by_name(name: &str) -> Option<&'static FieldInfo> {
        Self::FIELDS
            .iter()
            .find(|f| f.name == name || f.json_name == name)
    }

    /// The field with this number.
    fn field_by_number(number: u32) -> Option<&'static FieldInfo> {
        Self::FIELDS.iter().find(|f| f.number == number)
    }
}

/// A generated enum's proto identity and values.
pub trait EnumInfo {
    /// Fully-qualified proto name without a leading dot.
    const FULL_NAME: &'static str;
    /// `(proto name, number)` in declaration order, aliases included.
    const VALUES: &'static [(&'static str, i32)];
    /// proto2 enums are closed: numbers not listed are not values of the enum.
    const CLOSED: bool;

    /// The proto name of the first value with this number.
    fn value_name(number: i32) -> Option<&'static str> {
        Self::VALUES
            .iter()
            .find(|(_, n)| *n == number)
            .map(|(name, _)| *name)
    }
}

/// One field of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    pub number: u32,
    /// Proto name, `line_items`.
    pub name: &'static str,
    /// JSON name, `lineItems`.
    pub json_name: &'static str,
    pub kind: FieldKind,
    pub cardinality: Cardinality,
    /// Name of the (non-synthetic) oneof the field belongs to.
    pub oneof: Option<&'static str>,
}

/// A field's type. Named types carry their fully-qualified proto name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
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
    Enum(&'static str),
    Message(&'static str),
    Group(&'static str),
    /// Key and value kinds of a map field.
    Map(&'static FieldKind, &'static FieldKind),
}

/// How many values a field holds and whether "unset" is observable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cardinality {
    /// proto3 singular field without presence: unset reads as the default.
    Singular,
    /// Has presence: proto2 `optional`, proto3 `optional`, message fields, oneof members.
    Optional,
    /// proto2 `required`.
    Required,
    Repeated,
    Map,
}
