//! `build-cost`: what protogen's passes cost a user's build, against prost's code alone.
//!
//! For each unit — a compile unit of `../shared/corpus/units.json` by name, or `schemas`, the
//! bundled schemas and their tenants as the README's first command generates them — and each set
//! of passes (none: prost's code alone; each pass of `Pass::ALL` with the passes it requires; all
//! of them), it measures
//!
//! - the generated lines: every Rust file written, `_protogen_includes.rs` included;
//! - generation: `Builder::compile` in this process. Run it in the dev profile (`cargo run`, not
//!   `--release`): cargo builds build scripts and their dependencies at opt-level 0 in both
//!   profiles unless a user says otherwise, so that is the generator's speed in a user's build;
//! - debug and release build time of a crate whose `lib.rs` only `include!`s the generated code:
//!   wall clock, and CPU time (user + system of cargo and the rustc it runs, read from
//!   `/proc/self/stat`), which other processes on a shared machine disturb less.
//!
//! Every measured crate is a member of one scratch workspace, `<target>/build-cost/`, with a
//! target folder of its own, whose dependencies (prost, prost-types, protogen) are built before
//! timing starts. Each timed build rewrites the crate's `lib.rs` and runs `cargo build -p <crate>`
//! with `CARGO_INCREMENTAL=0`: it times the generated code alone, compiled from scratch as in a
//! fresh checkout, with cargo's default profiles. Runs are interleaved (every crate once, then
//! every crate again) and medians reported, so a burst of load elsewhere hits all of them alike.
//!
//! ```text
//! cargo run -p protogen-build-cost -- [--unit NAME]... [--runs N] [--all-only] [--no-build]
//! ```
//!
//! The tables go to stdout and to `<target>/build-cost/report.md`; each sample goes to stderr.

mod measure;
mod report;
mod units;

use std::path::PathBuf;

use clap::Parser;
use protogen_build::{Pass, Passes};

#[derive(Parser)]
#[command(about = "Generated lines, generation and build time per pass, against prost alone")]
struct Args {
    /// Units to measure: corpus unit names, or `schemas` (the bundled schemas). Default:
    /// opentelemetry-proto, googleapis-spanner-v1 and schemas.
    #[arg(long = "unit", value_name = "NAME")]
    units: Vec<String>,

    /// Timed runs of each generation and build; medians are reported.
    #[arg(long, default_value_t = 3)]
    runs: usize,

    /// Only prost's code alone and every pass on (no per-pass rows): a quicker check.
    #[arg(long)]
    all_only: bool,

    /// Only count lines and time generation; build nothing.
    #[arg(long)]
    no_build: bool,

    /// The corpus folder (default: `$PROTOGEN_CORPUS`, else `../shared/corpus` beside the
    /// checkout).
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

/// One set of passes to measure.
pub struct Config {
    /// Row label: `none`, `all`, or the passes joined by `+`.
    pub label: String,
    pub passes: Passes,
}

fn configs(all_only: bool) -> Vec<Config> {
    let named = |passes: &[Pass]| {
        let mut set = Passes::none();
        for &p in passes {
            set.set(p, true);
        }
        let label = set.iter().map(Pass::name).collect::<Vec<_>>().join("+");
        Config { label, passes: set }
    };
    let mut configs = vec![Config {
        label: "none".into(),
        passes: Passes::none(),
    }];
    if !all_only {
        for &pass in Pass::ALL {
            let mut with = pass.requires().to_vec();
            // A pass that needs others is measured against them as well as on top of them.
            if !with.is_empty() && !configs.iter().any(|c| c.label == named(&with).label) {
                configs.push(named(&with));
            }
            with.push(pass);
            configs.push(named(&with));
        }
    }
    configs.push(Config {
        label: "all".into(),
        passes: Passes::default(),
    });
    configs
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = args
        .corpus
        .or_else(|| std::env::var_os("PROTOGEN_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| workspace.join("../shared/corpus"));
    let names = if args.units.is_empty() {
        ["opentelemetry-proto", "googleapis-spanner-v1", "schemas"]
            .map(String::from)
            .to_vec()
    } else {
        args.units
    };
    let units = names
        .iter()
        .map(|name| units::find(name, &workspace, &corpus))
        .collect::<Result<Vec<_>, _>>()?;
    let scratch = measure::target_dir()?.join("build-cost");
    let configs = configs(args.all_only);
    let plan = measure::Plan {
        scratch: &scratch,
        workspace: &workspace,
        units: &units,
        configs: &configs,
        runs: args.runs.max(1),
    };
    let results = measure::run(&plan, !args.no_build)?;
    let text = report::tables(&units, &configs, &results);
    print!("{text}");
    std::fs::write(scratch.join("report.md"), &text)?;
    eprintln!("written to {}", scratch.join("report.md").display());
    Ok(())
}
