//! `protogen`: the command line schema registries run. `protogen generate` writes exactly what
//! `protogen_build::Builder::compile` writes from a build script.

mod compat;
mod graphql;
mod registry;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use protogen_build::{Builder, Pass, TenantLocks};

#[derive(Parser)]
#[command(
    name = "protogen",
    version,
    about = "Rust code from .proto files: prost types plus protogen's passes, no protoc"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile .proto files and tenant schemas (.json) and write one Rust file per package,
    /// plus `_protogen_includes.rs`.
    Generate(Generate),
    /// Print the .proto equivalent of a tenant schema, constraints as (buf.validate.field)
    /// options.
    ExportProto(ExportProto),
    /// Create or update the lock files of tenant schemas (`user.lock.json` beside `user.json`)
    /// and report what changed.
    Lock(LockArgs),
    /// Check a JSON payload against a tenant schema, without generating code: prints every
    /// violation and fails if there is any.
    Validate(ValidateArgs),
    /// Print the GraphQL schema (SDL) of .proto files and tenant schemas: the `schema.graphql`
    /// that `generate` writes.
    Sdl(graphql::SdlArgs),
    /// Report breaking changes against an older version of a schema, with buf's rules,
    /// messages and exit code (100 when anything is found).
    Breaking(compat::BreakingArgs),
    /// Lint a module with buf's rules (MINIMAL, BASIC, STANDARD by default, COMMENTS,
    /// UNARY_RPC), buf.yaml's `lint` settings and `// buf:lint:ignore RULE` comments; exit code
    /// 100 when anything is found.
    Lint(compat::LintArgs),
    /// A versioned schema registry in a directory: init, push (refused when incompatible),
    /// list, show, pull, breaking against a stored version.
    Registry(registry::RegistryArgs),
    /// Answer a GraphQL query from one message read on stdin (binary protobuf, or proto3 JSON
    /// with --json), the message being the query's root value: prints the response JSON.
    Project(graphql::ProjectArgs),
}

#[derive(Args)]
struct ExportProto {
    /// The tenant schema (.json).
    #[arg(value_name = "SCHEMA")]
    schema: PathBuf,
}

#[derive(Args)]
struct LockArgs {
    /// Tenant schemas (.json), or directories searched for them.
    #[arg(value_name = "SCHEMA", required = true)]
    schemas: Vec<PathBuf>,

    /// Only report: exit with failure if a lock file would change, write nothing.
    #[arg(long)]
    check: bool,
}

#[derive(Args)]
struct ValidateArgs {
    /// The tenant schema (.json); its lock file is used if present.
    #[arg(long, value_name = "SCHEMA")]
    schema: PathBuf,

    /// The message to check the payload as (its path in the schema, `Order.Line`); by default
    /// the schema's entity (top-level `fields`) or its only message. Use `--message Order`.
    #[arg(long, value_name = "MESSAGE")]
    message: Option<String>,

    /// The JSON payload.
    #[arg(value_name = "PAYLOAD")]
    payload: PathBuf,
}

/// What `generate` does about tenant schema lock files.
#[derive(Clone, Copy, ValueEnum)]
enum Locks {
    /// Fail when a lock file is missing or stale (the default, as in build.rs).
    Require,
    /// Write missing or stale lock files, as `protogen lock` does.
    Update,
    /// Number what the lock file lacks in memory, with a warning.
    Warn,
}

#[derive(Args)]
struct Generate {
    /// Include directory that imports and inputs resolve against; repeatable, searched in order.
    /// google/protobuf/*.proto come from protox's bundled copies first.
    #[arg(short = 'I', long = "include", value_name = "DIR", required = true)]
    includes: Vec<PathBuf>,

    /// .proto files, or directories searched recursively for them; tenant schemas (.json files).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// A tenant schema, or a directory searched recursively for them (*.json, lock files and
    /// *.schema.json excepted); repeatable.
    #[arg(long = "tenant", value_name = "PATH")]
    tenants: Vec<PathBuf>,

    /// What to do about tenant schema lock files that are missing or stale.
    #[arg(long, value_enum, default_value = "require")]
    locks: Locks,

    /// Directory to write the generated files to (created if missing).
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,

    /// Turn a protogen pass off; repeatable (the passes are listed from `Pass::ALL`).
    #[arg(
        long = "disable-pass",
        value_name = "PASS",
        help = passes_help(false),
        long_help = passes_help(true)
    )]
    disabled_passes: Vec<Pass>,

    /// prost path whose `bytes` fields become `bytes::Bytes` ("." for all); repeatable.
    #[arg(long, value_name = "PATH")]
    bytes: Vec<String>,

    /// prost path whose map fields become `BTreeMap` ("." for all); repeatable.
    #[arg(long = "btree-map", value_name = "PATH")]
    btree_map: Vec<String>,

    /// Map a proto path to an existing Rust path instead of generating it:
    /// `--extern-path .common.v1=::common::v1`; repeatable.
    #[arg(long = "extern-path", value_name = "PROTO=RUST", value_parser = parse_pair)]
    extern_paths: Vec<(String, String)>,

    /// Attribute on messages and enums matched by a prost path: `--type-attribute .=#[derive(Eq)]`.
    #[arg(long = "type-attribute", value_name = "PATH=ATTR", value_parser = parse_pair)]
    type_attributes: Vec<(String, String)>,

    /// Attribute on fields matched by a prost path; repeatable.
    #[arg(long = "field-attribute", value_name = "PATH=ATTR", value_parser = parse_pair)]
    field_attributes: Vec<(String, String)>,

    /// Generate google.protobuf types instead of using prost_types.
    #[arg(long)]
    compile_well_known_types: bool,

    /// Skip CEL validation rules with a warning instead of failing (protogen cannot compile CEL
    /// yet; the other rules still apply).
    #[arg(long)]
    skip_cel: bool,
}

/// `--disable-pass`'s help, made from the pass list so that a new pass appears in it.
fn passes_help(long: bool) -> String {
    let names: Vec<&str> = Pass::ALL.iter().map(|p| p.name()).collect();
    let mut help = format!(
        "Turn a protogen pass off; repeatable. Passes: {}",
        names.join(", ")
    );
    if long {
        for pass in Pass::ALL {
            help.push_str(&format!("\n  {}: {}", pass.name(), pass.summary()));
        }
    }
    help
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .ok_or_else(|| format!("expected KEY=VALUE, got `{s}`"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Breaking(args) => return compat::breaking(args),
        Command::Lint(args) => return compat::lint(args),
        Command::Registry(args) => return registry::run(args),
        // Errors of a run are drawn with their source lines, as miette renders them.
        Command::Generate(args) => generate(args).map_err(|e| format!("{e:?}")),
        Command::ExportProto(args) => export_proto(args),
        Command::Lock(args) => lock(args),
        Command::Validate(args) => validate(args),
        Command::Sdl(args) => graphql::sdl(args),
        Command::Project(args) => graphql::project(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: Generate) -> Result<(), protogen_build::Error> {
    let mut builder = Builder::new();
    builder
        .includes(&args.includes)
        .out_dir(&args.out)
        .emit_rerun_if_changed(false)
        .bytes(args.bytes)
        .btree_map(args.btree_map);
    for pass in args.disabled_passes {
        builder.pass(pass, false);
    }
    for (proto, rust) in args.extern_paths {
        builder.extern_path(proto, rust);
    }
    for (path, attr) in args.type_attributes {
        builder.type_attribute(path, attr);
    }
    for (path, attr) in args.field_attributes {
        builder.field_attribute(path, attr);
    }
    if args.compile_well_known_types {
        builder.compile_well_known_types();
    }
    if args.skip_cel {
        builder.skip_cel_rules();
    }
    let protos = add_tenants(&mut builder, &args.files, &args.tenants);
    builder.tenant_locks(match args.locks {
        Locks::Require => TenantLocks::Require,
        Locks::Update => TenantLocks::Update,
        Locks::Warn => TenantLocks::Warn,
    });
    let generation = builder.compile(&protos)?;
    for warning in &generation.warnings {
        eprintln!("warning: {warning}");
    }
    for file in &generation.files {
        let path = args.out.join(&file.name);
        match &file.package {
            Some(package) => println!(
                "{package}: {} ({}, {}, {} lines)",
                path.display(),
                count(file.messages, "message"),
                count(file.enums, "enum"),
                file.content.lines().count()
            ),
            None if file.name == protogen_build::GRAPHQL_FILE => {
                println!("graphql schema: {}", path.display())
            }
            None => println!("modules: {}", path.display()),
        }
    }
    Ok(())
}

/// Adds the tenant schemas among `files` (`.json`) and `tenants` to `builder`; returns the rest.
fn add_tenants(builder: &mut Builder, files: &[PathBuf], tenants: &[PathBuf]) -> Vec<PathBuf> {
    let (json, protos): (Vec<PathBuf>, Vec<PathBuf>) = files
        .iter()
        .cloned()
        .partition(|f| f.extension().is_some_and(|e| e == "json"));
    for tenant in json.iter().chain(tenants) {
        builder.tenant_schema(tenant);
    }
    protos
}

/// `1 enum`, `3 enums`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn load_tenant(path: &Path) -> Result<protogen_tenant::LoadedFile, String> {
    protogen_tenant::load_file(path, &path.display().to_string()).map_err(|e| e.to_string())
}

fn export_proto(args: ExportProto) -> Result<(), String> {
    let loaded = load_tenant(&args.schema)?;
    if !loaded.lock_is_current() {
        eprintln!(
            "note: {} does not record every number yet; the ones it lacks are assigned in memory \
             (run `protogen lock {}`)",
            loaded.lock_path.display(),
            args.schema.display()
        );
    }
    let mut compiled = loaded.compiled;
    compiled.file.name = Some(file_name(&args.schema));
    print!("{}", protogen_tenant::to_proto(&compiled));
    Ok(())
}

fn lock(args: LockArgs) -> Result<(), String> {
    let mut files = Vec::new();
    for path in &args.schemas {
        if path.is_dir() {
            files.extend(
                protogen_tenant::find_schemas(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?,
            );
        } else {
            files.push(path.clone());
        }
    }
    let mut errors = Vec::new();
    let mut stale = false;
    for path in files {
        let loaded = match load_tenant(&path) {
            Ok(loaded) => loaded,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let lock = loaded.lock_path.display();
        if loaded.lock_is_current() {
            println!("{lock}: up to date");
            continue;
        }
        let verb = match (args.check, loaded.lock_on_disk.is_some()) {
            (true, _) => "would change",
            (false, true) => "updated",
            (false, false) => "created",
        };
        println!(
            "{lock}: {verb} ({})",
            count(loaded.compiled.changes.len(), "change")
        );
        for change in &loaded.compiled.changes {
            println!("  {change}");
        }
        if args.check {
            stale = true;
        } else {
            loaded.write_lock().map_err(|e| format!("{lock}: {e}"))?;
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    if stale {
        return Err("lock files are out of date: run `protogen lock`".into());
    }
    Ok(())
}

fn validate(args: ValidateArgs) -> Result<(), String> {
    let loaded = load_tenant(&args.schema)?;
    let schema = protogen_tenant::TenantSchema::from_compiled(loaded.compiled);
    let text = std::fs::read_to_string(&args.payload)
        .map_err(|e| format!("{}: {e}", args.payload.display()))?;
    let payload: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: invalid JSON: {e}", args.payload.display()))?;
    let result = match &args.message {
        Some(message) => schema.validate_message(message, &payload),
        None => schema.validate(&payload),
    };
    match result {
        Ok(()) => {
            println!("{}: valid", args.payload.display());
            Ok(())
        }
        Err(protogen_tenant::CheckError::Violations(violations)) => {
            for v in violations.iter() {
                println!("{v}");
            }
            Err(format!(
                "{}: {}",
                args.payload.display(),
                count(violations.len(), "violation")
            ))
        }
        Err(other) => Err(other.to_string()),
    }
}
