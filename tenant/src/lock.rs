//! Lock files: the field and enum value numbers a schema was given, so that they never move.
//!
//! `<schema>.lock.json` sits beside the schema and is committed. For every message (by its path
//! in the document, `Order.Line`) it records the number of each field, the numbers (and names)
//! of removed fields, which stay reserved forever, and the next number to hand out — a high-water
//! mark, so a number is never given twice even if someone edits `reserved` by hand. Enums get
//! the same table for their values.
//!
//! Assignment ([`assign`]) keeps every number the lock knows, takes a renamed field's number from
//! its `renamed_from` hint, gives new fields the next free numbers in document order, and turns
//! the fields that disappeared into reservations. The result depends only on the document and
//! the old lock, and writing it ([`Lock::to_json`]) is deterministic.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::doc::{At, Diagnostic, Spanned};
use crate::json::{self, Node, Value, quote};

/// The numbers of one schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lock {
    /// Messages by their path in the document (`User`, `Order.Line`), map entries excluded.
    pub messages: BTreeMap<String, Table>,
    /// Enums by their path in the document (`Tier`, `Order.Status`).
    pub enums: BTreeMap<String, Table>,
}

/// The numbers of one message's fields or one enum's values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Current names and their numbers.
    pub numbers: BTreeMap<String, i64>,
    /// Numbers of removed fields (with the name they had), never to be used again.
    pub reserved: Vec<Reserved>,
    /// Every number below this one has been handed out at some point (or skipped).
    pub next: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reserved {
    pub number: i64,
    pub name: String,
}

/// What a table is numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    /// Message fields: 1 to 2^29-1, without protobuf's 19000–19999.
    Fields,
    /// Enum values: 1 to 2^31-1 (0 is the implicit `…_UNSPECIFIED`).
    EnumValues,
}

impl Numbering {
    pub fn max(self) -> i64 {
        match self {
            Numbering::Fields => 536_870_911,
            Numbering::EnumValues => i64::from(i32::MAX),
        }
    }

    fn forbidden(self, n: i64) -> bool {
        self == Numbering::Fields && (19_000..=19_999).contains(&n)
    }

    fn noun(self) -> &'static str {
        match self {
            Numbering::Fields => "field",
            Numbering::EnumValues => "enum value",
        }
    }
}

/// One field (or enum value) to number, as the document writes it.
pub struct Item<'a> {
    pub name: &'a Spanned<String>,
    pub number: Option<&'a Spanned<i64>>,
    pub renamed_from: Option<&'a Spanned<String>>,
}

/// Numbers `items` (in document order) against the old table. Returns the new table and the
/// number of each item (by index; `None` where an error was reported), and describes what
/// changed in `changes` (`"User.email: added as 4"`).
pub fn assign(
    path: &str,
    old: Option<&Table>,
    items: &[Item<'_>],
    numbering: Numbering,
    diags: &mut Vec<Diagnostic>,
    changes: &mut Vec<String>,
) -> (Table, Vec<Option<i64>>) {
    let empty = Table::default();
    let old = old.unwrap_or(&empty);
    let noun = numbering.noun();
    let names: BTreeSet<&str> = items.iter().map(|i| i.name.value.as_str()).collect();
    let reserved_numbers: BTreeMap<i64, &str> = old
        .reserved
        .iter()
        .map(|r| (r.number, r.name.as_str()))
        .collect();
    let locked_by_number: BTreeMap<i64, &str> =
        old.numbers.iter().map(|(n, &v)| (v, n.as_str())).collect();
    let mut numbers: Vec<Option<i64>> = vec![None; items.len()];
    // Number → index of the item holding it.
    let mut taken: BTreeMap<i64, usize> = BTreeMap::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut renamed: BTreeSet<&str> = BTreeSet::new();

    // Explicit numbers first: they must agree with the lock.
    for (index, item) in items.iter().enumerate() {
        let Some(explicit) = item.number else {
            continue;
        };
        let n = explicit.value;
        let name = item.name.value.as_str();
        if n < 1 || n > numbering.max() {
            diags.push(explicit.at.diag(format!(
                "{noun} number {n} is out of range (1 to {})",
                numbering.max()
            )));
            continue;
        }
        if numbering.forbidden(n) {
            diags.push(explicit.at.diag(format!(
                "field number {n} is in 19000–19999, which protobuf reserves for itself"
            )));
            continue;
        }
        if let Some(&other) = taken.get(&n) {
            diags.push(explicit.at.diag(format!(
                "duplicate {noun} number {n}: `{}` has it too",
                items[other].name.value
            )));
            continue;
        }
        let previous_name = item
            .renamed_from
            .map(|r| r.value.as_str())
            .filter(|old_name| !names.contains(old_name));
        if let Some(&locked) = old.numbers.get(name)
            && locked != n
        {
            diags.push(explicit.at.diag(format!(
                "`{path}.{name}` is locked to number {locked}; number {n} would renumber it \
                 (drop `number`, or use {locked})"
            )));
            continue;
        }
        if let Some(&reserved_for) = reserved_numbers.get(&n) {
            diags.push(explicit.at.diag(format!(
                "{noun} number {n} is reserved: it belonged to the removed {noun} \
                 `{reserved_for}` and is never reused"
            )));
            continue;
        }
        if let Some(&holder) = locked_by_number.get(&n)
            && holder != name
            && Some(holder) != previous_name
        {
            diags.push(explicit.at.diag(format!(
                "{noun} number {n} is locked to `{path}.{holder}` (rename with \
                 `\"renamed_from\": \"{holder}\"`, or pick another number)"
            )));
            continue;
        }
        if let Some(prev) = previous_name
            && old.numbers.get(prev) == Some(&n)
        {
            renamed.insert(prev);
            changes.push(format!("{path}.{name}: renamed from `{prev}`, keeps {n}"));
        } else if !old.numbers.contains_key(name) {
            changes.push(format!("{path}.{name}: added as {n}"));
        }
        taken.insert(n, index);
        numbers[index] = Some(n);
    }

    let mut next = old.next.max(1);
    let in_use = |n: i64, taken: &BTreeMap<i64, usize>| {
        taken.contains_key(&n)
            || reserved_numbers.contains_key(&n)
            || locked_by_number.contains_key(&n)
            || numbering.forbidden(n)
    };
    for (index, item) in items.iter().enumerate() {
        let name = item.name.value.as_str();
        if !seen.insert(name) || item.number.is_some() {
            continue;
        }
        let locked = old.numbers.get(name).copied();
        let from_rename = item.renamed_from.and_then(|r| {
            let prev = r.value.as_str();
            (locked.is_none() && !names.contains(prev) && !renamed.contains(prev))
                .then(|| old.numbers.get(prev).map(|&n| (prev, n)))
                .flatten()
        });
        let n = if let Some(n) = locked {
            n
        } else if let Some((prev, n)) = from_rename {
            renamed.insert(prev);
            changes.push(format!("{path}.{name}: renamed from `{prev}`, keeps {n}"));
            n
        } else {
            while in_use(next, &taken) {
                next += 1;
            }
            if next > numbering.max() {
                diags.push(item.name.at.diag(format!("no {noun} numbers left")));
                continue;
            }
            changes.push(format!("{path}.{name}: added as {next}"));
            next
        };
        if let Some(&other) = taken.get(&n) {
            diags.push(item.name.at.diag(format!(
                "`{path}.{name}` is locked to number {n}, which `{}` now claims",
                items[other].name.value
            )));
            continue;
        }
        taken.insert(n, index);
        numbers[index] = Some(n);
    }

    let mut table = Table {
        numbers: BTreeMap::new(),
        reserved: old.reserved.clone(),
        next: 1,
    };
    for (item, n) in items.iter().zip(&numbers) {
        if let Some(n) = n {
            table.numbers.insert(item.name.value.clone(), *n);
        }
    }
    for (name, &n) in &old.numbers {
        if !names.contains(name.as_str()) && !renamed.contains(name.as_str()) {
            changes.push(format!("{path}.{name}: removed, {n} reserved"));
            table.reserved.push(Reserved {
                number: n,
                name: name.clone(),
            });
        }
    }
    table.reserved.sort();
    table.reserved.dedup();
    let highest = table
        .numbers
        .values()
        .copied()
        .chain(table.reserved.iter().map(|r| r.number))
        .max()
        .unwrap_or(0);
    table.next = old.next.max(highest + 1).max(1);
    (table, numbers)
}

impl Lock {
    /// The tables of messages (`Fields`) or of enums (`EnumValues`).
    pub fn tables(&self, numbering: Numbering) -> &BTreeMap<String, Table> {
        match numbering {
            Numbering::Fields => &self.messages,
            Numbering::EnumValues => &self.enums,
        }
    }

    pub fn tables_mut(&mut self, numbering: Numbering) -> &mut BTreeMap<String, Table> {
        match numbering {
            Numbering::Fields => &mut self.messages,
            Numbering::EnumValues => &mut self.enums,
        }
    }

    /// The lock file's text: stable key order, one number per line, a trailing newline.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\n  \"lock_version\": 1,\n");
        let sections = [
            ("messages", "fields", &self.messages),
            ("enums", "values", &self.enums),
        ];
        for (i, (section, entries, tables)) in sections.iter().enumerate() {
            let _ = write!(out, "  \"{section}\": {{");
            for (j, (name, table)) in tables.iter().enumerate() {
                let _ = write!(
                    out,
                    "{}\n    {}: {{\n      \"{entries}\": {{",
                    if j == 0 { "" } else { "," },
                    quote(name)
                );
                let mut by_number: Vec<(&i64, &String)> =
                    table.numbers.iter().map(|(k, v)| (v, k)).collect();
                by_number.sort();
                for (k, (n, field)) in by_number.iter().enumerate() {
                    let _ = write!(
                        out,
                        "{}\n        {}: {n}",
                        if k == 0 { "" } else { "," },
                        quote(field)
                    );
                }
                if !by_number.is_empty() {
                    out.push_str("\n      ");
                }
                out.push_str("},\n      \"reserved\": [");
                for (k, r) in table.reserved.iter().enumerate() {
                    let _ = write!(
                        out,
                        "{}\n        {{ \"number\": {}, \"name\": {} }}",
                        if k == 0 { "" } else { "," },
                        r.number,
                        quote(&r.name)
                    );
                }
                if !table.reserved.is_empty() {
                    out.push_str("\n      ");
                }
                let _ = write!(out, "],\n      \"next\": {}\n    }}", table.next);
            }
            if !tables.is_empty() {
                out.push_str("\n  ");
            }
            out.push('}');
            out.push_str(if i == 0 { ",\n" } else { "\n" });
        }
        out.push_str("}\n");
        out
    }

    /// Reads a lock file; errors carry `line:col` and a JSON pointer like schema errors.
    pub fn parse(source: &str) -> Result<Lock, Vec<Diagnostic>> {
        let root = json::parse(source).map_err(|e| {
            vec![Diagnostic {
                pointer: String::new(),
                offset: e.offset,
                message: e.message,
            }]
        })?;
        let mut diags = Vec::new();
        let mut lock = Lock::default();
        let at = At {
            pointer: String::new(),
            offset: root.offset,
        };
        let Value::Object(members) = &root.value else {
            return Err(vec![at.diag("a lock file is a JSON object")]);
        };
        for member in members {
            let at = At {
                pointer: format!("/{}", json::pointer_token(&member.key)),
                offset: member.value.offset,
            };
            match member.key.as_str() {
                "lock_version" => {
                    if crate::doc::integer(&member.value) != Some(1) {
                        diags.push(at.diag("unsupported lock_version (this protogen writes 1)"));
                    }
                }
                "messages" => lock.messages = tables(&member.value, &at, "fields", &mut diags),
                "enums" => lock.enums = tables(&member.value, &at, "values", &mut diags),
                other => diags.push(at.diag(format!("unknown key `{other}` in a lock file"))),
            }
        }
        if diags.is_empty() {
            Ok(lock)
        } else {
            Err(diags)
        }
    }
}

fn members<'a>(
    node: &'a Node,
    at: &At,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(&'a str, &'a Node, At)> {
    match &node.value {
        Value::Object(members) => members
            .iter()
            .map(|m| {
                (
                    m.key.as_str(),
                    &m.value,
                    At {
                        pointer: format!("{}/{}", at.pointer, json::pointer_token(&m.key)),
                        offset: m.value.offset,
                    },
                )
            })
            .collect(),
        other => {
            diags.push(at.diag(format!("expected an object, found {}", other.kind())));
            Vec::new()
        }
    }
}

fn number(node: &Node, at: &At, diags: &mut Vec<Diagnostic>) -> i64 {
    crate::doc::integer(node).unwrap_or_else(|| {
        diags.push(at.diag("expected an integer"));
        0
    })
}

fn tables(
    node: &Node,
    at: &At,
    entries: &str,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Table> {
    let mut out = BTreeMap::new();
    for (name, node, at) in members(node, at, diags) {
        let mut table = Table::default();
        for (key, node, at) in members(node, &at, diags) {
            match key {
                k if k == entries => {
                    for (field, node, at) in members(node, &at, diags) {
                        table
                            .numbers
                            .insert(field.to_owned(), number(node, &at, diags));
                    }
                }
                "reserved" => {
                    let Value::Array(items) = &node.value else {
                        diags.push(at.diag("expected an array"));
                        continue;
                    };
                    for (i, item) in items.iter().enumerate() {
                        let at = At {
                            pointer: format!("{}/{i}", at.pointer),
                            offset: item.offset,
                        };
                        let mut reserved = Reserved {
                            number: 0,
                            name: String::new(),
                        };
                        for (key, node, at) in members(item, &at, diags) {
                            match (key, &node.value) {
                                ("number", _) => reserved.number = number(node, &at, diags),
                                ("name", Value::String(s)) => reserved.name = s.clone(),
                                _ => diags.push(at.diag(format!("unexpected `{key}`"))),
                            }
                        }
                        table.reserved.push(reserved);
                    }
                }
                "next" => table.next = number(node, &at, diags),
                other => diags.push(at.diag(format!("unknown key `{other}`"))),
            }
        }
        table.reserved.sort();
        out.insert(name.to_owned(), table);
    }
    out
}
