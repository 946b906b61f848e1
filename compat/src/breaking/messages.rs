//! Rules on a message paired with its old self (by full name): deleted fields and oneofs,
//! reserved and extension ranges, required fields, message options.

use std::collections::BTreeSet;

use prost_types::DescriptorProto;

use super::ranges::{self, MESSAGE_MAX, MESSAGE_SET_MAX, Range};
use super::{At, Check};
use crate::go::quote;
use crate::image::{Field, Message, tag};

pub(super) fn check(c: &mut Check<'_, '_>) {
    for (name, old) in &c.old.messages {
        let Some(new) = c.new.messages.get(name) else {
            continue;
        };
        fields_deleted(c, new, old);
        oneofs_deleted(c, new, old);
        reserved(c, new, old);
        extension_ranges(c, new, old);
        required_fields(c, new, old);
        options(c, new, old);
    }
}

/// `Field "1" with name "f" on message "M"` (`Extension … on message "pkg.M"` for extensions).
pub(super) fn describe(field: &Field<'_>, with_name: bool) -> String {
    let (kind, name, message) = if field.is_extension() {
        (
            "Extension",
            field.full_name.as_str(),
            field.proto.extendee().trim_start_matches('.'),
        )
    } else {
        ("Field", field.name(), field.parent.map_or("", |m| m.name()))
    };
    let name = if with_name {
        format!(" with name {}", quote(name))
    } else {
        String::new()
    };
    format!(
        "{kind} {}{name} on message {}",
        quote(&field.number().to_string()),
        quote(message)
    )
}

fn fields_deleted(c: &mut Check<'_, '_>, new: &Message<'_>, old: &Message<'_>) {
    let rules = [
        "FIELD_NO_DELETE",
        "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
    ];
    if !rules.iter().any(|r| c.on(r)) {
        return;
    }
    let new_fields = c.new.fields(new);
    let reserved = reserved_ranges(new.proto);
    for (number, field) in c.old.fields(old) {
        if new_fields.contains_key(&number) {
            continue;
        }
        let description = describe(&field, true);
        let description = lower_first(&description);
        let number_reserved = reserved
            .iter()
            .any(|&(s, e)| (s..=e).contains(&i64::from(number)));
        let name_reserved = new.proto.reserved_name.iter().any(|n| n == field.name());
        for (rule, allowed, suffix) in [
            ("FIELD_NO_DELETE", false, String::new()),
            (
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
                number_reserved,
                format!(
                    " without reserving the number {}",
                    quote(&number.to_string())
                ),
            ),
            (
                "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
                name_reserved,
                format!(" without reserving the name {}", quote(field.name())),
            ),
        ] {
            if !allowed {
                let message = format!("Previously present {description} was deleted{suffix}.");
                c.add(rule, At::Element(&new.loc), Some(&old.loc), message);
            }
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn oneofs_deleted(c: &mut Check<'_, '_>, new: &Message<'_>, old: &Message<'_>) {
    if !c.on("ONEOF_NO_DELETE") {
        return;
    }
    let names: BTreeSet<&str> = new.proto.oneof_decl.iter().map(|o| o.name()).collect();
    for (i, oneof) in old.proto.oneof_decl.iter().enumerate() {
        if names.contains(oneof.name()) || is_synthetic(old.proto, i) {
            continue;
        }
        let message = format!(
            "Previously present oneof {} on message {} was deleted.",
            quote(oneof.name()),
            quote(new.name())
        );
        c.add(
            "ONEOF_NO_DELETE",
            At::Element(&new.loc),
            Some(&old.loc),
            message,
        );
    }
}

/// A proto3 `optional` field's oneof.
pub(crate) fn is_synthetic(message: &DescriptorProto, oneof: usize) -> bool {
    let members: Vec<_> = message
        .field
        .iter()
        .filter(|f| f.oneof_index == Some(oneof as i32))
        .collect();
    members.len() == 1 && members[0].proto3_optional()
}

/// Reserved ranges, inclusive.
fn reserved_ranges(message: &DescriptorProto) -> Vec<Range> {
    message
        .reserved_range
        .iter()
        .map(|r| (i64::from(r.start()), i64::from(r.end()) - 1))
        .collect()
}

fn max_number(message: &DescriptorProto) -> i64 {
    let message_set = message
        .options
        .as_ref()
        .is_some_and(|o| o.message_set_wire_format());
    if message_set {
        MESSAGE_SET_MAX
    } else {
        MESSAGE_MAX
    }
}

fn reserved(c: &mut Check<'_, '_>, new: &Message<'_>, old: &Message<'_>) {
    const RULE: &str = "RESERVED_MESSAGE_NO_DELETE";
    if !c.on(RULE) {
        return;
    }
    let (before, after) = (reserved_ranges(old.proto), reserved_ranges(new.proto));
    let max = max_number(new.proto);
    for message in ranges::lost("reserved", "message", new.name(), &before, &after, max) {
        c.add(RULE, At::Element(&new.loc), Some(&old.loc), message);
    }
    let (before, after) = (&old.proto.reserved_name, &new.proto.reserved_name);
    for message in ranges::names_lost("message", new.name(), before, after) {
        c.add(RULE, At::Element(&new.loc), Some(&old.loc), message);
    }
}

fn extension_ranges(c: &mut Check<'_, '_>, new: &Message<'_>, old: &Message<'_>) {
    const RULE: &str = "EXTENSION_MESSAGE_NO_DELETE";
    if !c.on(RULE) {
        return;
    }
    let ranges = |m: &DescriptorProto| -> Vec<Range> {
        m.extension_range
            .iter()
            .map(|r| (i64::from(r.start()), i64::from(r.end()) - 1))
            .collect()
    };
    let max = max_number(new.proto);
    let lost = ranges::lost(
        "extension",
        "message",
        new.name(),
        &ranges(old.proto),
        &ranges(new.proto),
        max,
    );
    for message in lost {
        c.add(RULE, At::Element(&new.loc), Some(&old.loc), message);
    }
}

fn required_fields(c: &mut Check<'_, '_>, new: &Message<'_>, old: &Message<'_>) {
    const RULE: &str = "MESSAGE_SAME_REQUIRED_FIELDS";
    if !c.on(RULE) {
        return;
    }
    let required =
        |fields: std::collections::BTreeMap<i32, Field<'_>>| -> Vec<(i32, crate::image::Loc)> {
            fields
                .into_iter()
                .filter(|(_, f)| {
                    f.proto.label() == prost_types::field_descriptor_proto::Label::Required
                })
                .map(|(n, f)| (n, f.loc))
                .collect()
        };
    let before = required(c.old.fields(old));
    let after = required(c.new.fields(new));
    const WHY: &str = "Required fields must always be sent, so if one side does not know about \
                       the required field, this will result in a breakage.";
    for (number, _) in &before {
        if !after.iter().any(|(n, _)| n == number) {
            let message = format!(
                "Message {} had required field \"{number}\" deleted. {WHY}",
                quote(old.name())
            );
            c.add(RULE, At::Element(&new.loc), Some(&old.loc), message);
        }
    }
    for (number, loc) in &after {
        if !before.iter().any(|(n, _)| n == number) {
            let message = format!(
                "Message {} had required field \"{number}\" added. {WHY}",
                quote(new.name())
            );
            c.add(RULE, At::Element(loc), None, message);
        }
    }
}

/// JSON format support: proto3 messages and enums are `ALLOW`, proto2 ones `LEGACY_BEST_EFFORT`
/// (protox compiles no editions files, where a feature could say otherwise).
pub(super) fn json_format(syntax: crate::image::Syntax) -> &'static str {
    match syntax {
        crate::image::Syntax::Proto3 => "ALLOW",
        _ => "LEGACY_BEST_EFFORT",
    }
}

fn options(c: &mut Check<'_, '_>, new: &Message<'_>, old: &Message<'_>) {
    let accessor = |m: &DescriptorProto| {
        m.options
            .as_ref()
            .is_some_and(|o| o.no_standard_descriptor_accessor())
    };
    if !accessor(old.proto) && accessor(new.proto) {
        let at = new.loc.child(&[tag::MESSAGE_OPTIONS, 2]);
        let message = "Message option \"no_standard_descriptor_accessor\" changed from \"false\" \
                       to \"true\"."
            .to_owned();
        c.add(
            "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
            At::Element(&at),
            Some(&old.loc),
            message,
        );
    }
    let before = json_format(c.old.file(&old.loc).syntax());
    let after = json_format(c.new.file(&new.loc).syntax());
    if before == "ALLOW" && after != "ALLOW" {
        let message = format!(
            "Message {} JSON format support changed from {before} to {after}.",
            quote(new.name())
        );
        c.add(
            "MESSAGE_SAME_JSON_FORMAT",
            At::Element(&new.loc),
            Some(&old.loc),
            message,
        );
    }
}
