//! A bad `.proto` in a user's build.rs fails the build with protogen's located message — not a
//! panic, not a backtrace. Builds a scratch crate with cargo, so it is ignored by default:
//!
//! ```text
//! cargo test -p protogen-build --test build_script -- --ignored
//! ```

mod support;

#[test]
#[ignore = "slow: builds a scratch crate that depends on protogen-build"]
fn build_script_failure_prints_the_located_message() {
    let scratch = support::workspace().join("target/build-script-check");
    let _ = std::fs::remove_dir_all(scratch.join("proto"));
    support::scratch_crate(
        &scratch,
        "protogen-build-script-check",
        "[dependencies]\nprost = \"0.14\"\nprotogen = { path = {runtime} }\n\n\
         [build-dependencies]\nprotogen-build = { path = {build} }\n",
    );
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
    let output = support::cargo(&scratch, "build");
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
