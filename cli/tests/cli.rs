//! `protogen generate` writes exactly what the build.rs path writes, says what it wrote, and
//! fails with a located message on bad input.

use std::collections::BTreeMap;
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

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn generate_schemas(out: &Path) -> Output {
    let schemas = schemas();
    protogen(&[
        "generate",
        "-I",
        schemas.to_str().unwrap(),
        schemas.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn cli_writes_what_the_builder_writes_and_summarizes_each_package() {
    let cli_out = tempfile::tempdir().unwrap();
    let output = generate_schemas(cli_out.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let builder_out = tempfile::tempdir().unwrap();
    protogen_build::Builder::new()
        .include(schemas())
        .out_dir(builder_out.path())
        .emit_rerun_if_changed(false)
        .compile(&[schemas()])
        .unwrap();
    let (cli_files, builder_files) = (read_dir(cli_out.path()), read_dir(builder_out.path()));
    assert_eq!(
        cli_files.keys().collect::<Vec<_>>(),
        [
            "_protogen_includes.rs",
            "common.v1.rs",
            "conformance.v1.rs",
            "edge.v1.rs",
            "legacy.v1.rs",
            "schema.graphql",
            "shop.v1.rs"
        ]
    );
    assert!(
        cli_files == builder_files,
        "CLI and build.rs outputs differ"
    );

    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{stdout}");
    let shop = lines
        .iter()
        .find(|l| l.starts_with("shop.v1: "))
        .expect(&stdout);
    let shop_path = cli_out.path().join("shop.v1.rs");
    assert!(shop.contains(&shop_path.display().to_string()), "{shop}");
    assert!(shop.contains("(6 messages, 3 enums, "), "{shop}");
    let common = lines
        .iter()
        .find(|l| l.starts_with("common.v1: "))
        .expect(&stdout);
    assert!(common.contains("(2 messages, 1 enum, "), "{common}");
    assert!(lines.last().unwrap().starts_with("modules: "), "{stdout}");
}

#[test]
fn output_is_byte_for_byte_deterministic() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert!(generate_schemas(a.path()).status.success());
    assert!(generate_schemas(b.path()).status.success());
    assert!(read_dir(a.path()) == read_dir(b.path()));
}

#[test]
fn a_pass_can_be_switched_off() {
    let out = tempfile::tempdir().unwrap();
    let schemas = schemas();
    let output = protogen(&[
        "generate",
        "-I",
        schemas.to_str().unwrap(),
        schemas.join("common/v1/money.proto").to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--disable-pass",
        "info",
    ]);
    assert!(output.status.success());
    let code = std::fs::read_to_string(out.path().join("common.v1.rs")).unwrap();
    assert!(code.contains("pub struct Money"));
    assert!(!code.contains("MessageInfo"), "the info pass was off");

    let output = protogen(&[
        "generate",
        "-I",
        ".",
        "x.proto",
        "--out",
        "o",
        "--disable-pass",
        "nope",
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "unknown pass `nope` (known: info, view, validate, json, json-view, graphql)"
        ),
        "{stderr}"
    );
}

#[test]
fn help_documents_every_flag() {
    let output = protogen(&["generate", "--help"]);
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--include",
        "--out",
        "--disable-pass",
        "--bytes",
        "--btree-map",
        "--extern-path",
        "--type-attribute",
        "--field-attribute",
        "--compile-well-known-types",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    let top = String::from_utf8(protogen(&["--help"]).stdout).unwrap();
    assert!(top.contains("generate"), "{top}");
}

#[test]
fn help_lists_every_pass() {
    let names: Vec<&str> = protogen_build::Pass::ALL.iter().map(|p| p.name()).collect();
    assert!(names.len() >= 5, "{names:?}");
    let short = String::from_utf8(protogen(&["generate", "-h"]).stdout).unwrap();
    assert!(
        short.contains(&format!("Passes: {}", names.join(", "))),
        "{short}"
    );
    let long = String::from_utf8(protogen(&["generate", "--help"]).stdout).unwrap();
    for pass in protogen_build::Pass::ALL {
        let line = format!("{}: {}", pass.name(), pass.summary());
        assert!(long.contains(&line), "`{line}` missing from:\n{long}");
    }
}

#[test]
fn a_bad_proto_fails_with_its_location_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.proto"),
        "syntax = \"proto3\";\nmessage {}\n",
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let bad = dir.path().join("bad.proto");
    let out = dir.path().join("out");
    let output = protogen(&[
        "generate",
        "-I",
        root,
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: {}:2:9: expected an identifier, but found '{{'",
            bad.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "nothing is written on failure");
}
