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

#[test]
fn project_answers_a_query_from_a_message_on_stdin() {
    use std::io::Write;
    let schemas = schemas();
    let dir = tempfile::tempdir().unwrap();
    let query = dir.path().join("q.graphql");
    std::fs::write(
        &query,
        "query Q($all: Boolean!) { id items @include(if: $all) { sku } payment { __typename } }",
    )
    .unwrap();
    let variables = dir.path().join("v.json");
    std::fs::write(&variables, "{\"all\": true}").unwrap();
    let run = |input: &[u8], extra: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_protogen"))
            .args(["project", "-I", schemas.to_str().unwrap()])
            .arg(schemas.join("shop/v1/order.proto"))
            .args([
                "--type",
                "shop.v1.Order",
                "--query",
                query.to_str().unwrap(),
            ])
            .args(extra)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    let vars = ["--variables", variables.to_str().unwrap()];
    let json = br#"{"id": "o-1", "items": [{"sku": "a"}], "cashOnDelivery": {}}"#;
    let out = run(json, &[&vars[..], &["--json"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"data\":{\"id\":\"o-1\",\"items\":[{\"sku\":\"a\"}],\"payment\":{\"__typename\":\"shop_v1_Order_payment_cash_on_delivery\"}}}\n"
    );
    // The same message as binary protobuf: field 1 (id) "o-1".
    let out = run(b"\x0a\x03o-1", &vars);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("{\"data\":{\"id\":\"o-1\",\"items\":[],\"payment\":null}}")
    );

    // Bad bytes, a missing variable: clear errors, no panic.
    let out = run(b"\x0a\x05o", &vars);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("stdin: invalid protobuf for shop.v1.Order"),
        "{stderr}"
    );
    let out = run(b"", &[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("q.graphql: 1:9: missing value for non-null variable 'all'"),
        "{stderr}"
    );
}
