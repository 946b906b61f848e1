//! Rules on an enum paired with its old self (by full name): deleted and renamed values,
//! reserved ranges and names, open/closed and JSON format.

use std::collections::BTreeMap;

use prost_types::EnumDescriptorProto;

use super::messages::json_format;
use super::ranges::{self, ENUM_MAX, Range};
use super::{At, Check};
use crate::go::quote;
use crate::image::{Enum, Syntax, tag};

pub(super) fn check(c: &mut Check<'_, '_>) {
    for (name, old) in &c.old.enums {
        let Some(new) = c.new.enums.get(name) else {
            continue;
        };
        values_deleted(c, new, old);
        values_renamed(c, new, old);
        reserved(c, new, old);
        kind(c, new, old);
    }
}

/// Value names by number, each with the index of the value declaring it.
fn by_number(e: &EnumDescriptorProto) -> BTreeMap<i32, BTreeMap<&str, usize>> {
    let mut out: BTreeMap<i32, BTreeMap<&str, usize>> = BTreeMap::new();
    for (i, v) in e.value.iter().enumerate() {
        out.entry(v.number()).or_default().insert(v.name(), i);
    }
    out
}

fn reserved_ranges(e: &EnumDescriptorProto) -> Vec<Range> {
    e.reserved_range
        .iter()
        .map(|r| (i64::from(r.start()), i64::from(r.end())))
        .collect()
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| quote(n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn values_deleted(c: &mut Check<'_, '_>, new: &Enum<'_>, old: &Enum<'_>) {
    let after = by_number(new.proto);
    let reserved = reserved_ranges(new.proto);
    for (number, names) in by_number(old.proto) {
        if after.contains_key(&number) {
            continue;
        }
        let names: Vec<&str> = names.keys().copied().collect();
        let number_reserved = reserved
            .iter()
            .any(|&(s, e)| (s..=e).contains(&i64::from(number)));
        let names_reserved = names
            .iter()
            .all(|n| new.proto.reserved_name.iter().any(|r| r == n));
        let plural = if names.len() > 1 { "s" } else { "" };
        for (rule, allowed, suffix) in [
            ("ENUM_VALUE_NO_DELETE", false, String::new()),
            (
                "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
                number_reserved,
                format!(" without reserving the number \"{number}\""),
            ),
            (
                "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
                names_reserved,
                format!(
                    " without reserving the name{plural} {}",
                    quoted_list(&names)
                ),
            ),
        ] {
            if !allowed {
                let message = format!(
                    "Previously present enum value \"{number}\" on enum {} was deleted{suffix}.",
                    quote(new.name())
                );
                c.add(rule, At::Element(&new.loc), Some(&old.loc), message);
            }
        }
    }
}

fn values_renamed(c: &mut Check<'_, '_>, new: &Enum<'_>, old: &Enum<'_>) {
    const RULE: &str = "ENUM_VALUE_SAME_NAME";
    if !c.on(RULE) {
        return;
    }
    let after = by_number(new.proto);
    for (number, before) in by_number(old.proto) {
        let Some(names) = after.get(&number) else {
            continue;
        };
        // Every current name of the number must have been a name of it before.
        if names.keys().all(|n| before.contains_key(n)) {
            continue;
        }
        let old_names: Vec<&str> = before.keys().copied().collect();
        let new_names: Vec<&str> = names.keys().copied().collect();
        let plural = if old_names.len() > 1 && new_names.len() > 1 {
            "s"
        } else {
            ""
        };
        for (name, &i) in names {
            let at = new
                .loc
                .child(&[tag::ENUM_VALUE, i as i32, tag::VALUE_NUMBER]);
            let against = before.get(name).map(|&j| {
                old.loc
                    .child(&[tag::ENUM_VALUE, j as i32, tag::VALUE_NUMBER])
            });
            let message = format!(
                "Enum value \"{number}\" on enum {} changed name{plural} from {} to {}.",
                quote(new.name()),
                quoted_list(&old_names),
                quoted_list(&new_names)
            );
            let _ = name;
            c.add(RULE, At::Element(&at), against.as_ref(), message);
        }
    }
}

fn reserved(c: &mut Check<'_, '_>, new: &Enum<'_>, old: &Enum<'_>) {
    const RULE: &str = "RESERVED_ENUM_NO_DELETE";
    if !c.on(RULE) {
        return;
    }
    let (before, after) = (reserved_ranges(old.proto), reserved_ranges(new.proto));
    for message in ranges::lost("reserved", "enum", new.name(), &before, &after, ENUM_MAX) {
        c.add(RULE, At::Element(&new.loc), Some(&old.loc), message);
    }
    let (before, after) = (&old.proto.reserved_name, &new.proto.reserved_name);
    for message in ranges::names_lost("enum", new.name(), before, after) {
        c.add(RULE, At::Element(&new.loc), Some(&old.loc), message);
    }
}

/// Open or closed, and JSON format support: both follow the file's syntax without editions.
fn kind(c: &mut Check<'_, '_>, new: &Enum<'_>, old: &Enum<'_>) {
    let (before, after) = (c.old.file(&old.loc).syntax(), c.new.file(&new.loc).syntax());
    let closed = |s: Syntax| s != Syntax::Proto3;
    if closed(before) != closed(after) {
        let (b, a) = if closed(after) {
            ("open", "closed")
        } else {
            ("closed", "open")
        };
        let message = format!("Enum {} changed from {b} to {a}.", quote(new.name()));
        c.add(
            "ENUM_SAME_TYPE",
            At::Element(&new.loc),
            Some(&old.loc),
            message,
        );
    }
    let (b, a) = (json_format(before), json_format(after));
    if b == "ALLOW" && a != "ALLOW" {
        let message = format!(
            "Enum {} JSON format support changed from {b} to {a}.",
            quote(new.name())
        );
        c.add(
            "ENUM_SAME_JSON_FORMAT",
            At::Element(&new.loc),
            Some(&old.loc),
            message,
        );
    }
}
