//! Rust names for proto elements, exactly as prost-build 0.14 spells them.
//!
//! protogen's generated code sits beside prost's types and refers to them by name, so every rule
//! here mirrors `prost-build/src/ident.rs`, `module.rs`, `extern_paths.rs` and
//! `CodeGenerator::resolve_ident`. A divergence is a compile error in generated code, which the
//! corpus check (`scripts/corpus-check`) is there to catch.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Makes `ident` usable as a Rust identifier the way prost-build does: raw identifiers for
/// keywords that allow it, a trailing `_` for those that do not, a leading `_` before a digit.
pub fn sanitize_identifier(ident: &str) -> String {
    match ident {
        "as" | "break" | "const" | "continue" | "else" | "enum" | "false" | "fn" | "for" | "if"
        | "impl" | "in" | "let" | "loop" | "match" | "mod" | "move" | "mut" | "pub" | "ref"
        | "return" | "static" | "struct" | "trait" | "true" | "type" | "unsafe" | "use"
        | "where" | "while" | "dyn" | "abstract" | "become" | "box" | "do" | "final" | "macro"
        | "override" | "priv" | "typeof" | "unsized" | "virtual" | "yield" | "async" | "await"
        | "try" | "gen" => format!("r#{ident}"),
        "_" | "super" | "self" | "Self" | "extern" | "crate" => format!("{ident}_"),
        s if s.starts_with(|c: char| c.is_numeric()) => format!("_{ident}"),
        _ => ident.to_owned(),
    }
}

/// Field, module and oneof-field names: `snake_case`, sanitized.
pub fn to_snake(name: &str) -> String {
    sanitize_identifier(&name.to_snake_case())
}

/// Type and variant names: `UpperCamelCase`, sanitized.
pub fn to_upper_camel(name: &str) -> String {
    sanitize_identifier(&name.to_upper_camel_case())
}

/// prost strips the enum's own name from the front of a variant (`COLOR_RED` in `Color` becomes
/// `Red`) unless what is left would not start with an upper-case letter.
pub fn strip_enum_prefix(enum_name: &str, variant: &str) -> String {
    let stripped = variant.strip_prefix(enum_name).unwrap_or(variant);
    let stripped = if stripped.starts_with(char::is_uppercase) {
        stripped
    } else {
        variant
    };
    sanitize_identifier(stripped)
}

/// The module path prost gives a proto package: `foo.BarBaz` becomes `["foo", "bar_baz"]`.
pub fn package_module(package: &str) -> Vec<String> {
    package
        .split('.')
        .filter(|part| !part.is_empty())
        .map(to_snake)
        .collect()
}

/// The file prost-build writes a package to: `foo.bar_baz.rs`, or `_.rs` for no package.
pub fn package_file_name(package: &str) -> String {
    let module = package_module(package);
    if module.is_empty() {
        "_.rs".to_owned()
    } else {
        format!("{}.rs", module.join("."))
    }
}

/// The proto-path → Rust-path table prost-build consults before generating or referring to a type.
#[derive(Clone, Debug, Default)]
pub struct ExternPaths {
    paths: Vec<(String, String)>,
}

impl ExternPaths {
    /// `user` are the `extern_path` pairs given to the builder. Unless the well-known types are
    /// compiled, `.google.protobuf` maps to `::prost_types` and the wrappers to Rust primitives,
    /// as in prost-build.
    pub fn new(user: &[(String, String)], compile_well_known_types: bool) -> Self {
        let mut paths = user.to_vec();
        if !compile_well_known_types {
            let wkt = [
                (".google.protobuf", "::prost_types"),
                (".google.protobuf.BoolValue", "bool"),
                (
                    ".google.protobuf.BytesValue",
                    "::prost::alloc::vec::Vec<u8>",
                ),
                (".google.protobuf.DoubleValue", "f64"),
                (".google.protobuf.Empty", "()"),
                (".google.protobuf.FloatValue", "f32"),
                (".google.protobuf.Int32Value", "i32"),
                (".google.protobuf.Int64Value", "i64"),
                (
                    ".google.protobuf.StringValue",
                    "::prost::alloc::string::String",
                ),
                (".google.protobuf.UInt32Value", "u32"),
                (".google.protobuf.UInt64Value", "u64"),
            ];
            paths.extend(wkt.iter().map(|(p, r)| (p.to_string(), r.to_string())));
        }
        ExternPaths { paths }
    }

    fn get(&self, proto_path: &str) -> Option<&str> {
        self.paths
            .iter()
            .find(|(p, _)| p == proto_path)
            .map(|(_, r)| r.as_str())
    }

    /// The Rust path of a fully-qualified proto name (`.pkg.Msg`) if an extern path covers it:
    /// the longest matching prefix wins, and the rest is appended in prost's casing.
    pub fn resolve(&self, fq_name: &str) -> Option<String> {
        if let Some(rust) = self.get(fq_name) {
            return Some(rust.to_owned());
        }
        for (idx, _) in fq_name.rmatch_indices('.') {
            let Some(rust) = self.get(&fq_name[..idx]) else {
                continue;
            };
            let mut rest = fq_name[idx + 1..].split('.');
            let ty = rest.next_back().map(to_upper_camel);
            let segments: Vec<String> = rust
                .split("::")
                .chain(rest)
                .enumerate()
                .map(|(i, s)| {
                    if i == 0 && s == "crate" {
                        s.to_owned()
                    } else {
                        to_snake(s)
                    }
                })
                .chain(ty)
                .collect();
            return Some(segments.join("::"));
        }
        None
    }
}

/// The path by which code at the top level of `from_package`'s module names the type `fq_name`
/// (`.pkg.Outer.Inner`): an extern path, or `super::`s up to the common ancestor and back down,
/// exactly as prost-build's `resolve_ident`.
pub fn resolve_type_path(extern_paths: &ExternPaths, from_package: &str, fq_name: &str) -> String {
    if let Some(path) = extern_paths.resolve(fq_name) {
        return path;
    }
    let mut local = from_package.split('.').filter(|s| !s.is_empty()).peekable();
    let mut target = fq_name.trim_start_matches('.').split('.');
    let ty = target.next_back().unwrap_or_default();
    let mut target = target.peekable();
    while local.peek().is_some() && local.peek() == target.peek() {
        local.next();
        target.next();
    }
    local
        .map(|_| "super".to_owned())
        .chain(target.map(to_snake))
        .chain(std::iter::once(to_upper_camel(ty)))
        .collect::<Vec<_>>()
        .join("::")
}

/// Whether any of prost-build's path selectors (`.`, `.pkg`, `.pkg.Msg.field`, `Msg.field`,
/// `field`) selects the field `fq_message.field`. Used for the `bytes` and `btree_map` knobs.
pub fn path_selected(selectors: &[String], fq_message: &str, field: &str) -> bool {
    let full = format!("{fq_message}.{field}");
    sub_paths(&full).any(|p| selectors.iter().any(|s| s == p))
}

fn sub_paths(full: &str) -> impl Iterator<Item = &str> {
    let suffixes = std::iter::successors(Some(full), |p| {
        p.split_once('.').map(|x| x.1).filter(|p| !p.is_empty())
    })
    .skip(1);
    let prefixes = std::iter::successors(Some(full), |p| {
        p.rsplit_once('.').map(|x| x.0).filter(|p| !p.is_empty())
    })
    .skip(1);
    std::iter::once(full)
        .chain(suffixes)
        .chain(prefixes)
        .chain(std::iter::once("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_escaped_like_prost() {
        assert_eq!(to_snake("type"), "r#type");
        assert_eq!(to_snake("self"), "self_");
        assert_eq!(to_upper_camel("self"), "Self_");
        assert_eq!(to_snake("XMLHttpRequest"), "xml_http_request");
        assert_eq!(to_snake("FUZZ_BUSTER"), "fuzz_buster");
        assert_eq!(to_upper_camel("foo_bar"), "FooBar");
        assert_eq!(sanitize_identifier("0foo"), "_0foo");
    }

    #[test]
    fn enum_prefix_is_stripped_only_before_an_upper_case_letter() {
        assert_eq!(strip_enum_prefix("Color", "ColorRed"), "Red");
        assert_eq!(strip_enum_prefix("Color", "Colorful"), "Colorful");
        assert_eq!(strip_enum_prefix("Kind", "KindType"), "Type");
    }

    #[test]
    fn type_paths_climb_to_the_common_package() {
        let ext = ExternPaths::new(&[], false);
        assert_eq!(
            resolve_type_path(&ext, "shop.v1", ".shop.v1.Order"),
            "Order"
        );
        assert_eq!(
            resolve_type_path(&ext, "shop.v1", ".shop.v1.Order.Line"),
            "order::Line"
        );
        assert_eq!(
            resolve_type_path(&ext, "shop.v1", ".common.v1.Money"),
            "super::super::common::v1::Money"
        );
        assert_eq!(resolve_type_path(&ext, "", ".a.B"), "a::B");
        assert_eq!(
            resolve_type_path(&ext, "x", ".google.protobuf.Timestamp"),
            "::prost_types::Timestamp"
        );
        assert_eq!(
            resolve_type_path(&ext, "x", ".google.protobuf.Int32Value"),
            "i32"
        );
    }

    #[test]
    fn user_extern_paths_take_the_longest_prefix() {
        let ext = ExternPaths::new(
            &[
                (".foo".into(), "::foo1".into()),
                (".foo.bar".into(), "::foo2".into()),
            ],
            true,
        );
        assert_eq!(ext.resolve(".foo.Bar").as_deref(), Some("::foo1::Bar"));
        assert_eq!(ext.resolve(".foo.bar.Baz").as_deref(), Some("::foo2::Baz"));
        assert_eq!(
            ext.resolve(".foo.bar.a_b.C").as_deref(),
            Some("::foo2::a_b::C")
        );
        assert_eq!(ext.resolve(".google.protobuf.Timestamp"), None);
    }

    #[test]
    fn path_selectors_match_like_prost() {
        let sel = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(path_selected(&sel(&["."]), ".a.B", "c"));
        assert!(path_selected(&sel(&[".a"]), ".a.B", "c"));
        assert!(path_selected(&sel(&["B.c"]), ".a.B", "c"));
        assert!(path_selected(&sel(&["c"]), ".a.B", "c"));
        assert!(!path_selected(&sel(&[".a.B.d"]), ".a.B", "c"));
        assert!(!path_selected(&sel(&[".b"]), ".a.B", "c"));
    }
}
