//! `protogen sdl`: the GraphQL schema of `.proto` files and tenant schemas, as the `graphql` pass
//! writes it to `schema.graphql`.

use std::path::PathBuf;

use clap::Args;
use protogen_build::Builder;

#[derive(Args)]
pub struct SdlArgs {
    /// Include directory that imports and inputs resolve against; repeatable, searched in order.
    #[arg(short = 'I', long = "include", value_name = "DIR", required = true)]
    includes: Vec<PathBuf>,

    /// .proto files, or directories searched recursively for them; tenant schemas (.json files).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// A tenant schema, or a directory searched recursively for them; repeatable.
    #[arg(long = "tenant", value_name = "PATH")]
    tenants: Vec<PathBuf>,

    /// Prepended to every GraphQL type name made from a proto name.
    #[arg(long, value_name = "PREFIX", default_value = "")]
    prefix: String,

    /// Skip CEL validation rules with a warning instead of failing.
    #[arg(long)]
    skip_cel: bool,

    /// Turn a protogen pass off (`validate`: rules are not read, so no field is non-null because
    /// a rule requires it); repeatable.
    #[arg(long = "disable-pass", value_name = "PASS")]
    disabled_passes: Vec<protogen_build::Pass>,
}

/// Prints the SDL on stdout.
pub fn sdl(args: SdlArgs) -> Result<(), String> {
    let mut builder = Builder::new();
    builder
        .includes(&args.includes)
        .emit_rerun_if_changed(false)
        .graphql_prefix(args.prefix)
        // Lock files are read, not required: numbers do not show in the SDL.
        .tenant_locks(protogen_build::TenantLocks::Warn);
    if args.skip_cel {
        builder.skip_cel_rules();
    }
    for pass in args.disabled_passes {
        builder.pass(pass, false);
    }
    let protos = crate::add_tenants(&mut builder, &args.files, &args.tenants);
    let sdl = builder
        .graphql_schema(&protos)
        .map_err(|e| format!("{e:?}"))?;
    print!("{sdl}");
    Ok(())
}
