//! Errors of a generation run, rendered for people: `file:line:col: message`, then the offending
//! source lines as protox's miette diagnostic draws them.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// What went wrong, for callers that branch on it; the message says the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A syntax or type error in a `.proto` file.
    Proto,
    /// An `edition = "…"` file: protox 0.10 compiles proto2 and proto3 only.
    Editions,
    /// An `import` that no include path (nor the bundled well-known types) provides.
    ImportNotFound,
    /// An input file that is not under any include path, or does not exist.
    FileNotFound,
    /// A schema the generator cannot represent (e.g. enum variants prost would name alike).
    Schema,
    /// A tenant schema (JSON) is malformed, or its lock file is missing or stale.
    TenantSchema,
    /// Reading inputs or writing outputs failed.
    Io,
    /// The builder was configured inconsistently (e.g. no output directory).
    Config,
}

/// A failed generation run. `Display` and `Debug` both print the full human message, so that
/// `fn main() -> Result<(), Box<dyn Error>>` in a build script shows it instead of a struct dump.
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn io(path: &Path, err: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, format!("{}: {err}", path.display()))
    }

    pub(crate) fn from_protox(err: protox::Error, includes: &[PathBuf], input: &Path) -> Self {
        let disk_path = err.file().and_then(|name| find_on_disk(includes, name));
        if let Some(path) = &disk_path
            && let Some((line, col, edition)) = edition_declaration(path)
        {
            return Error::new(
                ErrorKind::Editions,
                format!(
                    "{}:{line}:{col}: editions are not supported: this file declares `{edition}`, \
                     and protogen's .proto compiler (protox 0.10) accepts only \
                     `syntax = \"proto2\"` and `syntax = \"proto3\"` files",
                    path.display()
                ),
            );
        }
        let text = err.to_string();
        let kind = if text.starts_with("import '") && err.is_file_not_found() {
            ErrorKind::ImportNotFound
        } else if err.is_file_not_found() {
            ErrorKind::FileNotFound
        } else {
            ErrorKind::Proto
        };
        let mut message = match location_of(&err) {
            Some((name, line, col)) => {
                let shown = disk_path.map_or(name, |p| p.display().to_string());
                format!("{shown}:{line}:{col}: {text}\n")
            }
            None if kind == ErrorKind::FileNotFound => {
                format!("{}: {text}\n", input.display())
            }
            None => format!("{text}\n"),
        };
        message.push_str(&render(&err));
        if kind != ErrorKind::Proto {
            message.push_str(&searched(includes));
        }
        Error::new(kind, message.trim_end().to_owned())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

fn render(err: &protox::Error) -> String {
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_links(false);
    if handler.render_report(&mut out, err).is_err() {
        out = err.to_string();
    }
    out
}

/// File name, 1-based line and column of the first labelled span of a diagnostic.
fn location_of(err: &dyn Diagnostic) -> Option<(String, usize, usize)> {
    let source = err.source_code()?;
    let label = err.labels()?.next()?;
    let span = source.read_span(label.inner(), 0, 0).ok()?;
    let name = span.name().unwrap_or("<input>").to_owned();
    Some((name, span.line() + 1, span.column() + 1))
}

fn searched(includes: &[PathBuf]) -> String {
    let mut out = String::from("\nsearched, in order: protox's bundled well-known types");
    for include in includes {
        out.push_str(&format!(", {}", include.display()));
    }
    if includes.is_empty() {
        out.push_str(" (no include paths were given)");
    }
    out
}

fn find_on_disk(includes: &[PathBuf], name: &str) -> Option<PathBuf> {
    includes
        .iter()
        .map(|include| include.join(name))
        .find(|path| path.is_file())
}

/// If the file's first statement is `edition = "…";`, its position and text.
fn edition_declaration(path: &Path) -> Option<(usize, usize, String)> {
    let source = std::fs::read_to_string(path).ok()?;
    let mut in_block_comment = false;
    for (index, line) in source.lines().enumerate() {
        let mut rest = line;
        if in_block_comment {
            let (_, after) = rest.split_once("*/")?;
            rest = after;
            in_block_comment = false;
        }
        let trimmed = rest.trim_start();
        if trimmed.starts_with("/*") && !trimmed.contains("*/") {
            in_block_comment = true;
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with("//") {
            continue;
        }
        let is_edition = trimmed
            .strip_prefix("edition")
            .is_some_and(|after| after.trim_start().starts_with('='));
        if !is_edition {
            return None;
        }
        let column = line.len() - trimmed.len() + 1;
        let statement = trimmed.split(';').next().unwrap_or(trimmed).trim();
        return Some((index + 1, column, statement.to_owned()));
    }
    None
}
