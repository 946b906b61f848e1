//! Test modules compiled the way the CLI compiles them: protox with source info, an encoded set
//! (so custom options are seen), the module's files checked, with their source text.

use std::path::Path;

use protogen_compat::Image;

#[allow(dead_code)]
pub fn image(files: &[(&str, &str)]) -> Image {
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let mut image = Image::from_descriptor_set(&encoded(files))
        .unwrap()
        .with_targets(&names);
    for (name, text) in files {
        image = image.with_source(*name, *text);
    }
    image
}

/// The encoded descriptor set of a module (imports included), as `compile_descriptors` gives it.
#[allow(dead_code)]
pub fn encoded(files: &[(&str, &str)]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut compiler = protox::Compiler::new([dir.path()]).unwrap();
    compiler.include_source_info(true).include_imports(true);
    for (name, _) in files {
        compiler.open_file(Path::new(name)).unwrap();
    }
    compiler.encode_file_descriptor_set()
}
