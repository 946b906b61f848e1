//! Lint rules on files, packages, directories and imports.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use prost_types::{DescriptorProto, FileDescriptorProto, FileOptions};

use super::Lint;
use super::case::{Stability, lower_snake, package_version};
use crate::go::quote;
use crate::image::{Loc, tag};

pub(super) fn check(c: &mut Lint<'_, '_>) {
    for n in 0..c.index.files.len() {
        file(c, n);
        imports(c, n);
    }
    directories(c);
    packages(c);
    import_cycles(c);
}

fn root(file: usize) -> Loc {
    Loc {
        file,
        path: Vec::new(),
    }
}

fn package_loc(file: usize) -> Loc {
    root(file).child(&[tag::FILE_PACKAGE])
}

/// `a/b/c.proto` -> `a/b`; a file at the root is in `.`.
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or(".", |(dir, _)| dir)
}

fn file(c: &mut Lint<'_, '_>, n: usize) {
    let proto = c.index.files[n].proto;
    let name = proto.name();
    let package = proto.package();
    if package.is_empty() {
        c.add_to_file(
            "PACKAGE_DEFINED",
            n,
            "Files must have a package defined.".into(),
        );
    } else {
        let expected = package.replace('.', "/");
        let dir = dir_of(name);
        if dir != expected {
            let message = format!(
                "Files with package {} must be within a directory \"{expected}\" relative to \
                 root but were in directory \"{dir}\".",
                quote(package)
            );
            c.add("PACKAGE_DIRECTORY_MATCH", &package_loc(n), message);
        }
        let lower: Vec<String> = package.split('.').map(lower_snake).collect();
        let lower = lower.join(".");
        if lower != package {
            let message = format!(
                "Package name {} should be lower_snake.case, such as {}.",
                quote(package),
                quote(&lower)
            );
            c.add("PACKAGE_LOWER_SNAKE_CASE", &package_loc(n), message);
        }
        if package_version(package).is_none() {
            let message = format!(
                "Package name {} should be suffixed with a correctly formed version, such as {}.",
                quote(package),
                quote(&format!("{package}.v1"))
            );
            c.add("PACKAGE_VERSION_SUFFIX", &package_loc(n), message);
        }
    }
    // protoc and protox leave `syntax` empty for proto2, so a `syntax` statement shows in its
    // source location.
    let stated = c.index.files[n].location(&[tag::FILE_SYNTAX]).is_some();
    if proto.syntax.as_deref().unwrap_or("").is_empty() && !stated {
        let message = "Files must have a syntax explicitly specified. If no syntax is specified, \
                       the file defaults to \"proto2\"."
            .to_owned();
        c.add_to_file("SYNTAX_SPECIFIED", n, message);
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    let (stem, ext) = match base.rfind('.') {
        Some(i) => (&base[..i], &base[i..]),
        None => (base, ""),
    };
    let expected = lower_snake(stem);
    if expected != stem {
        let message = format!(
            "Filename {} should be lower_snake_case{ext}, such as \"{expected}{ext}\".",
            quote(base)
        );
        c.add_to_file("FILE_LOWER_SNAKE_CASE", n, message);
    }
}

/// Where each type and extension of the image is declared: full name -> file name.
fn declarations(files: &[FileDescriptorProto]) -> HashMap<String, &str> {
    fn walk<'f>(
        out: &mut HashMap<String, &'f str>,
        file: &'f str,
        scope: &str,
        messages: &[DescriptorProto],
    ) {
        for m in messages {
            let name = crate::image::join(scope, m.name());
            for e in &m.enum_type {
                out.insert(crate::image::join(&name, e.name()), file);
            }
            walk(out, file, &name, &m.nested_type);
            out.insert(name, file);
        }
    }
    let mut out = HashMap::new();
    for f in files {
        for e in &f.enum_type {
            out.insert(crate::image::join(f.package(), e.name()), f.name());
        }
        walk(&mut out, f.name(), f.package(), &f.message_type);
    }
    out
}

/// The files whose declarations a file refers to: field types, extendees, method types, and
/// the files declaring the custom options it sets.
fn referenced(
    file: &FileDescriptorProto,
    declared: &HashMap<String, &str>,
    options: Option<&BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut names: Vec<&str> = Vec::new();
    fn fields<'p>(names: &mut Vec<&'p str>, messages: &'p [DescriptorProto]) {
        for m in messages {
            for f in m.field.iter().chain(&m.extension) {
                names.push(f.type_name());
                names.push(f.extendee());
            }
            fields(names, &m.nested_type);
        }
    }
    fields(&mut names, &file.message_type);
    for ext in &file.extension {
        names.push(ext.type_name());
        names.push(ext.extendee());
    }
    for service in &file.service {
        for method in &service.method {
            names.push(method.input_type());
            names.push(method.output_type());
        }
    }
    let mut out: BTreeSet<String> = names
        .into_iter()
        .filter_map(|n| declared.get(n.trim_start_matches('.')))
        .map(|f| (*f).to_owned())
        .collect();
    if let Some(options) = options {
        out.extend(options.iter().cloned());
    }
    out
}

fn imports(c: &mut Lint<'_, '_>, n: usize) {
    let proto = c.index.files[n].proto;
    let all = c.image.all_files();
    let by_name: HashMap<&str, &FileDescriptorProto> = all.iter().map(|f| (f.name(), f)).collect();
    let declared = declarations(all);
    let options = c.image.option_files(proto.name());
    let used = referenced(proto, &declared, options);
    // Without the custom options (an image not made from an encoded set), an import cannot be
    // proven unused.
    let know_options = options.is_some();
    for (i, dep) in proto.dependency.iter().enumerate() {
        let at = root(n).child(&[tag::FILE_DEPENDENCY, i as i32]);
        let public = proto.public_dependency.contains(&(i as i32));
        if public {
            let message = format!("Import {} must not be public.", quote(dep));
            c.add("IMPORT_NO_PUBLIC", &at, message);
            continue;
        }
        if know_options && !publicly_reaches(dep, &used, &by_name, &mut BTreeSet::new()) {
            c.add(
                "IMPORT_USED",
                &at,
                format!("Import {} is unused.", quote(dep)),
            );
        }
        stable_imports_unstable(c, n, &at, dep);
    }
}

/// Whether `dep`, or a file it imports publicly (transitively), is among `used`.
fn publicly_reaches(
    dep: &str,
    used: &BTreeSet<String>,
    files: &HashMap<&str, &FileDescriptorProto>,
    seen: &mut BTreeSet<String>,
) -> bool {
    if used.contains(dep) {
        return true;
    }
    if !seen.insert(dep.to_owned()) {
        return false;
    }
    let Some(file) = files.get(dep) else {
        return false;
    };
    file.public_dependency
        .iter()
        .filter_map(|&i| file.dependency.get(i as usize))
        .any(|d| publicly_reaches(d, used, files, seen))
}

fn stable_imports_unstable(c: &mut Lint<'_, '_>, n: usize, at: &Loc, dep: &str) {
    let package = c.index.files[n].proto.package();
    if package_version(package) != Some(Stability::Stable) {
        return;
    }
    // buf looks the import up among the checked files only.
    let Some(&imported) = c.index.file_by_name.get(dep) else {
        return;
    };
    let imported = c.index.files[imported].proto.package();
    if package_version(imported) == Some(Stability::Unstable) {
        let message = format!(
            "This file is in stable package {}, so it should not depend on {} from unstable \
             package {}.",
            quote(package),
            quote(dep),
            quote(imported)
        );
        c.add("STABLE_PACKAGE_NO_IMPORT_UNSTABLE", at, message);
    }
}

fn directories(c: &mut Lint<'_, '_>) {
    let mut by_dir: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, f) in c.index.files.iter().enumerate() {
        by_dir.entry(dir_of(f.name())).or_default().push(n);
    }
    for (dir, files) in by_dir {
        let mut packages: BTreeSet<&str> = files
            .iter()
            .map(|&n| c.index.files[n].proto.package())
            .collect();
        if packages.len() < 2 {
            continue;
        }
        let no_package = packages.remove("");
        let joined = packages.iter().copied().collect::<Vec<_>>().join(",");
        let prefix = match (no_package, packages.len()) {
            (true, 1) => format!("Package {} and file with no package", quote(&joined)),
            (true, _) => format!(
                "Multiple packages {} and file with no package",
                quote(&joined)
            ),
            (false, _) => format!("Multiple packages {}", quote(&joined)),
        };
        for n in files {
            let message = format!("{prefix} detected within directory {}.", quote(dir));
            at_package_or_file(c, "DIRECTORY_SAME_PACKAGE", n, message);
        }
    }
}

/// At the file's package statement, or at 1:1 when it has none.
fn at_package_or_file(c: &mut Lint<'_, '_>, rule: &'static str, n: usize, message: String) {
    at_or_file(c, rule, n, &package_loc(n), message);
}

fn at_or_file(c: &mut Lint<'_, '_>, rule: &'static str, n: usize, at: &Loc, message: String) {
    if c.index.files[n].location(&at.path).is_some() {
        c.add(rule, at, message);
    } else {
        c.add_to_file(rule, n, message);
    }
}

type OptionValue = fn(&FileDescriptorProto) -> String;

fn option(f: &FileDescriptorProto) -> &FileOptions {
    static DEFAULT: std::sync::OnceLock<FileOptions> = std::sync::OnceLock::new();
    f.options
        .as_ref()
        .unwrap_or_else(|| DEFAULT.get_or_init(FileOptions::default))
}

/// The options all files of a package must agree on: rule, option, field number, value.
const SAME_OPTIONS: &[(&str, &str, i32, OptionValue)] = &[
    (
        "PACKAGE_SAME_CSHARP_NAMESPACE",
        "csharp_namespace",
        37,
        |f| option(f).csharp_namespace().to_owned(),
    ),
    ("PACKAGE_SAME_GO_PACKAGE", "go_package", 11, |f| {
        option(f).go_package().to_owned()
    }),
    (
        "PACKAGE_SAME_JAVA_MULTIPLE_FILES",
        "java_multiple_files",
        10,
        |f| {
            option(f)
                .java_multiple_files
                .map_or(String::new(), |v| v.to_string())
        },
    ),
    ("PACKAGE_SAME_JAVA_PACKAGE", "java_package", 1, |f| {
        option(f).java_package().to_owned()
    }),
    ("PACKAGE_SAME_PHP_NAMESPACE", "php_namespace", 41, |f| {
        option(f).php_namespace().to_owned()
    }),
    ("PACKAGE_SAME_RUBY_PACKAGE", "ruby_package", 45, |f| {
        option(f).ruby_package().to_owned()
    }),
    ("PACKAGE_SAME_SWIFT_PREFIX", "swift_prefix", 39, |f| {
        option(f).swift_prefix().to_owned()
    }),
];

fn packages(c: &mut Lint<'_, '_>) {
    let mut by_package: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, f) in c.index.files.iter().enumerate() {
        by_package.entry(f.proto.package()).or_default().push(n);
    }
    for (package, files) in by_package {
        let dirs: BTreeSet<&str> = files
            .iter()
            .map(|&n| dir_of(c.index.files[n].name()))
            .collect();
        if dirs.len() > 1 {
            let dirs = dirs.into_iter().collect::<Vec<_>>().join(",");
            for &n in &files {
                let message = format!(
                    "Multiple directories {} contain files with package {}.",
                    quote(&dirs),
                    quote(package)
                );
                at_package_or_file(c, "PACKAGE_SAME_DIRECTORY", n, message);
            }
        }
        for &(rule, name, number, value) in SAME_OPTIONS {
            let mut values: BTreeSet<String> = files
                .iter()
                .map(|&n| value(c.index.files[n].proto))
                .collect();
            if values.len() < 2 {
                continue;
            }
            let none = values.remove("");
            let joined = values.into_iter().collect::<Vec<_>>().join(",");
            let message = if none {
                format!(
                    "Files in package {} have both values {} and no value for option {} and all \
                     values must be equal.",
                    quote(package),
                    quote(&joined),
                    quote(name)
                )
            } else {
                format!(
                    "Files in package {} have multiple values {} for option {} and all values \
                     must be equal.",
                    quote(package),
                    quote(&joined),
                    quote(name)
                )
            };
            for &n in &files {
                let at = root(n).child(&[tag::FILE_OPTIONS, number]);
                at_or_file(c, rule, n, &at, message.clone());
            }
        }
    }
}

/// Package -> imported package -> the imports (file, dependency index) that make the edge.
type Graph<'g> = BTreeMap<&'g str, BTreeMap<&'g str, Vec<(&'g str, usize)>>>;

/// PACKAGE_NO_IMPORT_CYCLE: from each package, a depth-first walk over the packages its files
/// import (imports included, as buf does); a cycle back to the start is reported on each import
/// of a checked file that begins it.
fn import_cycles(c: &mut Lint<'_, '_>) {
    const RULE: &str = "PACKAGE_NO_IMPORT_CYCLE";
    if !c.on(RULE) {
        return;
    }
    let all = c.image.all_files();
    let package_of: HashMap<&str, &str> = all.iter().map(|f| (f.name(), f.package())).collect();
    let mut graph: Graph<'_> = BTreeMap::new();
    for f in all {
        for (i, dep) in f.dependency.iter().enumerate() {
            let Some(&to) = package_of.get(dep.as_str()) else {
                continue;
            };
            if to != f.package() {
                graph
                    .entry(f.package())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .push((f.name(), i));
            }
        }
    }
    let mut found = Vec::new();
    for (&start, edges) in &graph {
        if start.is_empty() {
            continue;
        }
        for (&next, imports) in edges {
            if next.is_empty() {
                continue;
            }
            let mut used = BTreeSet::from([start]);
            if let Some(cycle) = cycle_from(next, &graph, &mut used, vec![start]) {
                for &(file, i) in imports {
                    found.push((file.to_owned(), i, cycle.join(" -> ")));
                }
            }
        }
    }
    for (file, i, cycle) in found {
        if let Some(&n) = c.index.file_by_name.get(file.as_str()) {
            let at = root(n).child(&[tag::FILE_DEPENDENCY, i as i32]);
            c.add(RULE, &at, format!("Package import cycle: {cycle}"));
        }
    }
}

fn cycle_from<'g>(
    package: &'g str,
    graph: &Graph<'g>,
    used: &mut BTreeSet<&'g str>,
    mut path: Vec<&'g str>,
) -> Option<Vec<&'g str>> {
    path.push(package);
    if used.contains(package) {
        return (path.first() == path.last()).then_some(path);
    }
    used.insert(package);
    for &next in graph.get(package).into_iter().flat_map(BTreeMap::keys) {
        if next.is_empty() {
            continue;
        }
        if let Some(cycle) = cycle_from(next, graph, used, path.clone()) {
            return Some(cycle);
        }
    }
    used.remove(package);
    None
}
