//! The tenant schema commands: `generate` with `.json` inputs, `lock`, `export-proto`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn protogen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_protogen"))
        .args(args)
        .output()
        .expect("protogen runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn lock_creates_updates_and_checks_lock_files() {
    let dir = tempfile::tempdir().unwrap();
    let schema = write(
        dir.path(),
        "user.json",
        r#"{"schema_id": "user", "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "int32"}]}"#,
    );
    let schema = schema.to_str().unwrap();
    let lock = dir.path().join("user.lock.json");

    // A build (generate) refuses a schema without its lock file.
    let out = dir.path().join("out");
    let output = protogen(&[
        "generate",
        "-I",
        ".",
        schema,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("user.lock.json is missing; run `protogen lock"),
        "{}",
        text(&output.stderr)
    );

    let output = protogen(&["lock", schema]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        format!(
            "{}: created (2 changes)\n  User.a: added as 1\n  User.b: added as 2\n",
            lock.display()
        )
    );
    let output = protogen(&["lock", "--check", schema]);
    assert!(output.status.success());
    assert_eq!(
        text(&output.stdout),
        format!("{}: up to date\n", lock.display())
    );

    // Remove `a`, rename `b` to `c`, add `d`: nothing moves, `a`'s number stays reserved.
    write(
        dir.path(),
        "user.json",
        r#"{"schema_id": "user", "fields": [{"name": "d", "type": "bool"}, {"name": "c", "type": "int32", "renamed_from": "b"}]}"#,
    );
    let output = protogen(&["lock", "--check", schema]);
    assert!(!output.status.success());
    let output = protogen(&["lock", schema]);
    assert_eq!(
        text(&output.stdout),
        format!(
            "{}: updated (3 changes)\n  User.d: added as 3\n  User.c: renamed from `b`, keeps 2\n  User.a: removed, 1 reserved\n",
            lock.display()
        )
    );

    let output = protogen(&[
        "generate",
        "-I",
        ".",
        schema,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let generated = std::fs::read_to_string(out.join("user.rs")).unwrap();
    assert!(
        generated.contains("#[prost(bool, optional, tag = \"3\")]\n    pub d:"),
        "{generated}"
    );
    assert!(
        generated.contains("#[prost(int32, optional, tag = \"2\")]\n    pub c:"),
        "{generated}"
    );

    let output = protogen(&["export-proto", schema]);
    assert!(output.status.success());
    let proto = text(&output.stdout);
    assert!(
        proto.contains(
            "  optional bool d = 3;\n  optional int32 c = 2;\n  reserved 1;\n  reserved \"a\";\n"
        ),
        "{proto}"
    );
}

#[test]
fn errors_are_located_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let schema = write(
        dir.path(),
        "bad.json",
        "{\n  \"schema_id\": \"bad\",\n  \"fields\": [{\"name\": \"n\", \"type\": \"int32\", \"pattern\": \"x\"}]\n}",
    );
    let output = protogen(&["export-proto", schema.to_str().unwrap()]);
    assert!(!output.status.success());
    assert_eq!(
        text(&output.stderr),
        format!(
            "error: {}:3:56: /fields/0/pattern: `pattern` does not apply to a field of type `int32`\n",
            schema.display()
        )
    );
}

#[test]
fn validate_prints_every_violation_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/tenants");
    let schema = schemas.join("initech/ticket.json");
    let bad = write(
        dir.path(),
        "bad.json",
        r#"{"title": "Hi", "priority": 9, "labels": ["ok", "Not OK"], "assignee": "bob"}"#,
    );
    let output = protogen(&[
        "validate",
        "--schema",
        schema.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert_eq!(
        text(&output.stdout),
        "title: must be at least 3 characters [string.min_len]\n\
         priority: must be greater than or equal to 1 and less than or equal to 5 [int32.gte_lte]\n\
         labels[1]: does not match regex pattern `^[a-z][a-z0-9-]*$` [string.pattern]\n\
         unknown field `assignee` (Ticket is strict) [tenant.unknown_field]\n"
    );
    assert_eq!(
        text(&output.stderr),
        format!("error: {}: 4 violations\n", bad.display())
    );

    let good = write(dir.path(), "good.json", r#"{"title": "Printer on fire"}"#);
    let output = protogen(&[
        "validate",
        "--schema",
        schema.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    assert_eq!(text(&output.stdout), format!("{}: valid\n", good.display()));

    let orders = schemas.join("globex/orders.json");
    let output = protogen(&[
        "validate",
        "--schema",
        orders.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(
        text(&output.stderr),
        "error: the schema has several messages and no entity: name one (Customer, Order, Order.Line)\n"
    );
}
