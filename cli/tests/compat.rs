//! `protogen breaking`: buf's exit code and JSON lines, and imports that try to leave the module
//! refused before anything is read.

use std::path::Path;
use std::process::{Command, Output};

fn protogen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_protogen"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("protogen runs")
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn breaking_exits_100_with_buf_json_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    write(
        &old,
        "a/v1/a.proto",
        "syntax = \"proto3\";\npackage a.v1;\nmessage M {\n  int32 f = 1;\n}\n",
    );
    write(
        &new,
        "a/v1/a.proto",
        "syntax = \"proto3\";\npackage a.v1;\nmessage M {\n  int64 f = 1;\n}\n",
    );
    let out = protogen(
        tmp.path(),
        &[
            "breaking",
            "new",
            "--against",
            "old",
            "--error-format",
            "json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(100),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"path\":\"a/v1/a.proto\",\"start_line\":4,\"start_column\":3,\"end_line\":4,\
         \"end_column\":8,\"type\":\"FIELD_SAME_TYPE\",\"message\":\"Field \\\"1\\\" with name \
         \\\"f\\\" on message \\\"M\\\" changed type from \\\"int32\\\" to \\\"int64\\\".\"}\n"
    );
    // The WIRE category allows int32 -> int64; a buf.yaml saying so gives the same answer.
    let out = protogen(
        tmp.path(),
        &["breaking", "new", "--against", "old", "--category", "WIRE"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    write(&new, "buf.yaml", "version: v2\nbreaking:\n  use: [WIRE]\n");
    let out = protogen(tmp.path(), &["breaking", "new", "--against", "old"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Text output, as buf prints it.
    std::fs::remove_file(new.join("buf.yaml")).unwrap();
    let out = protogen(tmp.path(), &["breaking", "new", "--against", "old"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "a/v1/a.proto:4:3:Field \"1\" with name \"f\" on message \"M\" changed type from \
         \"int32\" to \"int64\".\n"
    );
}

#[test]
fn a_bad_buf_yaml_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "m/a.proto", "syntax = \"proto3\";\n");
    write(
        tmp.path(),
        "m/buf.yaml",
        "version: v2\nbreaking:\n  use: [NOT_A_RULE]\n",
    );
    let out = protogen(tmp.path(), &["breaking", "m", "--against", "m"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("buf.yaml: breaking: \"NOT_A_RULE\" is not a known breaking rule"),
        "{err}"
    );
}

#[test]
fn imports_that_leave_the_module_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "outside/secret.proto",
        "syntax = \"proto3\";\nmessage Secret {}\n",
    );
    // protox's parser refuses these before anything is opened (protogen rewords its "invalid
    // group name"); the resolver would refuse them too.
    for import in [
        "../outside/secret.proto",
        "a/../../outside/secret.proto",
        "/etc/hostname",
    ] {
        let text = format!("syntax = \"proto3\";\nimport \"{import}\";\n");
        write(tmp.path(), "module/a.proto", &text);
        let out = protogen(tmp.path(), &["breaking", "module", "--against", "module"]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{err}");
        let expected = format!(
            "module/a.proto:2:8: import \"{import}\" leaves the include paths: imports may not \
             contain backslashes, repeated forward slashes, '.' or '..' components"
        );
        assert!(err.contains(&expected), "{import}: {err}");
        assert!(!err.contains("group"), "{err}");
    }
}

#[test]
fn lint_exits_100_and_reads_the_lint_section() {
    let tmp = tempfile::tempdir().unwrap();
    let module = tmp.path().join("m");
    write(
        &module,
        "a/v1/a.proto",
        "syntax = \"proto3\";\npackage a.v1;\nmessage thing {}\n",
    );
    let out = protogen(tmp.path(), &["lint", "m"]);
    assert_eq!(out.status.code(), Some(100));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "a/v1/a.proto:3:9:Message name \"thing\" should be PascalCase, such as \"Thing\".\n"
    );
    write(
        &module,
        "buf.yaml",
        "version: v2\nlint:\n  use: [MINIMAL]\n",
    );
    let out = protogen(tmp.path(), &["lint", "m"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = protogen(
        tmp.path(),
        &["lint", "m", "--rule", "COMMENTS", "--error-format", "json"],
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"path\":\"a/v1/a.proto\",\"start_line\":3,\"start_column\":1,\"end_line\":3,\
         \"end_column\":17,\"type\":\"COMMENT_MESSAGE\",\"message\":\"Message \\\"thing\\\" \
         should have a non-empty comment for documentation.\"}\n"
    );
}

#[test]
fn registry_accepts_compatible_pushes_and_refuses_incompatible_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let v1 = "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n  int32 age = 2;\n}\n";
    let v2 = "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n  int32 age = 2;\n  string email = 3;\n}\n";
    let v3 = "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n}\n";
    write(tmp.path(), "v1/acme/user/v1/user.proto", v1);
    write(tmp.path(), "v2/acme/user/v1/user.proto", v2);
    write(tmp.path(), "v3/acme/user/v1/user.proto", v3);
    let reg = ["registry", "--registry", "reg"];
    let run = |args: &[&str]| protogen(tmp.path(), &[&reg[..], args].concat());
    assert!(run(&["init"]).status.success());
    let out = run(&["push", "v1", "--name", "acme/user"]);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("acme/user@1 sha256:")
    );
    let out = run(&["push", "v1", "--name", "acme/user"]);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .ends_with("(unchanged)\n")
    );
    let out = run(&["push", "v2", "--name", "acme/user", "--compat", "full"]);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("acme/user@2 ")
    );
    let out = run(&["push", "v3", "--name", "acme/user"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("acme/user refused: incompatible with version 2 under backward compatibility")
            && err.contains(
                "acme/user/v1/user.proto:3:1:Previously present field \"2\" with name \"age\""
            ),
        "{err}"
    );
    let out = run(&["list"]);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("acme/user@2 sha256:")
    );
    let out = run(&["show", "acme/user@1"]);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("  acme/user/v1/user.proto (94 bytes)")
    );
    assert!(
        run(&["pull", "acme/user@1", "--out", "pulled"])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("pulled/acme/user/v1/user.proto")).unwrap(),
        v1
    );
    // breaking against a stored version, with buf's exit code.
    let out = run(&["breaking", "v3", "--against", "acme/user@2"]);
    assert_eq!(out.status.code(), Some(100));
    // A pushed module cannot read outside itself.
    write(
        tmp.path(),
        "outside/secret.proto",
        "syntax = \"proto3\";\nmessage Secret {}\n",
    );
    write(
        tmp.path(),
        "evil/a.proto",
        "syntax = \"proto3\";\nimport \"../outside/secret.proto\";\n",
    );
    let out = run(&["push", "evil", "--name", "acme/evil"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("import \"../outside/secret.proto\" leaves the include paths"),
        "{err}"
    );
    let out = run(&["push", "v1", "--name", "../escape"]);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("module name \"../escape\" is not allowed")
    );
    assert!(!tmp.path().join("escape").exists());
}
