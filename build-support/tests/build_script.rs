//! A bad `.proto` in a user's build.rs fails the build with protogen's located message — not a
//! panic, not a backtrace. Builds a scratch crate with cargo, so it is ignored by default:
//!
//! ```text
//! cargo test -p protogen-build --test build_script -- --ignored
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
#[ignore = "slow: builds a scratch crate that depends on protogen-build"]
fn build_script_failure_prints_the_located_message() {
    let ws = workspace();
    let scratch = ws.join("target/build-script-check");
    let _ = std::fs::remove_dir_all(scratch.join("proto"));
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    std::fs::create_dir_all(scratch.join("proto")).unwrap();
    std::fs::write(
        scratch.join("proto/bad.proto"),
        "syntax = \"proto3\";\npackage bad;\nmessage A {\n  strin name = 1;\n}\n",
    )
    .unwrap();
    std::fs::write(scratch.join("src/lib.rs"), "protogen::include_protos!();\n").unwrap();
    std::fs::write(
        scratch.join("build.rs"),
        r#"fn main() -> Result<(), Box<dyn std::error::Error>> {
    protogen_build::Builder::new().include("proto").compile(&["proto/bad.proto"])?;
    Ok(())
}
"#,
    )
    .unwrap();
    let manifest = format!(
        r#"[package]
name = "protogen-build-script-check"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
prost = "0.14"
protogen = {{ path = {:?} }}

[build-dependencies]
protogen-build = {{ path = {:?} }}
"#,
        ws.join("runtime"),
        ws.join("build-support")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(ws.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("PROTOC", "/nonexistent")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the build must fail:\n{stderr}");
    assert!(
        stderr.contains("Error: proto/bad.proto:4:3: name 'strin' is not defined"),
        "{stderr}"
    );
    assert!(stderr.contains("4 │   strin name = 1;"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
}
