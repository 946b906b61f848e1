//! Generating each unit with each set of passes, and timing the builds of crates that include it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::Config;
use crate::units::Unit;

pub struct Plan<'a> {
    /// `<target>/build-cost`: generated code, the scratch workspace and its target folder.
    pub scratch: &'a Path,
    /// The protogen checkout (for the runtime crate and the lock file).
    pub workspace: &'a Path,
    pub units: &'a [Unit],
    pub configs: &'a [Config],
    pub runs: usize,
}

/// What one unit with one set of passes costs; times in seconds, one entry per run.
#[derive(Default)]
pub struct Cost {
    pub lines: usize,
    pub generation: Vec<f64>,
    pub debug: Vec<Build>,
    pub release: Vec<Build>,
}

#[derive(Clone, Copy)]
pub struct Build {
    pub wall: f64,
    /// User + system time of cargo and rustc; `None` where `/proc/self/stat` is not there.
    pub cpu: Option<f64>,
}

/// `[unit][config]`, in the plan's order.
pub type Results = Vec<Vec<Cost>>;

/// The target folder this binary was built into (`<target>/<profile>/build-cost`), so the
/// scratch files follow `CARGO_TARGET_DIR` wherever it points.
pub fn target_dir() -> std::io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| std::io::Error::other("the executable has no target folder"))
}

pub fn run(plan: &Plan<'_>, build: bool) -> Result<Results, Box<dyn std::error::Error>> {
    let mut results: Results = plan
        .units
        .iter()
        .map(|_| plan.configs.iter().map(|_| Cost::default()).collect())
        .collect();
    for (u, unit) in plan.units.iter().enumerate() {
        for (c, config) in plan.configs.iter().enumerate() {
            let out = gen_dir(plan, unit, config);
            let _ = std::fs::remove_dir_all(&out);
            results[u][c].lines = generate(unit, config, &out)?;
        }
    }
    if build {
        write_workspace(plan)?;
        eprintln!("building the dependencies and every crate once (not timed)");
        for profile in [Profile::Debug, Profile::Release] {
            cargo_build(plan, None, profile)?;
        }
    }
    for run in 1..=plan.runs {
        eprintln!("run {run} of {}", plan.runs);
        time_generation(plan, &mut results)?;
        if build {
            time_builds(plan, &mut results)?;
        }
    }
    Ok(results)
}

fn time_generation(
    plan: &Plan<'_>,
    results: &mut Results,
) -> Result<(), Box<dyn std::error::Error>> {
    for (u, unit) in plan.units.iter().enumerate() {
        for (c, config) in plan.configs.iter().enumerate() {
            let start = Instant::now();
            generate(unit, config, &gen_dir(plan, unit, config))?;
            let seconds = start.elapsed().as_secs_f64();
            eprintln!(
                "  generate {} [{}]: {seconds:.3} s",
                unit.name, config.label
            );
            results[u][c].generation.push(seconds);
        }
    }
    Ok(())
}

fn time_builds(plan: &Plan<'_>, results: &mut Results) -> Result<(), Box<dyn std::error::Error>> {
    for profile in [Profile::Debug, Profile::Release] {
        for (u, unit) in plan.units.iter().enumerate() {
            for (c, config) in plan.configs.iter().enumerate() {
                // A new lib.rs (same text, newer file) makes cargo rebuild this crate, and only it.
                write_lib(plan, unit, config)?;
                let build = cargo_build(plan, Some(&crate_name(unit, config)), profile)?;
                eprintln!(
                    "  {profile:?} build {} [{}]: {:.2} s wall, {} cpu",
                    unit.name,
                    config.label,
                    build.wall,
                    build.cpu.map_or("-".into(), |s| format!("{s:.2} s"))
                );
                let cost = &mut results[u][c];
                match profile {
                    Profile::Debug => cost.debug.push(build),
                    Profile::Release => cost.release.push(build),
                }
            }
        }
    }
    Ok(())
}

/// Generates the unit into `out`; the number of Rust lines written (`schema.graphql` is not
/// compiled, so it does not count).
fn generate(unit: &Unit, config: &Config, out: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let generation = unit
        .builder(&config.passes)
        .out_dir(out)
        .compile(unit.inputs())
        .map_err(|e| format!("{} [{}]: {e}", unit.name, config.label))?;
    Ok(generation
        .files
        .iter()
        .filter(|f| f.name.ends_with(".rs"))
        .map(|f| f.content.lines().count())
        .sum())
}

fn gen_dir(plan: &Plan<'_>, unit: &Unit, config: &Config) -> PathBuf {
    plan.scratch
        .join("generated")
        .join(&unit.name)
        .join(&config.label)
}

fn crate_name(unit: &Unit, config: &Config) -> String {
    format!("cost-{}-{}", unit.name, config.label)
        .replace('+', "_")
        .replace('.', "-")
}

fn crates_dir(plan: &Plan<'_>) -> PathBuf {
    plan.scratch.join("crates")
}

/// A workspace with one member per unit and set of passes, on the checkout's lock file.
fn write_workspace(plan: &Plan<'_>) -> std::io::Result<()> {
    let root = crates_dir(plan);
    let mut members = Vec::new();
    for unit in plan.units {
        for config in plan.configs {
            let name = crate_name(unit, config);
            let dir = root.join(&name);
            std::fs::create_dir_all(dir.join("src"))?;
            let manifest = format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
                 publish = false\n\n[dependencies]\nprost = \"0.14\"\nprost-types = \"0.14\"\n\
                 protogen = {{ path = {:?} }}\n",
                plan.workspace.join("runtime")
            );
            std::fs::write(dir.join("Cargo.toml"), manifest)?;
            write_lib(plan, unit, config)?;
            members.push(format!("{name:?}"));
        }
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(root.join("Cargo.toml"), manifest)?;
    std::fs::copy(plan.workspace.join("Cargo.lock"), root.join("Cargo.lock"))?;
    Ok(())
}

fn write_lib(plan: &Plan<'_>, unit: &Unit, config: &Config) -> std::io::Result<()> {
    let lib = format!(
        "//! {} with passes: {}.\ninclude!({:?});\n",
        unit.name,
        config.label,
        gen_dir(plan, unit, config).join(protogen_build::INCLUDES_FILE)
    );
    let path = crates_dir(plan)
        .join(crate_name(unit, config))
        .join("src/lib.rs");
    std::fs::write(path, lib)
}

#[derive(Clone, Copy, Debug)]
enum Profile {
    Debug,
    Release,
}

/// `cargo build` of one member (or all of them), timed.
fn cargo_build(
    plan: &Plan<'_>,
    package: Option<&str>,
    profile: Profile,
) -> Result<Build, Box<dyn std::error::Error>> {
    let root = crates_dir(plan);
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .args(["build", "--quiet", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .env("PROTOC", "/nonexistent")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    match package {
        Some(name) => cargo.args(["-p", name]),
        None => cargo.arg("--workspace"),
    };
    if let Profile::Release = profile {
        cargo.arg("--release");
    }
    let cpu_before = children_cpu();
    let start = Instant::now();
    let output = cargo.output()?;
    let wall = start.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!(
            "cargo build {package:?} ({profile:?}) failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let cpu = cpu_before.zip(children_cpu()).map(|(a, b)| b - a);
    Ok(Build { wall, cpu })
}

/// User + system seconds of this process's waited-for children and their descendants
/// (`cutime` + `cstime` of `/proc/self/stat`, in clock ticks of 1/100 s on Linux).
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces; the
    // first of them is field 3 (`state`), so `cutime` (16) and `cstime` (17) are at 13 and 14.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
