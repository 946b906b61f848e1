//! `protogen`: the command line schema registries run. `protogen generate` writes exactly what
//! `protogen_build::Builder::compile` writes from a build script.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use protogen_build::{Builder, Pass};

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
    /// Compile .proto files and write one Rust file per package, plus `_protogen_includes.rs`.
    Generate(Generate),
}

#[derive(Args)]
struct Generate {
    /// Include directory that imports and inputs resolve against; repeatable, searched in order.
    /// google/protobuf/*.proto come from protox's bundled copies first.
    #[arg(short = 'I', long = "include", value_name = "DIR", required = true)]
    includes: Vec<PathBuf>,

    /// .proto files, or directories searched recursively for them.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// Directory to write the generated files to (created if missing).
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,

    /// Turn a protogen pass off; repeatable. Passes: info, view.
    #[arg(long = "disable-pass", value_name = "PASS")]
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

fn parse_pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .ok_or_else(|| format!("expected KEY=VALUE, got `{s}`"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(args) => generate(args),
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
    let generation = builder.compile(&args.files)?;
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
            None => println!("modules: {}", path.display()),
        }
    }
    Ok(())
}

/// `1 enum`, `3 enums`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
