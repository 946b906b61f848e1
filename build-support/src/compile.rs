//! `.proto` → descriptor pool with protox; no `protoc` anywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use prost_reflect::DescriptorPool;
use protox::file::{
    ChainFileResolver, File, FileResolver, GoogleFileResolver, IncludeFileResolver,
};

use crate::error::Error;

/// The well-known type files protox bundles. They are resolved from protox's own copies before
/// the include paths: a newer `descriptor.proto` on an include path (protobuf ≥ 27 uses
/// extension-declaration syntax) is something protox 0.10 cannot parse, and every file that
/// imports it would fail.
const BUNDLED: &[&str] = &[
    "google/protobuf/any.proto",
    "google/protobuf/api.proto",
    "google/protobuf/descriptor.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/source_context.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/type.proto",
    "google/protobuf/wrappers.proto",
    "google/protobuf/compiler/plugin.proto",
];

/// Tenant schemas (already lowered to descriptors) first, then the bundled well-known types,
/// then the include paths in order.
struct Resolver {
    tenants: BTreeMap<String, prost_types::FileDescriptorProto>,
    bundled: GoogleFileResolver,
    includes: ChainFileResolver,
}

impl FileResolver for Resolver {
    fn resolve_path(&self, path: &Path) -> Option<String> {
        let name = path.to_str()?;
        if self.tenants.contains_key(name) {
            return Some(name.to_owned());
        }
        self.includes.resolve_path(path)
    }

    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        if let Some(why) = leaves_includes(name) {
            return Err(protox::Error::new(format!(
                "import \"{name}\" {why}: imports are resolved inside the include paths \
                 (and protox's bundled well-known types), and may not leave them"
            )));
        }
        if let Some(file) = self.tenants.get(name) {
            // protox checks a descriptor like a parsed file: names resolve, numbers are unique.
            return Ok(File::from_file_descriptor_proto(file.clone()));
        }
        if BUNDLED.contains(&name) {
            return self.bundled.open_file(name);
        }
        self.includes.open_file(name)
    }
}

/// Why an import name would resolve outside every include path, if it would: `..` segments,
/// absolute paths, backslashes or drive letters. Checked before any file is opened, so such an
/// import never reads a file (a registry compiles modules it does not trust).
fn leaves_includes(name: &str) -> Option<&'static str> {
    if name.starts_with('/') || name.contains(':') {
        return Some("is an absolute path");
    }
    if name.contains('\\') {
        return Some("contains a backslash");
    }
    if name.split('/').any(|part| part == "..") {
        return Some("goes up with `..`");
    }
    None
}

/// The result of compiling: the pool (custom options kept) and the inputs read from disk.
pub(crate) struct Compiled {
    pub pool: DescriptorPool,
    /// Names (relative to an include root) of every file in the pool, dependencies first.
    pub files: Vec<String>,
    /// Paths on disk of every file read, imports included, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// The tenant schemas' names in the pool and their paths on disk, to locate errors.
    pub tenant_paths: Vec<(String, PathBuf)>,
}

/// Compiles `.proto` files and tenant schemas lowered to descriptors (named by their file name in
/// the pool) into one pool.
pub(crate) fn compile(
    includes: &[PathBuf],
    files: &[PathBuf],
    tenants: &[prost_types::FileDescriptorProto],
) -> Result<Compiled, Error> {
    let mut chain = ChainFileResolver::new();
    for include in includes {
        chain.add(IncludeFileResolver::new(include.clone()));
    }
    let mut compiler = protox::Compiler::with_file_resolver(Resolver {
        tenants: tenants
            .iter()
            .map(|f| (f.name().to_owned(), f.clone()))
            .collect(),
        bundled: GoogleFileResolver::new(),
        includes: chain,
    });
    compiler.include_imports(true).include_source_info(true);
    for file in files {
        compiler
            .open_file(file)
            .map_err(|err| Error::from_protox(err, includes, file))?;
    }
    for tenant in tenants {
        let name = Path::new(tenant.name());
        compiler
            .open_file(name)
            .map_err(|err| Error::from_protox(err, includes, name))?;
    }
    let inputs = compiler
        .files()
        .filter_map(|f| f.path().map(Path::to_path_buf))
        .collect();
    let pool = compiler.descriptor_pool();
    let files = pool.files().map(|f| f.name().to_owned()).collect();
    Ok(Compiled {
        pool,
        files,
        inputs,
        tenant_paths: Vec::new(),
    })
}

/// Expands directories among `inputs` into the `.proto` files under them, sorted, so the result
/// does not depend on the file system's listing order.
pub(crate) fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found).map_err(|err| Error::io(input, err))?;
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::leaves_includes;

    #[test]
    fn imports_leaving_the_include_paths_are_named() {
        assert_eq!(leaves_includes("../x.proto"), Some("goes up with `..`"));
        assert_eq!(
            leaves_includes("a/../../x.proto"),
            Some("goes up with `..`")
        );
        assert_eq!(
            leaves_includes("/etc/hostname"),
            Some("is an absolute path")
        );
        assert_eq!(leaves_includes("C:/x.proto"), Some("is an absolute path"));
        assert_eq!(leaves_includes("a\\b.proto"), Some("contains a backslash"));
        assert_eq!(leaves_includes("a/b..c.proto"), None);
        assert_eq!(leaves_includes("google/protobuf/any.proto"), None);
    }
}
