//! Errors of a generation run, kept as data: each names its file, line and column, keeps the
//! source text and labelled spans for a `miette` rendering, and says what kind of problem it is
//! from where it was found, never from its text.
//!
//! `Display` prints one `file:line:col: message` line per problem (then what was searched, for a
//! missing file); `Debug` adds the offending source lines under each, as miette draws them, so
//! that a build script's `fn main() -> Result<(), Box<dyn Error>>` shows them.

mod eof;

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

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

impl ErrorKind {
    fn code(self) -> &'static str {
        match self {
            ErrorKind::Proto => "protogen::proto",
            ErrorKind::Editions => "protogen::editions",
            ErrorKind::ImportNotFound => "protogen::import_not_found",
            ErrorKind::FileNotFound => "protogen::file_not_found",
            ErrorKind::Schema => "protogen::schema",
            ErrorKind::TenantSchema => "protogen::tenant_schema",
            ErrorKind::Io => "protogen::io",
            ErrorKind::Config => "protogen::config",
        }
    }
}

/// Where a problem is: a file as the user names it (its path on disk when it is one), and a
/// 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// A failed generation run: one problem, or several found at once (every error of a tenant
/// schema), each a [`miette::Diagnostic`] with its location, source text and labelled spans.
pub struct Error {
    kind: ErrorKind,
    message: String,
    /// Boxed: an `Error` is returned often and fails rarely, so it stays small.
    location: Option<Box<Location>>,
    snippet: Option<Box<dyn Diagnostic + Send + Sync>>,
    /// Shown after the problems: where a missing file was looked for.
    help: Option<String>,
    /// The other problems of the same run, reported together.
    others: Vec<Error>,
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The problem, without its location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the problem is, when it is in a file's text.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_deref()
    }

    /// This problem and the others reported with it, in order.
    pub fn errors(&self) -> impl Iterator<Item = &Error> {
        std::iter::once(self).chain(&self.others)
    }

    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            location: None,
            snippet: None,
            help: None,
            others: Vec::new(),
        }
    }

    /// A problem at `line:column` of `file` (1-based), drawn from `text` when it is known.
    pub(crate) fn at(
        kind: ErrorKind,
        message: impl Into<String>,
        file: &Path,
        line: usize,
        column: usize,
        text: Option<String>,
        label: &str,
    ) -> Self {
        let message = message.into();
        let snippet = text.map(|text| {
            let offset = offset_of(&text, line, column);
            Box::new(Snippet {
                source: NamedSource::new(file.display().to_string(), text),
                labels: vec![LabeledSpan::new_with_span(
                    Some(label.to_owned()),
                    offset..offset,
                )],
            }) as Box<dyn Diagnostic + Send + Sync>
        });
        Error {
            location: Some(Box::new(Location {
                file: file.to_path_buf(),
                line,
                column,
            })),
            snippet,
            ..Error::new(kind, message)
        }
    }

    /// Several problems reported together; `None` when there are none.
    pub(crate) fn all(mut errors: Vec<Error>) -> Option<Self> {
        if errors.is_empty() {
            return None;
        }
        let mut first = errors.remove(0);
        first.others.extend(errors);
        Some(first)
    }

    pub(crate) fn io(path: &Path, err: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, format!("{}: {err}", path.display()))
    }

    /// A model error (a schema the generator cannot represent), located in the file `find` names
    /// on disk.
    pub(crate) fn from_model(
        err: protogen_codegen::model::BuildError,
        find: impl Fn(&str) -> Option<PathBuf>,
    ) -> Self {
        match err.location {
            Some(loc) => {
                let path = find(&loc.file);
                let text = path.as_ref().and_then(|p| std::fs::read_to_string(p).ok());
                let file = path.unwrap_or_else(|| PathBuf::from(&loc.file));
                let (line, column) = (loc.line as usize, loc.column as usize);
                Error::at(
                    ErrorKind::Schema,
                    err.message,
                    &file,
                    line,
                    column,
                    text,
                    "here",
                )
            }
            None => Error::new(ErrorKind::Schema, err.message),
        }
    }

    pub(crate) fn from_protox(err: protox::Error, includes: &[PathBuf], input: &Path) -> Self {
        let disk_path = err.file().and_then(|name| find_on_disk(includes, name));
        if let Some(path) = &disk_path
            && let Some(error) = editions(path)
        {
            return error;
        }
        let has_labels = err.labels().is_some_and(|mut l| l.next().is_some());
        // protox reports a missing import at the import statement, a missing input file nowhere.
        let kind = match (err.is_file_not_found(), has_labels) {
            (true, true) => ErrorKind::ImportNotFound,
            (true, false) => ErrorKind::FileNotFound,
            (false, _) => ErrorKind::Proto,
        };
        let message = misworded_import(&err).unwrap_or_else(|| err.to_string());
        let mut error = match location_of(&err) {
            Some((name, line, column)) => Error {
                location: Some(Box::new(Location {
                    file: disk_path.clone().unwrap_or_else(|| PathBuf::from(name)),
                    line,
                    column,
                })),
                ..Error::new(kind, message)
            },
            None => match (&disk_path, kind) {
                // A file cut short: protox names no place, so name its end and what is open there.
                // (In a parse error, only the end of the file has no label.)
                (Some(path), ErrorKind::Proto) if err.is_parse() => {
                    match std::fs::read_to_string(path) {
                        Ok(text) => eof::located(path, text, &message)
                            .unwrap_or_else(|| Error::new(kind, message)),
                        Err(_) => Error::new(kind, message),
                    }
                }
                (_, ErrorKind::FileNotFound) => {
                    Error::new(kind, format!("{}: {message}", input.display()))
                }
                _ => Error::new(kind, message),
            },
        };
        if error.snippet.is_none() {
            error.snippet = Some(Box::new(err));
        }
        if kind != ErrorKind::Proto {
            error.help = Some(searched(includes));
        }
        error
    }

    /// The problem as miette draws it, without the headline `Display` already printed.
    fn draw(&self, out: &mut String) {
        let Some(snippet) = &self.snippet else {
            return;
        };
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_links(false);
        let view = Drawn {
            message: &self.message,
            inner: snippet.as_ref(),
        };
        let mut drawn = String::new();
        if handler.render_report(&mut drawn, &view).is_ok() {
            out.push('\n');
            out.push_str(drawn.trim_end());
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            match &error.location {
                Some(location) => write!(f, "{location}: {}", error.message)?,
                None => f.write_str(&error.message)?,
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n{help}")?;
        }
        Ok(())
    }
}

/// The full report: every problem with its source lines drawn under it.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for (i, error) in self.errors().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match &error.location {
                Some(location) => out.push_str(&format!("{location}: {}", error.message)),
                None => out.push_str(&error.message),
            }
            error.draw(&mut out);
        }
        if let Some(help) = &self.help {
            out.push('\n');
            out.push_str(help);
        }
        f.write_str(&out)
    }
}

impl std::error::Error for Error {}

impl Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match (&self.help, &self.snippet) {
            (Some(help), _) => Some(Box::new(help)),
            (None, Some(snippet)) => snippet.help(),
            (None, None) => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref()?.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.snippet.as_ref()?.labels()
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.others.is_empty() {
            return None;
        }
        Some(Box::new(self.others.iter().map(|e| e as &dyn Diagnostic)))
    }
}

/// Source text and labels of a problem protogen itself found.
#[derive(Debug)]
struct Snippet {
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.source.name())
    }
}

impl std::error::Error for Snippet {}

impl Diagnostic for Snippet {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A problem's snippet headed by its message alone (the location is on the line above it).
struct Drawn<'a> {
    message: &'a str,
    inner: &'a (dyn Diagnostic + Send + Sync),
}

impl fmt::Debug for Drawn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl fmt::Display for Drawn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for Drawn<'_> {}

impl Diagnostic for Drawn<'_> {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.help()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.inner.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        self.inner.related()
    }
}

/// protox 0.10 refuses an import with `..`, `.`, `//` or `\\` in its path before reading
/// anything, but words it "invalid group name" (its error enum reuses that text); this says
/// what happened instead, naming the import.
fn misworded_import(err: &protox::Error) -> Option<String> {
    let help = err.help()?.to_string();
    if err.to_string() != "invalid group name" || !help.starts_with("imports may not") {
        return None;
    }
    let source = err.source_code()?;
    let label = err.labels()?.next()?;
    let span = source.read_span(label.inner(), 0, 0).ok()?;
    let import = String::from_utf8_lossy(span.data());
    Some(format!(
        "import {import} leaves the include paths: {help} (imports are resolved inside the \
         include paths and may not leave them)"
    ))
}

/// File name, 1-based line and column of the first labelled span of a diagnostic.
fn location_of(err: &dyn Diagnostic) -> Option<(String, usize, usize)> {
    let source = err.source_code()?;
    let label = err.labels()?.next()?;
    let span = source.read_span(label.inner(), 0, 0).ok()?;
    let name = span.name().unwrap_or("<input>").to_owned();
    Some((name, span.line() + 1, span.column() + 1))
}

/// The byte offset of 1-based `line` and `column` (in characters) in `text`, clamped to it.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    let in_line = rest
        .char_indices()
        .take_while(|&(_, c)| c != '\n')
        .nth(column.saturating_sub(1))
        .map_or_else(|| rest.find('\n').unwrap_or(rest.len()), |(i, _)| i);
    start + in_line
}

fn searched(includes: &[PathBuf]) -> String {
    let mut out = String::from("searched, in order: protox's bundled well-known types");
    for include in includes {
        out.push_str(&format!(", {}", include.display()));
    }
    if includes.is_empty() {
        out.push_str(" (no include paths were given)");
    }
    out
}

pub(crate) fn find_on_disk(includes: &[PathBuf], name: &str) -> Option<PathBuf> {
    includes
        .iter()
        .map(|include| include.join(name))
        .find(|path| path.is_file())
}

/// If the file's first statement is `edition = "…";`, the error naming it.
fn editions(path: &Path) -> Option<Error> {
    let source = std::fs::read_to_string(path).ok()?;
    let (line, column, edition) = edition_declaration(&source)?;
    let message = format!(
        "editions are not supported: this file declares `{edition}`, and protogen's .proto \
         compiler (protox 0.10) accepts only `syntax = \"proto2\"` and `syntax = \"proto3\"` files"
    );
    let label = "protox 0.10 compiles proto2 and proto3 only";
    Some(Error::at(
        ErrorKind::Editions,
        message,
        path,
        line,
        column,
        Some(source),
        label,
    ))
}

/// If the source's first statement is `edition = "…";`, its position and text.
fn edition_declaration(source: &str) -> Option<(usize, usize, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_of_lines_and_columns() {
        let text = "ab\ncdé\n\nx";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 3), 5);
        assert_eq!(offset_of(text, 2, 9), 7, "past the line's end: its end");
        assert_eq!(offset_of(text, 4, 1), 9);
        assert_eq!(offset_of(text, 9, 1), text.len());
    }
}
