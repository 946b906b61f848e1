//! Lint rules on messages, fields, oneofs, enums and enum values: names, required fields,
//! aliases, zero values, and documentation comments.

use prost_types::field_descriptor_proto::{Label, Type};

use super::Lint;
use super::case::{lower_snake, pascal, upper_snake};
use crate::go::quote;
use crate::image::{Enum, Field, Loc, Message, tag};

pub(super) fn check(c: &mut Lint<'_, '_>) {
    let index = c.index;
    for message in index.messages.values() {
        if message.is_map_entry() {
            continue;
        }
        self::message(c, message);
        for field in index.fields(message).values() {
            self::field(c, field);
        }
        for (i, oneof) in message.proto.oneof_decl.iter().enumerate() {
            if crate::breaking::is_synthetic(message.proto, i) {
                continue;
            }
            let at = message.loc.child(&[tag::MESSAGE_ONEOF, i as i32]);
            let name = oneof.name();
            let expected = lower_snake(name);
            if expected != name {
                let message = format!(
                    "Oneof name {} should be lower_snake_case, such as {}.",
                    quote(name),
                    quote(&expected)
                );
                c.add("ONEOF_LOWER_SNAKE_CASE", &at.child(&[tag::NAME]), message);
            }
            documented(c, "COMMENT_ONEOF", "Oneof", name, &at);
        }
    }
    for fields in index.extensions.values() {
        for field in fields.values() {
            self::field(c, field);
        }
    }
    for e in index.enums.values() {
        self::enumeration(c, e);
    }
}

/// `COMMENT_*`: the element has a leading comment with a line of text.
pub(super) fn documented(
    c: &mut Lint<'_, '_>,
    rule: &'static str,
    kind: &str,
    name: &str,
    at: &Loc,
) {
    if !c.on(rule) || c.index.files[at.file].location(&at.path).is_none() {
        return;
    }
    if !c.documented(at) {
        let message = format!(
            "{kind} {} should have a non-empty comment for documentation.",
            quote(name)
        );
        c.add(rule, at, message);
    }
}

fn message(c: &mut Lint<'_, '_>, message: &Message<'_>) {
    let name = message.name();
    let expected = pascal(name);
    if expected != name {
        let text = format!(
            "Message name {} should be PascalCase, such as {}.",
            quote(name),
            quote(&expected)
        );
        c.add(
            "MESSAGE_PASCAL_CASE",
            &message.loc.child(&[tag::NAME]),
            text,
        );
    }
    documented(c, "COMMENT_MESSAGE", "Message", name, &message.loc);
}

fn field(c: &mut Lint<'_, '_>, field: &Field<'_>) {
    let name = field.name();
    let at_name = field.loc.child(&[tag::NAME]);
    let expected = lower_snake(name);
    if expected != name {
        let message = format!(
            "Field name {} should be lower_snake_case, such as {}.",
            quote(name),
            quote(&expected)
        );
        c.add("FIELD_LOWER_SNAKE_CASE", &at_name, message);
    }
    if field.proto.label() == Label::Required {
        let message = format!("Field named {} should not be required.", quote(name));
        c.add("FIELD_NOT_REQUIRED", &at_name, message);
    }
    // A group's comments belong to its message, not its field.
    if field.proto.r#type() != Type::Group {
        documented(c, "COMMENT_FIELD", "Field", name, &field.loc);
    }
}

fn enumeration(c: &mut Lint<'_, '_>, e: &Enum<'_>) {
    let name = e.name();
    let expected = pascal(name);
    if expected != name {
        let message = format!(
            "Enum name {} should be PascalCase, such as {}.",
            quote(name),
            quote(&expected)
        );
        c.add("ENUM_PASCAL_CASE", &e.loc.child(&[tag::NAME]), message);
    }
    if e.proto.options.as_ref().is_some_and(|o| o.allow_alias()) {
        let message = format!(
            "Enum option \"allow_alias\" on enum {} must be false.",
            quote(name)
        );
        c.add(
            "ENUM_NO_ALLOW_ALIAS",
            &e.loc.child(&[tag::ENUM_OPTIONS, 2]),
            message,
        );
    }
    documented(c, "COMMENT_ENUM", "Enum", name, &e.loc);
    let prefix = format!("{}_", upper_snake(name));
    let suffix = c.options().enum_zero_value_suffix.clone();
    for (i, value) in e.proto.value.iter().enumerate() {
        let at = e.loc.child(&[tag::ENUM_VALUE, i as i32]);
        let at_name = at.child(&[tag::NAME]);
        let value_name = value.name();
        if i == 0 && value.number() != 0 {
            let message = format!(
                "First enum value {} should have a numeric value of 0",
                quote(value_name)
            );
            c.add(
                "ENUM_FIRST_VALUE_ZERO",
                &at.child(&[tag::VALUE_NUMBER]),
                message,
            );
        }
        let expected = upper_snake(value_name);
        if expected != value_name {
            let message = format!(
                "Enum value name {} should be UPPER_SNAKE_CASE, such as {}.",
                quote(value_name),
                quote(&expected)
            );
            c.add("ENUM_VALUE_UPPER_SNAKE_CASE", &at_name, message);
        }
        if !value_name.starts_with(&prefix) {
            let message = format!(
                "Enum value name {} should be prefixed with {}.",
                quote(value_name),
                quote(&prefix)
            );
            c.add("ENUM_VALUE_PREFIX", &at_name, message);
        }
        if value.number() == 0 && !value_name.ends_with(&suffix) {
            let message = format!(
                "Enum zero value name {} should be suffixed with {}.",
                quote(value_name),
                quote(&suffix)
            );
            c.add("ENUM_ZERO_VALUE_SUFFIX", &at_name, message);
        }
        documented(c, "COMMENT_ENUM_VALUE", "Enum value", value_name, &at);
    }
}
