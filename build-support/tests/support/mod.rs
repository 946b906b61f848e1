//! Scratch crates for tests that must run cargo on generated code, as a user's build would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Writes a standalone crate at `dir` (its own `[workspace]`, the project's lock file so the same
/// versions are used) whose manifest ends with `dependencies`, a TOML fragment in which
/// `{runtime}` and `{build}` stand for the paths of the protogen and protogen-build crates.
pub fn scratch_crate(dir: &Path, name: &str, dependencies: &str) {
    let ws = workspace();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let dependencies = dependencies
        .replace("{runtime}", &format!("{:?}", ws.join("runtime")))
        .replace("{build}", &format!("{:?}", ws.join("build-support")));
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n{dependencies}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// Runs `cargo <subcommand> --quiet` on the scratch crate at `dir`, with its own target folder
/// (the outer cargo holds the workspace's) and no protoc to be found.
pub fn cargo(dir: &Path, subcommand: &str) -> Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([subcommand, "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("PROTOC", "/nonexistent")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}
