//! Rules on files and packages: deleted files, packages and top-level elements, and file
//! options that change generated code.

use std::collections::{BTreeMap, BTreeSet};

use prost_types::FileOptions;

use super::{At, Check};
use crate::go::quote;
use crate::image::{Index, Loc, Syntax, tag};

pub(super) fn check(c: &mut Check<'_, '_>) {
    file_no_delete(c);
    let new_by_file = ByFile::new(c.new);
    let old_by_file = ByFile::new(c.old);
    for (old_n, old_file) in c.old.files.iter().enumerate() {
        let Some(&new_n) = c.new.file_by_name.get(old_file.name()) else {
            continue;
        };
        file_pair(c, new_n, old_n, &new_by_file, &old_by_file);
    }
    packages(c);
}

fn file_no_delete(c: &mut Check<'_, '_>) {
    for (n, file) in c.old.files.iter().enumerate() {
        if !c.new.file_by_name.contains_key(file.name()) {
            let against = Loc {
                file: n,
                path: Vec::new(),
            };
            let message = format!(
                "Previously present file {} was deleted.",
                quote(file.name())
            );
            c.add("FILE_NO_DELETE", At::Nowhere, Some(&against), message);
        }
    }
}

/// Per file: its messages, enums and extensions by nested name, services by name.
struct ByFile {
    messages: Vec<BTreeMap<String, Loc>>,
    enums: Vec<BTreeMap<String, Loc>>,
    extensions: Vec<BTreeMap<String, Loc>>,
    services: Vec<BTreeMap<String, Loc>>,
}

impl ByFile {
    fn new(index: &Index<'_>) -> Self {
        let n = index.files.len();
        let mut by = ByFile {
            messages: vec![BTreeMap::new(); n],
            enums: vec![BTreeMap::new(); n],
            extensions: vec![BTreeMap::new(); n],
            services: vec![BTreeMap::new(); n],
        };
        for m in index.messages.values() {
            by.messages[m.loc.file].insert(m.nested_name.clone(), m.loc.clone());
        }
        for e in index.enums.values() {
            by.enums[e.loc.file].insert(e.nested_name.clone(), e.loc.clone());
        }
        for s in index.services.values() {
            by.services[s.loc.file].insert(s.proto.name().to_owned(), s.loc.clone());
        }
        for ext in index.extensions.values().flat_map(BTreeMap::values) {
            let nested = match ext.parent {
                Some(_) => nested_scope_of(index, ext),
                None => String::new(),
            };
            let name = crate::image::join(&nested, ext.name());
            by.extensions[ext.loc.file].insert(name, ext.loc.clone());
        }
        by
    }
}

/// The nested name of the message an extension is declared in.
fn nested_scope_of(index: &Index<'_>, ext: &crate::image::Field<'_>) -> String {
    let scope = &ext.loc.path[..ext.loc.path.len() - 2];
    index
        .messages
        .values()
        .find(|m| m.loc.file == ext.loc.file && m.loc.path == scope)
        .map(|m| m.nested_name.clone())
        .unwrap_or_default()
}

/// Where buf reports an element deleted from a file: the closest enclosing message that still
/// exists in the new file, else the file itself.
fn deleted_at<'l>(file: usize, messages: &'l BTreeMap<String, Loc>, nested_name: &str) -> At<'l> {
    let parts: Vec<&str> = nested_name.split('.').collect();
    for i in (1..parts.len()).rev() {
        if let Some(loc) = messages.get(&parts[..i].join(".")) {
            return At::Element(loc);
        }
    }
    At::File(file)
}

fn file_pair(c: &mut Check<'_, '_>, new_n: usize, old_n: usize, new: &ByFile, old: &ByFile) {
    let kinds = [
        ("ENUM_NO_DELETE", "enum", &old.enums, &new.enums),
        ("MESSAGE_NO_DELETE", "message", &old.messages, &new.messages),
        (
            "EXTENSION_NO_DELETE",
            "extension",
            &old.extensions,
            &new.extensions,
        ),
    ];
    for (rule, what, before, after) in kinds {
        if !c.on(rule) {
            continue;
        }
        for (name, against) in &before[old_n] {
            if !after[new_n].contains_key(name) {
                let at = deleted_at(new_n, &new.messages[new_n], name);
                let message = format!(
                    "Previously present {what} {} was deleted from file.",
                    quote(name)
                );
                c.add(rule, at, Some(against), message);
            }
        }
    }
    for (name, against) in &old.services[old_n] {
        if !new.services[new_n].contains_key(name) {
            let message = format!(
                "Previously present service {} was deleted from file.",
                quote(name)
            );
            c.add("SERVICE_NO_DELETE", At::File(new_n), Some(against), message);
        }
    }
    file_values(c, new_n, old_n);
}

type OptionValue = fn(&FileOptions) -> String;

/// The file options buf compares: rule, option name, field number in `FileOptions`, value.
const FILE_OPTIONS: &[(&str, &str, i32, OptionValue)] = &[
    ("FILE_SAME_CC_ENABLE_ARENAS", "cc_enable_arenas", 31, |o| {
        o.cc_enable_arenas().to_string()
    }),
    (
        "FILE_SAME_CC_GENERIC_SERVICES",
        "cc_generic_services",
        16,
        |o| o.cc_generic_services().to_string(),
    ),
    ("FILE_SAME_CSHARP_NAMESPACE", "csharp_namespace", 37, |o| {
        o.csharp_namespace().to_owned()
    }),
    ("FILE_SAME_GO_PACKAGE", "go_package", 11, |o| {
        o.go_package().to_owned()
    }),
    (
        "FILE_SAME_JAVA_GENERIC_SERVICES",
        "java_generic_services",
        17,
        |o| o.java_generic_services().to_string(),
    ),
    (
        "FILE_SAME_JAVA_MULTIPLE_FILES",
        "java_multiple_files",
        10,
        |o| o.java_multiple_files().to_string(),
    ),
    (
        "FILE_SAME_JAVA_OUTER_CLASSNAME",
        "java_outer_classname",
        8,
        |o| o.java_outer_classname().to_owned(),
    ),
    ("FILE_SAME_JAVA_PACKAGE", "java_package", 1, |o| {
        o.java_package().to_owned()
    }),
    (
        "FILE_SAME_OBJC_CLASS_PREFIX",
        "objc_class_prefix",
        36,
        |o| o.objc_class_prefix().to_owned(),
    ),
    ("FILE_SAME_OPTIMIZE_FOR", "optimize_for", 9, |o| {
        o.optimize_for().as_str_name().to_owned()
    }),
    ("FILE_SAME_PHP_CLASS_PREFIX", "php_class_prefix", 40, |o| {
        o.php_class_prefix().to_owned()
    }),
    (
        "FILE_SAME_PHP_METADATA_NAMESPACE",
        "php_metadata_namespace",
        44,
        |o| o.php_metadata_namespace().to_owned(),
    ),
    ("FILE_SAME_PHP_NAMESPACE", "php_namespace", 41, |o| {
        o.php_namespace().to_owned()
    }),
    (
        "FILE_SAME_PY_GENERIC_SERVICES",
        "py_generic_services",
        18,
        |o| o.py_generic_services().to_string(),
    ),
    ("FILE_SAME_RUBY_PACKAGE", "ruby_package", 45, |o| {
        o.ruby_package().to_owned()
    }),
    ("FILE_SAME_SWIFT_PREFIX", "swift_prefix", 39, |o| {
        o.swift_prefix().to_owned()
    }),
];

fn file_values(c: &mut Check<'_, '_>, new_n: usize, old_n: usize) {
    let (new, old) = (c.new.files[new_n].proto, c.old.files[old_n].proto);
    let default = FileOptions::default();
    let new_options = new.options.as_ref().unwrap_or(&default);
    let old_options = old.options.as_ref().unwrap_or(&default);
    let root = |file| Loc {
        file,
        path: Vec::new(),
    };
    for &(rule, name, number, value) in FILE_OPTIONS {
        let (before, after) = (value(old_options), value(new_options));
        let at = root(new_n).child(&[tag::FILE_OPTIONS, number]);
        let against = root(old_n).child(&[tag::FILE_OPTIONS, number]);
        same_value(
            c,
            rule,
            &format!("option {}", quote(name)),
            &before,
            &after,
            &at,
            &against,
        );
    }
    let syntax = |s: Syntax| s.name().to_owned();
    let (before, after) = (
        syntax(c.old.files[old_n].syntax()),
        syntax(c.new.files[new_n].syntax()),
    );
    let at = root(new_n).child(&[tag::FILE_SYNTAX]);
    let against = root(old_n).child(&[tag::FILE_SYNTAX]);
    same_value(
        c,
        "FILE_SAME_SYNTAX",
        "syntax",
        &before,
        &after,
        &at,
        &against,
    );
    let at = root(new_n).child(&[tag::FILE_PACKAGE]);
    let against = root(old_n).child(&[tag::FILE_PACKAGE]);
    same_value(
        c,
        "FILE_SAME_PACKAGE",
        "package",
        old.package(),
        new.package(),
        &at,
        &against,
    );
}

fn same_value(
    c: &mut Check<'_, '_>,
    rule: &'static str,
    what: &str,
    before: &str,
    after: &str,
    at: &Loc,
    against: &Loc,
) {
    if before != after {
        let message = format!(
            "File {what} changed from {} to {}.",
            quote(before),
            quote(after)
        );
        c.add(rule, At::Element(at), Some(against), message);
    }
}

/// A package's files, and its messages, enums, extensions and services by nested name.
#[derive(Default)]
struct PackageContents {
    files: BTreeSet<usize>,
    messages: BTreeMap<String, Loc>,
    enums: BTreeMap<String, Loc>,
    extensions: BTreeMap<String, Loc>,
    services: BTreeMap<String, Loc>,
}

fn by_package(index: &Index<'_>) -> BTreeMap<String, PackageContents> {
    let by_file = ByFile::new(index);
    let mut out: BTreeMap<String, PackageContents> = BTreeMap::new();
    for (n, file) in index.files.iter().enumerate() {
        let p = out.entry(file.proto.package().to_owned()).or_default();
        p.files.insert(n);
        p.messages.extend(by_file.messages[n].clone());
        p.enums.extend(by_file.enums[n].clone());
        p.extensions.extend(by_file.extensions[n].clone());
        p.services.extend(by_file.services[n].clone());
    }
    out
}

fn packages(c: &mut Check<'_, '_>) {
    let package_rules = [
        "PACKAGE_NO_DELETE",
        "PACKAGE_MESSAGE_NO_DELETE",
        "PACKAGE_ENUM_NO_DELETE",
        "PACKAGE_EXTENSION_NO_DELETE",
        "PACKAGE_SERVICE_NO_DELETE",
    ];
    if !package_rules.iter().any(|r| c.on(r)) {
        return;
    }
    let new = by_package(c.new);
    let old = by_package(c.old);
    let new_by_file = ByFile::new(c.new);
    for (name, before) in &old {
        let Some(after) = new.get(name) else {
            let first = before.files.iter().next().map(|&file| Loc {
                file,
                path: Vec::new(),
            });
            let message = format!("Previously present package {} was deleted.", quote(name));
            c.add("PACKAGE_NO_DELETE", At::Nowhere, first.as_ref(), message);
            continue;
        };
        for (rule, what, b, a) in [
            (
                "PACKAGE_MESSAGE_NO_DELETE",
                "message",
                &before.messages,
                &after.messages,
            ),
            (
                "PACKAGE_ENUM_NO_DELETE",
                "enum",
                &before.enums,
                &after.enums,
            ),
            (
                "PACKAGE_EXTENSION_NO_DELETE",
                "extension",
                &before.extensions,
                &after.extensions,
            ),
            (
                "PACKAGE_SERVICE_NO_DELETE",
                "service",
                &before.services,
                &after.services,
            ),
        ] {
            // buf groups messages, enums and extensions by package from the elements
            // themselves: a package with none of that kind left is not compared at all.
            // Services are grouped by file, so their packages are always compared.
            if !c.on(rule) || (a.is_empty() && what != "service") {
                continue;
            }
            for (nested, against) in b {
                if a.contains_key(nested) {
                    continue;
                }
                let old_file = c.old.files[against.file].name();
                let new_file = c.new.file_by_name.get(old_file).copied();
                let at = match (new_file, what) {
                    (None, _) => At::Nowhere,
                    (Some(f), "service") => At::File(f),
                    // Messages look for a parent anywhere in the package, the others in the file.
                    (Some(f), "message") => deleted_at(f, &after.messages, nested),
                    (Some(f), _) => deleted_at(f, &new_by_file.messages[f], nested),
                };
                let message = format!(
                    "Previously present {what} {} was deleted from package {}.",
                    quote(nested),
                    quote(name)
                );
                c.add(rule, at, Some(against), message);
            }
        }
    }
}
