//! protovalidate rules that can never hold or do not fit their field are build errors located in
//! the `.proto`; CEL rules fail the build unless skipped, and skipping warns. These schemas
//! import protovalidate's `validate.proto` from the shared corpus beside the checkout.

use std::path::{Path, PathBuf};

use protogen_build::{Builder, ErrorKind};

fn protovalidate() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/protovalidate/protovalidate")
}

/// A proto3 file `rules.proto` with `body` after the imports.
fn schema(body: &str) -> String {
    format!(
        "syntax = \"proto3\";\npackage t;\nimport \"buf/validate/validate.proto\";\n\
         import \"google/protobuf/duration.proto\";\n{body}"
    )
}

fn build(
    body: &str,
    configure: impl FnOnce(&mut Builder),
) -> Result<Vec<String>, (ErrorKind, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rules.proto"), schema(body)).unwrap();
    let mut builder = Builder::new();
    builder.include(dir.path()).include(protovalidate());
    configure(&mut builder);
    builder
        .generate(&[dir.path().join("rules.proto")])
        .map(|g| g.warnings)
        .map_err(|e| {
            (
                e.kind(),
                e.to_string()
                    .replace(&format!("{}/", dir.path().display()), ""),
            )
        })
}

fn error(body: &str) -> String {
    let (kind, message) = build(body, |_| {}).expect_err("the rules are rejected");
    assert_eq!(kind, ErrorKind::Schema);
    message
}

#[test]
fn a_rule_for_another_type_is_located() {
    let message =
        error("message M {\n  int32 n = 1 [(buf.validate.field).string.min_len = 1];\n}\n");
    assert_eq!(
        message,
        "rules.proto:6:3: invalid validation rules on field `t.M.n`: `string` rules do not apply \
         to a field of type `int32`"
    );
}

#[test]
fn impossible_rules() {
    let cases = [
        (
            "string s = 1 [(buf.validate.field).string = {min_len: 5, max_len: 2}];",
            "`string.min_len` (5) is greater than `string.max_len` (2)",
        ),
        (
            "string s = 1 [(buf.validate.field).string.pattern = \"([a-z\"];",
            "`string.pattern` is not a valid RE2 regular expression",
        ),
        (
            "int32 n = 1 [(buf.validate.field).int32 = {in: [1, 2], not_in: [2]}];",
            "`int32.in` and `int32.not_in` both list 2",
        ),
        (
            "int64 n = 1 [(buf.validate.field).int64 = {gt: 5, lt: 5}];",
            "`int64.gt` and `int64.lt` admit no value",
        ),
        (
            "repeated int32 n = 1 [(buf.validate.field).repeated = {min_items: 3, max_items: 1}];",
            "`repeated.min_items` (3) is greater than `repeated.max_items` (1)",
        ),
        (
            "repeated M2 n = 1 [(buf.validate.field).repeated.unique = true];",
            "`repeated.unique` applies only to scalars and enums",
        ),
        (
            "map<string, int32> m = 1 [(buf.validate.field).map.keys.int32.gt = 1];",
            "in `map.keys`: `int32` rules do not apply to a field of type `string`",
        ),
        (
            "string s = 1 [(buf.validate.field).repeated.min_items = 1];",
            "`repeated` rules do not apply to a field of type `string`",
        ),
        (
            "google.protobuf.Duration d = 1 [(buf.validate.field).timestamp.lt_now = true];",
            "`timestamp` rules do not apply to a field of type `google.protobuf.Duration`",
        ),
        (
            "string s = 1 [(buf.validate.field).string = {len: 3, max_len: 2}];",
            "`string.len` (3) contradicts `string.max_len` (2)",
        ),
    ];
    for (field, expected) in cases {
        let message = error(&format!("message M2 {{}}\nmessage M {{\n  {field}\n}}\n"));
        assert!(
            message.starts_with("rules.proto:7:3: invalid validation rules on field"),
            "{message}"
        );
        assert!(
            message.contains(expected),
            "{field}\n  gave: {message}\n  wanted: {expected}"
        );
    }
}

#[test]
fn message_oneof_rule_names_real_fields() {
    let message = error(
        "message M {\n  option (buf.validate.message).oneof = {fields: [\"a\", \"zz\"]};\n  string a = 1;\n}\n",
    );
    assert_eq!(
        message,
        "rules.proto:5:1: invalid `oneof` rule on message `t.M`: there is no field `zz`"
    );
}

#[test]
fn cel_rules_fail_the_build_unless_skipped() {
    let body = "message M {\n  int32 n = 1 [(buf.validate.field).cel = {id: \"x\", expression: \"this > 1\"}, (buf.validate.field).int32.gt = 0];\n}\n";
    let (kind, message) = build(body, |_| {}).expect_err("CEL is refused by default");
    assert_eq!(kind, ErrorKind::Schema);
    assert_eq!(
        message,
        "rules.proto:6:3: field `t.M.n` has a CEL rule (`this > 1`), and protogen does not \
         support CEL rules yet; skip them with a warning with `Builder::skip_cel_rules()` (CLI: \
         --skip-cel)"
    );
    let warnings = build(body, |b| {
        b.skip_cel_rules();
    })
    .expect("skipped");
    assert_eq!(
        warnings,
        [
            "rules.proto:6:3: field `t.M.n` has a CEL rule (`this > 1`), and protogen does not \
          support CEL rules yet: skipped"
        ]
    );
}

#[test]
fn message_cel_and_predefined_rules_are_cel_too() {
    let message = error(
        "message M {\n  option (buf.validate.message).cel_expression = \"true\";\n  int32 n = 1;\n}\n",
    );
    assert!(
        message.starts_with("rules.proto:5:1: message `t.M` has a CEL rule (`true`)"),
        "{message}"
    );
}

#[test]
fn without_the_validate_pass_rules_are_not_read() {
    let body = "message M {\n  int32 n = 1 [(buf.validate.field).string.min_len = 1];\n}\n";
    let warnings = build(body, |b| {
        b.pass(protogen_build::Pass::Validate, false);
    })
    .expect("no rules, no rule errors");
    assert!(warnings.is_empty());
}
