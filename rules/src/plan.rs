//! The check plan: what validating one message does, in order, as data.
//!
//! [`message`] turns a message's rules into a [`MessagePlan`]: the message-level `oneof` rules,
//! the required oneofs, then one [`FieldPlan`] per field (by number), each saying whether the
//! field is `required`, when it is skipped (`ignore`), and the [`Check`]s on its value, its items,
//! or its map's keys and values, in the order they run. The `validate` pass compiles a plan to
//! Rust (one `protogen::validate::check` call per [`Check`]); the tenant checker interprets the
//! same plan on JSON payloads, calling the same functions. Neither decides an order or a
//! condition of its own, so the two cannot drift.
//!
//! A plan is independent of how values are held (prost's struct, a view, JSON): it says *what*
//! to check, and each side knows how to reach a field's value, tell whether it is set, and bind
//! it in the form the check functions take.
//!
//! Rule values are normalized here, once, to the type the value is compared as: integers of the
//! 32-bit kinds truncated to their width (as the generated literal is), `float` rule values
//! rounded to `f32` (every `float` is compared as an `f64`, as protovalidate prints it).

use crate::*;

/// What a field's value is, as far as checking it goes.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Scalar(Scalar),
    /// An enum (an `i32`): its zero value (the first declared number) and every declared number.
    Enum {
        zero: i32,
        numbers: Vec<i32>,
    },
    /// A message whose own rules (or rules below it) are checked when `recurse`; otherwise it is
    /// valid whatever it holds.
    Message {
        recurse: bool,
    },
    /// A `google.protobuf.*Value` wrapper held as its bare scalar (scalar rules apply to it).
    Wrapper(Scalar),
    Timestamp,
    Duration,
    Any,
    FieldMask,
    /// Anything else (`extern_path` messages, other well-known types): never checked.
    Opaque,
}

/// A field's shape: one value, a list of them, or a map from a scalar key to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Single,
    Repeated,
    Map(Scalar),
}

/// What [`message`] needs to know of a field besides its rules.
#[derive(Clone, Debug)]
pub struct FieldInput<'a> {
    /// Proto name.
    pub name: &'a str,
    pub number: u32,
    pub shape: Shape,
    /// The value's kind (a map's value, a list's item).
    pub kind: ValueKind,
    /// Unset differs from the zero value (proto2 fields, proto3 `optional`, messages, oneof
    /// members). Repeated fields and maps have none.
    pub explicit_presence: bool,
    pub rules: &'a FieldRules,
}

/// A real oneof, for the `(buf.validate.oneof).required` rule.
#[derive(Clone, Debug)]
pub struct OneofInput<'a> {
    pub name: &'a str,
    pub rules: &'a OneofRules,
}

/// A message's rules in order: what the validate pass compiles and the tenant checker runs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessagePlan {
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// protovalidate's message-level `oneof` rule: at most one (exactly one if `required`) of
    /// `fields` (indices into the input's fields) may be set; `names` are their proto names.
    MessageOneof {
        fields: Vec<usize>,
        names: Vec<String>,
        required: bool,
    },
    /// A real oneof (index into the input's oneofs) that must have a member set.
    OneofRequired {
        oneof: usize,
        name: String,
    },
    Field(FieldPlan),
}

/// One field's checks. Empty (see [`FieldPlan::is_empty`]) when nothing is checked; the tenant
/// checker still reads such a field's value, to check its JSON type.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldPlan {
    /// Index into the input's fields.
    pub field: usize,
    pub name: String,
    pub number: u32,
    /// `required`: an unset field (an empty list or map) is a violation, and nothing else of
    /// it is checked.
    pub required: bool,
    /// Skip the field when it holds its zero value (`IGNORE_IF_ZERO_VALUE` on a field without
    /// presence, or any such field named by a message `oneof` rule); an empty list or map for
    /// repeated fields and maps.
    pub ignore_zero: bool,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// A singular field: the checks on its value when it is set.
    Single(ValuePlan),
    /// `checks` (`min_items`, `max_items`, `unique`) on the list, then `items` on each item.
    Repeated {
        checks: Vec<Check>,
        items: Option<ValuePlan>,
    },
    /// `checks` (`min_pairs`, `max_pairs`) on the map, then, per entry, `keys` on the key and
    /// `values` on the value.
    Map {
        checks: Vec<Check>,
        keys: Option<ValuePlan>,
        values: Option<ValuePlan>,
    },
}

/// The checks on one value (a field's, an item's, a key's or a map value's), then the descent
/// into it when it is a message with rules of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct ValuePlan {
    pub kind: ValueKind,
    /// Items, keys and values only: skip the value when it is its type's zero value
    /// (`IGNORE_IF_ZERO_VALUE` on `repeated.items`, `map.keys`, `map.values`).
    pub skip_zero: bool,
    pub checks: Vec<Check>,
    pub recurse: bool,
}

impl ValuePlan {
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty() && !self.recurse
    }
}

impl FieldPlan {
    /// Nothing to check: no code is generated for the field.
    pub fn is_empty(&self) -> bool {
        if self.required {
            return false;
        }
        match &self.body {
            Body::Single(value) => value.is_empty(),
            Body::Repeated { checks, items } => checks.is_empty() && items.is_none(),
            Body::Map {
                checks,
                keys,
                values,
            } => checks.is_empty() && keys.is_none() && values.is_none(),
        }
    }
}

/// One rule on one value: `at` is the rule path of the rule's family below `FieldRules`
/// (`string`, `repeated.items.int32`, `map`), as every `protogen::validate::check` function
/// takes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub at: String,
    pub rule: Rule,
}

/// A rule value of an ordered family, normalized to what the value is compared as.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Constant {
    /// A number of the given kind: `I64` for the signed kinds, `U64` for the unsigned ones, `F64`
    /// for `float` and `double`.
    Number(Scalar, Number),
    Enum(i32),
    Duration(Seconds),
    Timestamp(Seconds),
}

/// `len`, `min_len`, … (characters for strings, bytes for `bytes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Length {
    Len,
    MinLen,
    MaxLen,
    LenBytes,
    MinBytes,
    MaxBytes,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affix {
    Prefix,
    Suffix,
    Contains,
    NotContains,
}

/// One standard rule: each is one `protogen::validate::check` function.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// `const` of numbers, enums, durations, timestamps (`check::constant`).
    Const(Constant),
    /// `gt`/`gte` and `lt`/`lte` (`check::range`).
    Range {
        lower: Option<Bound<Constant>>,
        upper: Option<Bound<Constant>>,
    },
    /// `in` (`check::in_list`).
    In(Vec<Constant>),
    /// `not_in` (`check::not_in_list`).
    NotIn(Vec<Constant>),
    /// Floats: not NaN or infinite.
    Finite,
    BoolConst(bool),
    StringConst(String),
    StringLength(Length, u64),
    /// RE2 syntax, checked to compile when the rules were read.
    StringPattern(String),
    StringAffix(Affix, String),
    /// `in`, or `not_in` when `negate`.
    StringIn {
        list: Vec<String>,
        negate: bool,
    },
    /// A well-known format; `strict` only matters for the HTTP header formats.
    StringFormat {
        format: StringFormat,
        strict: bool,
    },
    BytesConst(Vec<u8>),
    BytesLength(Length, u64),
    BytesPattern(String),
    BytesAffix(Affix, Vec<u8>),
    BytesIn {
        list: Vec<Vec<u8>>,
        negate: bool,
    },
    BytesFormat(BytesFormat),
    /// The value must be one of these numbers (sorted, no duplicates): the enum's own.
    DefinedOnly(Vec<i32>),
    AnyIn {
        list: Vec<String>,
        negate: bool,
    },
    /// `lt_now` (`before`) or `gt_now`.
    TimestampNow {
        before: bool,
    },
    TimestampWithin(Seconds),
    /// `const`, `in` or `not_in` (the `rule`) on a field mask's paths.
    FieldMask {
        rule: &'static str,
        paths: Vec<String>,
    },
    MinItems(u64),
    MaxItems(u64),
    Unique,
    MinPairs(u64),
    MaxPairs(u64),
}

/// The plan of a message with these fields (in any order: checks run by field number), oneofs
/// and message rules. The message rules are checked to name fields that exist when the model
/// is built; a name that does not is left out here.
pub fn message(
    fields: &[FieldInput<'_>],
    oneofs: &[OneofInput<'_>],
    rules: &MessageRules,
) -> MessagePlan {
    let mut steps = Vec::new();
    for rule in &rules.oneofs {
        let found: Vec<usize> = rule
            .fields
            .iter()
            .filter_map(|name| fields.iter().position(|f| f.name == name))
            .collect();
        steps.push(Step::MessageOneof {
            names: found.iter().map(|&i| fields[i].name.to_owned()).collect(),
            fields: found,
            required: rule.required,
        });
    }
    for (i, oneof) in oneofs.iter().enumerate() {
        if oneof.rules.required {
            steps.push(Step::OneofRequired {
                oneof: i,
                name: oneof.name.to_owned(),
            });
        }
    }
    let in_message_oneof = |name: &str| {
        rules
            .oneofs
            .iter()
            .any(|o| o.fields.iter().any(|f| f == name))
    };
    let mut order: Vec<usize> = (0..fields.len()).collect();
    order.sort_by_key(|&i| fields[i].number);
    for i in order {
        let plan = field(i, &fields[i], in_message_oneof(fields[i].name));
        steps.push(Step::Field(plan));
    }
    MessagePlan { steps }
}

/// One field's plan. `in_message_oneof`: a message `oneof` rule names the field.
pub fn field(index: usize, input: &FieldInput<'_>, in_message_oneof: bool) -> FieldPlan {
    let rules = input.rules;
    let mut plan = FieldPlan {
        field: index,
        name: input.name.to_owned(),
        number: input.number,
        required: false,
        ignore_zero: false,
        body: nothing(input),
    };
    if rules.ignore == Ignore::Always {
        return plan;
    }
    plan.required = rules.required;
    // For fields with presence, "zero" is "unset", which is skipped anyway.
    plan.ignore_zero = !input.explicit_presence
        && (rules.ignore == Ignore::IfZeroValue
            || (in_message_oneof && rules.ignore == Ignore::Unspecified));
    plan.body = match input.shape {
        Shape::Single => Body::Single(value(input.kind.clone(), rules.ty.as_ref(), "", false)),
        Shape::Repeated => repeated(input.kind.clone(), rules.ty.as_ref()),
        Shape::Map(key) => map(key, input.kind.clone(), rules.ty.as_ref()),
    };
    plan
}

/// The body of a field whose rules say `IGNORE_ALWAYS`: nothing checked, nothing descended into.
fn nothing(input: &FieldInput<'_>) -> Body {
    match input.shape {
        Shape::Single => Body::Single(ValuePlan {
            kind: input.kind.clone(),
            skip_zero: false,
            checks: Vec::new(),
            recurse: false,
        }),
        Shape::Repeated => Body::Repeated {
            checks: Vec::new(),
            items: None,
        },
        Shape::Map(_) => Body::Map {
            checks: Vec::new(),
            keys: None,
            values: None,
        },
    }
}

fn repeated(kind: ValueKind, rules: Option<&TypeRules>) -> Body {
    let Some(TypeRules::Repeated(r)) = rules else {
        return Body::Repeated {
            checks: Vec::new(),
            items: nested(kind, None, "repeated.items."),
        };
    };
    let at = || "repeated".to_owned();
    let mut checks = Vec::new();
    if let Some(n) = r.min_items {
        checks.push(Check {
            at: at(),
            rule: Rule::MinItems(n),
        });
    }
    if let Some(n) = r.max_items {
        checks.push(Check {
            at: at(),
            rule: Rule::MaxItems(n),
        });
    }
    if r.unique {
        checks.push(Check {
            at: at(),
            rule: Rule::Unique,
        });
    }
    Body::Repeated {
        checks,
        items: nested(kind, r.items.as_deref(), "repeated.items."),
    }
}

fn map(key: Scalar, kind: ValueKind, rules: Option<&TypeRules>) -> Body {
    let Some(TypeRules::Map(m)) = rules else {
        return Body::Map {
            checks: Vec::new(),
            keys: None,
            values: nested(kind, None, "map.values."),
        };
    };
    let mut checks = Vec::new();
    if let Some(n) = m.min_pairs {
        checks.push(Check {
            at: "map".into(),
            rule: Rule::MinPairs(n),
        });
    }
    if let Some(n) = m.max_pairs {
        checks.push(Check {
            at: "map".into(),
            rule: Rule::MaxPairs(n),
        });
    }
    Body::Map {
        checks,
        keys: nested(ValueKind::Scalar(key), m.keys.as_deref(), "map.keys."),
        values: nested(kind, m.values.as_deref(), "map.values."),
    }
}

/// The plan for items, keys or values, or `None` when nothing is checked on them (or their
/// rules say `IGNORE_ALWAYS`).
fn nested(kind: ValueKind, rules: Option<&FieldRules>, prefix: &str) -> Option<ValuePlan> {
    if rules.is_some_and(|r| r.ignore == Ignore::Always) {
        return None;
    }
    let skip_zero = rules.is_some_and(|r| r.ignore == Ignore::IfZeroValue);
    let plan = value(kind, rules.and_then(|r| r.ty.as_ref()), prefix, skip_zero);
    (!plan.is_empty()).then_some(plan)
}

fn value(kind: ValueKind, rules: Option<&TypeRules>, prefix: &str, skip_zero: bool) -> ValuePlan {
    let checks = rules.map(|r| checks(r, &kind, prefix)).unwrap_or_default();
    let recurse = matches!(kind, ValueKind::Message { recurse: true });
    ValuePlan {
        kind,
        skip_zero,
        checks,
        recurse,
    }
}

/// The checks of one value's type rules, at `prefix` + family (`repeated` and `map` rules wrap
/// these and have none of their own here).
pub fn checks(rules: &TypeRules, kind: &ValueKind, prefix: &str) -> Vec<Check> {
    let at = format!("{prefix}{}", rules.family());
    let rules_of = |list: Vec<Rule>| {
        list.into_iter()
            .map(|rule| Check {
                at: at.clone(),
                rule,
            })
            .collect()
    };
    rules_of(match rules {
        TypeRules::Number(n) => number(n),
        TypeRules::Bool(b) => b.constant.map(Rule::BoolConst).into_iter().collect(),
        TypeRules::String(s) => string(s),
        TypeRules::Bytes(b) => bytes(b),
        TypeRules::Enum(e) => enum_(e, kind),
        TypeRules::Duration(d) => ordered(
            d.constant.map(Constant::Duration),
            map_range(&d.range, Constant::Duration),
            d.in_.iter().copied().map(Constant::Duration).collect(),
            d.not_in.iter().copied().map(Constant::Duration).collect(),
        ),
        TypeRules::Timestamp(t) => timestamp(t),
        TypeRules::Any(a) => {
            let mut out = Vec::new();
            for (list, negate) in [(&a.in_, false), (&a.not_in, true)] {
                if !list.is_empty() {
                    out.push(Rule::AnyIn {
                        list: list.clone(),
                        negate,
                    });
                }
            }
            out
        }
        TypeRules::FieldMask(m) => {
            let mut out = Vec::new();
            if let Some(c) = &m.constant {
                out.push(Rule::FieldMask {
                    rule: "const",
                    paths: c.clone(),
                });
            }
            for (list, rule) in [(&m.in_, "in"), (&m.not_in, "not_in")] {
                if !list.is_empty() {
                    out.push(Rule::FieldMask {
                        rule,
                        paths: list.clone(),
                    });
                }
            }
            out
        }
        // Checked to fit only repeated fields and maps, which handle them.
        TypeRules::Repeated(_) | TypeRules::Map(_) => Vec::new(),
    })
}

/// `const`, the range, `in`, `not_in`: the order every ordered family checks them in.
fn ordered(
    constant: Option<Constant>,
    range: Range<Constant>,
    in_: Vec<Constant>,
    not_in: Vec<Constant>,
) -> Vec<Rule> {
    let mut out: Vec<Rule> = constant.map(Rule::Const).into_iter().collect();
    if !range.is_empty() {
        out.push(Rule::Range {
            lower: range.lower,
            upper: range.upper,
        });
    }
    if !in_.is_empty() {
        out.push(Rule::In(in_));
    }
    if !not_in.is_empty() {
        out.push(Rule::NotIn(not_in));
    }
    out
}

fn map_range<T: Copy>(range: &Range<T>, f: impl Fn(T) -> Constant) -> Range<Constant> {
    let bound = |b: &Option<Bound<T>>| {
        b.map(|b| Bound {
            value: f(b.value),
            inclusive: b.inclusive,
        })
    };
    Range {
        lower: bound(&range.lower),
        upper: bound(&range.upper),
    }
}

/// A rule's number as the value of kind `kind` is compared with it: the generated literal's
/// value.
pub fn normalize(kind: Scalar, n: Number) -> Number {
    let as_f64 = match n {
        Number::I64(i) => i as f64,
        Number::U64(u) => u as f64,
        Number::F64(f) => f,
    };
    let as_int = match n {
        Number::I64(i) => i128::from(i),
        Number::U64(u) => i128::from(u),
        Number::F64(f) => f as i128,
    };
    match kind {
        Scalar::Float => Number::F64(f64::from(as_f64 as f32)),
        Scalar::Double => Number::F64(as_f64),
        Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => Number::I64(i64::from(as_int as i32)),
        Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => Number::I64(as_int as i64),
        Scalar::Uint32 | Scalar::Fixed32 => Number::U64(u64::from(as_int as u32)),
        _ => Number::U64(as_int as u64),
    }
}

fn number(n: &NumberRules) -> Vec<Rule> {
    let c = |v: Number| Constant::Number(n.kind, normalize(n.kind, v));
    let list = |l: &[Number]| l.iter().copied().map(c).collect();
    let mut out = ordered(
        n.constant.map(c),
        map_range(&n.range, c),
        list(&n.in_),
        list(&n.not_in),
    );
    if n.finite {
        out.push(Rule::Finite);
    }
    out
}

fn enum_(e: &EnumRules, kind: &ValueKind) -> Vec<Rule> {
    let list = |l: &[i32]| l.iter().copied().map(Constant::Enum).collect();
    let mut out = ordered(
        e.constant.map(Constant::Enum),
        Range::default(),
        list(&e.in_),
        list(&e.not_in),
    );
    if e.defined_only {
        let mut numbers = match kind {
            ValueKind::Enum { numbers, .. } => numbers.clone(),
            _ => Vec::new(),
        };
        numbers.sort_unstable();
        numbers.dedup();
        out.push(Rule::DefinedOnly(numbers));
    }
    out
}

fn timestamp(t: &TimestampRules) -> Vec<Rule> {
    let mut out = ordered(
        t.constant.map(Constant::Timestamp),
        map_range(&t.range, Constant::Timestamp),
        Vec::new(),
        Vec::new(),
    );
    if t.lt_now {
        out.push(Rule::TimestampNow { before: true });
    }
    if t.gt_now {
        out.push(Rule::TimestampNow { before: false });
    }
    if let Some(within) = t.within {
        out.push(Rule::TimestampWithin(within));
    }
    out
}

fn string(s: &StringRules) -> Vec<Rule> {
    let mut out = Vec::new();
    if let Some(c) = &s.constant {
        out.push(Rule::StringConst(c.clone()));
    }
    let lengths = [
        (s.len, Length::Len),
        (s.min_len, Length::MinLen),
        (s.max_len, Length::MaxLen),
        (s.len_bytes, Length::LenBytes),
        (s.min_bytes, Length::MinBytes),
        (s.max_bytes, Length::MaxBytes),
    ];
    for (n, length) in lengths {
        if let Some(n) = n {
            out.push(Rule::StringLength(length, n));
        }
    }
    if let Some(p) = &s.pattern {
        out.push(Rule::StringPattern(p.clone()));
    }
    let affixes = [
        (&s.prefix, Affix::Prefix),
        (&s.suffix, Affix::Suffix),
        (&s.contains, Affix::Contains),
        (&s.not_contains, Affix::NotContains),
    ];
    for (part, affix) in affixes {
        if let Some(part) = part {
            out.push(Rule::StringAffix(affix, part.clone()));
        }
    }
    for (list, negate) in [(&s.in_, false), (&s.not_in, true)] {
        if !list.is_empty() {
            out.push(Rule::StringIn {
                list: list.clone(),
                negate,
            });
        }
    }
    if let Some(format) = s.format {
        out.push(Rule::StringFormat {
            format,
            strict: s.strict.unwrap_or(true),
        });
    }
    out
}

fn bytes(b: &BytesRules) -> Vec<Rule> {
    let mut out = Vec::new();
    if let Some(c) = &b.constant {
        out.push(Rule::BytesConst(c.clone()));
    }
    for (n, length) in [
        (b.len, Length::Len),
        (b.min_len, Length::MinLen),
        (b.max_len, Length::MaxLen),
    ] {
        if let Some(n) = n {
            out.push(Rule::BytesLength(length, n));
        }
    }
    if let Some(p) = &b.pattern {
        out.push(Rule::BytesPattern(p.clone()));
    }
    for (part, affix) in [
        (&b.prefix, Affix::Prefix),
        (&b.suffix, Affix::Suffix),
        (&b.contains, Affix::Contains),
    ] {
        if let Some(part) = part {
            out.push(Rule::BytesAffix(affix, part.clone()));
        }
    }
    for (list, negate) in [(&b.in_, false), (&b.not_in, true)] {
        if !list.is_empty() {
            out.push(Rule::BytesIn {
                list: list.clone(),
                negate,
            });
        }
    }
    if let Some(format) = b.format {
        out.push(Rule::BytesFormat(format));
    }
    out
}
