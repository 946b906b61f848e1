//! One insta snapshot of the generated code per schema file in `schemas/`, kept in the
//! repository's `snapshots/` folder. Review changes with `cargo insta review`.

use std::path::{Path, PathBuf};

use protogen_build::Builder;

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn schema_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            schema_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
}

/// The package a schema file declares.
fn package_of(path: &Path) -> String {
    let source = std::fs::read_to_string(path).unwrap();
    source
        .lines()
        .find_map(|l| l.trim().strip_prefix("package "))
        .map(|p| p.trim_end_matches(';').trim().to_owned())
        .unwrap_or_default()
}

#[test]
fn generated_code_of_every_schema_file() {
    let schemas = schemas_dir();
    let mut files = Vec::new();
    schema_files(&schemas, &mut files);
    files.sort();
    assert!(files.len() >= 4, "schemas/ holds the example schemas");
    for file in files {
        let relative = file.strip_prefix(&schemas).unwrap().to_owned();
        let generation = Builder::new()
            .include(&schemas)
            .generate(&[&file])
            .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
        let package = package_of(&file);
        let generated = generation
            .package(&package)
            .unwrap_or_else(|| panic!("{} generates package {package}", file.display()));
        let name = relative.to_string_lossy().replace(['/', '\\'], "__");
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
            description => format!("protogen generate -I schemas schemas/{}", relative.display()),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, generated.content);
        });
    }
}

/// Per tenant schema in `schemas/tenants/`: the `.proto` it lowers to (`protogen export-proto`)
/// and the Rust generated from it.
#[test]
fn tenant_schemas_lowered_and_generated() {
    let tenants = schemas_dir().join("tenants");
    let files = protogen_tenant::find_schemas(&tenants).unwrap();
    assert!(
        files.len() >= 4,
        "schemas/tenants/ holds the example tenant schemas"
    );
    for file in files {
        let relative = file.strip_prefix(schemas_dir()).unwrap().to_owned();
        let name = relative.to_string_lossy().replace(['/', '\\'], "__");
        let loaded =
            protogen_tenant::load_file(&file, &file.file_name().unwrap().to_string_lossy())
                .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
        assert!(
            loaded.lock_is_current(),
            "{}: run protogen lock",
            file.display()
        );
        let proto = protogen_tenant::to_proto(&loaded.compiled);
        let package = loaded.compiled.file.package().to_owned();
        let generation = Builder::new()
            .tenant_schema(&file)
            .generate(&[] as &[&str])
            .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
        let generated = generation
            .package(&package)
            .unwrap_or_else(|| panic!("{} generates package {package}", file.display()));
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
            description => format!("protogen export-proto schemas/{}", relative.display()),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("{name}.proto"), proto);
        });
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
            description => format!("protogen generate --tenant schemas/{}", relative.display()),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, generated.content);
        });
    }
}

/// The `validate` pass's output (owned and view impls) on the validation test schema
/// (`generated-tests/proto`), which uses every rule family. It imports protovalidate's
/// `validate.proto` from the shared corpus.
#[test]
fn generated_validators() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let proto = root.join("generated-tests/proto");
    let protovalidate = root.join("../shared/corpus/protovalidate/protovalidate");
    let generation = Builder::new()
        .include(&proto)
        .include(&protovalidate)
        .passes(
            protogen_build::Passes::none()
                .set(protogen_build::Pass::View, true)
                .set(protogen_build::Pass::Validate, true)
                .clone(),
        )
        .generate(&[proto.join("validation/v1/rules.proto")])
        .unwrap_or_else(|err| panic!("{err}"));
    let generated = generation.package("validation.v1").expect("the package");
    // The validate pass runs last: its items are everything from its first impl on.
    let start = generated
        .content
        .find("impl ::protogen::Validate for")
        .expect("validate impls");
    let passes = &generated.content[start..];
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
        description => "validate pass on generated-tests/proto/validation/v1/rules.proto",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("validation__v1__rules.proto.validate", passes);
    });
}
