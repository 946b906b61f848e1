//! buf's rules: ids, categories and purposes as `buf config ls-breaking-rules` and
//! `buf config ls-lint-rules` print them for buf.yaml v2 (buf 1.75). The checks in `breaking/`
//! and `lint/` report under these ids; `RuleSet` resolves buf.yaml's `use` and `except`.

use std::collections::BTreeSet;

/// One rule: its id, the categories that include it, whether it is on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: &'static str,
    pub categories: &'static [&'static str],
    pub default: bool,
    pub purpose: &'static str,
}

#[rustfmt::skip]
pub const BREAKING: &[RuleInfo] = &[
    RuleInfo { id: "EXTENSION_NO_DELETE", categories: &["FILE"], default: true, purpose: "Checks that extensions are not deleted from a given file." },
    RuleInfo { id: "SERVICE_NO_DELETE", categories: &["FILE"], default: true, purpose: "Checks that services are not deleted from a given file." },
    RuleInfo { id: "ENUM_NO_DELETE", categories: &["CSR", "FILE"], default: true, purpose: "Checks that enums are not deleted from a given file." },
    RuleInfo { id: "FILE_NO_DELETE", categories: &["CSR", "FILE"], default: true, purpose: "Checks that files are not deleted." },
    RuleInfo { id: "MESSAGE_NO_DELETE", categories: &["CSR", "FILE"], default: true, purpose: "Checks that messages are not deleted from a given file." },
    RuleInfo { id: "ENUM_SAME_TYPE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that enums have the same type (open vs closed)." },
    RuleInfo { id: "FIELD_SAME_CARDINALITY", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that fields have the same cardinalities in a given message." },
    RuleInfo { id: "FIELD_SAME_CPP_STRING_TYPE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that fields have the same C++ string type, based on ctype field option or (pb.cpp).string_type feature." },
    RuleInfo { id: "FIELD_SAME_JAVA_UTF8_VALIDATION", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature." },
    RuleInfo { id: "FIELD_SAME_JSTYPE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that fields have the same value for the jstype option." },
    RuleInfo { id: "FIELD_SAME_UTF8_VALIDATION", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that string fields have the same UTF8 validation mode." },
    RuleInfo { id: "FILE_SAME_CC_ENABLE_ARENAS", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the cc_enable_arenas option." },
    RuleInfo { id: "FILE_SAME_CC_GENERIC_SERVICES", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the cc_generic_services option." },
    RuleInfo { id: "FILE_SAME_CSHARP_NAMESPACE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the csharp_namespace option." },
    RuleInfo { id: "FILE_SAME_GO_PACKAGE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the go_package option." },
    RuleInfo { id: "FILE_SAME_JAVA_GENERIC_SERVICES", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the java_generic_services option." },
    RuleInfo { id: "FILE_SAME_JAVA_MULTIPLE_FILES", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the java_multiple_files option." },
    RuleInfo { id: "FILE_SAME_JAVA_OUTER_CLASSNAME", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the java_outer_classname option." },
    RuleInfo { id: "FILE_SAME_JAVA_PACKAGE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the java_package option." },
    RuleInfo { id: "FILE_SAME_OBJC_CLASS_PREFIX", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the objc_class_prefix option." },
    RuleInfo { id: "FILE_SAME_OPTIMIZE_FOR", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the optimize_for option." },
    RuleInfo { id: "FILE_SAME_PHP_CLASS_PREFIX", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the php_class_prefix option." },
    RuleInfo { id: "FILE_SAME_PHP_METADATA_NAMESPACE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the php_metadata_namespace option." },
    RuleInfo { id: "FILE_SAME_PHP_NAMESPACE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the php_namespace option." },
    RuleInfo { id: "FILE_SAME_PY_GENERIC_SERVICES", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the py_generic_services option." },
    RuleInfo { id: "FILE_SAME_RUBY_PACKAGE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the ruby_package option." },
    RuleInfo { id: "FILE_SAME_SWIFT_PREFIX", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same value for the swift_prefix option." },
    RuleInfo { id: "RPC_NO_DELETE", categories: &["FILE", "PACKAGE"], default: true, purpose: "Checks that rpcs are not deleted from a given service." },
    RuleInfo { id: "ENUM_VALUE_NO_DELETE", categories: &["CSR", "FILE", "PACKAGE"], default: true, purpose: "Checks that enum values are not deleted from a given enum." },
    RuleInfo { id: "EXTENSION_MESSAGE_NO_DELETE", categories: &["CSR", "FILE", "PACKAGE"], default: true, purpose: "Checks that extension ranges are not deleted from a given message." },
    RuleInfo { id: "FIELD_NO_DELETE", categories: &["CSR", "FILE", "PACKAGE"], default: true, purpose: "Checks that fields are not deleted from a given message." },
    RuleInfo { id: "FIELD_SAME_TYPE", categories: &["CSR", "FILE", "PACKAGE"], default: true, purpose: "Checks that fields have the same types in a given message." },
    RuleInfo { id: "FILE_SAME_SYNTAX", categories: &["CSR", "FILE", "PACKAGE"], default: true, purpose: "Checks that files have the same syntax." },
    RuleInfo { id: "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", categories: &["CSR", "FILE", "PACKAGE"], default: true, purpose: "Checks that messages do not change the no_standard_descriptor_accessor option from false or unset to true." },
    RuleInfo { id: "ONEOF_NO_DELETE", categories: &["CSR", "FILE", "PACKAGE"], default: true, purpose: "Checks that oneofs are not deleted from a given message." },
    RuleInfo { id: "ENUM_SAME_JSON_FORMAT", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON"], default: true, purpose: "Checks that enums have the same JSON format support." },
    RuleInfo { id: "ENUM_VALUE_SAME_NAME", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON"], default: true, purpose: "Checks that enum values have the same name." },
    RuleInfo { id: "FIELD_SAME_JSON_NAME", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON"], default: true, purpose: "Checks that fields have the same value for the json_name option." },
    RuleInfo { id: "FIELD_SAME_NAME", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON"], default: true, purpose: "Checks that fields have the same names in a given message." },
    RuleInfo { id: "MESSAGE_SAME_JSON_FORMAT", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON"], default: true, purpose: "Checks that messages have the same JSON format support." },
    RuleInfo { id: "FIELD_SAME_DEFAULT", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that fields have the same default value, if a default is specified." },
    RuleInfo { id: "FIELD_SAME_ONEOF", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that fields have the same oneofs in a given message." },
    RuleInfo { id: "FILE_SAME_PACKAGE", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that files have the same package." },
    RuleInfo { id: "MESSAGE_SAME_REQUIRED_FIELDS", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that messages have no added or deleted required fields." },
    RuleInfo { id: "RESERVED_ENUM_NO_DELETE", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that reserved ranges and names are not deleted from a given enum." },
    RuleInfo { id: "RESERVED_MESSAGE_NO_DELETE", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that reserved ranges and names are not deleted from a given message." },
    RuleInfo { id: "RPC_SAME_CLIENT_STREAMING", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that rpcs have the same client streaming value." },
    RuleInfo { id: "RPC_SAME_IDEMPOTENCY_LEVEL", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that rpcs have the same value for the idempotency_level option." },
    RuleInfo { id: "RPC_SAME_REQUEST_TYPE", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that rpcs are have the same request type." },
    RuleInfo { id: "RPC_SAME_RESPONSE_TYPE", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that rpcs are have the same response type." },
    RuleInfo { id: "RPC_SAME_SERVER_STREAMING", categories: &["CSR", "FILE", "PACKAGE", "WIRE_JSON", "WIRE"], default: true, purpose: "Checks that rpcs have the same server streaming value." },
    RuleInfo { id: "PACKAGE_ENUM_NO_DELETE", categories: &["PACKAGE"], default: false, purpose: "Checks that enums are not deleted from a given package." },
    RuleInfo { id: "PACKAGE_EXTENSION_NO_DELETE", categories: &["PACKAGE"], default: false, purpose: "Checks that extensions are not deleted from a given package." },
    RuleInfo { id: "PACKAGE_MESSAGE_NO_DELETE", categories: &["PACKAGE"], default: false, purpose: "Checks that messages are not deleted from a given package." },
    RuleInfo { id: "PACKAGE_NO_DELETE", categories: &["PACKAGE"], default: false, purpose: "Checks that packages are not deleted." },
    RuleInfo { id: "PACKAGE_SERVICE_NO_DELETE", categories: &["PACKAGE"], default: false, purpose: "Checks that services are not deleted from a given package." },
    RuleInfo { id: "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", categories: &["CSR", "WIRE_JSON"], default: false, purpose: "Checks that enum values are not deleted from a given enum unless the name is reserved." },
    RuleInfo { id: "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", categories: &["CSR", "WIRE_JSON"], default: false, purpose: "Checks that fields are not deleted from a given message unless the name is reserved." },
    RuleInfo { id: "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", categories: &["CSR", "WIRE_JSON"], default: false, purpose: "Checks that fields have wire and JSON compatible cardinalities in a given message." },
    RuleInfo { id: "FIELD_WIRE_JSON_COMPATIBLE_TYPE", categories: &["CSR", "WIRE_JSON"], default: false, purpose: "Checks that fields have wire and JSON compatible types in a given message." },
    RuleInfo { id: "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", categories: &["CSR", "WIRE_JSON", "WIRE"], default: false, purpose: "Checks that enum values are not deleted from a given enum unless the number is reserved." },
    RuleInfo { id: "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", categories: &["CSR", "WIRE_JSON", "WIRE"], default: false, purpose: "Checks that fields are not deleted from a given message unless the number is reserved." },
    RuleInfo { id: "FIELD_WIRE_COMPATIBLE_CARDINALITY", categories: &["WIRE"], default: false, purpose: "Checks that fields have wire-compatible cardinalities in a given message." },
    RuleInfo { id: "FIELD_WIRE_COMPATIBLE_TYPE", categories: &["WIRE"], default: false, purpose: "Checks that fields have wire-compatible types in a given message." },
];

#[rustfmt::skip]
pub const LINT: &[RuleInfo] = &[
    RuleInfo { id: "DIRECTORY_SAME_PACKAGE", categories: &["MINIMAL", "BASIC", "STANDARD"], default: true, purpose: "Checks that all files in a given directory are in the same package." },
    RuleInfo { id: "PACKAGE_DEFINED", categories: &["MINIMAL", "BASIC", "STANDARD"], default: true, purpose: "Checks that all files have a package defined." },
    RuleInfo { id: "PACKAGE_DIRECTORY_MATCH", categories: &["MINIMAL", "BASIC", "STANDARD"], default: true, purpose: "Checks that all files are in a directory that matches their package name." },
    RuleInfo { id: "PACKAGE_NO_IMPORT_CYCLE", categories: &["MINIMAL", "BASIC", "STANDARD"], default: true, purpose: "Checks that packages do not have import cycles." },
    RuleInfo { id: "PACKAGE_SAME_DIRECTORY", categories: &["MINIMAL", "BASIC", "STANDARD"], default: true, purpose: "Checks that all files with a given package are in the same directory." },
    RuleInfo { id: "ENUM_FIRST_VALUE_ZERO", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all first values of enums have a numeric value of 0." },
    RuleInfo { id: "ENUM_NO_ALLOW_ALIAS", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that enums do not have the allow_alias option set." },
    RuleInfo { id: "ENUM_PASCAL_CASE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that enums are PascalCase." },
    RuleInfo { id: "ENUM_VALUE_UPPER_SNAKE_CASE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that enum values are UPPER_SNAKE_CASE." },
    RuleInfo { id: "FIELD_LOWER_SNAKE_CASE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that field names are lower_snake_case." },
    RuleInfo { id: "FIELD_NOT_REQUIRED", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that fields are not configured to be required." },
    RuleInfo { id: "IMPORT_NO_PUBLIC", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that imports are not public." },
    RuleInfo { id: "IMPORT_USED", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that imports are used." },
    RuleInfo { id: "MESSAGE_PASCAL_CASE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that messages are PascalCase." },
    RuleInfo { id: "ONEOF_LOWER_SNAKE_CASE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that oneof names are lower_snake_case." },
    RuleInfo { id: "PACKAGE_LOWER_SNAKE_CASE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that packages are lower_snake.case." },
    RuleInfo { id: "PACKAGE_SAME_CSHARP_NAMESPACE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all files with a given package have the same value for the csharp_namespace option." },
    RuleInfo { id: "PACKAGE_SAME_GO_PACKAGE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all files with a given package have the same value for the go_package option." },
    RuleInfo { id: "PACKAGE_SAME_JAVA_MULTIPLE_FILES", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all files with a given package have the same value for the java_multiple_files option." },
    RuleInfo { id: "PACKAGE_SAME_JAVA_PACKAGE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all files with a given package have the same value for the java_package option." },
    RuleInfo { id: "PACKAGE_SAME_PHP_NAMESPACE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all files with a given package have the same value for the php_namespace option." },
    RuleInfo { id: "PACKAGE_SAME_RUBY_PACKAGE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all files with a given package have the same value for the ruby_package option." },
    RuleInfo { id: "PACKAGE_SAME_SWIFT_PREFIX", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all files with a given package have the same value for the swift_prefix option." },
    RuleInfo { id: "RPC_PASCAL_CASE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that RPCs are PascalCase." },
    RuleInfo { id: "SERVICE_PASCAL_CASE", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that services are PascalCase." },
    RuleInfo { id: "SYNTAX_SPECIFIED", categories: &["BASIC", "STANDARD"], default: true, purpose: "Checks that all files have a syntax specified." },
    RuleInfo { id: "ENUM_VALUE_PREFIX", categories: &["STANDARD"], default: true, purpose: "Checks that enum values are prefixed with ENUM_NAME_UPPER_SNAKE_CASE." },
    RuleInfo { id: "ENUM_ZERO_VALUE_SUFFIX", categories: &["STANDARD"], default: true, purpose: "Checks that enum zero values have a consistent suffix (configurable, default suffix is \"_UNSPECIFIED\")." },
    RuleInfo { id: "FILE_LOWER_SNAKE_CASE", categories: &["STANDARD"], default: true, purpose: "Checks that filenames are lower_snake_case." },
    RuleInfo { id: "PACKAGE_VERSION_SUFFIX", categories: &["STANDARD"], default: true, purpose: "Checks that the last component of all packages is a version of the form v\\d+, v\\d+test.*, v\\d+(alpha|beta)\\d+, or v\\d+p\\d+(alpha|beta)\\d+, where numbers are >=1." },
    RuleInfo { id: "PROTOVALIDATE", categories: &["STANDARD"], default: true, purpose: "Checks that protovalidate rules are valid and all CEL expressions compile." },
    RuleInfo { id: "RPC_REQUEST_RESPONSE_UNIQUE", categories: &["STANDARD"], default: true, purpose: "Checks that RPC request and response types are only used in one RPC (configurable)." },
    RuleInfo { id: "RPC_REQUEST_STANDARD_NAME", categories: &["STANDARD"], default: true, purpose: "Checks that RPC request type names are RPCNameRequest or ServiceNameRPCNameRequest (configurable)." },
    RuleInfo { id: "RPC_RESPONSE_STANDARD_NAME", categories: &["STANDARD"], default: true, purpose: "Checks that RPC response type names are RPCNameResponse or ServiceNameRPCNameResponse (configurable)." },
    RuleInfo { id: "SERVICE_SUFFIX", categories: &["STANDARD"], default: true, purpose: "Checks that services have a consistent suffix (configurable, default suffix is \"Service\")." },
    RuleInfo { id: "COMMENT_ENUM", categories: &["COMMENTS"], default: false, purpose: "Checks that enums have non-empty comments." },
    RuleInfo { id: "COMMENT_ENUM_VALUE", categories: &["COMMENTS"], default: false, purpose: "Checks that enum values have non-empty comments." },
    RuleInfo { id: "COMMENT_FIELD", categories: &["COMMENTS"], default: false, purpose: "Checks that fields have non-empty comments." },
    RuleInfo { id: "COMMENT_MESSAGE", categories: &["COMMENTS"], default: false, purpose: "Checks that messages have non-empty comments." },
    RuleInfo { id: "COMMENT_ONEOF", categories: &["COMMENTS"], default: false, purpose: "Checks that oneofs have non-empty comments." },
    RuleInfo { id: "COMMENT_RPC", categories: &["COMMENTS"], default: false, purpose: "Checks that RPCs have non-empty comments." },
    RuleInfo { id: "COMMENT_SERVICE", categories: &["COMMENTS"], default: false, purpose: "Checks that services have non-empty comments." },
    RuleInfo { id: "RPC_NO_CLIENT_STREAMING", categories: &["UNARY_RPC"], default: false, purpose: "Checks that RPCs are not client streaming." },
    RuleInfo { id: "RPC_NO_SERVER_STREAMING", categories: &["UNARY_RPC"], default: false, purpose: "Checks that RPCs are not server streaming." },
    RuleInfo { id: "STABLE_PACKAGE_NO_IMPORT_UNSTABLE", categories: &[], default: false, purpose: "Checks that all files that have stable versioned packages do not import packages with unstable version packages." },
];

/// Which kind of check a rule set is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Breaking,
    Lint,
}

impl Kind {
    pub fn rules(self) -> &'static [RuleInfo] {
        match self {
            Kind::Breaking => BREAKING,
            Kind::Lint => LINT,
        }
    }
}

/// The rules that are on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    on: BTreeSet<&'static str>,
}

impl RuleSet {
    /// buf's defaults: FILE for breaking, STANDARD for lint.
    pub fn default_for(kind: Kind) -> Self {
        RuleSet {
            on: kind
                .rules()
                .iter()
                .filter(|r| r.default)
                .map(|r| r.id)
                .collect(),
        }
    }

    /// `use` then `except`, each a list of rule ids and category names, as buf.yaml gives them.
    pub fn resolve(kind: Kind, use_: &[String], except: &[String]) -> Result<Self, String> {
        let mut set = if use_.is_empty() {
            Self::default_for(kind)
        } else {
            RuleSet {
                on: BTreeSet::new(),
            }
        };
        for name in use_ {
            set.on.extend(expand(kind, name)?);
        }
        for name in except {
            for id in expand(kind, name)? {
                set.on.remove(id);
            }
        }
        Ok(set)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.on.contains(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.on.iter().copied()
    }
}

/// The rule ids a name stands for: itself, or every rule of a category.
fn expand(kind: Kind, name: &str) -> Result<Vec<&'static str>, String> {
    let rules = kind.rules();
    if let Some(rule) = rules.iter().find(|r| r.id == name) {
        return Ok(vec![rule.id]);
    }
    let ids: Vec<_> = rules
        .iter()
        .filter(|r| r.categories.contains(&name))
        .map(|r| r.id)
        .collect();
    if ids.is_empty() {
        let what = match kind {
            Kind::Breaking => "breaking",
            Kind::Lint => "lint",
        };
        return Err(format!("{name:?} is not a known {what} rule or category"));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_resolve_as_in_buf() {
        let wire = RuleSet::resolve(Kind::Breaking, &["WIRE".into()], &[]).unwrap();
        let file = RuleSet::default_for(Kind::Breaking);
        // Stricter categories check more, but the wire ones have rules of their own: WIRE
        // accepts int32 -> int64 where FILE's FIELD_SAME_TYPE does not.
        assert!(wire.contains("FIELD_WIRE_COMPATIBLE_TYPE"));
        assert!(!file.contains("FIELD_WIRE_COMPATIBLE_TYPE"));
        assert!(file.contains("FIELD_SAME_TYPE") && !wire.contains("FIELD_SAME_TYPE"));
        assert_eq!(wire.ids().count(), 15);
        assert_eq!(file.ids().count(), 51);
        let except = RuleSet::resolve(Kind::Breaking, &[], &["FIELD_SAME_NAME".into()]).unwrap();
        assert!(!except.contains("FIELD_SAME_NAME"));
        assert!(RuleSet::resolve(Kind::Breaking, &["NOPE".into()], &[]).is_err());
    }
}
