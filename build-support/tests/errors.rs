//! Bad input ends in a clear, located error, never a panic: these tests assert the messages.

use protogen_build::{Builder, ErrorKind};

/// An error's kind and its message with the temporary include root cut out.
struct Failure {
    kind: ErrorKind,
    message: String,
}

/// Writes `files` (name, contents) under a fresh include root and generates `inputs` from it.
fn generate_in(files: &[(&str, &str)], inputs: &[&str]) -> Failure {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    let inputs: Vec<_> = inputs.iter().map(|i| dir.path().join(i)).collect();
    let err = Builder::new()
        .include(dir.path())
        .generate(&inputs)
        .expect_err("generation fails");
    assert_eq!(
        format!("{err:?}"),
        err.to_string(),
        "Debug prints the message for build.rs"
    );
    Failure {
        kind: err.kind(),
        // Messages name files by their path; make them independent of the temp dir.
        message: err
            .to_string()
            .replace(&format!("{}/", dir.path().display()), ""),
    }
}

#[test]
fn syntax_error_shows_file_line_column_and_the_line() {
    let err = generate_in(
        &[(
            "a/bad.proto",
            "syntax = \"proto3\";\nmessage A {\n  int32 x = ;\n}\n",
        )],
        &["a/bad.proto"],
    );
    assert_eq!(err.kind, ErrorKind::Proto);
    let msg = err.message;
    assert!(
        msg.starts_with("a/bad.proto:3:13: expected an integer, but found ';'"),
        "{msg}"
    );
    assert!(
        msg.contains("3 │   int32 x = ;"),
        "the offending line is shown: {msg}"
    );
}

#[test]
fn type_error_is_located() {
    let err = generate_in(
        &[(
            "t.proto",
            "syntax = \"proto3\";\nmessage A {\n  Missing m = 1;\n}\n",
        )],
        &["t.proto"],
    );
    assert_eq!(err.kind, ErrorKind::Proto);
    let msg = err.message;
    assert!(
        msg.starts_with("t.proto:3:3: name 'Missing' is not defined"),
        "{msg}"
    );
}

#[test]
fn missing_import_names_the_include_paths_searched() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.proto");
    std::fs::write(&main, "syntax = \"proto3\";\nimport \"dep/gone.proto\";\n").unwrap();
    let other = dir.path().join("other_root");
    std::fs::create_dir(&other).unwrap();
    let err = Builder::new()
        .include(dir.path())
        .include(&other)
        .generate(&[&main])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ImportNotFound);
    let msg = err.to_string();
    let root = dir.path().display();
    assert!(
        msg.starts_with(&format!(
            "{root}/main.proto:2:1: import 'dep/gone.proto' not found"
        )),
        "{msg}"
    );
    assert!(
        msg.ends_with(&format!(
            "searched, in order: protox's bundled well-known types, {root}, {root}/other_root"
        )),
        "{msg}"
    );
}

#[test]
fn input_outside_the_include_paths_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let err = Builder::new()
        .include(dir.path())
        .generate(&["/nonexistent/x.proto"])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::FileNotFound);
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "/nonexistent/x.proto: file '/nonexistent/x.proto' is not in any include path"
        ),
        "{msg}"
    );
    assert!(msg.contains("searched, in order:"), "{msg}");
}

#[test]
fn editions_files_are_refused_plainly() {
    let err = generate_in(
        &[(
            "ed.proto",
            "// A file in edition 2023.\n\n  edition = \"2023\";\npackage x;\n",
        )],
        &["ed.proto"],
    );
    assert_eq!(err.kind, ErrorKind::Editions);
    assert_eq!(
        err.message,
        "ed.proto:3:3: editions are not supported: this file declares `edition = \"2023\"`, and \
         protogen's .proto compiler (protox 0.10) accepts only `syntax = \"proto2\"` and \
         `syntax = \"proto3\"` files"
    );
}

#[test]
fn an_imported_editions_file_is_named() {
    let err = generate_in(
        &[
            ("ed.proto", "edition = \"2024\";\npackage x;\n"),
            ("main.proto", "syntax = \"proto3\";\nimport \"ed.proto\";\n"),
        ],
        &["main.proto"],
    );
    assert_eq!(err.kind, ErrorKind::Editions);
    assert!(
        err.message
            .starts_with("ed.proto:1:1: editions are not supported"),
        "{}",
        err.message
    );
}

#[test]
fn enum_values_prost_would_name_alike_are_a_located_error_not_a_panic() {
    let err = generate_in(
        &[(
            "e.proto",
            "syntax = \"proto3\";\npackage p;\nenum Color {\n  COLOR_RED = 0;\n  RED = 1;\n}\n",
        )],
        &["e.proto"],
    );
    assert_eq!(err.kind, ErrorKind::Schema);
    assert_eq!(
        err.message,
        "e.proto:5:3: enum values `COLOR_RED` and `RED` of `p.Color` both become the Rust \
         variant `Red`"
    );
}

#[test]
fn no_inputs_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Builder::new()
        .include(dir.path())
        .generate(&[dir.path()])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_eq!(err.to_string(), "no .proto files to compile");
}
