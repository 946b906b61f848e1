//! Document + lock → `FileDescriptorProto` + validation rules + the run-time schema.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::source_code_info::Location;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, EnumValueDescriptorProto, EnumValueOptions,
    FieldDescriptorProto, FieldOptions, FileDescriptorProto, MessageOptions, OneofDescriptorProto,
    SourceCodeInfo, descriptor_proto::ReservedRange,
};
use protogen_rules::{
    Bound, BytesRules, DurationRules, EnumRules, FieldRules, MapRules, Number, NumberRules, Range,
    RepeatedRules, Seconds, StringFormat, StringRules, TimestampRules, TypeRules,
};
use protogen_rules::{RuleSet, Scalar};

use crate::doc::{
    At, Constraint, Diagnostic, Document, EnumDef, FieldDef, MessageDef, Spanned, TypeExpr,
    describe, nested_constraints, upper_camel,
};
use crate::json::{Node, Value};
use crate::lock::{self, Item, Lock, Numbering};
use crate::schema::{EnumSchema, EnumValueSchema, FieldSchema, Kind, MessageSchema, Schema, Shape};
use crate::time::{parse_duration, parse_timestamp};

/// The result of lowering one document.
pub struct Lowered {
    pub file: FileDescriptorProto,
    pub rules: RuleSet,
    pub schema: Schema,
    /// The lock as it must be for this document (equal to the old one when nothing changed).
    pub lock: Lock,
    /// What differs from the old lock, one line each (`User.email: added as 4`).
    pub changes: Vec<String>,
}

const SCALARS: &[(&str, Scalar)] = &[
    ("double", Scalar::Double),
    ("float", Scalar::Float),
    ("int32", Scalar::Int32),
    ("int64", Scalar::Int64),
    ("uint32", Scalar::Uint32),
    ("uint64", Scalar::Uint64),
    ("sint32", Scalar::Sint32),
    ("sint64", Scalar::Sint64),
    ("fixed32", Scalar::Fixed32),
    ("fixed64", Scalar::Fixed64),
    ("sfixed32", Scalar::Sfixed32),
    ("sfixed64", Scalar::Sfixed64),
    ("bool", Scalar::Bool),
    ("string", Scalar::String),
    ("bytes", Scalar::Bytes),
];

pub fn scalar_named(name: &str) -> Option<Scalar> {
    SCALARS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

fn is_lower_ident(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_type_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_enum_value_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `OrderStatus` → `ORDER_STATUS`.
pub fn screaming(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// protoc's JSON name: underscores dropped, the letter after one capitalised.
pub fn json_name(name: &str) -> String {
    crate::doc::camel(name, false)
}

/// One message or enum of the document, by its path (`Order.Line`).
#[derive(Clone, Copy)]
enum Def {
    Message(usize),
    Enum(usize),
}

struct Flat<'d> {
    messages: Vec<(String, &'d MessageDef)>,
    enums: Vec<(String, &'d EnumDef)>,
    defs: HashMap<String, Def>,
}

/// The package a document's types live in: `package`, or tenant, schema id and version joined.
pub fn package_of(doc: &Document) -> String {
    if let Some(p) = &doc.package {
        return p.value.clone();
    }
    let mut parts: Vec<&str> = Vec::new();
    if let Some(t) = &doc.tenant {
        parts.push(&t.value);
    }
    parts.push(&doc.schema_id.value);
    if let Some(v) = &doc.version {
        parts.push(&v.value);
    }
    parts.join(".")
}

pub fn lower(
    doc: &Document,
    file_name: &str,
    source: &str,
    old_lock: Option<&Lock>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Lowered> {
    let start = diags.len();
    // Names of the document.
    for (key, value) in [
        ("tenant", &doc.tenant),
        ("version", &doc.version),
        ("schema_id", &Some(doc.schema_id.clone())),
    ] {
        if let Some(v) = value
            && !v.value.is_empty()
            && !is_lower_ident(&v.value)
        {
            diags.push(v.at.diag(format!(
                "bad {key} `{}`: use lower_snake_case (`[a-z][a-z0-9_]*`), it becomes part of \
                 the proto package",
                v.value
            )));
        }
    }
    if let Some(p) = &doc.package
        && !p.value.split('.').all(is_lower_ident)
    {
        diags.push(p.at.diag(format!(
            "bad package `{}`: dot-separated lower_snake_case names (`acme.crm.v1`)",
            p.value
        )));
    }
    let package = package_of(doc);

    // Every message and enum, by path.
    let mut flat = Flat {
        messages: Vec::new(),
        enums: Vec::new(),
        defs: HashMap::new(),
    };
    let tops: Vec<&MessageDef> = doc.root.iter().chain(&doc.messages).collect();
    collect(
        &mut flat,
        "",
        &tops,
        &doc.enums.iter().collect::<Vec<_>>(),
        diags,
    );

    let strict_default = doc.strict;
    let mut lowerer = Lowerer {
        flat: &flat,
        package: &package,
        diags,
        rules: RuleSet::default(),
        source_locations: Vec::new(),
        source,
        uses_timestamp: false,
        uses_duration: false,
        enums: Vec::new(),
    };

    // Numbers.
    let mut lock = Lock::default();
    let mut changes = Vec::new();
    let mut field_numbers: HashMap<String, Vec<Option<i64>>> = HashMap::new();
    let fields = flat.messages.iter().map(|(path, m)| {
        let items: Vec<Item<'_>> = m
            .fields
            .iter()
            .map(|f| item(&f.name, &f.number, &f.renamed_from))
            .collect();
        (path, Numbering::Fields, items)
    });
    let values = flat.enums.iter().map(|(path, e)| {
        let items: Vec<Item<'_>> = e
            .values
            .iter()
            .map(|v| item(&v.name, &v.number, &v.renamed_from))
            .collect();
        (path, Numbering::EnumValues, items)
    });
    for (path, numbering, items) in fields.chain(values) {
        let old = old_lock.and_then(|l| l.tables(numbering).get(path));
        let (table, numbers) =
            lock::assign(path, old, &items, numbering, lowerer.diags, &mut changes);
        lock.tables_mut(numbering).insert(path.clone(), table);
        field_numbers.insert(numbers_key(numbering, path), numbers);
    }
    // Messages and enums that disappeared keep their numbers reserved.
    for numbering in [Numbering::Fields, Numbering::EnumValues] {
        for (path, table) in old_lock.iter().flat_map(|l| l.tables(numbering)) {
            if !lock.tables(numbering).contains_key(path) {
                let (t, _) = lock::assign(
                    path,
                    Some(table),
                    &[],
                    numbering,
                    lowerer.diags,
                    &mut changes,
                );
                lock.tables_mut(numbering).insert(path.clone(), t);
            }
        }
    }

    // The run-time schema and the descriptors.
    let mut schema = Schema {
        package: package.clone(),
        messages: Vec::new(),
        enums: Vec::new(),
        root: doc.root.as_ref().map(|_| 0),
        by_name: BTreeMap::new(),
    };
    for (path, e) in &flat.enums {
        let numbers = &field_numbers[&numbers_key(Numbering::EnumValues, path)];
        let es = lowerer.enum_schema(path, e, numbers);
        lowerer.enums.push(es);
    }
    schema.enums = lowerer.enums.clone();
    for (path, message) in &flat.messages {
        let numbers = &field_numbers[&numbers_key(Numbering::Fields, path)];
        let strict = message.strict.unwrap_or(strict_default);
        let m = lowerer.message_schema(path, message, numbers, strict);
        schema.messages.push(m);
    }
    for (i, m) in schema.messages.iter().enumerate() {
        schema.by_name.insert(m.path.clone(), i);
    }

    let mut file = FileDescriptorProto {
        name: Some(file_name.to_owned()),
        package: Some(package.clone()),
        syntax: Some("proto3".into()),
        ..Default::default()
    };
    for (i, top) in tops.iter().enumerate() {
        let d = lowerer.descriptor(
            top,
            top.name.value.clone(),
            &schema,
            &lock,
            vec![4, i as i32],
        );
        file.message_type.push(d);
    }
    for (i, e) in doc.enums.iter().enumerate() {
        let path = e.name.value.clone();
        file.enum_type
            .push(lowerer.enum_descriptor(e, &path, &schema, &lock, vec![5, i as i32]));
    }
    if lowerer.uses_duration {
        file.dependency
            .push("google/protobuf/duration.proto".into());
    }
    if lowerer.uses_timestamp {
        file.dependency
            .push("google/protobuf/timestamp.proto".into());
    }
    // With an entity of its own, the description documents that entity (below), not the file.
    if let Some(description) = doc.description.as_ref().filter(|_| doc.root.is_none()) {
        lowerer.comment(vec![2], &doc.at, description);
    }
    let mut locations = std::mem::take(&mut lowerer.source_locations);
    complete_locations(&file, &mut locations);
    file.source_code_info = Some(SourceCodeInfo {
        location: locations,
    });
    let rules = std::mem::take(&mut lowerer.rules);
    if diags.len() > start {
        return None;
    }
    Some(Lowered {
        file,
        rules,
        schema,
        lock,
        changes,
    })
}

fn item<'a>(
    name: &'a Spanned<String>,
    number: &'a Option<Spanned<i64>>,
    renamed_from: &'a Option<Spanned<String>>,
) -> Item<'a> {
    Item {
        name,
        number: number.as_ref(),
        renamed_from: renamed_from.as_ref(),
    }
}

/// Messages and enums may share a path (`A.B`): their numbers are kept apart.
fn numbers_key(numbering: Numbering, path: &str) -> String {
    match numbering {
        Numbering::Fields => path.to_owned(),
        Numbering::EnumValues => format!("enum {path}"),
    }
}

fn collect<'d>(
    flat: &mut Flat<'d>,
    prefix: &str,
    messages: &[&'d MessageDef],
    enums: &[&'d EnumDef],
    diags: &mut Vec<Diagnostic>,
) {
    let mut scope: BTreeMap<&str, &At> = BTreeMap::new();
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    };
    // A type's path, if its name is new in this scope (a bad name is reported but kept).
    let mut declare = |what: &str, name: &'d Spanned<String>, diags: &mut Vec<Diagnostic>| {
        if name.value.is_empty() {
            return None;
        }
        if !is_type_name(&name.value) {
            diags.push(name.at.diag(format!(
                "bad {what} name `{}`: use UpperCamelCase (`[A-Z][A-Za-z0-9]*`)",
                name.value
            )));
        }
        if scope.insert(&name.value, &name.at).is_some() {
            let duplicate = format!("duplicate type name `{}`", join(&name.value));
            diags.push(name.at.diag(duplicate));
            return None;
        }
        Some(join(&name.value))
    };
    for m in messages {
        let Some(path) = declare("message", &m.name, diags) else {
            continue;
        };
        flat.defs
            .insert(path.clone(), Def::Message(flat.messages.len()));
        flat.messages.push((path.clone(), m));
        let nested: Vec<&MessageDef> = m.messages.iter().collect();
        let nested_enums: Vec<&EnumDef> = m.enums.iter().collect();
        collect(flat, &path, &nested, &nested_enums, diags);
        // Map entries are nested messages too.
        for f in &m.fields {
            if matches!(f.ty.value, TypeExpr::Map(..)) {
                let entry = format!("{}Entry", upper_camel(&f.name.value));
                if m.messages.iter().any(|n| n.name.value == entry)
                    || m.enums.iter().any(|n| n.name.value == entry)
                {
                    diags.push(f.name.at.diag(format!(
                        "the map field `{}` needs a nested message named `{entry}`, which is \
                         already declared",
                        f.name.value
                    )));
                }
            }
        }
    }
    for e in enums {
        let Some(path) = declare("enum", &e.name, diags) else {
            continue;
        };
        flat.defs.insert(path.clone(), Def::Enum(flat.enums.len()));
        flat.enums.push((path, e));
    }
}

struct Lowerer<'a, 'd> {
    flat: &'a Flat<'d>,
    package: &'a str,
    diags: &'a mut Vec<Diagnostic>,
    rules: RuleSet,
    source_locations: Vec<Location>,
    source: &'a str,
    uses_timestamp: bool,
    uses_duration: bool,
    /// The run-time enums, built before the messages whose rules name their values.
    enums: Vec<EnumSchema>,
}

impl Lowerer<'_, '_> {
    /// Looks a type name up from inside the message at `scope`, innermost scope first.
    fn resolve(&mut self, name: &str, scope: &str, at: &At) -> Option<Kind> {
        if let Some(s) = scalar_named(name) {
            return Some(Kind::Scalar(s));
        }
        match name {
            "timestamp" => {
                self.uses_timestamp = true;
                return Some(Kind::Timestamp);
            }
            "duration" => {
                self.uses_duration = true;
                return Some(Kind::Duration);
            }
            _ => {}
        }
        let mut prefix = scope.to_owned();
        loop {
            let candidate = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}.{name}")
            };
            if let Some(def) = self.flat.defs.get(&candidate) {
                return Some(match def {
                    Def::Message(i) => Kind::Message(*i),
                    Def::Enum(i) => Kind::Enum(*i),
                });
            }
            if prefix.is_empty() {
                break;
            }
            prefix = prefix
                .rsplit_once('.')
                .map_or(String::new(), |(p, _)| p.to_owned());
        }
        let mut known: Vec<&str> = self.flat.defs.keys().map(String::as_str).collect();
        known.sort();
        let hint = if known.is_empty() {
            String::new()
        } else {
            format!("; types declared here: {}", known.join(", "))
        };
        self.diags.push(at.diag(format!(
            "unknown type `{name}`: expected a scalar (int32, string, bytes, …), timestamp, \
             duration, or a message or enum of this schema{hint}"
        )));
        None
    }

    fn kind_name(&self, kind: &Kind) -> String {
        match kind {
            Kind::Scalar(s) => s.proto_name().to_owned(),
            Kind::Timestamp => "timestamp".into(),
            Kind::Duration => "duration".into(),
            Kind::Message(i) => self.flat.messages[*i].0.clone(),
            Kind::Enum(i) => self.flat.enums[*i].0.clone(),
        }
    }

    fn enum_schema(&mut self, path: &str, e: &EnumDef, numbers: &[Option<i64>]) -> EnumSchema {
        let prefix = screaming(&e.name.value);
        let mut seen = BTreeSet::new();
        let mut values = Vec::new();
        for (v, n) in e.values.iter().zip(numbers) {
            let name = &v.name.value;
            if !is_enum_value_name(name) {
                self.diags.push(v.name.at.diag(format!(
                    "bad enum value name `{name}`: use UPPER_SNAKE_CASE (`[A-Z][A-Z0-9_]*`)"
                )));
            } else if name == "UNSPECIFIED" {
                self.diags.push(v.name.at.diag(format!(
                    "`UNSPECIFIED` is taken: every enum gets `{prefix}_UNSPECIFIED = 0`, the \
                     value of an unset field"
                )));
            }
            if !seen.insert(name.clone()) {
                self.diags.push(
                    v.name
                        .at
                        .diag(format!("duplicate enum value `{name}` in `{path}`")),
                );
                continue;
            }
            if let Some(n) = n {
                values.push(EnumValueSchema {
                    name: name.clone(),
                    proto_name: format!("{prefix}_{name}"),
                    number: *n as i32,
                });
            }
        }
        EnumSchema {
            full_name: format!("{}.{path}", self.package),
            path: path.to_owned(),
            unspecified: format!("{prefix}_UNSPECIFIED"),
            values,
        }
    }

    fn message_schema(
        &mut self,
        path: &str,
        message: &MessageDef,
        numbers: &[Option<i64>],
        strict: bool,
    ) -> MessageSchema {
        let mut fields = Vec::new();
        let mut names: BTreeMap<&str, &At> = BTreeMap::new();
        let mut json_names: BTreeMap<String, &str> = BTreeMap::new();
        for (f, n) in message.fields.iter().zip(numbers) {
            let name = &f.name.value;
            if name.is_empty() {
                continue;
            }
            if !is_lower_ident(name) {
                self.diags.push(f.name.at.diag(format!(
                    "bad field name `{name}`: use lower_snake_case (`[a-z][a-z0-9_]*`)"
                )));
            }
            if names.insert(name, &f.name.at).is_some() {
                self.diags.push(
                    f.name
                        .at
                        .diag(format!("duplicate field name `{name}` in `{path}`")),
                );
                continue;
            }
            let json = json_name(name);
            if let Some(other) = json_names.insert(json.clone(), name) {
                self.diags.push(f.name.at.diag(format!(
                    "field `{name}` has the JSON name `{json}`, as `{other}` does"
                )));
            }
            let Some(field) = self.field_schema(path, f) else {
                continue;
            };
            if let Some(n) = n {
                fields.push(FieldSchema {
                    number: *n as i32,
                    ..field
                });
            }
        }
        MessageSchema {
            full_name: format!("{}.{path}", self.package),
            path: path.to_owned(),
            strict,
            fields,
        }
    }

    fn field_schema(&mut self, scope: &str, f: &FieldDef) -> Option<FieldSchema> {
        let at = &f.ty.at;
        let shape = match &f.ty.value {
            TypeExpr::Named(n) if n.is_empty() => return None,
            TypeExpr::Named(n) => Shape::Single(self.resolve(n, scope, at)?),
            TypeExpr::List(n) => Shape::List(self.resolve(n, scope, at)?),
            TypeExpr::Map(k, v) => {
                let key = match scalar_named(k) {
                    Some(s) if !matches!(s, Scalar::Double | Scalar::Float | Scalar::Bytes) => s,
                    _ => {
                        self.diags.push(at.diag(format!(
                            "bad map key type `{k}`: map keys are integers, bool or string"
                        )));
                        return None;
                    }
                };
                Shape::Map(key, self.resolve(v, scope, at)?)
            }
        };
        let rules = self.field_rules(f, &shape);
        let default = f
            .default
            .as_ref()
            .and_then(|d| self.default_value(f, &shape, d));
        Some(FieldSchema {
            name: f.name.value.clone(),
            json_name: json_name(&f.name.value),
            number: 0,
            explicit_presence: matches!(shape, Shape::Single(Kind::Scalar(_) | Kind::Enum(_))),
            shape,
            rules,
            default,
            required: f.required,
        })
    }

    fn default_value(
        &mut self,
        f: &FieldDef,
        shape: &Shape,
        node: &Node,
    ) -> Option<serde_json::Value> {
        let at = &f.default_at;
        let Shape::Single(kind) = shape else {
            self.diags
                .push(at.diag("`default` applies to scalar and enum fields only"));
            return None;
        };
        let ok = match (kind, &node.value) {
            (Kind::Scalar(Scalar::Bool), Value::Bool(_)) => true,
            (Kind::Scalar(Scalar::String | Scalar::Bytes), Value::String(_)) => true,
            (Kind::Scalar(s), Value::Number(_))
                if !matches!(s, Scalar::Bool | Scalar::String | Scalar::Bytes) =>
            {
                match number_for(*s, node) {
                    Ok(_) => true,
                    Err(message) => {
                        self.diags
                            .push(at.diag(format!("bad `default`: {message}")));
                        return None;
                    }
                }
            }
            (Kind::Enum(i), Value::String(s)) => {
                let e = self.flat.enums[*i].1;
                if e.values.iter().any(|v| &v.name.value == s) {
                    // Payloads name enum values as protobuf's JSON mapping does, by their
                    // proto name (`TIER_GOLD`), so the default is filled in that way.
                    let name = format!("{}_{s}", screaming(&e.name.value));
                    return Some(serde_json::Value::String(name));
                } else {
                    self.diags.push(at.diag(format!(
                        "bad `default`: `{s}` is not a value of the enum `{}`",
                        self.flat.enums[*i].0
                    )));
                    return None;
                }
            }
            _ => false,
        };
        if !ok {
            self.diags.push(at.diag(format!(
                "bad `default`: {} is not a {}",
                describe(node),
                self.kind_name(kind)
            )));
            return None;
        }
        Some(to_serde(node))
    }

    /// The validation rules of a field, from `required` and its constraints.
    fn field_rules(&mut self, f: &FieldDef, shape: &Shape) -> FieldRules {
        let ty = match shape {
            Shape::Single(kind) => self.type_rules(&f.constraints, kind),
            Shape::List(kind) => self.list_rules(&f.constraints, kind),
            Shape::Map(key, value) => self.map_rules(&f.constraints, *key, value),
        };
        FieldRules {
            required: f.required,
            ty,
            ..FieldRules::default()
        }
    }

    fn not_applicable(&mut self, c: &Constraint, ty: &str) {
        self.diags.push(c.at.diag(format!(
            "`{}` does not apply to a field of type `{ty}`",
            c.key
        )));
    }

    fn list_rules(&mut self, constraints: &[Constraint], kind: &Kind) -> Option<TypeRules> {
        let mut rules = RepeatedRules::default();
        let mut any = false;
        let ty = format!("list<{}>", self.kind_name(kind));
        for c in constraints {
            any = true;
            match c.key.as_str() {
                "min_items" => rules.min_items = self.count(c),
                "max_items" => rules.max_items = self.count(c),
                "unique" => {
                    rules.unique = self.boolean(c);
                    if rules.unique && !matches!(kind, Kind::Scalar(_) | Kind::Enum(_)) {
                        self.diags.push(c.at.diag(format!(
                            "`unique` applies to lists of scalars and enums, not `{ty}`"
                        )));
                    }
                }
                "items" => {
                    if let Some(nested) = nested_constraints(&c.value, &c.at, self.diags) {
                        let ty = self.type_rules(&nested, kind);
                        rules.items = Some(Box::new(FieldRules {
                            ty,
                            ..FieldRules::default()
                        }));
                    }
                }
                _ => self.not_applicable(c, &ty),
            }
        }
        self.min_max(
            constraints,
            "min_items",
            "max_items",
            rules.min_items,
            rules.max_items,
        );
        any.then_some(TypeRules::Repeated(rules))
    }

    fn map_rules(
        &mut self,
        constraints: &[Constraint],
        key: Scalar,
        value: &Kind,
    ) -> Option<TypeRules> {
        let mut rules = MapRules::default();
        let mut any = false;
        let ty = format!("map<{}, {}>", key.proto_name(), self.kind_name(value));
        for c in constraints {
            any = true;
            match c.key.as_str() {
                "min_pairs" => rules.min_pairs = self.count(c),
                "max_pairs" => rules.max_pairs = self.count(c),
                "keys" | "values" => {
                    if let Some(nested) = nested_constraints(&c.value, &c.at, self.diags) {
                        let kind = if c.key == "keys" {
                            Kind::Scalar(key)
                        } else {
                            value.clone()
                        };
                        let ty = self.type_rules(&nested, &kind);
                        let slot = if c.key == "keys" {
                            &mut rules.keys
                        } else {
                            &mut rules.values
                        };
                        *slot = Some(Box::new(FieldRules {
                            ty,
                            ..FieldRules::default()
                        }));
                    }
                }
                _ => self.not_applicable(c, &ty),
            }
        }
        self.min_max(
            constraints,
            "min_pairs",
            "max_pairs",
            rules.min_pairs,
            rules.max_pairs,
        );
        any.then_some(TypeRules::Map(rules))
    }

    fn type_rules(&mut self, constraints: &[Constraint], kind: &Kind) -> Option<TypeRules> {
        let ty = self.kind_name(kind);
        match kind {
            Kind::Scalar(Scalar::String) => {
                let mut r = StringRules::default();
                for c in constraints {
                    match c.key.as_str() {
                        "min_len" => r.min_len = self.count(c),
                        "max_len" => r.max_len = self.count(c),
                        "len" => r.len = self.count(c),
                        "pattern" => {
                            if let Some(p) = self.string(c) {
                                match regex::Regex::new(&p) {
                                    Ok(_) => r.pattern = Some(p),
                                    Err(err) => self.diags.push(c.at.diag(format!(
                                            "bad `pattern`: {}",
                                            err.to_string()
                                                .lines()
                                                .last()
                                                .unwrap_or("invalid regular expression")
                                                .trim()
                                                .trim_start_matches("error: ")
                                        ))),
                                }
                            }
                        }
                        "format" => {
                            if let Some(name) = self.string(c) {
                                match StringFormat::from_name(&name) {
                                    Some(f) => r.format = Some(f),
                                    None => {
                                        let known: Vec<&str> = StringFormat::ALL
                                            .iter()
                                            .map(|f| f.name())
                                            .filter(|n| *n != "well_known_regex")
                                            .collect();
                                        self.diags.push(c.at.diag(format!(
                                            "unknown `format` `{name}` (known: {})",
                                            known.join(", ")
                                        )));
                                    }
                                }
                            }
                        }
                        "prefix" => r.prefix = self.string(c),
                        "suffix" => r.suffix = self.string(c),
                        "contains" => r.contains = self.string(c),
                        "in" => r.in_ = self.list(c, |l, n| l.string_node(n)),
                        "not_in" => r.not_in = self.list(c, |l, n| l.string_node(n)),
                        _ => self.not_applicable(c, &ty),
                    }
                }
                self.min_max(constraints, "min_len", "max_len", r.min_len, r.max_len);
                (!constraints.is_empty()).then_some(TypeRules::String(r))
            }
            Kind::Scalar(Scalar::Bytes) => {
                let mut r = BytesRules::default();
                for c in constraints {
                    match c.key.as_str() {
                        "min_len" => r.min_len = self.count(c),
                        "max_len" => r.max_len = self.count(c),
                        "len" => r.len = self.count(c),
                        _ => self.not_applicable(c, &ty),
                    }
                }
                self.min_max(constraints, "min_len", "max_len", r.min_len, r.max_len);
                (!constraints.is_empty()).then_some(TypeRules::Bytes(r))
            }
            Kind::Scalar(Scalar::Bool) | Kind::Message(_) => {
                for c in constraints {
                    self.not_applicable(c, &ty);
                }
                None
            }
            Kind::Timestamp => {
                let mut r = TimestampRules::default();
                let timestamp = |n: &Node| seconds_of(n, parse_timestamp, "an RFC 3339 timestamp");
                for c in constraints {
                    if self.range_key(&mut r.range, c, timestamp) {
                        continue;
                    }
                    match c.key.as_str() {
                        "past" => r.lt_now = self.boolean(c),
                        "future" => r.gt_now = self.boolean(c),
                        "within" => {
                            match seconds_of(&c.value, parse_duration, "a duration (`3600s`)") {
                                Ok(d) => r.within = Some(d),
                                Err(m) => self.diags.push(c.at.diag(format!("bad `within`: {m}"))),
                            }
                        }
                        _ => self.not_applicable(c, &ty),
                    }
                }
                self.range_sanity(constraints, &r.range, |a, b| a.partial_cmp(b));
                if r.lt_now && r.gt_now {
                    let c = constraints
                        .iter()
                        .find(|c| c.key == "future")
                        .expect("future");
                    self.diags
                        .push(c.at.diag("`past` and `future` can never both hold"));
                }
                (!constraints.is_empty()).then_some(TypeRules::Timestamp(r))
            }
            Kind::Duration => {
                let mut r = DurationRules::default();
                let duration = |n: &Node| seconds_of(n, parse_duration, "a duration (`1.5s`)");
                for c in constraints {
                    if self.range_key(&mut r.range, c, duration) {
                        continue;
                    }
                    match c.key.as_str() {
                        "in" => r.in_ = self.list(c, |_, n| duration(n)),
                        "not_in" => r.not_in = self.list(c, |_, n| duration(n)),
                        _ => self.not_applicable(c, &ty),
                    }
                }
                self.range_sanity(constraints, &r.range, |a, b| a.partial_cmp(b));
                (!constraints.is_empty()).then_some(TypeRules::Duration(r))
            }
            Kind::Scalar(s) => {
                let s = *s;
                let mut r = NumberRules {
                    kind: s,
                    constant: None,
                    range: Range::default(),
                    in_: Vec::new(),
                    not_in: Vec::new(),
                    finite: false,
                };
                for c in constraints {
                    if self.range_key(&mut r.range, c, |n| number_for(s, n)) {
                        continue;
                    }
                    match c.key.as_str() {
                        "in" => r.in_ = self.list(c, |l, n| l.number_node(s, n)),
                        "not_in" => r.not_in = self.list(c, |l, n| l.number_node(s, n)),
                        _ => self.not_applicable(c, &ty),
                    }
                }
                self.range_sanity(constraints, &r.range, compare);
                (!constraints.is_empty()).then_some(TypeRules::Number(r))
            }
            Kind::Enum(i) => {
                let mut r = EnumRules {
                    defined_only: true,
                    ..EnumRules::default()
                };
                let i = *i;
                for c in constraints {
                    match c.key.as_str() {
                        "in" => r.in_ = self.list(c, |l, n| l.enum_node(i, n)),
                        "not_in" => r.not_in = self.list(c, |l, n| l.enum_node(i, n)),
                        _ => self.not_applicable(c, &ty),
                    }
                }
                Some(TypeRules::Enum(r))
            }
        }
    }

    /// `min`, `exclusive_min`, `max` or `exclusive_max` into `range`; false for other keys.
    fn range_key<T>(
        &mut self,
        range: &mut Range<T>,
        c: &Constraint,
        parse: impl Fn(&Node) -> Result<T, String>,
    ) -> bool {
        let (slot, inclusive, other) = match c.key.as_str() {
            "min" => (&mut range.lower, true, "exclusive_min"),
            "exclusive_min" => (&mut range.lower, false, "min"),
            "max" => (&mut range.upper, true, "exclusive_max"),
            "exclusive_max" => (&mut range.upper, false, "max"),
            _ => return false,
        };
        if slot.is_some() {
            let (a, b) = if inclusive {
                (c.key.as_str(), other)
            } else {
                (other, c.key.as_str())
            };
            self.diags
                .push(c.at.diag(format!("`{a}` and `{b}` cannot both be set")));
        }
        match parse(&c.value) {
            Ok(value) => *slot = Some(Bound { value, inclusive }),
            Err(m) => self.diags.push(c.at.diag(format!("bad `{}`: {m}", c.key))),
        }
        true
    }

    /// A range no value can satisfy (`min` above `max`) is an error at its lower bound.
    fn range_sanity<T>(
        &mut self,
        constraints: &[Constraint],
        range: &Range<T>,
        cmp: impl Fn(&T, &T) -> Option<std::cmp::Ordering>,
    ) {
        let (Some(lo), Some(hi)) = (&range.lower, &range.upper) else {
            return;
        };
        let empty = match cmp(&lo.value, &hi.value) {
            Some(std::cmp::Ordering::Greater) => true,
            Some(std::cmp::Ordering::Equal) => !(lo.inclusive && hi.inclusive),
            _ => false,
        };
        if empty {
            let c = constraints
                .iter()
                .find(|c| c.key == "min" || c.key == "exclusive_min")
                .expect("lower bound");
            self.diags.push(c.at.diag(format!(
                "`{}` is above `{}`: no value can satisfy both",
                c.key,
                if hi.inclusive { "max" } else { "exclusive_max" }
            )));
        }
    }

    fn min_max(
        &mut self,
        constraints: &[Constraint],
        min: &str,
        max: &str,
        lo: Option<u64>,
        hi: Option<u64>,
    ) {
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo > hi
        {
            let c = constraints.iter().find(|c| c.key == min).expect("min");
            self.diags.push(c.at.diag(format!(
                "`{min}` ({lo}) is above `{max}` ({hi}): no value can satisfy both"
            )));
        }
    }

    fn count(&mut self, c: &Constraint) -> Option<u64> {
        match &c.value.value {
            Value::Number(n) if n.parse::<u64>().is_ok() => n.parse().ok(),
            _ => {
                self.diags.push(c.at.diag(format!(
                    "`{}` must be a non-negative integer, found {}",
                    c.key,
                    describe(&c.value)
                )));
                None
            }
        }
    }

    fn boolean(&mut self, c: &Constraint) -> bool {
        match c.value.value {
            Value::Bool(b) => b,
            _ => {
                self.diags.push(c.at.diag(format!(
                    "`{}` must be true or false, found {}",
                    c.key,
                    describe(&c.value)
                )));
                false
            }
        }
    }

    fn string(&mut self, c: &Constraint) -> Option<String> {
        match &c.value.value {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.diags.push(c.at.diag(format!(
                    "`{}` must be a string, found {}",
                    c.key,
                    describe(&c.value)
                )));
                None
            }
        }
    }

    fn list<T>(
        &mut self,
        c: &Constraint,
        mut item: impl FnMut(&mut Self, &Node) -> Result<T, String>,
    ) -> Vec<T> {
        let Value::Array(items) = &c.value.value else {
            self.diags.push(c.at.diag(format!(
                "`{}` must be an array of allowed values, found {}",
                c.key,
                describe(&c.value)
            )));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, node) in items.iter().enumerate() {
            match item(self, node) {
                Ok(v) => out.push(v),
                Err(message) => self.diags.push(Diagnostic {
                    pointer: format!("{}/{i}", c.at.pointer),
                    offset: node.offset,
                    message,
                }),
            }
        }
        out
    }

    fn string_node(&mut self, node: &Node) -> Result<String, String> {
        match &node.value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(format!("expected a string, found {}", describe(node))),
        }
    }

    fn number_node(&mut self, s: Scalar, node: &Node) -> Result<Number, String> {
        number_for(s, node)
    }

    fn enum_node(&mut self, i: usize, node: &Node) -> Result<i32, String> {
        let (path, e) = &self.flat.enums[i];
        let Value::String(name) = &node.value else {
            return Err(format!(
                "expected a value name of the enum `{path}`, found {}",
                describe(node)
            ));
        };
        let position = e.values.iter().position(|v| &v.name.value == name);
        match position {
            Some(_) => Ok(self.enum_number(i, name)),
            None => Err(format!("`{name}` is not a value of the enum `{path}`")),
        }
    }

    /// The number of an enum value (enums are numbered before any field rule is read).
    fn enum_number(&self, index: usize, name: &str) -> i32 {
        self.enums[index]
            .values
            .iter()
            .find(|v| v.name == name)
            .map_or(0, |v| v.number)
    }

    fn comment(&mut self, path: Vec<i32>, at: &At, text: &str) {
        let (line, col) = crate::json::line_col(self.source, at.offset);
        let mut comment = String::new();
        for line in text.lines() {
            comment.push(' ');
            comment.push_str(line);
            comment.push('\n');
        }
        self.source_locations.push(Location {
            path,
            span: vec![line as i32 - 1, col as i32 - 1, col as i32 - 1],
            leading_comments: (!text.is_empty()).then_some(comment),
            trailing_comments: None,
            leading_detached_comments: Vec::new(),
        });
    }

    fn descriptor(
        &mut self,
        m: &MessageDef,
        path: String,
        schema: &Schema,
        lock: &Lock,
        source_path: Vec<i32>,
    ) -> DescriptorProto {
        let mut d = DescriptorProto {
            name: Some(m.name.value.clone()),
            ..Default::default()
        };
        if m.deprecated {
            d.options = Some(MessageOptions {
                deprecated: Some(true),
                ..Default::default()
            });
        }
        self.comment(
            source_path.clone(),
            &m.at,
            m.description.as_deref().unwrap_or(""),
        );
        let Some(&mi) = schema.by_name.get(&path) else {
            return d;
        };
        let ms = &schema.messages[mi];
        let full = format!(".{}", ms.full_name);
        for def in &m.fields {
            let Some(field) = ms.fields.iter().find(|f| f.name == def.name.value) else {
                continue;
            };
            let mut fd = FieldDescriptorProto {
                name: Some(field.name.clone()),
                number: Some(field.number),
                json_name: Some(field.json_name.clone()),
                ..Default::default()
            };
            let type_of = |kind: &Kind, fd: &mut FieldDescriptorProto| match kind {
                Kind::Scalar(s) => fd.set_type(scalar_type(*s)),
                Kind::Enum(i) => {
                    fd.set_type(Type::Enum);
                    fd.type_name = Some(format!(".{}", schema.enums[*i].full_name));
                }
                Kind::Message(i) => {
                    fd.set_type(Type::Message);
                    fd.type_name = Some(format!(".{}", schema.messages[*i].full_name));
                }
                Kind::Timestamp => {
                    fd.set_type(Type::Message);
                    fd.type_name = Some(".google.protobuf.Timestamp".into());
                }
                Kind::Duration => {
                    fd.set_type(Type::Message);
                    fd.type_name = Some(".google.protobuf.Duration".into());
                }
            };
            match &field.shape {
                Shape::Single(kind) => {
                    fd.set_label(Label::Optional);
                    type_of(kind, &mut fd);
                    if field.explicit_presence {
                        fd.proto3_optional = Some(true);
                        fd.oneof_index = Some(d.oneof_decl.len() as i32);
                        d.oneof_decl.push(OneofDescriptorProto {
                            name: Some(format!("_{}", field.name)),
                            options: None,
                        });
                    }
                }
                Shape::List(kind) => {
                    fd.set_label(Label::Repeated);
                    type_of(kind, &mut fd);
                }
                Shape::Map(key, value) => {
                    let entry = format!("{}Entry", upper_camel(&field.name));
                    let mut k = FieldDescriptorProto {
                        name: Some("key".into()),
                        number: Some(1),
                        json_name: Some("key".into()),
                        ..Default::default()
                    };
                    k.set_label(Label::Optional);
                    k.set_type(scalar_type(*key));
                    let mut v = FieldDescriptorProto {
                        name: Some("value".into()),
                        number: Some(2),
                        json_name: Some("value".into()),
                        ..Default::default()
                    };
                    v.set_label(Label::Optional);
                    type_of(value, &mut v);
                    d.nested_type.push(DescriptorProto {
                        name: Some(entry.clone()),
                        field: vec![k, v],
                        options: Some(MessageOptions {
                            map_entry: Some(true),
                            ..Default::default()
                        }),
                        ..Default::default()
                    });
                    fd.set_label(Label::Repeated);
                    fd.set_type(Type::Message);
                    fd.type_name = Some(format!("{full}.{entry}"));
                }
            }
            if def.deprecated {
                fd.options = Some(FieldOptions {
                    deprecated: Some(true),
                    ..Default::default()
                });
            }
            let mut doc = def.description.clone().unwrap_or_default();
            if let Some(default) = &field.default {
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str(&format!("Default: `{default}`."));
            }
            let mut fpath = source_path.clone();
            fpath.extend([2, d.field.len() as i32]);
            self.comment(fpath, &def.at, &doc);
            if !field.rules.is_empty() {
                self.rules
                    .fields
                    .insert(format!("{full}.{}", field.name), field.rules.clone());
            }
            d.field.push(fd);
        }
        // Removed fields: their numbers and names are reserved.
        if let Some(table) = lock.messages.get(&path) {
            let in_use: BTreeSet<&str> = ms.fields.iter().map(|f| f.name.as_str()).collect();
            for r in &table.reserved {
                d.reserved_range.push(ReservedRange {
                    start: Some(r.number as i32),
                    end: Some(r.number as i32 + 1),
                });
                if !in_use.contains(r.name.as_str()) && !d.reserved_name.contains(&r.name) {
                    d.reserved_name.push(r.name.clone());
                }
            }
        }
        for (i, nested) in m.messages.iter().enumerate() {
            let mut p = source_path.clone();
            p.extend([3, i as i32]);
            let nd = self.descriptor(
                nested,
                format!("{path}.{}", nested.name.value),
                schema,
                lock,
                p,
            );
            d.nested_type.push(nd);
        }
        // Declared nested messages keep the indices their source paths use; map entries follow.
        let is_entry =
            |n: &DescriptorProto| n.options.as_ref().and_then(|o| o.map_entry) == Some(true);
        let (entries, declared): (Vec<_>, Vec<_>) = d.nested_type.drain(..).partition(is_entry);
        d.nested_type = declared;
        d.nested_type.extend(entries);
        for (i, e) in m.enums.iter().enumerate() {
            let mut p = source_path.clone();
            p.extend([4, i as i32]);
            let ed = self.enum_descriptor(e, &format!("{path}.{}", e.name.value), schema, lock, p);
            d.enum_type.push(ed);
        }
        d
    }

    fn enum_descriptor(
        &mut self,
        e: &EnumDef,
        path: &str,
        schema: &Schema,
        lock: &Lock,
        source_path: Vec<i32>,
    ) -> EnumDescriptorProto {
        let mut d = EnumDescriptorProto {
            name: Some(e.name.value.clone()),
            ..Default::default()
        };
        self.comment(
            source_path.clone(),
            &e.at,
            e.description.as_deref().unwrap_or(""),
        );
        let Some(es) = schema.enums.iter().find(|s| s.path == path) else {
            return d;
        };
        d.value.push(EnumValueDescriptorProto {
            name: Some(es.unspecified.clone()),
            number: Some(0),
            options: None,
        });
        for def in &e.values {
            let Some(v) = es.values.iter().find(|v| v.name == def.name.value) else {
                continue;
            };
            let mut p = source_path.clone();
            p.extend([2, d.value.len() as i32]);
            self.comment(p, &def.at, def.description.as_deref().unwrap_or(""));
            d.value.push(EnumValueDescriptorProto {
                name: Some(v.proto_name.clone()),
                number: Some(v.number),
                options: def.deprecated.then(|| EnumValueOptions {
                    deprecated: Some(true),
                    ..Default::default()
                }),
            });
        }
        if let Some(table) = lock.enums.get(path) {
            let prefix = screaming(&e.name.value);
            let in_use: BTreeSet<&str> = es.values.iter().map(|v| v.name.as_str()).collect();
            for r in &table.reserved {
                d.reserved_range
                    .push(prost_types::enum_descriptor_proto::EnumReservedRange {
                        start: Some(r.number as i32),
                        end: Some(r.number as i32),
                    });
                let name = format!("{prefix}_{}", r.name);
                if !in_use.contains(r.name.as_str()) && !d.reserved_name.contains(&name) {
                    d.reserved_name.push(name);
                }
            }
        }
        d
    }
}

/// prost-build looks up a location for every message, field, oneof, enum and enum value it
/// writes (by binary search, so sorted by path): the ones without a description of their own
/// (map entries, synthetic oneofs, `…_UNSPECIFIED`) get an empty one.
fn complete_locations(file: &FileDescriptorProto, locations: &mut Vec<Location>) {
    fn add(path: Vec<i32>, have: &BTreeSet<Vec<i32>>, out: &mut Vec<Location>) {
        if !have.contains(&path) {
            out.push(Location {
                path,
                span: vec![0, 0, 0],
                ..Default::default()
            });
        }
    }
    fn message(
        m: &DescriptorProto,
        path: Vec<i32>,
        have: &BTreeSet<Vec<i32>>,
        out: &mut Vec<Location>,
    ) {
        for (i, _) in m.field.iter().enumerate() {
            add([path.clone(), vec![2, i as i32]].concat(), have, out);
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            let p = [path.clone(), vec![3, i as i32]].concat();
            message(n, p, have, out);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            enumeration(e, [path.clone(), vec![4, i as i32]].concat(), have, out);
        }
        for (i, _) in m.oneof_decl.iter().enumerate() {
            add([path.clone(), vec![8, i as i32]].concat(), have, out);
        }
        add(path, have, out);
    }
    fn enumeration(
        e: &EnumDescriptorProto,
        path: Vec<i32>,
        have: &BTreeSet<Vec<i32>>,
        out: &mut Vec<Location>,
    ) {
        for (i, _) in e.value.iter().enumerate() {
            add([path.clone(), vec![2, i as i32]].concat(), have, out);
        }
        add(path, have, out);
    }
    let have: BTreeSet<Vec<i32>> = locations.iter().map(|l| l.path.clone()).collect();
    let mut extra = Vec::new();
    for (i, m) in file.message_type.iter().enumerate() {
        message(m, vec![4, i as i32], &have, &mut extra);
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        enumeration(e, vec![5, i as i32], &have, &mut extra);
    }
    locations.extend(extra);
    locations.sort_by(|a, b| a.path.cmp(&b.path));
}

fn scalar_type(s: Scalar) -> Type {
    match s {
        Scalar::Double => Type::Double,
        Scalar::Float => Type::Float,
        Scalar::Int32 => Type::Int32,
        Scalar::Int64 => Type::Int64,
        Scalar::Uint32 => Type::Uint32,
        Scalar::Uint64 => Type::Uint64,
        Scalar::Sint32 => Type::Sint32,
        Scalar::Sint64 => Type::Sint64,
        Scalar::Fixed32 => Type::Fixed32,
        Scalar::Fixed64 => Type::Fixed64,
        Scalar::Sfixed32 => Type::Sfixed32,
        Scalar::Sfixed64 => Type::Sfixed64,
        Scalar::Bool => Type::Bool,
        Scalar::String => Type::String,
        Scalar::Bytes => Type::Bytes,
    }
}

/// A number of the field's kind, as rules hold it (`I64` for signed, `U64` for unsigned, `F64`
/// for floats), range-checked.
pub fn number_for(s: Scalar, node: &Node) -> Result<Number, String> {
    let Value::Number(text) = &node.value else {
        return Err(format!("expected a number, found {}", describe(node)));
    };
    let name = s.proto_name();
    match s {
        Scalar::Double | Scalar::Float => text
            .parse::<f64>()
            .map(Number::F64)
            .map_err(|_| format!("`{text}` is not a number")),
        Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => text
            .parse::<i32>()
            .map(|n| Number::I64(n.into()))
            .map_err(|_| {
                format!("{text} is not an {name} (a whole number from -2147483648 to 2147483647)")
            }),
        Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => text
            .parse::<i64>()
            .map(Number::I64)
            .map_err(|_| format!("{text} is not an {name} (a whole 64-bit number)")),
        Scalar::Uint32 | Scalar::Fixed32 => text
            .parse::<u32>()
            .map(|n| Number::U64(n.into()))
            .map_err(|_| format!("{text} is not a {name} (a whole number from 0 to 4294967295)")),
        Scalar::Uint64 | Scalar::Fixed64 => text
            .parse::<u64>()
            .map(Number::U64)
            .map_err(|_| format!("{text} is not a {name} (a whole non-negative 64-bit number)")),
        Scalar::Bool | Scalar::String | Scalar::Bytes => Err(format!("{name} is not numeric")),
    }
}

fn compare(a: &Number, b: &Number) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Number::I64(a), Number::I64(b)) => Some(a.cmp(b)),
        (Number::U64(a), Number::U64(b)) => Some(a.cmp(b)),
        (Number::F64(a), Number::F64(b)) => a.partial_cmp(b),
        _ => None,
    }
}

/// A timestamp or duration written as a string in a constraint.
fn seconds_of(
    node: &Node,
    parse: fn(&str) -> Option<Seconds>,
    what: &str,
) -> Result<Seconds, String> {
    match &node.value {
        Value::String(s) => parse(s).ok_or_else(|| format!("`{s}` is not {what}")),
        _ => Err(format!(
            "expected {what} (a string), found {}",
            describe(node)
        )),
    }
}

pub fn to_serde(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|m| (m.key.clone(), to_serde(&m.value)))
                .collect(),
        ),
    }
}
