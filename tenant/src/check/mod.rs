//! Checking JSON payloads against a tenant schema at run time, without generating code.
//!
//! The checker interprets each message's check plan (`protogen_rules::plan`), the same data the
//! `validate` pass compiles to Rust: the same steps in the same order, each check one call of
//! the same `protogen::validate::check` function, so violations have the same field paths, rule
//! paths, rule ids and messages as the generated `validate()`. Values are read with the
//! runtime's JSON readers (`read.rs`), so the checker accepts exactly the values the generated
//! code's `protogen::json::from_str` accepts. What only a JSON payload can get wrong is reported
//! with rule ids of its own: `tenant.type` (a value `from_str` refuses: the wrong JSON type, a
//! number out of range, an unknown enum name, a bad timestamp, a field given under both its
//! names) and `tenant.unknown_field` (a key that is no field, in a `strict` message; keys of a
//! message that is not strict are ignored, as `DecodeOptions::ignore_unknown_fields` would).

mod read;
mod rules;

use std::collections::HashMap;
use std::fmt;

use protogen::validate::check;
use protogen::validate::{Ctx, Key, Path, Violations};
use protogen_rules::plan::{
    self, Body, Check, FieldInput, FieldPlan, MessagePlan, Rule, Shape as PlanShape, Step,
    ValueKind, ValuePlan,
};
use protogen_rules::{MessageRules, Scalar};
use serde_json::Value;

use crate::schema::{FieldSchema, Kind, MessageSchema, Schema, Shape};
use crate::{Compiled, Errors, Lock};
use read::Typed;

/// A tenant schema loaded for checking payloads (a schema registry loads them while running).
pub struct TenantSchema {
    schema: Schema,
    /// Each message's check plan, by message index.
    plans: Vec<MessagePlan>,
    /// Compiled `pattern`s.
    regexes: HashMap<String, regex::Regex>,
}

/// Why a payload was not accepted.
#[derive(Debug)]
pub enum CheckError {
    /// `validate_message` was asked for a message the schema does not have, or `validate` for
    /// a schema with several messages and no entity.
    UnknownMessage(String),
    /// The payload breaks rules of the schema: every violation, in field order.
    Violations(Violations),
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::UnknownMessage(m) => f.write_str(m),
            CheckError::Violations(v) => write!(f, "{v}"),
        }
    }
}

impl std::error::Error for CheckError {}

impl TenantSchema {
    /// Loads a schema without its lock file: numbers (which violations carry in their field
    /// paths) are assigned in document order.
    pub fn load(json: &str) -> Result<Self, Errors> {
        Ok(Self::from_compiled(crate::compile(
            json,
            "schema.json",
            None,
        )?))
    }

    /// Loads a schema with its lock file's numbers.
    pub fn load_with_lock(json: &str, lock: &Lock) -> Result<Self, Errors> {
        Ok(Self::from_compiled(crate::compile(
            json,
            "schema.json",
            Some(lock),
        )?))
    }

    pub fn from_compiled(compiled: Compiled) -> Self {
        let schema = compiled.schema;
        let plans: Vec<MessagePlan> = schema
            .messages
            .iter()
            .map(|m| message_plan(&schema, m))
            .collect();
        let mut regexes = HashMap::new();
        for check in plans.iter().flat_map(plan_checks) {
            if let Rule::StringPattern(p) | Rule::BytesPattern(p) = &check.rule
                && !regexes.contains_key(p)
                && let Ok(re) = regex::Regex::new(p)
            {
                regexes.insert(p.clone(), re);
            }
        }
        TenantSchema {
            schema,
            plans,
            regexes,
        }
    }

    /// The run-time schema: messages, fields, rules.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Checks a payload as the schema's entity (the top-level `fields`), or its only message.
    pub fn validate(&self, payload: &Value) -> Result<(), CheckError> {
        let index = match (self.schema.root, self.schema.messages.len()) {
            (Some(root), _) => root,
            (None, 1) => 0,
            _ => {
                return Err(CheckError::UnknownMessage(format!(
                    "the schema has several messages and no entity: name one ({})",
                    self.message_names()
                )));
            }
        };
        self.run(index, payload)
    }

    /// Checks a payload as the message at `path` in the schema (`Order`, `Order.Line`).
    pub fn validate_message(&self, path: &str, payload: &Value) -> Result<(), CheckError> {
        match self.schema.by_name.get(path) {
            Some(&index) => self.run(index, payload),
            None => Err(CheckError::UnknownMessage(format!(
                "no message `{path}` in the schema ({})",
                self.message_names()
            ))),
        }
    }

    /// Fills in the `default` of every absent (or `null`) field that has one, in the entity (or
    /// only message) and in the messages below it that are present. Proto3 has no field
    /// defaults, so generated code only documents them; a registry can apply them to payloads.
    pub fn fill_defaults(&self, payload: &mut Value) {
        let index = match (self.schema.root, self.schema.messages.len()) {
            (Some(root), _) => root,
            (None, 1) => 0,
            _ => return,
        };
        self.fill(index, payload);
    }

    /// [`fill_defaults`](Self::fill_defaults) for the message at `path` (`Order.Line`).
    pub fn fill_defaults_of(&self, path: &str, payload: &mut Value) {
        if let Some(&index) = self.schema.by_name.get(path) {
            self.fill(index, payload);
        }
    }

    fn fill(&self, index: usize, payload: &mut Value) {
        let Value::Object(object) = payload else {
            return;
        };
        for field in &self.schema.messages[index].fields {
            let key = [&field.name, &field.json_name]
                .into_iter()
                .find(|k| object.get(*k).is_some_and(|v| !v.is_null()));
            match (key, &field.default, &field.shape) {
                (None, Some(default), _) => {
                    object.insert(field.name.clone(), default.clone());
                }
                (Some(key), _, Shape::Single(Kind::Message(m))) => {
                    if let Some(v) = object.get_mut(key) {
                        self.fill(*m, v);
                    }
                }
                (Some(key), _, Shape::List(Kind::Message(m))) => {
                    if let Some(Value::Array(items)) = object.get_mut(key) {
                        items.iter_mut().for_each(|item| self.fill(*m, item));
                    }
                }
                (Some(key), _, Shape::Map(_, Kind::Message(m))) => {
                    if let Some(Value::Object(entries)) = object.get_mut(key) {
                        entries.values_mut().for_each(|v| self.fill(*m, v));
                    }
                }
                _ => {}
            }
        }
    }

    fn message_names(&self) -> String {
        let names: Vec<&str> = self.schema.by_name.keys().map(String::as_str).collect();
        names.join(", ")
    }

    fn run(&self, index: usize, payload: &Value) -> Result<(), CheckError> {
        let mut ctx = Ctx::new(false);
        self.message(index, payload, true, &mut ctx, None);
        ctx.finish().map_err(CheckError::Violations)
    }

    /// One message value: its plan's steps, then (strict messages) its unknown keys. With
    /// `checking` off (the plan of the field holding it does not descend) only types are checked.
    fn message(
        &self,
        index: usize,
        value: &Value,
        checking: bool,
        ctx: &mut Ctx,
        parent: Option<&Path<'_>>,
    ) {
        let message = &self.schema.messages[index];
        let Value::Object(object) = value else {
            let expected = format!("an object ({})", message.path);
            return read::wrong_json_type(ctx, parent, &expected, value);
        };
        for step in &self.plans[index].steps {
            match step {
                Step::Field(plan) => {
                    if ctx.done() {
                        return;
                    }
                    let field = &message.fields[plan.field];
                    self.field(field, plan, object, checking, ctx, parent);
                }
                Step::MessageOneof { .. } | Step::OneofRequired { .. } => {
                    // Tenant schemas have neither message `oneof` rules nor real oneofs: the
                    // lowering makes none, so their plans have no such step.
                }
            }
        }
        if message.strict {
            unknown_keys(message, object, ctx, parent);
        }
    }

    /// One field of a message: its value read and type-checked, and (when `checking`) its plan.
    fn field(
        &self,
        field: &FieldSchema,
        plan: &FieldPlan,
        object: &serde_json::Map<String, Value>,
        checking: bool,
        ctx: &mut Ctx,
        parent: Option<&Path<'_>>,
    ) {
        let path = Path::field(parent, &field.name, field.number as u32);
        let raw = field_value(object, field, ctx, &path);
        let plan = checking.then_some(plan);
        match &field.shape {
            Shape::Single(kind) => self.single(kind, raw, plan, ctx, &path),
            Shape::List(kind) => self.list(kind, raw, plan, ctx, &path),
            Shape::Map(key, kind) => self.map(*key, kind, raw, plan, ctx, &path),
        }
    }

    /// A singular field. Every one has presence in a tenant schema (the lowering makes scalars
    /// and enums proto3 `optional`), so absent or `null` is unset: `required` if the plan says
    /// so, else nothing.
    fn single(
        &self,
        kind: &Kind,
        raw: Option<&Value>,
        plan: Option<&FieldPlan>,
        ctx: &mut Ctx,
        path: &Path<'_>,
    ) {
        let value_plan = match plan.map(|p| &p.body) {
            Some(Body::Single(value)) => Some(value),
            _ => None,
        };
        match raw {
            None if plan.is_some_and(|p| p.required) => check::required(ctx, path),
            None => {}
            Some(v) => {
                let typed = self.read(kind, v, ctx, path);
                self.check(kind, v, typed.as_ref(), value_plan, ctx, path);
            }
        }
    }

    /// A list: every item read (and type-checked), then, as the generated code does, `required`
    /// or `ignore` on an empty list, the list's own checks, and each item's.
    fn list(
        &self,
        kind: &Kind,
        raw: Option<&Value>,
        plan: Option<&FieldPlan>,
        ctx: &mut Ctx,
        path: &Path<'_>,
    ) {
        let items: &[Value] = match raw {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(other) => return read::wrong_json_type(ctx, Some(path), "a list", other),
        };
        let (checks, item_plan) = match plan.map(|p| &p.body) {
            Some(Body::Repeated { checks, items }) => (checks.as_slice(), items.as_ref()),
            _ => (&[][..], None),
        };
        let typed: Vec<Option<Typed>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| self.read(kind, item, ctx, &path.at(Key::Index(i))))
            .collect();
        let Some(plan) = plan else {
            for (i, item) in items.iter().enumerate() {
                self.check(kind, item, None, None, ctx, &path.at(Key::Index(i)));
            }
            return;
        };
        if items.is_empty() {
            if plan.required {
                check::required(ctx, path);
            }
            return;
        }
        // `unique` needs every item; one of the wrong type is reported already.
        let all: Option<Vec<Typed>> = typed.iter().cloned().collect();
        rules::collection(checks, items.len(), all.as_deref(), ctx, path);
        for (i, (item, typed)) in items.iter().zip(&typed).enumerate() {
            if ctx.done() {
                return;
            }
            let path = path.at(Key::Index(i));
            self.check(kind, item, typed.as_ref(), item_plan, ctx, &path);
        }
    }

    /// A map: every key and value read (and type-checked), then `required` or `ignore` on an
    /// empty map, the map's own checks, and each entry's key and value checks.
    fn map(
        &self,
        key: Scalar,
        kind: &Kind,
        raw: Option<&Value>,
        plan: Option<&FieldPlan>,
        ctx: &mut Ctx,
        path: &Path<'_>,
    ) {
        let empty = serde_json::Map::new();
        let entries = match raw {
            None => &empty,
            Some(Value::Object(entries)) => entries,
            Some(other) => {
                return read::wrong_json_type(ctx, Some(path), "an object (a map)", other);
            }
        };
        let (checks, key_plan, value_plan) = match plan.map(|p| &p.body) {
            Some(Body::Map {
                checks,
                keys,
                values,
            }) => (checks.as_slice(), keys.as_ref(), values.as_ref()),
            _ => (&[][..], None, None),
        };
        let mut typed = Vec::with_capacity(entries.len());
        for (text, value) in entries {
            let Some(k) = read::key(key, text) else {
                let text = format_args!("map key `{text}` is not a {}", key.proto_name());
                read::type_violation(ctx, Some(path), text);
                continue;
            };
            let v = self.read(kind, value, ctx, &path.at(k.key()));
            typed.push((k, value, v));
        }
        let Some(plan) = plan else {
            for (k, value, _) in &typed {
                self.check(kind, value, None, None, ctx, &path.at(k.key()));
            }
            return;
        };
        if entries.is_empty() {
            if plan.required {
                check::required(ctx, path);
            }
            return;
        }
        rules::collection(checks, entries.len(), None, ctx, path);
        for (k, value, v) in &typed {
            if ctx.done() {
                return;
            }
            if let Some(keys) = key_plan {
                self.apply(k, keys, ctx, &path.key(k.key()));
            }
            self.check(kind, value, v.as_ref(), value_plan, ctx, &path.at(k.key()));
        }
    }

    /// Reads one value (a field's, an item's or a map value's) that is not a message with the
    /// runtime's reader, reporting its type errors.
    fn read(&self, kind: &Kind, value: &Value, ctx: &mut Ctx, path: &Path<'_>) -> Option<Typed> {
        if let Kind::Message(_) = kind {
            return None;
        }
        match read::value(kind, &self.schema.enums, value) {
            Ok(typed) => Some(typed),
            Err(errors) => {
                read::type_errors(ctx, Some(path), &errors);
                None
            }
        }
    }

    /// Checks one value read before (`typed`, `None` when it was not valid) with `plan`; a
    /// message is walked here, its rules checked when the plan descends into it.
    fn check(
        &self,
        kind: &Kind,
        value: &Value,
        typed: Option<&Typed>,
        plan: Option<&ValuePlan>,
        ctx: &mut Ctx,
        path: &Path<'_>,
    ) {
        match (kind, typed, plan) {
            (Kind::Message(index), _, _) => {
                let recurse = plan.is_some_and(|p| p.recurse);
                self.message(*index, value, recurse, ctx, Some(path));
            }
            (_, Some(typed), Some(plan)) => self.apply(typed, plan, ctx, path),
            _ => {}
        }
    }

    /// A value's checks, unless the plan skips its zero value.
    fn apply(&self, typed: &Typed, plan: &ValuePlan, ctx: &mut Ctx, path: &Path<'_>) {
        let enum_zero = match &plan.kind {
            ValueKind::Enum { zero, .. } => *zero,
            _ => 0,
        };
        if plan.skip_zero && typed.is_zero(enum_zero) {
            return;
        }
        rules::run(&plan.checks, typed, &self.regexes, ctx, path);
    }
}

/// A field's value in `object`, under its proto or its JSON name; `None` when absent or `null`.
/// Given under both names, it is a `tenant.type` violation, as `from_str` refuses it.
fn field_value<'v>(
    object: &'v serde_json::Map<String, Value>,
    field: &FieldSchema,
    ctx: &mut Ctx,
    path: &Path<'_>,
) -> Option<&'v Value> {
    let by_name = object.get(&field.name);
    let by_json_name = (field.json_name != field.name)
        .then(|| object.get(&field.json_name))
        .flatten();
    if by_name.is_some() && by_json_name.is_some() {
        let text = format_args!(
            "the field is given twice, as `{}` and as `{}`",
            field.name, field.json_name
        );
        read::type_violation(ctx, Some(path), text);
    }
    by_name.or(by_json_name).filter(|v| !v.is_null())
}

fn unknown_keys(
    message: &MessageSchema,
    object: &serde_json::Map<String, Value>,
    ctx: &mut Ctx,
    parent: Option<&Path<'_>>,
) {
    for key in object.keys() {
        let known = message
            .fields
            .iter()
            .any(|f| &f.name == key || &f.json_name == key);
        if !known {
            ctx.violation(
                parent,
                "strict",
                "tenant.unknown_field",
                format_args!("unknown field `{key}` ({} is strict)", message.path),
            );
        }
    }
}

/// A message's check plan, from its fields as the lowering describes them.
fn message_plan(schema: &Schema, message: &MessageSchema) -> MessagePlan {
    let fields: Vec<FieldInput<'_>> = message
        .fields
        .iter()
        .map(|f| {
            let (shape, kind) = match &f.shape {
                Shape::Single(k) => (PlanShape::Single, k),
                Shape::List(k) => (PlanShape::Repeated, k),
                Shape::Map(key, k) => (PlanShape::Map(*key), k),
            };
            FieldInput {
                name: &f.name,
                number: f.number as u32,
                shape,
                kind: value_kind(schema, kind),
                // Singular fields all have presence: scalars and enums are proto3 `optional`,
                // the others messages.
                explicit_presence: shape == PlanShape::Single,
                rules: &f.rules,
            }
        })
        .collect();
    plan::message(&fields, &[], &MessageRules::default())
}

fn value_kind(schema: &Schema, kind: &Kind) -> ValueKind {
    match kind {
        Kind::Scalar(s) => ValueKind::Scalar(*s),
        Kind::Enum(i) => {
            let values = schema.enums[*i].values.iter().map(|v| v.number);
            ValueKind::Enum {
                zero: 0,
                numbers: std::iter::once(0).chain(values).collect(),
            }
        }
        // The checker descends into every message value (to check its types); one without
        // rules of its own or below it reports nothing more.
        Kind::Message(_) => ValueKind::Message { recurse: true },
        Kind::Timestamp => ValueKind::Timestamp,
        Kind::Duration => ValueKind::Duration,
    }
}

/// Every check of a plan, items', keys' and values' included.
fn plan_checks(plan: &MessagePlan) -> impl Iterator<Item = &Check> {
    plan.steps.iter().flat_map(|step| {
        let Step::Field(field) = step else {
            return Vec::new();
        };
        match &field.body {
            Body::Single(v) => v.checks.iter().collect(),
            Body::Repeated { checks, items } => checks
                .iter()
                .chain(items.iter().flat_map(|v| &v.checks))
                .collect(),
            Body::Map {
                checks,
                keys,
                values,
            } => checks
                .iter()
                .chain(keys.iter().chain(values).flat_map(|v| &v.checks))
                .collect(),
        }
    })
}
