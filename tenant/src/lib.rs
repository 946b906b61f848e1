//! protogen-tenant: tenant schema JSON documents → the same Rust types as a `.proto` file.
//!
//! A tenant schema (`{"schema_id": "user_v2", "fields": [{"name": "credit_score", "type":
//! "int32"}]}`, see the README's "Tenant schemas") is read with positions ([`json`]), checked
//! with every error reported at once (JSON pointer and `line:col` each), numbered against its lock
//! file ([`Lock`]) and lowered to
//!
//! - a `prost_types::FileDescriptorProto` that protogen-build hands to protox like any `.proto`
//!   file, so every pass treats it alike;
//! - a [`RuleSet`] of validation rules (the constraints), which enters the model through
//!   `ModelOptions::rules`;
//! - a run-time [`Schema`], which [`TenantSchema`] uses to check JSON payloads without
//!   generating code.

mod check;
mod doc;
mod export;
pub mod json;
mod lock;
mod lower;
mod schema;
mod time;

use std::fmt;
use std::path::{Path, PathBuf};

pub use check::{CheckError, TenantSchema};
pub use export::to_proto;
pub use lock::{Lock, Numbering, Reserved, Table};
pub use protogen::validate::{Violation, Violations};
pub use protogen_rules::RuleSet;
pub use schema::{EnumSchema, EnumValueSchema, FieldSchema, Kind, MessageSchema, Schema, Shape};

/// One problem in a tenant schema (or its lock file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// The file as named to the compiler (`tenants/acme/user.json`).
    pub file: String,
    /// RFC 6901 JSON pointer to the offending value or key (`/fields/2/type`; `""` is the root).
    pub pointer: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(document)"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{}:{}:{}: {pointer}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Every problem found in one file, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Errors(pub Vec<SchemaError>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

fn located(file: &str, source: &str, mut diags: Vec<doc::Diagnostic>) -> Errors {
    diags.sort_by_key(|d| d.offset);
    diags.dedup();
    Errors(
        diags
            .into_iter()
            .map(|d| {
                let (line, column) = json::line_col(source, d.offset);
                SchemaError {
                    file: file.to_owned(),
                    pointer: d.pointer,
                    line,
                    column,
                    message: d.message,
                }
            })
            .collect(),
    )
}

/// A tenant schema lowered against a lock.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// Named as given to [`compile`]; package from `package`, or tenant, schema id and version.
    pub file: prost_types::FileDescriptorProto,
    /// Field rules keyed `.package.Message.field`.
    pub rules: RuleSet,
    pub schema: Schema,
    /// The lock this document needs: equal to the lock given when nothing changed.
    pub lock: Lock,
    /// What changed against the lock given, one line each (`User.email: added as 4`).
    pub changes: Vec<String>,
}

/// Reads, checks and lowers one tenant schema. `file_name` names the descriptor (and the file in
/// errors); `lock` is the lock file's content, if there is one (without it every number is
/// assigned afresh, in document order).
pub fn compile(source: &str, file_name: &str, lock: Option<&Lock>) -> Result<Compiled, Errors> {
    let root = json::parse(source).map_err(|e| {
        located(
            file_name,
            source,
            vec![doc::Diagnostic {
                pointer: String::new(),
                offset: e.offset,
                message: format!("invalid JSON: {}", e.message),
            }],
        )
    })?;
    let mut diags = Vec::new();
    let document = doc::read(&root, &mut diags);
    let lowered = document
        .as_ref()
        .and_then(|d| lower::lower(d, file_name, source, lock, &mut diags));
    match lowered {
        Some(l) if diags.is_empty() => Ok(Compiled {
            file: l.file,
            rules: l.rules,
            schema: l.schema,
            lock: l.lock,
            changes: l.changes,
        }),
        _ => Err(located(file_name, source, diags)),
    }
}

/// `schemas/user.json` → `schemas/user.lock.json`.
pub fn lock_path(schema: &Path) -> PathBuf {
    let stem = schema
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    schema.with_file_name(format!("{stem}.lock.json"))
}

/// Whether a `.json` file is a tenant schema (not a lock file, nor a JSON Schema).
pub fn is_tenant_schema(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.ends_with(".json") && !name.ends_with(".lock.json") && !name.ends_with(".schema.json")
}

/// Tenant schemas under `dir` (recursively), sorted.
pub fn find_schemas(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if is_tenant_schema(&path) {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// A failure to load a tenant schema file: I/O, or the errors of the schema or its lock file.
#[derive(Debug)]
pub enum FileError {
    Io(PathBuf, std::io::Error),
    Schema(Errors),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Io(path, err) => write!(f, "{}: {err}", path.display()),
            FileError::Schema(errors) => write!(f, "{errors}"),
        }
    }
}

impl std::error::Error for FileError {}

/// A tenant schema file compiled against the lock file beside it.
#[derive(Debug)]
pub struct LoadedFile {
    pub path: PathBuf,
    pub lock_path: PathBuf,
    /// The lock file as it is on disk, if there is one.
    pub lock_on_disk: Option<Lock>,
    pub compiled: Compiled,
}

impl LoadedFile {
    /// The lock file exists and records exactly the numbers the document needs.
    pub fn lock_is_current(&self) -> bool {
        self.lock_on_disk.as_ref() == Some(&self.compiled.lock)
    }

    /// Writes the lock file if its bytes differ; returns whether it wrote.
    pub fn write_lock(&self) -> std::io::Result<bool> {
        let text = self.compiled.lock.to_json();
        if std::fs::read_to_string(&self.lock_path).is_ok_and(|old| old == text) {
            return Ok(false);
        }
        std::fs::write(&self.lock_path, text)?;
        Ok(true)
    }
}

/// Reads `path` and the lock file beside it and compiles the schema; `name` names the file in
/// the descriptor pool and in errors.
pub fn load_file(path: &Path, name: &str) -> Result<LoadedFile, FileError> {
    let source = std::fs::read_to_string(path).map_err(|e| FileError::Io(path.to_path_buf(), e))?;
    let lock_path = lock_path(path);
    let lock_on_disk = match std::fs::read_to_string(&lock_path) {
        Ok(text) => {
            let shown = lock_path.display().to_string();
            Some(Lock::parse(&text).map_err(|d| FileError::Schema(located(&shown, &text, d)))?)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(FileError::Io(lock_path, e)),
    };
    let compiled = compile(&source, name, lock_on_disk.as_ref()).map_err(FileError::Schema)?;
    Ok(LoadedFile {
        path: path.to_path_buf(),
        lock_path,
        lock_on_disk,
        compiled,
    })
}
