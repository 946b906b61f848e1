// Generates the benchmark schema with protogen (owned prost structs, views, validate()), and
// writes the same schema as a descriptor set for prost-reflect, which prost-protovalidate reads
// the rules from at run time. Both come from protox: no protoc here (prost-protovalidate's own
// build script is the one that needs it).
use std::path::{Path, PathBuf};

const PROTOVALIDATE: &str = "../../shared/corpus/protovalidate/protovalidate";
const SCHEMA: &str = "bench/v1/order.proto";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    if !Path::new(PROTOVALIDATE)
        .join("buf/validate/validate.proto")
        .exists()
    {
        return Err(format!(
            "{PROTOVALIDATE}/buf/validate/validate.proto not found: the benchmark needs \
             protovalidate's validate.proto (the shared corpus beside the checkout)"
        )
        .into());
    }
    protogen_build::Builder::new()
        .include("proto")
        .include(PROTOVALIDATE)
        .compile(&[Path::new("proto").join(SCHEMA)])?;

    // Encoded by protox itself, so that the fields' options keep their `(buf.validate.*)`
    // extensions (prost-types' `FieldOptions` would drop them). Imports are left out: they are
    // all in prost-protovalidate's descriptor pool, which the schema is added to at run time.
    let mut compiler = protox::Compiler::new(["proto", PROTOVALIDATE])?;
    compiler.include_imports(false).open_file(SCHEMA)?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("order.fds"), compiler.encode_file_descriptor_set())?;
    println!("cargo:rerun-if-changed=proto/{SCHEMA}");
    Ok(())
}
