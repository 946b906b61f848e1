//! The GraphQL schema of a model: every type, field and name the SDL prints and the generated
//! resolvers answer, decided once here.
//!
//! Both the SDL ([`super::sdl`]) and the generated `Object` impls ([`super::resolve`]) are built
//! from [`object_fields`], so the n-th field of an object type in the SDL is the n-th arm of its
//! resolver: the runtime finds a field by its position in the SDL.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{
    BuildError, Comments, Enum, Field, FieldType, Label, Location, Message, Model, Presence,
    Scalar, TypeRef,
};
use crate::rules::Ignore;

/// Naming choices of the GraphQL schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphqlOptions {
    /// Prepended to every type name made from a proto name (`Api` gives `Apishop_v1_Order`).
    pub prefix: String,
}

/// The custom scalars the mapping uses; only those a schema needs are declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CustomScalar {
    UInt32,
    Int64,
    UInt64,
    Bytes,
    Timestamp,
    Duration,
    FieldMask,
    Json,
}

impl CustomScalar {
    pub const ALL: &'static [CustomScalar] = &[
        CustomScalar::UInt32,
        CustomScalar::Int64,
        CustomScalar::UInt64,
        CustomScalar::Bytes,
        CustomScalar::Timestamp,
        CustomScalar::Duration,
        CustomScalar::FieldMask,
        CustomScalar::Json,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CustomScalar::UInt32 => "UInt32",
            CustomScalar::Int64 => "Int64",
            CustomScalar::UInt64 => "UInt64",
            CustomScalar::Bytes => "Bytes",
            CustomScalar::Timestamp => "Timestamp",
            CustomScalar::Duration => "Duration",
            CustomScalar::FieldMask => "FieldMask",
            CustomScalar::Json => "JSON",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            CustomScalar::UInt32 => {
                "An unsigned 32-bit integer (`uint32`, `fixed32`), as a JSON number: it does not \
                 fit GraphQL's signed 32-bit `Int`."
            }
            CustomScalar::Int64 => {
                "A signed 64-bit integer (`int64`, `sint64`, `sfixed64`), as a decimal string, \
                 as proto3 JSON writes it: JSON numbers lose precision past 2^53."
            }
            CustomScalar::UInt64 => {
                "An unsigned 64-bit integer (`uint64`, `fixed64`), as a decimal string, as \
                 proto3 JSON writes it."
            }
            CustomScalar::Bytes => "`bytes`, as standard base64 with padding.",
            CustomScalar::Timestamp => {
                "`google.protobuf.Timestamp` in its proto3 JSON form, RFC 3339 in UTC: \
                 `2024-05-01T12:00:00.5Z`."
            }
            CustomScalar::Duration => {
                "`google.protobuf.Duration` in its proto3 JSON form, seconds with an `s`: `1.5s`."
            }
            CustomScalar::FieldMask => {
                "`google.protobuf.FieldMask` in its proto3 JSON form: lowerCamelCase paths joined \
                 by commas."
            }
            CustomScalar::Json => {
                "Any JSON value: `google.protobuf.Struct`, `Value`, `ListValue`, `NullValue` and \
                 `Any`, in their proto3 JSON form."
            }
        }
    }
}

/// The whole schema, in a stable order: messages and enums by package, then nesting, as the model
/// lists them.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub types: Vec<TypeDef>,
    pub scalars: BTreeSet<CustomScalar>,
}

#[derive(Clone, Debug)]
pub struct TypeDef {
    pub name: String,
    pub description: Vec<String>,
    pub kind: TypeKind,
    /// The proto element it was made from, for errors: `.shop.v1.Order`.
    pub origin: String,
    pub location: Option<Location>,
    /// An object type whose fields are proto fields (a message, a oneof member's wrapper), which
    /// FieldMask paths go into; not a map entry.
    pub fields_are_proto: bool,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Object(Vec<FieldDef>),
    /// `one_of`: a `@oneOf` input object (a oneof's members).
    Input {
        fields: Vec<FieldDef>,
        one_of: bool,
    },
    Enum(Vec<EnumValueDef>),
    /// A oneof's members: one wrapper object type each.
    Union(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct FieldDef {
    pub name: String,
    /// The type expression: `String!`, `[shop_v1_LineItem!]!`.
    pub ty: String,
    pub description: Vec<String>,
    pub deprecated: bool,
    /// The proto field name, for FieldMask paths; empty for fields that are no proto field.
    pub proto_name: String,
    pub location: Option<Location>,
}

#[derive(Clone, Debug)]
pub struct EnumValueDef {
    pub name: String,
    pub description: Vec<String>,
    pub deprecated: bool,
}

/// What one field of a message's object type shows, in SDL order (see [`object_fields`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectField {
    /// A field that is not in a oneof (index into `Message::fields`).
    Field(usize),
    /// A oneof as a union (index into `Message::oneofs`).
    Oneof(usize),
    /// `_`: the one field of a message without fields (an object type needs one); always null.
    Placeholder,
}

/// The fields of a message's object type, in order: fields in declaration order, each oneof
/// where its first member is declared; `_` alone for a message without any.
pub fn object_fields(message: &Message) -> Vec<ObjectField> {
    let mut out = Vec::new();
    for (i, field) in message.fields.iter().enumerate() {
        match field.oneof {
            None => out.push(ObjectField::Field(i)),
            Some(o) if message.oneofs[o].fields.first() == Some(&i) => {
                out.push(ObjectField::Oneof(o))
            }
            Some(_) => {}
        }
    }
    if out.is_empty() {
        out.push(ObjectField::Placeholder);
    }
    out
}

/// The name of the placeholder field of types without fields.
pub const PLACEHOLDER: &str = "_";

/// A oneof's field name: its name as proto3 JSON would spell a field of that name.
pub fn oneof_field_name(name: &str) -> String {
    field_name(&json_camel(name))
}

/// protoc's JSON name of a field name: underscores dropped, the letter after one uppercased.
fn json_camel(name: &str) -> String {
    camel(name, false)
}

/// protoc's name of a map field's entry message: `labels` → `LabelsEntry`.
fn map_entry_name(field: &str) -> String {
    camel(field, true) + "Entry"
}

/// protoc's `ToCamelCase`: underscores dropped, the letter after one (and the first letter, if
/// `upper_first`) uppercased.
fn camel(name: &str, upper_first: bool) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = upper_first;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `name` is a GraphQL name (`/[_A-Za-z][_0-9A-Za-z]*/`) that is not reserved for
/// introspection (`__`).
pub fn is_graphql_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic());
    first_ok && chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) && !name.starts_with("__")
}

/// The well-known types GraphQL shows as something other than an object.
enum WellKnown {
    Scalar(&'static str, Option<CustomScalar>),
    /// `google.protobuf.Empty`: an object type with only the placeholder field.
    Empty,
}

fn well_known(r: &TypeRef) -> Option<WellKnown> {
    if !r.is_extern {
        return None;
    }
    let name = r.full_name.strip_prefix(".google.protobuf.")?;
    let custom = |c: CustomScalar| WellKnown::Scalar(c.name(), Some(c));
    Some(match name {
        "Timestamp" => custom(CustomScalar::Timestamp),
        "Duration" => custom(CustomScalar::Duration),
        "FieldMask" => custom(CustomScalar::FieldMask),
        "Struct" | "Value" | "ListValue" | "Any" => custom(CustomScalar::Json),
        "Empty" => WellKnown::Empty,
        "BoolValue" => WellKnown::Scalar("Boolean", None),
        "Int32Value" => WellKnown::Scalar("Int", None),
        "Int64Value" => custom(CustomScalar::Int64),
        "UInt32Value" => custom(CustomScalar::UInt32),
        "UInt64Value" => custom(CustomScalar::UInt64),
        "FloatValue" | "DoubleValue" => WellKnown::Scalar("Float", None),
        "StringValue" => WellKnown::Scalar("String", None),
        "BytesValue" => custom(CustomScalar::Bytes),
        _ => return None,
    })
}

/// Full name of the object type standing for `google.protobuf.Empty` (which prost maps to `()`).
pub const EMPTY: &str = ".google.protobuf.Empty";

/// Whether a message type is shown as an object (not a scalar): a message of the model, or Empty.
pub fn is_object_ref(r: &TypeRef) -> bool {
    !matches!(well_known(r), Some(WellKnown::Scalar(..)))
}

/// Whether a field's values are `google.protobuf.Value`s (or `NullValue`), which may be JSON
/// `null` even when set: their GraphQL type is nullable wherever they appear.
fn null_is_a_value(ty: &FieldType) -> bool {
    match ty {
        FieldType::Message(r) => r.is_extern && r.full_name == ".google.protobuf.Value",
        FieldType::Enum(r) => r.full_name == ".google.protobuf.NullValue",
        _ => false,
    }
}

/// The GraphQL name of a proto type: the prefix, then the full name with `_` for `.`.
pub fn type_name(options: &GraphqlOptions, full_name: &str) -> String {
    format!(
        "{}{}",
        options.prefix,
        full_name.trim_start_matches('.').replace('.', "_")
    )
}

fn input_name(object: &str) -> String {
    format!("{object}_Input")
}

/// The name of a oneof's union: the message's type name, `_`, the oneof name as in the proto.
pub fn union_name(options: &GraphqlOptions, message: &Message, oneof: usize) -> String {
    format!(
        "{}_{}",
        type_name(options, &message.full_name),
        message.oneofs[oneof].name
    )
}

/// The wrapper object of one oneof member inside its union.
pub fn member_name(options: &GraphqlOptions, message: &Message, field: &Field) -> String {
    let oneof = field.oneof.expect("a oneof member");
    format!("{}_{}", union_name(options, message, oneof), field.name)
}

/// The `{key, value}` object of a map field's entries.
pub fn entry_name(options: &GraphqlOptions, message: &Message, field: &Field) -> String {
    format!(
        "{}_{}",
        type_name(options, &message.full_name),
        map_entry_name(&field.name)
    )
}

/// The messages that get GraphQL types: those the JSON pass writes (every message but those
/// reaching an `extern_path` type that is not a well-known type), since values are written by the
/// JSON runtime's kinds.
pub fn supported_messages(model: &Model) -> std::collections::HashSet<&str> {
    super::super::json::supported_messages(model)
}

struct Ctx<'a> {
    options: &'a GraphqlOptions,
    supported: std::collections::HashSet<&'a str>,
    scalars: BTreeSet<CustomScalar>,
    empty_used: bool,
}

impl Ctx<'_> {
    /// The named type of one element: scalar, enum, object or input.
    fn element(&mut self, ty: &FieldType, input: bool) -> String {
        match ty {
            FieldType::Scalar(s) => self.scalar(*s).to_owned(),
            FieldType::Enum(r) if r.full_name == ".google.protobuf.NullValue" => {
                self.scalars.insert(CustomScalar::Json);
                CustomScalar::Json.name().to_owned()
            }
            FieldType::Enum(r) => type_name(self.options, &r.full_name),
            FieldType::Message(r) | FieldType::Group(r) => match well_known(r) {
                Some(WellKnown::Scalar(name, custom)) => {
                    self.scalars.extend(custom);
                    name.to_owned()
                }
                Some(WellKnown::Empty) => {
                    self.empty_used = true;
                    let name = type_name(self.options, EMPTY);
                    if input { input_name(&name) } else { name }
                }
                None => {
                    let name = type_name(self.options, &r.full_name);
                    if input { input_name(&name) } else { name }
                }
            },
            FieldType::Map(_) => unreachable!("maps are typed by their entries"),
        }
    }

    fn scalar(&mut self, s: Scalar) -> &'static str {
        let custom = match s {
            Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => return "Int",
            Scalar::Double | Scalar::Float => return "Float",
            Scalar::Bool => return "Boolean",
            Scalar::String => return "String",
            Scalar::Uint32 | Scalar::Fixed32 => CustomScalar::UInt32,
            Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => CustomScalar::Int64,
            Scalar::Uint64 | Scalar::Fixed64 => CustomScalar::UInt64,
            Scalar::Bytes => CustomScalar::Bytes,
        };
        self.scalars.insert(custom);
        custom.name()
    }
}

/// Whether a field with presence is non-null in output because validation requires it.
fn required_by_rules(field: &Field) -> bool {
    field.rules.required && field.rules.ignore != Ignore::Always
}

/// The output type expression of a field that is not in a oneof.
fn output_type(ctx: &mut Ctx<'_>, message: &Message, field: &Field) -> String {
    if let FieldType::Map(_) = &field.ty {
        return format!("[{}!]!", entry_name(ctx.options, message, field));
    }
    let element = ctx.element(&field.ty, false);
    let nullable_element = null_is_a_value(&field.ty);
    if field.label == Label::Repeated {
        return if nullable_element {
            format!("[{element}]!")
        } else {
            format!("[{element}!]!")
        };
    }
    let non_null = !nullable_element
        && (field.label == Label::Required
            || field.presence == Presence::Implicit
            || required_by_rules(field));
    if non_null {
        format!("{element}!")
    } else {
        element
    }
}

/// The input type expression of a field: everything may be omitted (it is then unset, or its
/// default value), so only list elements are non-null.
fn input_type(ctx: &mut Ctx<'_>, message: &Message, field: &Field) -> String {
    if let FieldType::Map(_) = &field.ty {
        return format!(
            "[{}!]",
            input_name(&entry_name(ctx.options, message, field))
        );
    }
    let element = ctx.element(&field.ty, true);
    if field.label == Label::Repeated {
        if null_is_a_value(&field.ty) {
            format!("[{element}]")
        } else {
            format!("[{element}!]")
        }
    } else {
        element
    }
}

fn description(comments: &Comments) -> Vec<String> {
    comments.doc_lines()
}

/// A field's GraphQL name: its JSON name, with each character GraphQL names cannot hold replaced
/// by `_`, an `_` before a leading digit, and a leading `__` (reserved for introspection) cut to
/// one (a `json_name` option can say anything: `@renamed-Field` becomes `_renamed_Field`).
pub fn field_name(json_name: &str) -> String {
    let mut name: String = json_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    while name.starts_with("__") {
        name.remove(0);
    }
    name
}

fn field_def(field: &Field, ty: String) -> FieldDef {
    FieldDef {
        name: field_name(&field.json_name),
        ty,
        description: description(&field.comments),
        deprecated: field.deprecated,
        proto_name: field.name.clone(),
        location: field.location.clone(),
    }
}

fn placeholder(input: bool) -> FieldDef {
    let description = if input {
        "Unused: the message has no fields, and an input object needs one."
    } else {
        "Always null: the message has no fields, and an object type needs one."
    };
    FieldDef {
        name: PLACEHOLDER.to_owned(),
        ty: "Boolean".to_owned(),
        description: vec![description.to_owned()],
        deprecated: false,
        proto_name: String::new(),
        location: None,
    }
}

impl Schema {
    /// The schema of every supported message and every enum of the model; names that are not
    /// GraphQL names and names two types or fields would share are located errors.
    pub fn build(model: &Model, options: &GraphqlOptions) -> Result<Schema, BuildError> {
        let mut ctx = Ctx {
            options,
            supported: supported_messages(model),
            scalars: BTreeSet::new(),
            empty_used: false,
        };
        let mut types = Vec::new();
        for package in &model.packages {
            for message in package.all_messages() {
                if ctx.supported.contains(message.full_name.as_str()) {
                    message_types(&mut ctx, message, &mut types);
                }
            }
            for enum_ in package.all_enums() {
                types.push(enum_type(options, enum_));
            }
        }
        if ctx.empty_used {
            let name = type_name(options, EMPTY);
            let description = vec!["`google.protobuf.Empty`: a message without fields.".into()];
            types.push(TypeDef {
                name: input_name(&name),
                description: description.clone(),
                kind: TypeKind::Input {
                    fields: vec![placeholder(true)],
                    one_of: false,
                },
                origin: EMPTY.to_owned(),
                location: None,
                fields_are_proto: false,
            });
            types.push(TypeDef {
                name,
                description,
                kind: TypeKind::Object(vec![placeholder(false)]),
                origin: EMPTY.to_owned(),
                location: None,
                fields_are_proto: true,
            });
        }
        let schema = Schema {
            types,
            scalars: ctx.scalars,
        };
        schema.check()?;
        Ok(schema)
    }

    /// Every name is a GraphQL name, no two types share a name, no two fields of a type do.
    fn check(&self) -> Result<(), BuildError> {
        let mut seen: HashMap<&str, &TypeDef> = HashMap::new();
        // Every custom scalar name is taken, used or not, so that a schema starting to use one
        // never turns a working build into a collision.
        let builtin: BTreeSet<&str> = ["Int", "Float", "String", "Boolean", "ID"]
            .into_iter()
            .chain(CustomScalar::ALL.iter().map(|s| s.name()))
            .collect();
        for ty in &self.types {
            let error = |message: String| BuildError {
                location: ty.location.clone(),
                message,
            };
            if !is_graphql_name(&ty.name) {
                return Err(error(format!(
                    "GraphQL: `{}` (from {}) is not a GraphQL type name",
                    ty.name, ty.origin
                )));
            }
            if builtin.contains(ty.name.as_str()) {
                return Err(error(format!(
                    "GraphQL: the type name `{}` (from {}) is taken by a scalar; set a prefix",
                    ty.name, ty.origin
                )));
            }
            if let Some(other) = seen.insert(&ty.name, ty) {
                return Err(error(format!(
                    "GraphQL: {} and {} would both be named `{}`",
                    other.origin, ty.origin, ty.name
                )));
            }
            check_members(ty)?;
        }
        Ok(())
    }

    /// The object types whose fields are proto fields, with each field's proto name (`-` for
    /// fields that are no proto field: a oneof's union, the placeholder), for FieldMask paths.
    pub fn proto_names(&self) -> impl Iterator<Item = (&str, Vec<&str>)> {
        self.types
            .iter()
            .filter(|t| t.fields_are_proto)
            .filter_map(|t| match &t.kind {
                TypeKind::Object(fields) => Some((
                    t.name.as_str(),
                    fields
                        .iter()
                        .map(|f| {
                            if f.proto_name.is_empty() {
                                "-"
                            } else {
                                f.proto_name.as_str()
                            }
                        })
                        .collect(),
                )),
                _ => None,
            })
    }
}

fn check_members(ty: &TypeDef) -> Result<(), BuildError> {
    let fields = match &ty.kind {
        TypeKind::Object(fields) | TypeKind::Input { fields, .. } => {
            fields.iter().map(|f| (&f.name, &f.location)).collect()
        }
        TypeKind::Enum(values) => values.iter().map(|v| (&v.name, &ty.location)).collect(),
        TypeKind::Union(_) => Vec::new(),
    };
    let mut names = BTreeMap::new();
    for (name, location) in fields {
        let error = |message: String| BuildError {
            location: location.clone().or_else(|| ty.location.clone()),
            message,
        };
        let enum_ = matches!(ty.kind, TypeKind::Enum(_));
        if !is_graphql_name(name) || (enum_ && matches!(name.as_str(), "true" | "false" | "null")) {
            return Err(error(format!(
                "GraphQL: `{name}` (in {}) is not a GraphQL {}",
                ty.origin,
                if enum_ { "enum value" } else { "field name" }
            )));
        }
        if names.insert(name.as_str(), ()).is_some() {
            return Err(error(format!(
                "GraphQL: two fields of {} would both be named `{name}`",
                ty.origin
            )));
        }
    }
    Ok(())
}

fn enum_type(options: &GraphqlOptions, enum_: &Enum) -> TypeDef {
    let values = enum_
        .values
        .iter()
        .map(|v| EnumValueDef {
            name: v.name.clone(),
            description: description(&v.comments),
            deprecated: v.deprecated,
        })
        .collect();
    TypeDef {
        name: type_name(options, &enum_.full_name),
        description: description(&enum_.comments),
        kind: TypeKind::Enum(values),
        origin: enum_.full_name.clone(),
        location: enum_.location.clone(),
        fields_are_proto: false,
    }
}

/// A message's object and input types, its oneofs' unions, members and input objects, and its
/// maps' entry types.
fn message_types(ctx: &mut Ctx<'_>, message: &Message, out: &mut Vec<TypeDef>) {
    let name = type_name(ctx.options, &message.full_name);
    let mut fields = Vec::new();
    let mut inputs = Vec::new();
    for item in object_fields(message) {
        match item {
            ObjectField::Field(i) => {
                let field = &message.fields[i];
                if let FieldType::Map(map) = &field.ty {
                    out.extend(entry_types(ctx, message, field, map));
                }
                let output = output_type(ctx, message, field);
                let input = input_type(ctx, message, field);
                fields.push(field_def(field, output));
                inputs.push(field_def(field, input));
            }
            ObjectField::Oneof(o) => {
                let (output, input) = oneof_types(ctx, message, o, out);
                fields.push(output);
                inputs.push(input);
            }
            ObjectField::Placeholder => {
                fields.push(placeholder(false));
                inputs.push(placeholder(true));
            }
        }
    }
    let origin = message.full_name.clone();
    out.push(TypeDef {
        name: name.clone(),
        description: description(&message.comments),
        kind: TypeKind::Object(fields),
        origin: origin.clone(),
        location: message.location.clone(),
        fields_are_proto: true,
    });
    out.push(TypeDef {
        name: input_name(&name),
        description: description(&message.comments),
        kind: TypeKind::Input {
            fields: inputs,
            one_of: false,
        },
        origin,
        location: message.location.clone(),
        fields_are_proto: false,
    });
}

/// A oneof's union (with one wrapper object per member) and `@oneOf` input object; returns the
/// parent's output and input fields for it.
fn oneof_types(
    ctx: &mut Ctx<'_>,
    message: &Message,
    index: usize,
    out: &mut Vec<TypeDef>,
) -> (FieldDef, FieldDef) {
    let oneof = &message.oneofs[index];
    let union = union_name(ctx.options, message, index);
    let origin = format!("{}.{}", message.full_name, oneof.name);
    let mut members = Vec::new();
    let mut input_fields = Vec::new();
    for &i in &oneof.fields {
        let field = &message.fields[i];
        let member = member_name(ctx.options, message, field);
        let element = ctx.element(&field.ty, false);
        let output = if null_is_a_value(&field.ty) {
            element
        } else {
            format!("{element}!")
        };
        out.push(TypeDef {
            name: member.clone(),
            description: vec![format!(
                "`{}` is set: the `{}` member of the oneof.",
                field.name, oneof.name
            )],
            kind: TypeKind::Object(vec![field_def(field, output)]),
            origin: format!("{}.{}", message.full_name, field.name),
            location: field.location.clone(),
            fields_are_proto: true,
        });
        members.push(member);
        let input = ctx.element(&field.ty, true);
        input_fields.push(field_def(field, input));
    }
    let description = description(&oneof.comments);
    out.push(TypeDef {
        name: union.clone(),
        description: description.clone(),
        kind: TypeKind::Union(members),
        origin: origin.clone(),
        location: oneof.location.clone(),
        fields_are_proto: false,
    });
    out.push(TypeDef {
        name: input_name(&union),
        description: description.clone(),
        kind: TypeKind::Input {
            fields: input_fields,
            one_of: true,
        },
        origin,
        location: oneof.location.clone(),
        fields_are_proto: false,
    });
    let required = oneof.rules.required;
    let name = oneof_field_name(&oneof.name);
    let output = FieldDef {
        name: name.clone(),
        ty: if required {
            format!("{union}!")
        } else {
            union.clone()
        },
        description: description.clone(),
        deprecated: false,
        proto_name: String::new(),
        location: oneof.location.clone(),
    };
    let input = FieldDef {
        ty: input_name(&union),
        ..output.clone()
    };
    (output, input)
}

/// A map field's entry object and input types.
fn entry_types(
    ctx: &mut Ctx<'_>,
    message: &Message,
    field: &Field,
    map: &crate::model::MapType,
) -> [TypeDef; 2] {
    let name = entry_name(ctx.options, message, field);
    let key = ctx.scalar(map.key).to_owned();
    let value = ctx.element(&map.value, false);
    let value_input = ctx.element(&map.value, true);
    let nullable = null_is_a_value(&map.value);
    let entry_field = |name: &str, ty: String| FieldDef {
        name: name.to_owned(),
        ty,
        description: Vec::new(),
        deprecated: false,
        proto_name: name.to_owned(),
        location: None,
    };
    let bang = if nullable { "" } else { "!" };
    let origin = format!("{}.{}", message.full_name, field.name);
    let description = vec![format!("An entry of the map `{}`.", field.name)];
    [
        TypeDef {
            name: name.clone(),
            description: description.clone(),
            kind: TypeKind::Object(vec![
                entry_field("key", format!("{key}!")),
                entry_field("value", format!("{value}{bang}")),
            ]),
            origin: origin.clone(),
            location: field.location.clone(),
            fields_are_proto: false,
        },
        TypeDef {
            name: input_name(&name),
            description,
            kind: TypeKind::Input {
                fields: vec![
                    entry_field("key", format!("{key}!")),
                    entry_field("value", format!("{value_input}{bang}")),
                ],
                one_of: false,
            },
            origin,
            location: field.location.clone(),
            fields_are_proto: false,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_camel_matches_protoc() {
        assert_eq!(json_camel("payment_method"), "paymentMethod");
        assert_eq!(json_camel("_x"), "X");
        assert_eq!(map_entry_name("items_by_sku"), "ItemsBySkuEntry");
    }

    #[test]
    fn graphql_names() {
        assert!(is_graphql_name("shop_v1_Order"));
        assert!(is_graphql_name("_"));
        assert!(!is_graphql_name("__typename"));
        assert!(!is_graphql_name("9a"));
        assert!(!is_graphql_name("a-b"));
        assert!(!is_graphql_name(""));
    }

    #[test]
    fn json_names_that_are_not_graphql_names_are_mended() {
        assert_eq!(field_name("@renamed-Field"), "_renamed_Field");
        assert_eq!(field_name("1st"), "_1st");
        assert_eq!(field_name("__x"), "_x");
        assert_eq!(field_name("lineItems"), "lineItems");
        for name in ["@renamed-Field", "1st", "__x", "", "é"] {
            assert!(is_graphql_name(&field_name(name)), "{name}");
        }
    }
}
