//! `protogen sdl` prints the `schema.graphql` that `generate` writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn protogen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_protogen"))
        .args(args)
        .output()
        .expect("protogen runs")
}

#[test]
fn sdl_prints_the_schema_graphql_that_generate_writes() {
    let schemas = schemas();
    let schemas = schemas.to_str().unwrap();
    let tenants = format!("{schemas}/tenants");
    let out = protogen(&["sdl", "-I", schemas, schemas, "--tenant", &tenants]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sdl = String::from_utf8(out.stdout).unwrap();
    assert!(sdl.contains("\ntype shop_v1_Order {\n"), "{sdl}");
    assert!(sdl.contains("\nunion shop_v1_Order_payment = "));
    assert!(sdl.contains("\ntype acme_user_v1_User {\n"));

    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let generated = protogen(&[
        "generate", "-I", schemas, schemas, "--tenant", &tenants, "--out", out_dir,
    ]);
    assert!(generated.status.success());
    let stdout = String::from_utf8(generated.stdout).unwrap();
    assert!(stdout.contains("graphql schema: "), "{stdout}");
    let written = std::fs::read_to_string(dir.path().join("schema.graphql")).unwrap();
    assert_eq!(written, sdl);
    let includes = std::fs::read_to_string(dir.path().join("_protogen_includes.rs")).unwrap();
    assert!(
        includes.contains("pub const GRAPHQL_SCHEMA: &str = include_str!(\"schema.graphql\");")
    );
}

#[test]
fn sdl_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.proto");
    std::fs::write(&file, "syntax = \"proto3\";\nmessage Int64 {}\n").unwrap();
    let out = protogen(&[
        "sdl",
        "-I",
        dir.path().to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "a.proto:2:1: GraphQL: the type name `Int64` (from .Int64) is taken by a scalar"
        ),
        "{stderr}"
    );
}
