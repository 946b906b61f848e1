//! `protogen export-proto` is faithful: the exported `.proto`, compiled by protox against
//! protovalidate's `validate.proto` and read by protogen's model, has the same fields, numbers
//! and validation rules as the tenant schema it came from.
//!
//! Needs protovalidate's `validate.proto` from the corpus (`../shared/corpus`, or
//! `PROTOGEN_CORPUS`), hence ignored by default like the corpus check.

use std::path::{Path, PathBuf};

use protogen_codegen::model::{Message, Model, ModelOptions};
use protogen_tenant::{Compiled, find_schemas, load_file, to_proto};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn protovalidate() -> PathBuf {
    std::env::var_os("PROTOGEN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"))
        .join("protovalidate/protovalidate")
}

fn check(message: &Message, compiled: &Compiled, checked: &mut usize) {
    let descriptor_fields = compiled
        .schema
        .messages
        .iter()
        .find(|m| format!(".{}", m.full_name) == message.full_name)
        .unwrap_or_else(|| panic!("{} is in the tenant schema", message.full_name));
    assert_eq!(
        message.fields.len(),
        descriptor_fields.fields.len(),
        "{}",
        message.full_name
    );
    for field in &message.fields {
        let at = format!("{}.{}", message.full_name, field.name);
        let ours = descriptor_fields
            .fields
            .iter()
            .find(|f| f.name == field.name)
            .unwrap_or_else(|| panic!("{at} is in the tenant schema"));
        assert_eq!(field.number as i32, ours.number, "{at}");
        let expected = compiled.rules.fields.get(&at).cloned().unwrap_or_default();
        assert_eq!(field.rules, expected, "{at}");
        *checked += 1;
    }
    for nested in &message.messages {
        check(nested, compiled, checked);
    }
}

#[test]
#[ignore = "needs protovalidate's validate.proto from ../shared/corpus"]
fn exported_proto_means_the_same() {
    let protovalidate = protovalidate();
    assert!(
        protovalidate.join("buf/validate/validate.proto").is_file(),
        "no validate.proto under {}",
        protovalidate.display()
    );
    let mut checked = 0;
    for path in find_schemas(&workspace().join("schemas/tenants")).unwrap() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let loaded = load_file(&path, &name).unwrap();
        let proto = to_proto(&loaded.compiled);
        let dir = tempfile::tempdir().unwrap();
        let file = format!("{}.proto", name.trim_end_matches(".json"));
        std::fs::write(dir.path().join(&file), &proto).unwrap();
        let mut compiler = protox::Compiler::new([dir.path(), protovalidate.as_path()]).unwrap();
        compiler.include_imports(true);
        compiler.open_file(&file).unwrap_or_else(|e| {
            panic!(
                "{}: the export does not compile: {e:?}\n{proto}",
                path.display()
            )
        });
        let pool = compiler.descriptor_pool();
        let model = Model::build(&pool, &[file.as_str()], &ModelOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let package = model
            .packages
            .iter()
            .find(|p| p.name == loaded.compiled.file.package())
            .unwrap();
        for message in &package.messages {
            check(message, &loaded.compiled, &mut checked);
        }
    }
    assert!(checked > 30, "{checked} fields checked");
}
