//! Compiled descriptors for tools that read schemas without generating code (`protogen
//! breaking`, `lint`, the registry): the same protox path as a build, so what a check reads is
//! what a build would compile.

use std::path::{Path, PathBuf};

use prost_types::FileDescriptorProto;

use crate::compile;
use crate::error::{Error, ErrorKind};

/// Every compiled file, dependencies first (imports and bundled well-known types included,
/// with source info), and the names of the files that were asked for.
#[derive(Clone, Debug)]
pub struct Descriptors {
    pub files: Vec<FileDescriptorProto>,
    /// Names (relative to their include root) of the input files, in the order compiled.
    pub targets: Vec<String>,
    /// The source text of each target, in the same order.
    pub sources: Vec<String>,
    /// The same files as an encoded `FileDescriptorSet` whose options keep their custom
    /// extensions (which `prost_types` drops), for tools that need to see them.
    pub encoded: Vec<u8>,
}

/// Compiles `.proto` files, or directories searched for them, resolving imports against
/// `includes` (an import may not leave them: `..` and absolute imports are refused).
pub fn compile_descriptors(includes: &[PathBuf], inputs: &[PathBuf]) -> Result<Descriptors, Error> {
    let files = compile::expand_inputs(inputs)?;
    let mut targets = Vec::with_capacity(files.len());
    for file in &files {
        targets.push(name_in(includes, file).ok_or_else(|| {
            Error::new(
                ErrorKind::FileNotFound,
                format!(
                    "{}: not under any include path ({})",
                    file.display(),
                    includes
                        .iter()
                        .map(|i| i.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?);
    }
    let compiled = compile::compile(includes, &files, &[])?;
    let sources = files
        .iter()
        .map(|f| std::fs::read_to_string(f).map_err(|e| Error::io(f, e)))
        .collect::<Result<_, _>>()?;
    Ok(Descriptors {
        files: compiled.pool.file_descriptor_protos().cloned().collect(),
        targets,
        sources,
        encoded: compiled.pool.encode_to_vec(),
    })
}

/// A file's name relative to the first include path it is under, with `/` separators.
fn name_in(includes: &[PathBuf], file: &Path) -> Option<String> {
    includes.iter().find_map(|include| {
        let rest = file.strip_prefix(include).ok()?;
        let parts: Vec<&str> = rest
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<_>>()?;
        Some(parts.join("/"))
    })
}
