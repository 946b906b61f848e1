//! The real-world corpus check: every compile unit of `../shared/corpus/units.json` (beside the
//! checkout) generates, and the generated code of all of them passes `cargo check` with warnings
//! denied; editions units and the two units protox 0.10 cannot compile fail with a clear,
//! located error instead.
//!
//! Ignored by default because it compiles a crate of several hundred thousand lines:
//!
//! ```text
//! cargo test -p protogen-build --test corpus -- --ignored --nocapture
//! ```
//!
//! `PROTOGEN_CORPUS` overrides the corpus location.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use protogen_build::{Builder, ErrorKind};
use support::workspace;

fn corpus() -> PathBuf {
    std::env::var_os("PROTOGEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"))
}

/// What protox 0.10 cannot compile in plain proto2/proto3 units (see the corpus README and the
/// foundation issue): these must fail with a located error, not succeed.
const KNOWN_UNCOMPILABLE: &[(&str, &str)] = &[
    // cpp_features.proto needs the newer descriptor.proto (extension declarations).
    ("protobuf-wkt", "google/protobuf/cpp_features.proto:"),
    // unittest_custom_options.proto sets an option to -inf.
    (
        "protobuf-unittest",
        "google/protobuf/unittest_custom_options.proto:",
    ),
];

struct Unit {
    name: String,
    includes: Vec<PathBuf>,
    files: Vec<PathBuf>,
    editions: bool,
}

fn units() -> Vec<Unit> {
    let root = corpus();
    let text = std::fs::read_to_string(root.join("units.json"))
        .unwrap_or_else(|e| panic!("{}/units.json: {e}", root.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    json["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|unit| {
            let includes: Vec<PathBuf> = strings(&unit["includes"])
                .iter()
                .map(|i| root.join(i))
                .collect();
            let files = strings(&unit["files"])
                .iter()
                .map(|f| {
                    includes
                        .iter()
                        .map(|i| i.join(f))
                        .find(|p| p.is_file())
                        .unwrap_or_else(|| panic!("{f} is under one of the unit's includes"))
                })
                .collect();
            Unit {
                name: unit["name"].as_str().unwrap().to_owned(),
                includes,
                files,
                editions: !unit["editions"].as_array().unwrap().is_empty(),
            }
        })
        .collect()
}

#[test]
#[ignore = "slow: compiles the generated code of the whole corpus; see the module docs"]
fn whole_corpus_generates_and_compiles() {
    let scratch = workspace().join("target/corpus-check");
    let _ = std::fs::remove_dir_all(scratch.join("units"));
    let mut lib = String::from("#![deny(warnings)]\n#![allow(clippy::all)]\n");
    let mut failures = Vec::new();
    for unit in units() {
        let out = scratch.join("units").join(&unit.name);
        let mut builder = Builder::new();
        // CEL rules are skipped (with warnings) rather than failing the unit. protovalidate's
        // conformance cases include schemas that must be refused; `conformance/` checks those.
        builder.skip_cel_rules();
        if unit.name == "protovalidate-conformance-cases" {
            builder.pass(protogen_build::Pass::Validate, false);
        }
        let result = builder
            .includes(&unit.includes)
            .out_dir(&out)
            .emit_rerun_if_changed(false)
            .compile(&unit.files);
        let known = KNOWN_UNCOMPILABLE.iter().find(|(n, _)| *n == unit.name);
        match (result, unit.editions, known) {
            (Ok(generation), false, None) => {
                println!("{}: generated {} files", unit.name, generation.files.len());
                let module = unit.name.replace(['-', '.'], "_");
                writeln!(
                    lib,
                    "pub mod {module} {{ include!({:?}); }}",
                    out.join(protogen_build::INCLUDES_FILE)
                )
                .unwrap();
            }
            (Err(err), true, _) if err.kind() == ErrorKind::Editions => {
                let first = err.to_string();
                assert!(
                    first.contains(".proto:") && first.contains("editions are not supported"),
                    "{first}"
                );
                println!(
                    "{}: refused as expected: {}",
                    unit.name,
                    first.lines().next().unwrap()
                );
            }
            (Err(err), false, Some((_, located))) => {
                let msg = err.to_string();
                let line = msg.lines().next().unwrap_or_default();
                // `path/to/file.proto:LINE:COL: message`
                let at = line.find(located).map(|i| &line[i + located.len()..]);
                let is_located = at.is_some_and(|rest| {
                    let mut parts = rest.splitn(3, ':');
                    parts.next().is_some_and(|l| l.parse::<u32>().is_ok())
                        && parts.next().is_some_and(|c| c.parse::<u32>().is_ok())
                });
                assert!(
                    is_located,
                    "{}: error is not located in {located}: {msg}",
                    unit.name
                );
                println!("{}: fails as expected for protox 0.10: {line}", unit.name);
            }
            (Ok(_), _, _) => failures.push(format!(
                "{}: generated, but was expected to fail",
                unit.name
            )),
            (Err(err), _, _) => failures.push(format!("{}: {err}", unit.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    cargo_check(&scratch, &lib);
}

/// Compiles every generated unit as modules of one crate, warnings denied.
fn cargo_check(scratch: &Path, lib: &str) {
    support::scratch_crate(
        scratch,
        "protogen-corpus-check",
        "[dependencies]\nprost = \"0.14\"\nprost-types = \"0.14\"\nprotogen = { path = {runtime} }\n",
    );
    std::fs::write(scratch.join("src/lib.rs"), lib).unwrap();
    let output = support::cargo(scratch, "check");
    assert!(
        output.status.success(),
        "the generated corpus code does not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
