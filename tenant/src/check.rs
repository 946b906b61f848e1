//! Checking JSON payloads against a tenant schema at run time, without generating code.
//!
//! The checker interprets the same rules the `validate` pass compiles, by calling the same
//! `protogen::validate::check` functions in the same order (presence and `required` first, then
//! the field's rules, then its items or entries, then the message values below): violations have
//! the same field paths, rule paths, rule ids and messages as the generated `validate()`.
//! What only a JSON payload can get wrong is reported with rule ids of its own:
//! `tenant.type` (a value of the wrong JSON type, an unknown enum name, a bad timestamp) and
//! `tenant.unknown_field` (a key that is no field, in a `strict` message).

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use protogen::validate::check::{self, Affix, Length};
use protogen::validate::{Ctx, Key, Path, Violations, format};
use protogen_rules::Scalar;
use protogen_rules::{
    Bound, FieldRules, Number, NumberRules, Range, Seconds, StringFormat, TypeRules,
};
use serde_json::Value;

use crate::schema::{Kind, Schema, Shape};
use crate::time::{parse_duration, parse_timestamp};
use crate::{Compiled, Errors, Lock};

/// A tenant schema loaded for checking payloads (a schema registry loads them while running).
pub struct TenantSchema {
    schema: Schema,
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
        let mut regexes = HashMap::new();
        for m in &schema.messages {
            for f in &m.fields {
                collect_patterns(&f.rules, &mut regexes);
            }
        }
        TenantSchema { schema, regexes }
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
        self.message(index, payload, &mut ctx, None);
        ctx.finish().map_err(CheckError::Violations)
    }

    fn message(&self, index: usize, value: &Value, ctx: &mut Ctx, parent: Option<&Path<'_>>) {
        let message = &self.schema.messages[index];
        let Value::Object(object) = value else {
            ctx.violation(
                parent,
                "type",
                "tenant.type",
                format_args!(
                    "must be an object ({}), found {}",
                    message.path,
                    kind(value)
                ),
            );
            return;
        };
        // Fields in number order, as the model (prost-reflect's `fields()`) gives them to the
        // `validate` pass.
        let mut order: Vec<usize> = (0..message.fields.len()).collect();
        order.sort_by_key(|&i| message.fields[i].number);
        for i in order {
            let field = &message.fields[i];
            if ctx.done() {
                return;
            }
            let path = Path::field(parent, &field.name, field.number as u32);
            let raw = object
                .get(&field.name)
                .or_else(|| object.get(&field.json_name))
                .filter(|v| !v.is_null());
            match &field.shape {
                Shape::Single(k) => match raw {
                    None if field.rules.required => check::required(ctx, &path),
                    None => {}
                    Some(v) => self.value(k, field.rules.ty.as_ref(), "", v, ctx, &path),
                },
                Shape::List(k) => self.list(k, &field.rules, raw, ctx, &path),
                Shape::Map(key, v) => self.map(*key, v, &field.rules, raw, ctx, &path),
            }
        }
        if message.strict {
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
    }

    fn list(
        &self,
        k: &Kind,
        rules: &FieldRules,
        raw: Option<&Value>,
        ctx: &mut Ctx,
        path: &Path<'_>,
    ) {
        let items: &[Value] = match raw {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(other) => return type_error(ctx, path, "a list", other),
        };
        if items.is_empty() {
            if rules.required {
                check::required(ctx, path);
            }
            return;
        }
        let repeated = match &rules.ty {
            Some(TypeRules::Repeated(r)) => Some(r),
            _ => None,
        };
        if let Some(r) = repeated {
            if let Some(n) = r.min_items {
                check::min_items(ctx, path, "repeated", items.len(), n);
            }
            if let Some(n) = r.max_items {
                check::max_items(ctx, path, "repeated", items.len(), n);
            }
            if r.unique {
                self.unique(k, items, ctx, path);
            }
        }
        let item_rules = repeated
            .and_then(|r| r.items.as_ref())
            .and_then(|i| i.ty.as_ref());
        for (i, item) in items.iter().enumerate() {
            if ctx.done() {
                return;
            }
            let path = path.at(Key::Index(i));
            self.value(k, item_rules, "repeated.items.", item, ctx, &path);
        }
    }

    fn unique(&self, k: &Kind, items: &[Value], ctx: &mut Ctx, path: &Path<'_>) {
        // Items of the wrong type are reported when each item is checked.
        let mut values: Vec<Scalarish> = Vec::new();
        for item in items {
            match self.scalar(k, item) {
                Some(v) => values.push(v),
                None => return,
            }
        }
        check::unique(ctx, path, "repeated", values.iter());
    }

    fn map(
        &self,
        key: Scalar,
        value_kind: &Kind,
        rules: &FieldRules,
        raw: Option<&Value>,
        ctx: &mut Ctx,
        path: &Path<'_>,
    ) {
        let empty = serde_json::Map::new();
        let entries = match raw {
            None => &empty,
            Some(Value::Object(entries)) => entries,
            Some(other) => return type_error(ctx, path, "an object (a map)", other),
        };
        if entries.is_empty() {
            if rules.required {
                check::required(ctx, path);
            }
            return;
        }
        let map = match &rules.ty {
            Some(TypeRules::Map(m)) => Some(m),
            _ => None,
        };
        if let Some(m) = map {
            if let Some(n) = m.min_pairs {
                check::min_pairs(ctx, path, "map", entries.len(), n);
            }
            if let Some(n) = m.max_pairs {
                check::max_pairs(ctx, path, "map", entries.len(), n);
            }
        }
        let key_rules = map
            .and_then(|m| m.keys.as_ref())
            .and_then(|k| k.ty.as_ref());
        let value_rules = map
            .and_then(|m| m.values.as_ref())
            .and_then(|v| v.ty.as_ref());
        for (k, v) in entries {
            if ctx.done() {
                return;
            }
            // JSON object keys are strings; integer and bool keys are written as text.
            let parsed = match key {
                Scalar::String => Some(Key::Str(k)),
                Scalar::Bool => match k.as_str() {
                    "true" => Some(Key::Bool(true)),
                    "false" => Some(Key::Bool(false)),
                    _ => None,
                },
                Scalar::Uint32 | Scalar::Uint64 | Scalar::Fixed32 | Scalar::Fixed64 => {
                    k.parse().ok().map(Key::Uint)
                }
                _ => k.parse().ok().map(Key::Int),
            };
            let Some(map_key) = parsed else {
                ctx.violation(
                    Some(path),
                    "type",
                    "tenant.type",
                    format_args!("map key `{k}` is not a {}", key.proto_name()),
                );
                continue;
            };
            if key_rules.is_some() {
                let path = path.key(map_key);
                self.value(
                    &Kind::Scalar(key),
                    key_rules,
                    "map.keys.",
                    &key_as_value(key, k),
                    ctx,
                    &path,
                );
            }
            let path = path.at(map_key);
            self.value(value_kind, value_rules, "map.values.", v, ctx, &path);
        }
    }

    /// One value: its type, then its rules (at `prefix` + family), then the message below.
    fn value(
        &self,
        k: &Kind,
        rules: Option<&TypeRules>,
        prefix: &str,
        value: &Value,
        ctx: &mut Ctx,
        path: &Path<'_>,
    ) {
        match k {
            Kind::Message(index) => self.message(*index, value, ctx, Some(path)),
            Kind::Timestamp => match value.as_str().and_then(parse_timestamp) {
                None => type_error(ctx, path, "an RFC 3339 timestamp", value),
                Some(t) => {
                    if let Some(TypeRules::Timestamp(r)) = rules {
                        let at = format!("{prefix}timestamp");
                        let t = runtime_seconds(t);
                        let rules = Ordered {
                            constant: r.constant,
                            range: &r.range,
                            in_: &[],
                            not_in: &[],
                        };
                        let wrap = |s| check::Timestamp(runtime_seconds(s));
                        ordered(ctx, path, &at, check::Timestamp(t), rules, wrap);
                        if r.lt_now {
                            check::timestamp_now(ctx, path, &at, t, true);
                        }
                        if r.gt_now {
                            check::timestamp_now(ctx, path, &at, t, false);
                        }
                        if let Some(within) = r.within {
                            check::timestamp_within(ctx, path, &at, t, runtime_seconds(within));
                        }
                    }
                }
            },
            Kind::Duration => match value.as_str().and_then(parse_duration) {
                None => type_error(ctx, path, "a duration (`1.5s`)", value),
                Some(d) => {
                    if let Some(TypeRules::Duration(r)) = rules {
                        let at = format!("{prefix}duration");
                        let rules = Ordered {
                            constant: r.constant,
                            range: &r.range,
                            in_: &r.in_,
                            not_in: &r.not_in,
                        };
                        let wrap = |s| check::Duration(runtime_seconds(s));
                        ordered(ctx, path, &at, wrap(d), rules, wrap);
                    }
                }
            },
            Kind::Enum(_) | Kind::Scalar(_) => {
                let Some(v) = self.scalar(k, value) else {
                    let expected = match k {
                        Kind::Enum(i) => format!("a value of {}", self.schema.enums[*i].path),
                        Kind::Scalar(Scalar::Bytes) => "base64 bytes".to_owned(),
                        Kind::Scalar(s) if s.proto_name().starts_with('i') => {
                            format!("an {}", s.proto_name())
                        }
                        Kind::Scalar(s) => format!("a {}", s.proto_name()),
                        _ => unreachable!(),
                    };
                    return type_error(ctx, path, &expected, value);
                };
                if let Some(rules) = rules {
                    self.rules(&v, rules, prefix, k, ctx, path);
                }
            }
        }
    }

    /// A scalar or enum value read as protobuf's JSON mapping reads it.
    fn scalar(&self, k: &Kind, value: &Value) -> Option<Scalarish> {
        let int = |v: &Value| -> Option<i128> {
            match v {
                Value::Number(n) => n
                    .as_i64()
                    .map(i128::from)
                    .or_else(|| n.as_u64().map(i128::from))
                    .or_else(|| {
                        n.as_f64()
                            .filter(|f| f.fract() == 0.0 && f.abs() < 1e19)
                            .map(|f| f as i128)
                    }),
                Value::String(s) => s.parse().ok(),
                _ => None,
            }
        };
        let float = |v: &Value| -> Option<f64> {
            match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => match s.as_str() {
                    "NaN" => Some(f64::NAN),
                    "Infinity" => Some(f64::INFINITY),
                    "-Infinity" => Some(f64::NEG_INFINITY),
                    s => s.parse().ok(),
                },
                _ => None,
            }
        };
        Some(match k {
            Kind::Enum(i) => {
                let e = &self.schema.enums[*i];
                match value {
                    Value::String(s) if *s == e.unspecified => Scalarish::Enum(0),
                    Value::String(s) => Scalarish::Enum(
                        e.values
                            .iter()
                            .find(|v| v.name == *s || v.proto_name == *s)?
                            .number,
                    ),
                    other => Scalarish::Enum(i32::try_from(int(other)?).ok()?),
                }
            }
            Kind::Scalar(s) => match s {
                Scalar::Bool => Scalarish::Bool(value.as_bool()?),
                Scalar::String => Scalarish::Str(value.as_str()?.to_owned()),
                Scalar::Bytes => {
                    let text = value.as_str()?;
                    let engine = base64::engine::general_purpose::STANDARD;
                    let url = base64::engine::general_purpose::URL_SAFE;
                    let bytes = engine
                        .decode(text)
                        .or_else(|_| url.decode(text))
                        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(text))
                        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text))
                        .ok()?;
                    Scalarish::Bytes(bytes)
                }
                Scalar::Double => Scalarish::F64(float(value)?),
                Scalar::Float => {
                    let f = float(value)?;
                    if f.is_finite() && f.abs() > f64::from(f32::MAX) {
                        return None;
                    }
                    Scalarish::F32(f as f32)
                }
                Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => {
                    Scalarish::I32(i32::try_from(int(value)?).ok()?)
                }
                Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => {
                    Scalarish::I64(i64::try_from(int(value)?).ok()?)
                }
                Scalar::Uint32 | Scalar::Fixed32 => {
                    Scalarish::U32(u32::try_from(int(value)?).ok()?)
                }
                Scalar::Uint64 | Scalar::Fixed64 => {
                    Scalarish::U64(u64::try_from(int(value)?).ok()?)
                }
            },
            _ => return None,
        })
    }

    /// The rules of one value, in the order the `validate` pass emits them.
    fn rules(
        &self,
        v: &Scalarish,
        rules: &TypeRules,
        prefix: &str,
        k: &Kind,
        ctx: &mut Ctx,
        path: &Path<'_>,
    ) {
        let at = format!("{prefix}{}", rules.family());
        let at = at.as_str();
        match (rules, v) {
            (TypeRules::Number(n), Scalarish::I32(v)) => {
                ordered(ctx, path, at, *v, Ordered::number(n), |n| match n {
                    Number::I64(x) => x as i32,
                    Number::U64(x) => x as i32,
                    Number::F64(x) => x as i32,
                })
            }
            (TypeRules::Number(n), Scalarish::I64(v)) => {
                ordered(ctx, path, at, *v, Ordered::number(n), |n| match n {
                    Number::I64(x) => x,
                    Number::U64(x) => x as i64,
                    Number::F64(x) => x as i64,
                })
            }
            (TypeRules::Number(n), Scalarish::U32(v)) => {
                ordered(ctx, path, at, *v, Ordered::number(n), |n| match n {
                    Number::I64(x) => x as u32,
                    Number::U64(x) => x as u32,
                    Number::F64(x) => x as u32,
                })
            }
            (TypeRules::Number(n), Scalarish::U64(v)) => {
                ordered(ctx, path, at, *v, Ordered::number(n), |n| match n {
                    Number::I64(x) => x as u64,
                    Number::U64(x) => x,
                    Number::F64(x) => x as u64,
                })
            }
            (TypeRules::Number(n), Scalarish::F32(v)) => {
                ordered(ctx, path, at, *v, Ordered::number(n), |n| match n {
                    Number::I64(x) => x as f32,
                    Number::U64(x) => x as f32,
                    Number::F64(x) => x as f32,
                });
                if n.finite {
                    check::finite(ctx, path, at, f64::from(*v));
                }
            }
            (TypeRules::Number(n), Scalarish::F64(v)) => {
                ordered(ctx, path, at, *v, Ordered::number(n), |n| match n {
                    Number::I64(x) => x as f64,
                    Number::U64(x) => x as f64,
                    Number::F64(x) => x,
                });
                if n.finite {
                    check::finite(ctx, path, at, *v);
                }
            }
            (TypeRules::String(s), Scalarish::Str(v)) => {
                let v = v.as_str();
                if let Some(c) = &s.constant {
                    check::string_const(ctx, path, at, v, c);
                }
                let lengths = [
                    (s.len, Length::Len),
                    (s.min_len, Length::MinLen),
                    (s.max_len, Length::MaxLen),
                    (s.len_bytes, Length::LenBytes),
                    (s.min_bytes, Length::MinBytes),
                    (s.max_bytes, Length::MaxBytes),
                ];
                for (n, rule) in lengths {
                    if let Some(n) = n {
                        check::string_length(ctx, path, at, v, rule, n);
                    }
                }
                if let Some(p) = &s.pattern {
                    check::pattern(ctx, path, at, v, &self.regexes[p]);
                }
                let affixes = [
                    (&s.prefix, Affix::Prefix),
                    (&s.suffix, Affix::Suffix),
                    (&s.contains, Affix::Contains),
                    (&s.not_contains, Affix::NotContains),
                ];
                for (part, rule) in affixes {
                    if let Some(part) = part {
                        check::string_affix(ctx, path, at, v, rule, part);
                    }
                }
                for (list, negate) in [(&s.in_, false), (&s.not_in, true)] {
                    if !list.is_empty() {
                        let list: Vec<&str> = list.iter().map(String::as_str).collect();
                        check::string_in(ctx, path, at, v, &list, negate);
                    }
                }
                if let Some(f) = s.format {
                    check::string_format(ctx, path, at, v, string_format(f, s.strict));
                }
            }
            (TypeRules::Bytes(b), Scalarish::Bytes(v)) => {
                for (n, rule) in [
                    (b.len, Length::Len),
                    (b.min_len, Length::MinLen),
                    (b.max_len, Length::MaxLen),
                ] {
                    if let Some(n) = n {
                        check::bytes_length(ctx, path, at, v, rule, n);
                    }
                }
            }
            (TypeRules::Enum(e), Scalarish::Enum(v)) => {
                if let Some(c) = e.constant {
                    check::constant(ctx, path, at, *v, c);
                }
                if !e.in_.is_empty() {
                    check::in_list(ctx, path, at, v, &e.in_);
                }
                if !e.not_in.is_empty() {
                    check::not_in_list(ctx, path, at, v, &e.not_in);
                }
                if e.defined_only {
                    let Kind::Enum(i) = k else { unreachable!() };
                    let en = &self.schema.enums[*i];
                    let defined = *v == 0 || en.values.iter().any(|x| x.number == *v);
                    check::defined_only(ctx, path, at, defined);
                }
            }
            (TypeRules::Bool(b), Scalarish::Bool(v)) => {
                if let Some(c) = b.constant {
                    check::constant(ctx, path, at, *v, c);
                }
            }
            // Tenant schemas put no other rules on scalars (the lowering checks they fit).
            _ => {}
        }
    }
}

/// A value read from JSON, typed as the generated code would hold it.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
enum Scalarish {
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
}

/// The rules the pass's `ordered` checks: `const`, the range, `in`, `not_in`.
struct Ordered<'r, R> {
    constant: Option<R>,
    range: &'r Range<R>,
    in_: &'r [R],
    not_in: &'r [R],
}

impl<'r> Ordered<'r, Number> {
    fn number(n: &'r NumberRules) -> Self {
        Ordered {
            constant: n.constant,
            range: &n.range,
            in_: &n.in_,
            not_in: &n.not_in,
        }
    }
}

/// `const`, the range, `in`, `not_in`, in the order the pass's `ordered` emits them, on `v`
/// and the rules' values converted to its type.
fn ordered<R: Copy, T: PartialOrd + fmt::Display + Copy>(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    v: T,
    rules: Ordered<'_, R>,
    conv: impl Fn(R) -> T,
) {
    if let Some(c) = rules.constant {
        check::constant(ctx, path, at, v, conv(c));
    }
    if !rules.range.is_empty() {
        let bound = |b: &Option<Bound<R>>| b.as_ref().map(|b| (conv(b.value), b.inclusive));
        let (lower, upper) = (bound(&rules.range.lower), bound(&rules.range.upper));
        check::range(ctx, path, at, v, lower, upper);
    }
    if !rules.in_.is_empty() {
        let list: Vec<T> = rules.in_.iter().map(|x| conv(*x)).collect();
        check::in_list(ctx, path, at, &v, &list);
    }
    if !rules.not_in.is_empty() {
        let list: Vec<T> = rules.not_in.iter().map(|x| conv(*x)).collect();
        check::not_in_list(ctx, path, at, &v, &list);
    }
}

fn runtime_seconds(s: Seconds) -> check::Seconds {
    check::Seconds {
        seconds: s.seconds,
        nanos: s.nanos,
    }
}

fn string_format(f: StringFormat, strict: Option<bool>) -> &'static check::Format {
    let strict = strict.unwrap_or(true);
    match f {
        StringFormat::Email => &format::EMAIL,
        StringFormat::Hostname => &format::HOSTNAME,
        StringFormat::Ip => &format::IP,
        StringFormat::Ipv4 => &format::IPV4,
        StringFormat::Ipv6 => &format::IPV6,
        StringFormat::Uri => &format::URI,
        StringFormat::UriRef => &format::URI_REF,
        StringFormat::Address => &format::ADDRESS,
        StringFormat::Uuid => &format::UUID,
        StringFormat::Tuuid => &format::TUUID,
        StringFormat::IpWithPrefixlen => &format::IP_WITH_PREFIXLEN,
        StringFormat::Ipv4WithPrefixlen => &format::IPV4_WITH_PREFIXLEN,
        StringFormat::Ipv6WithPrefixlen => &format::IPV6_WITH_PREFIXLEN,
        StringFormat::IpPrefix => &format::IP_PREFIX,
        StringFormat::Ipv4Prefix => &format::IPV4_PREFIX,
        StringFormat::Ipv6Prefix => &format::IPV6_PREFIX,
        StringFormat::HostAndPort => &format::HOST_AND_PORT,
        StringFormat::Ulid => &format::ULID,
        StringFormat::ProtobufFqn => &format::PROTOBUF_FQN,
        StringFormat::ProtobufDotFqn => &format::PROTOBUF_DOT_FQN,
        StringFormat::HttpHeaderName if strict => &format::HEADER_NAME,
        StringFormat::HttpHeaderName => &format::HEADER_NAME_LOOSE,
        StringFormat::HttpHeaderValue if strict => &format::HEADER_VALUE,
        StringFormat::HttpHeaderValue => &format::HEADER_VALUE_LOOSE,
    }
}

fn collect_patterns(rules: &FieldRules, out: &mut HashMap<String, regex::Regex>) {
    let mut add = |p: &Option<String>| {
        if let Some(p) = p
            && !out.contains_key(p)
            && let Ok(re) = regex::Regex::new(p)
        {
            out.insert(p.clone(), re);
        }
    };
    match &rules.ty {
        Some(TypeRules::String(s)) => add(&s.pattern),
        Some(TypeRules::Repeated(r)) => {
            if let Some(items) = &r.items {
                collect_patterns(items, out);
            }
        }
        Some(TypeRules::Map(m)) => {
            for nested in [&m.keys, &m.values].into_iter().flatten() {
                collect_patterns(nested, out);
            }
        }
        _ => {}
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn type_error(ctx: &mut Ctx, path: &Path<'_>, expected: &str, found: &Value) {
    let shown = match found {
        Value::String(s) => format!("the string {s:?}"),
        Value::Number(n) => format!("the number {n}"),
        other => kind(other).to_owned(),
    };
    ctx.violation(
        Some(path),
        "type",
        "tenant.type",
        format_args!("must be {expected}, found {shown}"),
    );
}

/// A map key (always a JSON string) as the JSON value the key type reads.
fn key_as_value(key: Scalar, text: &str) -> Value {
    match key {
        Scalar::String => Value::String(text.to_owned()),
        Scalar::Bool => Value::Bool(text == "true"),
        _ => Value::String(text.to_owned()),
    }
}
