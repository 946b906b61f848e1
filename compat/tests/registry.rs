//! The registry: compatible pushes stored as numbered versions, incompatible ones refused,
//! identical content a no-op, concurrent pushes never sharing a number, interrupted pushes
//! leaving no version, and untrusted names and paths refused.

mod common;

use std::path::Path;
use std::sync::{Arc, Barrier};

use protogen_compat::registry::{self, Compat, Error, Files, Limits, Pushed, Registry};

/// A module's files and their compiled, encoded descriptor set.
fn module(text: &str) -> (Files, Vec<u8>) {
    let files: Files = [(
        "acme/user/v1/user.proto".to_owned(),
        text.as_bytes().to_vec(),
    )]
    .into();
    (files, common::encoded(&[("acme/user/v1/user.proto", text)]))
}

const V1: &str = "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n  int32 age = 2;\n}\n";
const ADDED: &str = "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n  int32 age = 2;\n  string email = 3;\n}\n";
const DELETED: &str =
    "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n}\n";
const RESERVED: &str = "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n  reserved 2;\n  reserved \"age\";\n}\n";
const RETYPED: &str = "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n  string age = 2;\n}\n";

fn push(registry: &Registry, text: &str, compat: Compat) -> Result<Pushed, Error> {
    let (files, image) = module(text);
    registry.push("acme/user", &files, &image, compat)
}

fn number(pushed: Pushed) -> u32 {
    match pushed {
        Pushed::New(v) | Pushed::Unchanged(v) => v.number,
    }
}

#[test]
fn compatible_pushes_are_stored_and_incompatible_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::init(dir.path()).unwrap();
    assert!(matches!(push(&registry, V1, Compat::Backward), Ok(Pushed::New(v)) if v.number == 1));
    // The same content again returns the existing version and writes nothing.
    assert!(
        matches!(push(&registry, V1, Compat::Backward), Ok(Pushed::Unchanged(v)) if v.number == 1)
    );
    assert_eq!(number(push(&registry, ADDED, Compat::Full).unwrap()), 2);
    // Deleting a field without reserving it breaks backward compatibility.
    match push(&registry, DELETED, Compat::Backward) {
        Err(Error::Incompatible { against, findings }) => {
            assert_eq!(against, 2);
            let rules: Vec<_> = findings.iter().map(|f| f.rule).collect();
            assert!(
                rules.contains(&"FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"),
                "{rules:?}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A type change breaks forward compatibility too.
    assert!(matches!(
        push(&registry, RETYPED, Compat::Forward),
        Err(Error::Incompatible { .. })
    ));
    assert_eq!(registry.versions("acme/user").unwrap().len(), 2);
    // A refused push leaves nothing behind, not even its temporary directory.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("modules/acme/user"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // With none, anything goes.
    assert_eq!(number(push(&registry, RETYPED, Compat::None).unwrap()), 3);
    assert_eq!(registry.modules().unwrap(), ["acme/user"]);
    let files = registry.files("acme/user", 3).unwrap();
    assert_eq!(files["acme/user/v1/user.proto"], RETYPED.as_bytes());
}

#[test]
fn a_deletion_that_reserves_is_backward_but_transitive_modes_see_every_version() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::init(dir.path()).unwrap();
    push(&registry, V1, Compat::Backward).unwrap();
    assert_eq!(
        number(push(&registry, RESERVED, Compat::Backward).unwrap()),
        2
    );
    // Forward compatibility allows adding a field (old readers skip it).
    assert_eq!(
        number(
            push(
                &registry,
                ADDED
                    .replace("  int32 age = 2;\n", "  reserved 2;\n  reserved \"age\";\n")
                    .as_str(),
                Compat::Forward
            )
            .unwrap()
        ),
        3
    );
    // Version 1 had `int32 age = 2`; reusing 2 as a string passes against version 3 ...
    let reuse = "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {\n  string name = 1;\n  string email = 3;\n  string age = 2;\n}\n";
    let (files, image) = module(reuse);
    let err = registry
        .push("acme/user", &files, &image, Compat::BackwardTransitive)
        .unwrap_err();
    // ... but not against the versions before it, which reserved it.
    assert!(matches!(err, Error::Incompatible { .. }), "{err}");
}

#[test]
fn concurrent_pushes_never_share_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Arc::new(Registry::init(dir.path()).unwrap());
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (registry, barrier) = (Arc::clone(&registry), Arc::clone(&barrier));
            std::thread::spawn(move || {
                // Each adds its own field to the same base: all compatible with each other.
                let text = format!(
                    "syntax = \"proto3\";\npackage acme.user.v1;\nmessage User {{\n  string name = 1;\n  int32 f{i} = {};\n}}\n",
                    i + 10
                );
                let (files, image) = module(&text);
                barrier.wait();
                registry.push("acme/user", &files, &image, Compat::None).unwrap()
            })
        })
        .collect();
    let mut numbers: Vec<u32> = threads
        .into_iter()
        .map(|t| number(t.join().unwrap()))
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
    let stored: Vec<u32> = registry
        .versions("acme/user")
        .unwrap()
        .iter()
        .map(|v| v.number)
        .collect();
    assert_eq!(stored, numbers);
}

#[test]
fn an_interrupted_push_leaves_no_version() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::init(dir.path()).unwrap();
    push(&registry, V1, Compat::Backward).unwrap();
    // A push killed while writing leaves its temporary directory, half written, beside the
    // versions (what `Registry::push` writes before it renames).
    let module_dir = dir.path().join("modules/acme/user");
    let partial = module_dir.join(".push-99999-1");
    std::fs::create_dir_all(partial.join("files/acme")).unwrap();
    std::fs::write(partial.join("files/acme/half.proto"), "syntax = \"pro").unwrap();
    let versions = registry.versions("acme/user").unwrap();
    assert_eq!(versions.iter().map(|v| v.number).collect::<Vec<_>>(), [1]);
    assert_eq!(registry.modules().unwrap(), ["acme/user"]);
    // The next push takes the next number as if nothing happened.
    assert_eq!(number(push(&registry, ADDED, Compat::Backward).unwrap()), 2);
    // A version directory is only ever created by a rename of a complete one.
    for v in registry.versions("acme/user").unwrap() {
        let d = module_dir.join(v.number.to_string());
        assert!(d.join("version.json").is_file() && d.join("image.binpb").is_file());
    }
}

#[test]
fn names_and_paths_that_would_leave_the_registry_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let registry = Registry::init(dir.path()).unwrap();
    let (files, image) = module(V1);
    for name in [
        "../x",
        "/etc",
        "acme/../../x",
        "acme//user",
        "Acme/User",
        "",
        "a/./b",
    ] {
        let err = registry
            .push(name, &files, &image, Compat::None)
            .unwrap_err();
        assert!(err.to_string().contains("is not allowed"), "{name}: {err}");
    }
    for path in [
        "../x.proto",
        "/etc/x.proto",
        "a/../../x.proto",
        "a\\b.proto",
        "a//b.proto",
    ] {
        let files: Files = [(path.to_owned(), V1.as_bytes().to_vec())].into();
        let err = registry
            .push("acme/user", &files, &image, Compat::None)
            .unwrap_err();
        assert!(
            err.to_string().contains("would land outside the module"),
            "{path}: {err}"
        );
    }
    assert!(registry.modules().unwrap().is_empty());
    assert!(!dir.path().join("x").exists() && !Path::new("/etc/x.proto").exists());
}

#[test]
fn reading_a_module_refuses_symlinks_and_what_breaks_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("m");
    std::fs::create_dir_all(module.join("a")).unwrap();
    std::fs::write(module.join("a/a.proto"), V1).unwrap();
    std::fs::write(module.join("notes.txt"), "not pushed").unwrap();
    let files = registry::read_module(&module, Limits::default()).unwrap();
    assert_eq!(files.keys().collect::<Vec<_>>(), ["a/a.proto"]);

    let tight = Limits {
        max_files: 1,
        max_file_bytes: 1 << 20,
        max_total_bytes: 1 << 20,
    };
    std::fs::write(module.join("a/b.proto"), V1).unwrap();
    let err = registry::read_module(&module, tight).unwrap_err();
    assert!(
        err.to_string()
            .contains("more than the 1 files a module may have"),
        "{err}"
    );
    let small = Limits {
        max_file_bytes: 10,
        ..Limits::default()
    };
    let err = registry::read_module(&module, small).unwrap_err();
    assert!(
        err.to_string().contains("more than the 10 a file may have"),
        "{err}"
    );
    let total = Limits {
        max_total_bytes: 150,
        ..Limits::default()
    };
    let err = registry::read_module(&module, total).unwrap_err();
    assert!(
        err.to_string().contains("larger than the 150 bytes"),
        "{err}"
    );

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/hostname", module.join("a/c.proto")).unwrap();
        let err = registry::read_module(&module, Limits::default()).unwrap_err();
        assert!(err.to_string().contains("symlinks are not pushed"), "{err}");
    }
}
