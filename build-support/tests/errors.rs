//! Bad input ends in a clear, located error, never a panic: these tests assert the messages.

use miette::Diagnostic;
use protogen_build::{Builder, Error, ErrorKind};

/// An error's kind, its message (`Display`) and its report (`Debug`, the message with the source
/// lines drawn), with the temporary include root cut out.
struct Failure {
    kind: ErrorKind,
    message: String,
    report: String,
    error: Error,
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
    // Messages name files by their path; make them independent of the temp dir.
    let root = format!("{}/", dir.path().display());
    let message = err.to_string().replace(&root, "");
    let report = format!("{err:?}").replace(&root, "");
    assert!(
        report.starts_with(message.lines().next().unwrap()),
        "Debug, what build.rs prints, starts with the message:\n{report}"
    );
    Failure {
        kind: err.kind(),
        message,
        report,
        error: err,
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
        err.report.contains("3 │   int32 x = ;"),
        "the offending line is shown: {}",
        err.report
    );
    // The error is data: its location, and a diagnostic with the source and a labelled span.
    let location = err.error.location().unwrap();
    assert_eq!((location.line, location.column), (3, 13));
    assert!(location.file.ends_with("a/bad.proto"), "{location:?}");
    assert_eq!(err.error.message(), "expected an integer, but found ';'");
    assert_eq!(err.error.code().unwrap().to_string(), "protogen::proto");
    let label = err.error.labels().unwrap().next().unwrap();
    let source = err.error.source_code().unwrap();
    let span = source.read_span(label.inner(), 0, 0).unwrap();
    assert_eq!(std::str::from_utf8(span.data()).unwrap(), ";");
}

#[test]
fn a_file_cut_short_names_its_end_and_the_element_left_open() {
    let err = generate_in(
        &[(
            "cut.proto",
            "syntax = \"proto3\";\npackage p;\nmessage Order {\n  message Line {\n    int32 x \n",
        )],
        &["cut.proto"],
    );
    assert_eq!(err.kind, ErrorKind::Proto);
    assert_eq!(
        err.message,
        "cut.proto:5:12: expected '=', but reached end of file (inside message `Order.Line`, \
         opened at 4:3)"
    );
    assert!(err.report.contains("the file ends here"), "{}", err.report);
    assert!(
        err.report
            .contains("message `Order.Line` opened here, never closed"),
        "{}",
        err.report
    );

    // Cut right after a closed element: nothing is open, the end is still named.
    let err = generate_in(
        &[("cut.proto", "syntax = \"proto3\";\nmessage A {}\nenum\n")],
        &["cut.proto"],
    );
    assert!(
        err.message
            .starts_with("cut.proto:3:5: expected an identifier, but reached end of file"),
        "{}",
        err.message
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
    assert_eq!(err.location().map(|l| (l.line, l.column)), Some((2, 1)));
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
    assert!(err.location().is_none(), "no line of any file is at fault");
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
