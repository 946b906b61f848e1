//! Reading the rule model from protovalidate's options: `(buf.validate.field)`,
//! `(buf.validate.message)` and `(buf.validate.oneof)`, extension 1159 of the descriptor options.
//!
//! The options arrive as `DynamicMessage`s (the pool keeps extensions the user's
//! `buf/validate/validate.proto` declares), so this reads them by field name, the way the schema
//! spells them; a pool without validate.proto simply has no rules.

use prost_reflect::{DynamicMessage, ReflectMessage, Value};

use protogen_rules::*;

const FIELD: &str = "buf.validate.field";
const MESSAGE: &str = "buf.validate.message";
const ONEOF: &str = "buf.validate.oneof";

/// The `(buf.validate.field)` rules in a field's options, or `None` when it has none.
pub fn read_field(options: &DynamicMessage) -> Option<FieldRules> {
    extension(options, FIELD).map(|rules| field_rules(&rules))
}

pub fn read_message(options: &DynamicMessage) -> MessageRules {
    let Some(rules) = extension(options, MESSAGE) else {
        return MessageRules::default();
    };
    let oneofs = list(&rules, "oneof")
        .iter()
        .filter_map(Value::as_message)
        .map(|rule| MessageOneofRule {
            fields: strings(rule, "fields"),
            required: bool_(rule, "required"),
        })
        .collect();
    MessageRules {
        oneofs,
        cel: cel(&rules),
    }
}

pub fn read_oneof(options: &DynamicMessage) -> OneofRules {
    OneofRules {
        required: extension(options, ONEOF).is_some_and(|r| bool_(&r, "required")),
    }
}

fn extension(options: &DynamicMessage, name: &str) -> Option<DynamicMessage> {
    let ext = options
        .descriptor()
        .parent_pool()
        .get_extension_by_name(name)?;
    if !options.has_extension(&ext) {
        return None;
    }
    options.get_extension(&ext).as_message().cloned()
}

fn field_rules(rules: &DynamicMessage) -> FieldRules {
    let ignore = match rules
        .get_field_by_name("ignore")
        .and_then(|v| v.as_enum_number())
    {
        Some(1) => Ignore::IfZeroValue,
        Some(3) => Ignore::Always,
        _ => Ignore::Unspecified,
    };
    let mut cel = cel(rules);
    cel.extend(predefined(rules));
    FieldRules {
        required: bool_(rules, "required"),
        ignore,
        ty: type_rules(rules),
        cel,
    }
}

/// Predefined rules: user extensions of the type rules (`int32.(my_rule) = 5`), defined in CEL.
fn predefined(rules: &DynamicMessage) -> Vec<String> {
    let Some(oneof) = rules.descriptor().oneofs().find(|o| o.name() == "type") else {
        return Vec::new();
    };
    let Some(field) = oneof.fields().find(|f| rules.has_field(f)) else {
        return Vec::new();
    };
    let value = rules.get_field(&field);
    let Some(type_rules) = value.as_message() else {
        return Vec::new();
    };
    type_rules
        .extensions()
        .map(|(ext, _)| format!("predefined rule ({})", ext.full_name()))
        .collect()
}

/// CEL expressions of `cel` (`Rule.expression`) and `cel_expression`.
fn cel(rules: &DynamicMessage) -> Vec<String> {
    let mut out: Vec<String> = list(rules, "cel")
        .iter()
        .filter_map(Value::as_message)
        .map(|rule| string(rule, "expression").unwrap_or_default())
        .collect();
    out.extend(strings(rules, "cel_expression"));
    out
}

fn type_rules(rules: &DynamicMessage) -> Option<TypeRules> {
    let oneof = rules.descriptor().oneofs().find(|o| o.name() == "type")?;
    let field = oneof.fields().find(|f| rules.has_field(f))?;
    let value = rules.get_field(&field);
    let r = value.as_message()?;
    let numeric = |kind| Some(TypeRules::Number(number_rules(kind, r)));
    match field.name() {
        "float" => numeric(Scalar::Float),
        "double" => numeric(Scalar::Double),
        "int32" => numeric(Scalar::Int32),
        "int64" => numeric(Scalar::Int64),
        "uint32" => numeric(Scalar::Uint32),
        "uint64" => numeric(Scalar::Uint64),
        "sint32" => numeric(Scalar::Sint32),
        "sint64" => numeric(Scalar::Sint64),
        "fixed32" => numeric(Scalar::Fixed32),
        "fixed64" => numeric(Scalar::Fixed64),
        "sfixed32" => numeric(Scalar::Sfixed32),
        "sfixed64" => numeric(Scalar::Sfixed64),
        "bool" => Some(TypeRules::Bool(BoolRules {
            constant: get(r, "const").and_then(|v| v.as_bool()),
        })),
        "string" => Some(TypeRules::String(string_rules(r))),
        "bytes" => Some(TypeRules::Bytes(bytes_rules(r))),
        "enum" => Some(TypeRules::Enum(EnumRules {
            constant: get(r, "const").and_then(|v| v.as_i32()),
            defined_only: bool_(r, "defined_only"),
            in_: list(r, "in").iter().filter_map(Value::as_i32).collect(),
            not_in: list(r, "not_in").iter().filter_map(Value::as_i32).collect(),
        })),
        "repeated" => Some(TypeRules::Repeated(RepeatedRules {
            min_items: u64_(r, "min_items"),
            max_items: u64_(r, "max_items"),
            unique: bool_(r, "unique"),
            items: nested(r, "items"),
        })),
        "map" => Some(TypeRules::Map(MapRules {
            min_pairs: u64_(r, "min_pairs"),
            max_pairs: u64_(r, "max_pairs"),
            keys: nested(r, "keys"),
            values: nested(r, "values"),
        })),
        "any" => Some(TypeRules::Any(AnyRules {
            in_: strings(r, "in"),
            not_in: strings(r, "not_in"),
        })),
        "duration" => Some(TypeRules::Duration(DurationRules {
            constant: get(r, "const").as_ref().and_then(seconds),
            range: range(r, seconds),
            in_: list(r, "in").iter().filter_map(seconds).collect(),
            not_in: list(r, "not_in").iter().filter_map(seconds).collect(),
        })),
        "timestamp" => Some(TypeRules::Timestamp(TimestampRules {
            constant: get(r, "const").as_ref().and_then(seconds),
            range: range(r, seconds),
            lt_now: bool_(r, "lt_now"),
            gt_now: bool_(r, "gt_now"),
            within: get(r, "within").as_ref().and_then(seconds),
        })),
        "field_mask" => Some(TypeRules::FieldMask(FieldMaskRules {
            constant: get(r, "const")
                .as_ref()
                .and_then(Value::as_message)
                .map(|m| strings(m, "paths")),
            in_: strings(r, "in"),
            not_in: strings(r, "not_in"),
        })),
        _ => None,
    }
}

fn number_rules(kind: Scalar, r: &DynamicMessage) -> NumberRules {
    NumberRules {
        kind,
        constant: get(r, "const").as_ref().and_then(number),
        range: range(r, number),
        in_: list(r, "in").iter().filter_map(number).collect(),
        not_in: list(r, "not_in").iter().filter_map(number).collect(),
        finite: bool_(r, "finite"),
    }
}

fn string_rules(r: &DynamicMessage) -> StringRules {
    let format = if let Some(regex) = get(r, "well_known_regex").and_then(|v| v.as_enum_number()) {
        match regex {
            1 => Some(StringFormat::HttpHeaderName),
            2 => Some(StringFormat::HttpHeaderValue),
            _ => None,
        }
    } else {
        // Only a `true` format applies; `email: false` is no rule.
        StringFormat::ALL
            .iter()
            .copied()
            .find(|f| f.name() != "well_known_regex" && bool_(r, f.name()))
    };
    StringRules {
        constant: string(r, "const"),
        len: u64_(r, "len"),
        min_len: u64_(r, "min_len"),
        max_len: u64_(r, "max_len"),
        len_bytes: u64_(r, "len_bytes"),
        min_bytes: u64_(r, "min_bytes"),
        max_bytes: u64_(r, "max_bytes"),
        pattern: string(r, "pattern"),
        prefix: string(r, "prefix"),
        suffix: string(r, "suffix"),
        contains: string(r, "contains"),
        not_contains: string(r, "not_contains"),
        in_: strings(r, "in"),
        not_in: strings(r, "not_in"),
        format,
        strict: get(r, "strict").and_then(|v| v.as_bool()),
    }
}

fn bytes_rules(r: &DynamicMessage) -> BytesRules {
    let bytes = |name| get(r, name).and_then(|v| v.as_bytes().map(|b| b.to_vec()));
    let byte_list = |name| {
        list(r, name)
            .iter()
            .filter_map(|v| v.as_bytes().map(|b| b.to_vec()))
            .collect()
    };
    let format = [
        BytesFormat::Ip,
        BytesFormat::Ipv4,
        BytesFormat::Ipv6,
        BytesFormat::Uuid,
    ]
    .into_iter()
    .find(|f| bool_(r, f.name()));
    BytesRules {
        constant: bytes("const"),
        len: u64_(r, "len"),
        min_len: u64_(r, "min_len"),
        max_len: u64_(r, "max_len"),
        pattern: string(r, "pattern"),
        prefix: bytes("prefix"),
        suffix: bytes("suffix"),
        contains: bytes("contains"),
        in_: byte_list("in"),
        not_in: byte_list("not_in"),
        format,
    }
}

fn range<T>(r: &DynamicMessage, convert: impl Fn(&Value) -> Option<T>) -> Range<T> {
    let bound = |name, inclusive| {
        let value = convert(&get(r, name)?)?;
        Some(Bound { value, inclusive })
    };
    Range {
        lower: bound("gt", false).or_else(|| bound("gte", true)),
        upper: bound("lt", false).or_else(|| bound("lte", true)),
    }
}

fn nested(r: &DynamicMessage, name: &str) -> Option<Box<FieldRules>> {
    get(r, name)
        .as_ref()
        .and_then(Value::as_message)
        .map(|m| Box::new(field_rules(m)))
}

fn number(v: &Value) -> Option<Number> {
    Some(match v {
        Value::I32(n) => Number::I64(i64::from(*n)),
        Value::I64(n) => Number::I64(*n),
        Value::U32(n) => Number::U64(u64::from(*n)),
        Value::U64(n) => Number::U64(*n),
        Value::F32(n) => Number::F64(f64::from(*n)),
        Value::F64(n) => Number::F64(*n),
        _ => return None,
    })
}

/// A `Duration` or `Timestamp` message value.
fn seconds(v: &Value) -> Option<Seconds> {
    let m = v.as_message()?;
    Some(Seconds {
        seconds: get(m, "seconds").and_then(|v| v.as_i64()).unwrap_or(0),
        nanos: get(m, "nanos").and_then(|v| v.as_i32()).unwrap_or(0),
    })
}

/// The field's value when it is set (explicit presence: a `const: 0` is a rule).
fn get(m: &DynamicMessage, name: &str) -> Option<Value> {
    let field = m.descriptor().get_field_by_name(name)?;
    m.has_field(&field)
        .then(|| m.get_field(&field).into_owned())
}

fn list(m: &DynamicMessage, name: &str) -> Vec<Value> {
    match get(m, name) {
        Some(Value::List(items)) => items,
        _ => Vec::new(),
    }
}

fn bool_(m: &DynamicMessage, name: &str) -> bool {
    get(m, name).and_then(|v| v.as_bool()).unwrap_or(false)
}

fn u64_(m: &DynamicMessage, name: &str) -> Option<u64> {
    get(m, name).and_then(|v| v.as_u64())
}

fn string(m: &DynamicMessage, name: &str) -> Option<String> {
    get(m, name).and_then(|v| v.as_str().map(str::to_owned))
}

fn strings(m: &DynamicMessage, name: &str) -> Vec<String> {
    list(m, name)
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}
