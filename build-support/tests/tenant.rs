//! Tenant schemas in a build: lock files are required, or written, or numbered in memory.

use std::path::Path;

use protogen_build::{Builder, ErrorKind, TenantLocks};

fn write(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).unwrap();
}

const SCHEMA: &str =
    r#"{"schema_id": "s", "fields": [{"name": "a", "type": "string", "min_len": 1}]}"#;

#[test]
fn a_build_requires_a_current_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.json", SCHEMA);
    let schema = dir.path().join("s.json");
    let err = Builder::new()
        .tenant_schema(&schema)
        .generate(&[] as &[&str])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TenantSchema);
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the lock file {} is missing; run `protogen lock {}` and commit it\n  S.a: added as 1",
            schema.display(),
            dir.path().join("s.lock.json").display(),
            schema.display()
        )
    );

    // Update writes it; then the default (Require) accepts it.
    let generation = Builder::new()
        .tenant_schema(dir.path())
        .tenant_locks(TenantLocks::Update)
        .generate(&[] as &[&str])
        .unwrap();
    assert!(generation.package("s").is_some());
    assert!(dir.path().join("s.lock.json").is_file());
    // The directory, the schema and its lock file are inputs (cargo:rerun-if-changed).
    assert_eq!(
        generation.inputs,
        [
            dir.path().to_path_buf(),
            schema.clone(),
            dir.path().join("s.lock.json")
        ]
    );
    Builder::new()
        .tenant_schema(&schema)
        .generate(&[] as &[&str])
        .unwrap();

    // A new field makes the lock stale.
    write(
        dir.path(),
        "s.json",
        r#"{"schema_id": "s", "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "bool"}]}"#,
    );
    let err = Builder::new()
        .tenant_schema(&schema)
        .generate(&[] as &[&str])
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("does not match the schema; run `protogen lock")
            && err.to_string().ends_with("\n  S.b: added as 2"),
        "{err}"
    );
    // Warn numbers it in memory and says so.
    let generation = Builder::new()
        .tenant_schema(&schema)
        .tenant_locks(TenantLocks::Warn)
        .generate(&[] as &[&str])
        .unwrap();
    assert_eq!(generation.warnings.len(), 1, "{:?}", generation.warnings);
    assert!(generation.warnings[0].contains("numbered in memory"));
}

#[test]
fn schema_errors_name_the_file_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.json",
        "{\"schema_id\": \"bad\",\n \"fields\": [{\"name\": \"x\", \"type\": \"Nope\"}]}",
    );
    let err = Builder::new()
        .tenant_schema(dir.path())
        .generate(&[] as &[&str])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TenantSchema);
    assert!(
        err.to_string().starts_with(&format!(
            "{}:2:35: /fields/0/type: unknown type `Nope`",
            dir.path().join("bad.json").display()
        )),
        "{err}"
    );
}
