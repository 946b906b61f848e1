// Generates every protovalidate conformance case proto (the editions ones, and the one that
// imports them, excepted: protogen does not support editions), skipping their CEL rules, plus `dispatch.rs`: a table from
// message full name to a function that decodes and validates it, owned and as a view.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const CORPUS: &str = "../../shared/corpus/protovalidate";

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto")
            && !path.to_string_lossy().contains("editions")
            && !std::fs::read_to_string(&path)
                .unwrap()
                .contains("_editions.proto\"")
        {
            out.push(path);
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let validate = format!("{CORPUS}/protovalidate");
    let testing = format!("{CORPUS}/protovalidate-testing");
    let mut files = Vec::new();
    case_files(
        &Path::new(&testing).join("buf/validate/conformance/cases"),
        &mut files,
    );
    files.sort();
    // Some cases are schemas protovalidate must refuse (its "compilation errors"); protogen
    // refuses them at build time. Skip exactly those elements' rules, one at a time, and list
    // them in `skipped.txt` (the tests check each is refused alone).
    let mut skipped: Vec<String> = Vec::new();
    loop {
        let result = protogen_build::Builder::new()
            .include(&validate)
            .include(&testing)
            .skip_cel_rules()
            .skip_validation(skipped.clone())
            .compile(&files);
        match result {
            Ok(_) => break,
            Err(err) if err.kind() == protogen_build::ErrorKind::Schema && skipped.len() < 100 => {
                let message = err.to_string();
                let element = ["on field `", "on message `"]
                    .iter()
                    .find_map(|m| message.split_once(m))
                    .and_then(|(_, rest)| rest.split_once('`'))
                    .map(|(name, _)| format!(".{name}"))
                    .ok_or(err)?;
                skipped.push(element);
            }
            Err(err) => return Err(err.into()),
        }
    }

    // The dispatch table, from the same model the passes saw.
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(&testing)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let pool = protox::Compiler::new([&validate, &testing])?
        .include_imports(true)
        .open_files(&names)?
        .descriptor_pool();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let options = protogen_codegen::model::ModelOptions {
        cel: protogen_codegen::model::CelPolicy::Skip,
        skip_rules: skipped.clone(),
        ..Default::default()
    };
    let model = protogen_codegen::Model::build(&pool, &names, &options)?;
    let mut arms = String::new();
    for (package, message) in model.messages() {
        let path: Vec<&str> = package
            .module
            .iter()
            .chain(&message.rust_path)
            .map(String::as_str)
            .collect();
        let name = message.full_name.trim_start_matches('.');
        let owned = format!("crate::{}", path.join("::"));
        writeln!(
            arms,
            "        \"{name}\" => Some(run::<{owned}>(bytes, view)),"
        )?;
    }
    let dispatch = format!(
        "/// Decodes `bytes` as the message `full_name` and validates it (through its view if \
         `view`); `None` for an unknown name.\n\
         pub fn validate(full_name: &str, bytes: &[u8], view: bool) -> Option<Outcome> {{\n    \
         match full_name {{\n{arms}        _ => None,\n    }}\n}}\n"
    );
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("dispatch.rs"), dispatch)?;
    std::fs::write(out.join("cases.fds.bin"), pool.encode_to_vec())?;
    std::fs::write(out.join("skipped.txt"), skipped.join("\n"))?;
    Ok(())
}
