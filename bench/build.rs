// Generates the benchmark shapes from one .proto: protogen (prost structs + views + JSON),
// quick-protobuf (pb-rs), buffa (buffa-build) and pbjson's serde impls for the prost structs
// (pbjson-build); the last two are fed a descriptor set from protox: no protoc.
use std::path::PathBuf;

use prost::Message as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    protogen_build::Builder::new()
        .include("proto")
        .compile(&["proto/bench.proto"])?;

    let quick_out = out.join("quick");
    std::fs::create_dir_all(&quick_out)?;
    let config = pb_rs::types::Config {
        in_file: PathBuf::from("proto/bench.proto"),
        out_file: quick_out.join("bench.rs"),
        single_module: true,
        import_search_path: vec![PathBuf::from("proto")],
        no_output: false,
        error_cycle: false,
        headers: false,
        dont_use_cow: false,
        custom_struct_derive: vec![],
        custom_repr: None,
        custom_rpc_generator: Box::new(|_, _| Ok(())),
        custom_includes: vec![],
        owned: false,
        nostd: false,
        hashbrown: false,
        gen_info: false,
        add_deprecated_fields: false,
    };
    pb_rs::types::FileDescriptor::run(&[config]).map_err(|e| format!("pb-rs: {e:?}"))?;

    let fds = protox::compile(["bench.proto"], ["proto"])?;
    let fds_path = out.join("bench.fds");
    std::fs::write(&fds_path, fds.encode_to_vec())?;
    let buffa_out = out.join("buffa");
    std::fs::create_dir_all(&buffa_out)?;
    buffa_build::Config::new()
        .files(&["bench.proto"])
        .descriptor_set(&fds_path)
        .out_dir(&buffa_out)
        .generate_views(true)
        .compile()?;

    // pbjson: serde impls for plain prost structs (protogen's own carry protogen's serde impls),
    // both from the same descriptor set.
    let plain_out = out.join("plain");
    std::fs::create_dir_all(&plain_out)?;
    prost_build::Config::new()
        .out_dir(&plain_out)
        .compile_fds(fds.clone())?;
    let pbjson_out = out.join("pbjson");
    std::fs::create_dir_all(&pbjson_out)?;
    pbjson_build::Builder::new()
        .register_descriptors(&fds.encode_to_vec())?
        .out_dir(&pbjson_out)
        .build(&[".bench"])?;
    println!("cargo:rerun-if-changed=proto/bench.proto");
    Ok(())
}
