//! Tenant schemas (JSON) beside `.proto` files: loaded, checked against their lock files and
//! lowered to descriptors by protogen-tenant, then compiled by protox with everything else.

use std::path::{Path, PathBuf};

use protogen_rules::RuleSet;
use protogen_tenant::{FileError, LoadedFile};

use crate::error::{Error, ErrorKind};

/// What a build does with a tenant schema's lock file (`user.lock.json` beside `user.json`).
///
/// Field numbers are what makes old encodings readable by new code, so they must never change
/// behind anyone's back: by default a build only *reads* lock files and fails when one is
/// missing or does not cover the schema, telling you to run `protogen lock`, which writes it (and
/// which you commit). A build script writing into the source tree is surprising, and an
/// assignment made only in memory could differ after the next edit, so neither is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TenantLocks {
    /// The lock file must exist and record every field and enum value: otherwise the build fails
    /// with what `protogen lock` would change.
    #[default]
    Require,
    /// Create or update lock files as needed, as `protogen lock` does (for tools that own the
    /// schema directory, such as a schema registry).
    Update,
    /// Use the lock file as far as it goes and number the rest in memory, with a warning. For
    /// experiments: the numbers may move when the schema changes.
    Warn,
}

/// The lowered tenant schemas of one build.
#[derive(Default)]
pub(crate) struct Tenants {
    pub files: Vec<prost_types::FileDescriptorProto>,
    pub rules: RuleSet,
    /// Schema directories, schemas and lock files, for `cargo:rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// Each schema's name in the descriptor pool and its path on disk.
    pub paths: Vec<(String, PathBuf)>,
    pub warnings: Vec<String>,
}

/// Every tenant schema of `paths` (files, or directories searched for `*.json`), with its name
/// in the descriptor pool: a file's own name, or for a directory `dir/relative/path.json`.
pub(crate) fn expand(paths: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, Error> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let base = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let found = protogen_tenant::find_schemas(path).map_err(|e| Error::io(path, e))?;
            for file in found {
                let relative = file.strip_prefix(path).unwrap_or(&file);
                let mut name = base.clone();
                for part in relative.components() {
                    if !name.is_empty() {
                        name.push('/');
                    }
                    name.push_str(&part.as_os_str().to_string_lossy());
                }
                out.push((file, name));
            }
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((path.clone(), name));
        }
    }
    Ok(out)
}

pub(crate) fn load(paths: &[PathBuf], mode: TenantLocks) -> Result<Tenants, Error> {
    let mut tenants = Tenants::default();
    // A directory is an input too: cargo rescans it, so a schema added to it reruns the build.
    tenants
        .inputs
        .extend(paths.iter().filter(|p| p.is_dir()).cloned());
    let mut errors = Vec::new();
    for (path, name) in expand(paths)? {
        let loaded = match protogen_tenant::load_file(&path, &name) {
            Ok(loaded) => loaded,
            Err(FileError::Io(path, err)) => return Err(Error::io(&path, err)),
            Err(FileError::Schema(e)) => {
                errors.extend(located(e, &path));
                continue;
            }
        };
        if !loaded.lock_is_current() {
            match mode {
                TenantLocks::Require => {
                    errors.push(Error::new(ErrorKind::TenantSchema, stale(&loaded)));
                    continue;
                }
                TenantLocks::Update => {
                    loaded
                        .write_lock()
                        .map_err(|e| Error::io(&loaded.lock_path, e))?;
                }
                TenantLocks::Warn => tenants.warnings.push(format!(
                    "{}: numbered in memory, the lock file {} does not record them yet \
                     (run `protogen lock {}`)",
                    path.display(),
                    loaded.lock_path.display(),
                    path.display()
                )),
            }
        }
        tenants.paths.push((name, path.clone()));
        tenants.inputs.push(path.clone());
        tenants.inputs.push(loaded.lock_path.clone());
        tenants.rules.fields.extend(loaded.compiled.rules.fields);
        tenants.files.push(loaded.compiled.file);
    }
    match Error::all(errors) {
        Some(error) => Err(error),
        None => Ok(tenants),
    }
}

/// A schema's errors, each at its line and column of the schema on disk (by its path there, not
/// its name in the pool), with its JSON pointer.
fn located(errors: protogen_tenant::Errors, path: &Path) -> Vec<Error> {
    let text = std::fs::read_to_string(path).ok();
    errors
        .0
        .into_iter()
        .map(|e| {
            let pointer = if e.pointer.is_empty() {
                "(document)"
            } else {
                &e.pointer
            };
            let message = format!("{pointer}: {}", e.message);
            let (line, column) = (e.line, e.column);
            Error::at(
                ErrorKind::TenantSchema,
                message,
                path,
                line,
                column,
                text.clone(),
                pointer,
            )
        })
        .collect()
}

fn stale(loaded: &LoadedFile) -> String {
    let what = if loaded.lock_on_disk.is_none() {
        "is missing"
    } else {
        "does not match the schema"
    };
    let mut message = format!(
        "{}: the lock file {} {what}; run `protogen lock {}` and commit it",
        loaded.path.display(),
        loaded.lock_path.display(),
        loaded.path.display()
    );
    for change in &loaded.compiled.changes {
        message.push_str(&format!("\n  {change}"));
    }
    message
}
