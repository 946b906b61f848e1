//! A compiled tenant schema as `.proto` text: the descriptor protogen generates from, with the
//! constraints written as protovalidate `(buf.validate.field)` options, so the export is a
//! protovalidate schema that means the same.

use std::collections::HashMap;
use std::fmt::Write as _;

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, EnumDescriptorProto, FieldDescriptorProto};
use protogen_rules::{FieldRules, Number, Range, Seconds, TypeRules};

use crate::Compiled;
use crate::json::quote;

/// The `.proto` text of a compiled tenant schema.
pub fn to_proto(compiled: &Compiled) -> String {
    let file = &compiled.file;
    let comments: HashMap<&[i32], &str> = file
        .source_code_info
        .iter()
        .flat_map(|i| &i.location)
        .filter_map(|l| Some((l.path.as_slice(), l.leading_comments.as_deref()?)))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Exported by `protogen export-proto` from the tenant schema {}.\n// Field numbers come from its lock file.",
        file.name()
    );
    out.push_str("\nsyntax = \"proto3\";\n\n");
    write_comment(&mut out, "", comments.get([2].as_slice()).copied());
    let _ = writeln!(out, "package {};\n", file.package());
    let mut imports: Vec<&str> = file.dependency.iter().map(String::as_str).collect();
    if !compiled.rules.fields.is_empty() {
        imports.push("buf/validate/validate.proto");
    }
    imports.sort();
    for import in &imports {
        let _ = writeln!(out, "import \"{import}\";");
    }
    if !imports.is_empty() {
        out.push('\n');
    }
    let mut w = Writer {
        out,
        comments,
        rules: compiled,
    };
    let package = format!(".{}", file.package());
    for (i, m) in file.message_type.iter().enumerate() {
        if i > 0 {
            w.out.push('\n');
        }
        w.message(m, &package, &[4, i as i32], 0);
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        w.out.push('\n');
        w.enumeration(e, &[5, i as i32], 0);
    }
    w.out
}

fn write_comment(out: &mut String, indent: &str, comment: Option<&str>) {
    if let Some(c) = comment {
        for line in c.trim_end_matches('\n').split('\n') {
            let _ = writeln!(out, "{indent}//{line}");
        }
    }
}

struct Writer<'a> {
    out: String,
    comments: HashMap<&'a [i32], &'a str>,
    rules: &'a Compiled,
}

impl Writer<'_> {
    fn message(&mut self, m: &DescriptorProto, scope: &str, path: &[i32], depth: usize) {
        let indent = "  ".repeat(depth);
        let inner = "  ".repeat(depth + 1);
        write_comment(&mut self.out, &indent, self.comments.get(path).copied());
        let full = format!("{scope}.{}", m.name());
        let _ = writeln!(self.out, "{indent}message {} {{", m.name());
        if m.options.as_ref().and_then(|o| o.deprecated) == Some(true) {
            let _ = writeln!(self.out, "{inner}option deprecated = true;");
        }
        let entries: HashMap<String, &DescriptorProto> = m
            .nested_type
            .iter()
            .filter(|n| n.options.as_ref().and_then(|o| o.map_entry) == Some(true))
            .map(|n| (format!("{full}.{}", n.name()), n))
            .collect();
        for (i, f) in m.field.iter().enumerate() {
            let mut p = path.to_vec();
            p.extend([2, i as i32]);
            write_comment(
                &mut self.out,
                &inner,
                self.comments.get(p.as_slice()).copied(),
            );
            let ty = match entries.get(f.type_name()) {
                Some(entry) => format!(
                    "map<{}, {}>",
                    type_text(&entry.field[0], scope),
                    type_text(&entry.field[1], scope)
                ),
                None => {
                    let label = match (f.label(), f.proto3_optional()) {
                        (Label::Repeated, _) => "repeated ",
                        (_, true) => "optional ",
                        _ => "",
                    };
                    format!("{label}{}", type_text(f, scope))
                }
            };
            let mut options = Vec::new();
            if f.options.as_ref().and_then(|o| o.deprecated) == Some(true) {
                options.push("deprecated = true".to_owned());
            }
            if let Some(rules) = self.rules.rules.fields.get(&format!("{full}.{}", f.name())) {
                options.extend(field_rules_options(rules));
            }
            let options = if options.is_empty() {
                String::new()
            } else {
                format!(" [{}]", options.join(", "))
            };
            let _ = writeln!(
                self.out,
                "{inner}{ty} {} = {}{options};",
                f.name(),
                f.number()
            );
        }
        reserved(
            &mut self.out,
            &inner,
            m.reserved_range.iter().map(|r| r.start()),
            &m.reserved_name,
        );
        for (i, n) in m.nested_type.iter().enumerate() {
            if entries.contains_key(&format!("{full}.{}", n.name())) {
                continue;
            }
            if !self.out.ends_with("{\n") {
                self.out.push('\n');
            }
            let mut p = path.to_vec();
            p.extend([3, i as i32]);
            self.message(n, &full, &p, depth + 1);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            if !self.out.ends_with("{\n") {
                self.out.push('\n');
            }
            let mut p = path.to_vec();
            p.extend([4, i as i32]);
            self.enumeration(e, &p, depth + 1);
        }
        let _ = writeln!(self.out, "{indent}}}");
    }

    fn enumeration(&mut self, e: &EnumDescriptorProto, path: &[i32], depth: usize) {
        let indent = "  ".repeat(depth);
        let inner = "  ".repeat(depth + 1);
        write_comment(&mut self.out, &indent, self.comments.get(path).copied());
        let _ = writeln!(self.out, "{indent}enum {} {{", e.name());
        for (i, v) in e.value.iter().enumerate() {
            let mut p = path.to_vec();
            p.extend([2, i as i32]);
            write_comment(
                &mut self.out,
                &inner,
                self.comments.get(p.as_slice()).copied(),
            );
            let deprecated = if v.options.as_ref().and_then(|o| o.deprecated) == Some(true) {
                " [deprecated = true]"
            } else {
                ""
            };
            let _ = writeln!(
                self.out,
                "{inner}{} = {}{deprecated};",
                v.name(),
                v.number()
            );
        }
        reserved(
            &mut self.out,
            &inner,
            e.reserved_range.iter().map(|r| r.start()),
            &e.reserved_name,
        );
        let _ = writeln!(self.out, "{indent}}}");
    }
}

fn reserved(out: &mut String, indent: &str, numbers: impl Iterator<Item = i32>, names: &[String]) {
    let numbers: Vec<String> = numbers.map(|n| n.to_string()).collect();
    if !numbers.is_empty() {
        let _ = writeln!(out, "{indent}reserved {};", numbers.join(", "));
    }
    if !names.is_empty() {
        let names: Vec<String> = names.iter().map(|n| quote(n)).collect();
        let _ = writeln!(out, "{indent}reserved {};", names.join(", "));
    }
}

/// The field's type as written in a `.proto` file, relative to the enclosing package.
fn type_text(f: &FieldDescriptorProto, scope: &str) -> String {
    match f.r#type() {
        Type::Message | Type::Enum => {
            let name = f.type_name();
            let _ = scope;
            if name.starts_with(".google.protobuf.") {
                name.trim_start_matches('.').to_owned()
            } else {
                name.to_owned()
            }
        }
        Type::Double => "double".into(),
        Type::Float => "float".into(),
        Type::Int64 => "int64".into(),
        Type::Uint64 => "uint64".into(),
        Type::Int32 => "int32".into(),
        Type::Fixed64 => "fixed64".into(),
        Type::Fixed32 => "fixed32".into(),
        Type::Bool => "bool".into(),
        Type::String => "string".into(),
        Type::Group => "group".into(),
        Type::Bytes => "bytes".into(),
        Type::Uint32 => "uint32".into(),
        Type::Sfixed32 => "sfixed32".into(),
        Type::Sfixed64 => "sfixed64".into(),
        Type::Sint32 => "sint32".into(),
        Type::Sint64 => "sint64".into(),
    }
}

fn field_rules_options(rules: &FieldRules) -> Vec<String> {
    let mut out = Vec::new();
    if rules.required {
        out.push("(buf.validate.field).required = true".to_owned());
    }
    if let Some(ty) = &rules.ty {
        out.push(format!(
            "(buf.validate.field).{} = {{{}}}",
            ty.family(),
            type_rules_body(ty)
        ));
    }
    out
}

fn number(n: &Number) -> String {
    match n {
        Number::I64(v) => v.to_string(),
        Number::U64(v) => v.to_string(),
        Number::F64(v) => format!("{v:?}"),
    }
}

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    format!("[{}]", items.iter().map(f).collect::<Vec<_>>().join(", "))
}

/// `min_len: 1, pattern: "…"`: the text-format body of a `buf.validate.*Rules` message.
fn type_rules_body(ty: &TypeRules) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut push = |k: &str, v: String| parts.push(format!("{k}: {v}"));
    match ty {
        TypeRules::Number(n) => {
            range(&mut push, &n.range, number);
            in_lists(&mut push, &n.in_, &n.not_in, number);
        }
        TypeRules::String(s) => {
            lengths(&mut push, [s.len, s.min_len, s.max_len]);
            for (k, v) in [
                ("pattern", &s.pattern),
                ("prefix", &s.prefix),
                ("suffix", &s.suffix),
                ("contains", &s.contains),
            ] {
                if let Some(v) = v {
                    push(k, quote(v));
                }
            }
            in_lists(&mut push, &s.in_, &s.not_in, |v| quote(v));
            if let Some(f) = s.format {
                push(f.name(), "true".into());
            }
        }
        TypeRules::Bytes(b) => lengths(&mut push, [b.len, b.min_len, b.max_len]),
        TypeRules::Enum(e) => {
            if e.defined_only {
                push("defined_only", "true".into());
            }
            in_lists(&mut push, &e.in_, &e.not_in, i32::to_string);
        }
        TypeRules::Repeated(r) => {
            if let Some(v) = r.min_items {
                push("min_items", v.to_string());
            }
            if let Some(v) = r.max_items {
                push("max_items", v.to_string());
            }
            if r.unique {
                push("unique", "true".into());
            }
            if let Some(items) = &r.items {
                push("items", nested(items));
            }
        }
        TypeRules::Map(m) => {
            if let Some(v) = m.min_pairs {
                push("min_pairs", v.to_string());
            }
            if let Some(v) = m.max_pairs {
                push("max_pairs", v.to_string());
            }
            if let Some(k) = &m.keys {
                push("keys", nested(k));
            }
            if let Some(v) = &m.values {
                push("values", nested(v));
            }
        }
        TypeRules::Duration(d) => {
            range(&mut push, &d.range, seconds);
            in_lists(&mut push, &d.in_, &d.not_in, seconds);
        }
        TypeRules::Timestamp(t) => {
            range(&mut push, &t.range, seconds);
            if t.lt_now {
                push("lt_now", "true".into());
            }
            if t.gt_now {
                push("gt_now", "true".into());
            }
            if let Some(w) = &t.within {
                push("within", seconds(w));
            }
        }
        // Tenant schemas put no rules on these.
        TypeRules::Bool(_) | TypeRules::Any(_) | TypeRules::FieldMask(_) => {}
    }
    parts.join(", ")
}

/// `in` and `not_in`, when not empty.
fn in_lists<T>(
    push: &mut impl FnMut(&str, String),
    in_: &[T],
    not_in: &[T],
    text: impl Fn(&T) -> String,
) {
    for (k, values) in [("in", in_), ("not_in", not_in)] {
        if !values.is_empty() {
            push(k, list(values, &text));
        }
    }
}

/// `gte`/`gt` and `lte`/`lt`.
fn range<T>(push: &mut impl FnMut(&str, String), range: &Range<T>, text: impl Fn(&T) -> String) {
    if let Some(lo) = &range.lower {
        push(if lo.inclusive { "gte" } else { "gt" }, text(&lo.value));
    }
    if let Some(hi) = &range.upper {
        push(if hi.inclusive { "lte" } else { "lt" }, text(&hi.value));
    }
}

/// A `google.protobuf.Duration` or `Timestamp` in text format.
fn seconds(s: &Seconds) -> String {
    if s.nanos == 0 {
        format!("{{seconds: {}}}", s.seconds)
    } else {
        format!("{{seconds: {}, nanos: {}}}", s.seconds, s.nanos)
    }
}

/// `len`, `min_len`, `max_len` of strings and bytes.
fn lengths(push: &mut impl FnMut(&str, String), values: [Option<u64>; 3]) {
    for (k, v) in ["len", "min_len", "max_len"].into_iter().zip(values) {
        if let Some(v) = v {
            push(k, v.to_string());
        }
    }
}

/// `{string: {min_len: 1}}`: a nested `FieldRules` (items, keys, values).
fn nested(rules: &FieldRules) -> String {
    match &rules.ty {
        Some(ty) => format!("{{{}: {{{}}}}}", ty.family(), type_rules_body(ty)),
        None => "{}".into(),
    }
}
