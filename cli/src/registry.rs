//! `protogen registry`: a versioned schema registry in a directory (protogen-compat's
//! `registry`), with modules compiled by protogen-build from exactly the files read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use protogen_compat::registry::{self, Compat, Limits, Pushed, Registry};
use protogen_compat::rules::Kind;
use protogen_compat::{ErrorFormat, Finding};

#[derive(Args)]
pub struct RegistryArgs {
    /// The registry directory; default: the PROTOGEN_REGISTRY environment variable.
    #[arg(long, value_name = "DIR", global = true)]
    registry: Option<PathBuf>,

    #[command(subcommand)]
    command: RegistryCommand,
}

#[derive(Subcommand)]
enum RegistryCommand {
    /// Create the registry directory.
    Init,
    /// Store a module directory as the next version of NAME if it is compatible with the
    /// previous version(s); the same content again is a no-op that prints the existing version.
    Push(PushArgs),
    /// List the modules and their latest versions.
    List,
    /// Show a module's versions, or one version's digest and files (NAME@VERSION).
    Show {
        #[arg(value_name = "NAME[@VERSION]")]
        reference: String,
    },
    /// Write a version's files into a directory.
    Pull {
        #[arg(value_name = "NAME@VERSION")]
        reference: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// `protogen breaking` with a stored version as the old schema.
    Breaking {
        /// The new schema: a module directory.
        #[arg(value_name = "DIR")]
        module: PathBuf,
        /// The stored version, `acme/user@3` (or `acme/user` for the latest).
        #[arg(long, value_name = "NAME[@VERSION]")]
        against: String,
        /// Check only these categories or rules; default: FILE.
        #[arg(long, value_name = "CATEGORY")]
        category: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        error_format: crate::compat::Format,
    },
}

#[derive(Args)]
struct PushArgs {
    /// The module directory (its .proto files, and buf.yaml).
    #[arg(value_name = "DIR")]
    module: PathBuf,
    /// The module's name, `acme/user`.
    #[arg(long)]
    name: String,
    /// Which earlier versions the new one must stay compatible with, and how (see
    /// docs/compat.md: backward and forward check buf's WIRE_JSON rules one way or the other).
    #[arg(long, default_value = "backward", value_parser = parse_compat)]
    compat: Compat,
}

fn parse_compat(s: &str) -> Result<Compat, String> {
    Compat::parse(s).ok_or_else(|| {
        "expected none, backward, forward, full, backward_transitive, forward_transitive or \
         full_transitive"
            .into()
    })
}

pub fn run(args: RegistryArgs) -> ExitCode {
    let dir = match args
        .registry
        .or_else(|| std::env::var_os("PROTOGEN_REGISTRY").map(PathBuf::from))
    {
        Some(dir) => dir,
        None => return fail("no registry: give --registry DIR or set PROTOGEN_REGISTRY".into()),
    };
    let result = match args.command {
        RegistryCommand::Init => Registry::init(&dir).map(|_| {
            println!("registry: {}", dir.display());
            ExitCode::SUCCESS
        }),
        RegistryCommand::Push(push_args) => return push(&dir, push_args),
        RegistryCommand::List => list(&dir),
        RegistryCommand::Show { reference } => show(&dir, &reference),
        RegistryCommand::Pull { reference, out } => pull(&dir, &reference, &out),
        RegistryCommand::Breaking {
            module,
            against,
            category,
            error_format,
        } => return breaking(&dir, &module, &against, &category, error_format.into()),
    };
    result.unwrap_or_else(|e| fail(e.to_string()))
}

fn fail(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

/// Compiles exactly `files` (written to a private directory, so imports resolve among them and
/// protox's bundled well-known types only) into an encoded descriptor set.
fn compile(files: &registry::Files) -> Result<Vec<u8>, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut protos = Vec::new();
    for (path, content) in files {
        let target = tmp.path().join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&target, content).map_err(|e| e.to_string())?;
        if path.ends_with(".proto") {
            protos.push(target);
        }
    }
    let compiled = protogen_build::compile_descriptors(&[tmp.path().to_path_buf()], &protos)
        .map_err(|e| format!("{e:?}"))?;
    // Only the module's files are versioned: the image marks the well-known types as imports
    // by leaving them out of the checked set when it is read back (they are bundled anyway).
    Ok(compiled.encoded)
}

fn push(dir: &Path, args: PushArgs) -> ExitCode {
    let result = (|| {
        let registry = Registry::open(dir).map_err(|e| e.to_string())?;
        let files =
            registry::read_module(&args.module, Limits::default()).map_err(|e| e.to_string())?;
        let image = compile(&files)?;
        registry
            .push(&args.name, &files, &image, args.compat)
            .map_err(|e| match e {
                registry::Error::Incompatible { against, findings } => {
                    let mut out = String::new();
                    for f in &findings {
                        out.push_str(&f.to_text());
                        out.push('\n');
                    }
                    format!(
                        "{} refused: incompatible with version {against} under {} \
                         compatibility:\n{}",
                        args.name,
                        args.compat.name(),
                        out.trim_end()
                    )
                }
                other => other.to_string(),
            })
    })();
    match result {
        Ok(Pushed::New(v)) => {
            println!("{}@{} {} (new)", args.name, v.number, v.digest);
            ExitCode::SUCCESS
        }
        Ok(Pushed::Unchanged(v)) => {
            println!("{}@{} {} (unchanged)", args.name, v.number, v.digest);
            ExitCode::SUCCESS
        }
        Err(err) => fail(err),
    }
}

fn list(dir: &Path) -> Result<ExitCode, registry::Error> {
    let registry = Registry::open(dir)?;
    for name in registry.modules()? {
        let versions = registry.versions(&name)?;
        if let Some(last) = versions.last() {
            println!(
                "{name}@{} {} ({} versions)",
                last.number,
                last.digest,
                versions.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn resolve(registry: &Registry, reference: &str) -> Result<(String, u32), registry::Error> {
    let (name, number) = registry::parse_ref(reference)?;
    let number = match number {
        Some(n) => n,
        None => {
            registry
                .versions(name)?
                .last()
                .ok_or_else(|| registry::Error::NotFound(name.to_owned()))?
                .number
        }
    };
    Ok((name.to_owned(), number))
}

fn show(dir: &Path, reference: &str) -> Result<ExitCode, registry::Error> {
    let registry = Registry::open(dir)?;
    let (name, number) = registry::parse_ref(reference)?;
    let versions = registry.versions(name)?;
    if versions.is_empty() {
        return Err(registry::Error::NotFound(name.to_owned()));
    }
    match number {
        None => {
            for v in versions {
                println!("{name}@{} {} compat={}", v.number, v.digest, v.compat);
            }
        }
        Some(n) => {
            let v = versions
                .iter()
                .find(|v| v.number == n)
                .ok_or_else(|| registry::Error::NotFound(format!("{name}@{n}")))?;
            println!("{name}@{} {} compat={}", v.number, v.digest, v.compat);
            for (path, content) in registry.files(name, n)? {
                println!("  {path} ({} bytes)", content.len());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn pull(dir: &Path, reference: &str, out: &Path) -> Result<ExitCode, registry::Error> {
    let registry = Registry::open(dir)?;
    let (name, number) = resolve(&registry, reference)?;
    for (path, content) in registry.files(&name, number)? {
        registry::check_path(&path)?;
        let target = out.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| registry::Error::Io(parent.into(), e))?;
        }
        std::fs::write(&target, content).map_err(|e| registry::Error::Io(target.clone(), e))?;
    }
    println!("{name}@{number} -> {}", out.display());
    Ok(ExitCode::SUCCESS)
}

fn breaking(
    dir: &Path,
    module: &Path,
    against: &str,
    categories: &[String],
    format: ErrorFormat,
) -> ExitCode {
    let result = (|| -> Result<Vec<Finding>, String> {
        let registry = Registry::open(dir).map_err(|e| e.to_string())?;
        let (name, number) = resolve(&registry, against).map_err(|e| e.to_string())?;
        let previous = registry.image(&name, number).map_err(|e| e.to_string())?;
        let current = crate::compat::load(std::slice::from_ref(&module.to_path_buf()), &[], false)?;
        let mut config = protogen_compat::CheckConfig::default_for(Kind::Breaking);
        if !categories.is_empty() {
            config.rules =
                protogen_compat::rules::RuleSet::resolve(Kind::Breaking, categories, &[])?;
        }
        Ok(protogen_compat::breaking(&current, &previous, &config))
    })();
    crate::compat::finish(result, format)
}
