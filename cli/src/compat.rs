//! `protogen breaking` (and, on the same plumbing, `lint`): buf's checks on protogen-compat,
//! with the schema compiled by protogen-build's protox path.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use protogen_compat::rules::Kind;
use protogen_compat::{BufYaml, ErrorFormat, Finding, Image};

#[derive(Args)]
pub struct BreakingArgs {
    /// The new schema: a module directory (its .proto files, paths relative to it), or files
    /// resolved against `-I`.
    #[arg(value_name = "DIR or FILES", required = true)]
    inputs: Vec<PathBuf>,

    /// The old schema: a module directory, or a FileDescriptorSet (`.binpb`, `.pb`) with source
    /// info.
    #[arg(long, value_name = "DIR | DESCRIPTOR SET")]
    against: PathBuf,

    /// Include directory for imports (after the module directory); repeatable.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    includes: Vec<PathBuf>,

    /// Check only these categories or rules (buf's `breaking.use`); repeatable. Default: the
    /// buf.yaml's setting, else FILE.
    #[arg(long, value_name = "FILE|PACKAGE|WIRE_JSON|WIRE")]
    category: Vec<String>,

    /// A buf.yaml (v2) to read; by default the module directory's, if it has one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// How findings are printed.
    #[arg(long, value_enum, default_value = "text")]
    error_format: Format,

    /// Compare only the module's own files, not the files they import (buf's
    /// `--exclude-imports`; by default, as in buf, imports are compared too).
    #[arg(long)]
    exclude_imports: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

impl From<Format> for ErrorFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Text => ErrorFormat::Text,
            Format::Json => ErrorFormat::Json,
        }
    }
}

#[derive(Args)]
pub struct LintArgs {
    /// The module directory to lint (its .proto files, paths relative to it), or files resolved
    /// against `-I`.
    #[arg(value_name = "DIR or FILES", required = true)]
    inputs: Vec<PathBuf>,

    /// Include directory for imports (after the module directory); repeatable.
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    includes: Vec<PathBuf>,

    /// A buf.yaml (v2) to read; by default the module directory's, if it has one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Check only these categories or rules (buf's `lint.use`); repeatable. Default: the
    /// buf.yaml's setting, else STANDARD.
    #[arg(long = "rule", value_name = "RULE|CATEGORY")]
    rules: Vec<String>,

    /// How findings are printed.
    #[arg(long, value_enum, default_value = "text")]
    error_format: Format,
}

/// Runs `protogen lint`: exit 0 when the module is clean, 100 (as buf) when a rule fails, 1 on
/// errors. Only the module's own files are linted, not what they import.
pub fn lint(args: LintArgs) -> ExitCode {
    finish(run_lint(&args), args.error_format.into())
}

fn run_lint(args: &LintArgs) -> Result<Vec<Finding>, String> {
    let image = load(&args.inputs, &args.includes, true)?;
    let mut config = config_for(&args.inputs, args.config.as_deref())?.lint;
    if !args.rules.is_empty() {
        config.rules = protogen_compat::rules::RuleSet::resolve(Kind::Lint, &args.rules, &[])?;
    }
    Ok(protogen_compat::lint(&image, &config))
}

/// Runs `protogen breaking`: exit 0 when nothing is found, 100 (as buf) when something is, 1 on
/// errors.
pub fn breaking(args: BreakingArgs) -> ExitCode {
    finish(run_breaking(&args), args.error_format.into())
}

pub(crate) fn finish(result: Result<Vec<Finding>, String>, format: ErrorFormat) -> ExitCode {
    match result {
        Ok(findings) if findings.is_empty() => ExitCode::SUCCESS,
        Ok(findings) => {
            let mut out = String::new();
            for finding in &findings {
                out.push_str(&finding.format(format));
                out.push('\n');
            }
            print!("{out}");
            ExitCode::from(protogen_compat::EXIT_FINDINGS)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run_breaking(args: &BreakingArgs) -> Result<Vec<Finding>, String> {
    let current = load(&args.inputs, &args.includes, args.exclude_imports)?;
    let previous = load(
        std::slice::from_ref(&args.against),
        &args.includes,
        args.exclude_imports,
    )?;
    let mut config = config_for(&args.inputs, args.config.as_deref())?.breaking;
    if !args.category.is_empty() {
        config.rules =
            protogen_compat::rules::RuleSet::resolve(Kind::Breaking, &args.category, &[])?;
    }
    Ok(protogen_compat::breaking(&current, &previous, &config))
}

/// The buf.yaml given, or the one in the module directory, or buf's defaults.
fn config_for(inputs: &[PathBuf], explicit: Option<&Path>) -> Result<BufYaml, String> {
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => inputs
            .first()
            .filter(|dir| dir.is_dir())
            .map(|dir| dir.join("buf.yaml"))
            .filter(|p| p.is_file()),
    };
    let Some(path) = path else {
        return Ok(BufYaml::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    BufYaml::parse(&text, None).map_err(|e| format!("{}: {e}", path.display()))
}

/// Compiles a schema given as a module directory, files, or a descriptor set. The files checked
/// are the inputs, and unless `exclude_imports` the files they import too (as buf does).
pub(crate) fn load(
    inputs: &[PathBuf],
    includes: &[PathBuf],
    exclude_imports: bool,
) -> Result<Image, String> {
    if let [single] = inputs
        && single.is_file()
        && single
            .extension()
            .is_some_and(|e| e == "binpb" || e == "pb" || e == "bin")
    {
        let bytes = std::fs::read(single).map_err(|e| format!("{}: {e}", single.display()))?;
        return Image::from_descriptor_set(&bytes)
            .map_err(|e| format!("{}: not a FileDescriptorSet: {e}", single.display()));
    }
    let mut all_includes = Vec::new();
    for input in inputs {
        if input.is_dir() {
            all_includes.push(input.clone());
        } else if !input.exists() {
            return Err(format!("{}: no such file or directory", input.display()));
        }
    }
    all_includes.extend(includes.iter().cloned());
    if all_includes.is_empty() {
        return Err("files given without -I: say which include directory they are under".into());
    }
    let compiled =
        protogen_build::compile_descriptors(&all_includes, inputs).map_err(|e| e.to_string())?;
    let mut image = Image::from_descriptor_set(&compiled.encoded)
        .map_err(|e| format!("compiled descriptors do not decode: {e}"))?;
    if exclude_imports {
        image = image.with_targets(&compiled.targets);
    }
    for (name, source) in compiled.targets.into_iter().zip(compiled.sources) {
        image = image.with_source(name, source);
    }
    Ok(image)
}
