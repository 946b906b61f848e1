//! Source positions and comments, looked up by descriptor path in a file's `SourceCodeInfo`.

use std::collections::HashMap;
use std::fmt;

use prost_types::FileDescriptorProto;

/// Where an element was declared: the file name relative to its include root, 1-based line and
/// column. Diagnostics print it as `file:line:col`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The comments protoc attaches to an element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comments {
    pub leading_detached: Vec<String>,
    pub leading: Option<String>,
    pub trailing: Option<String>,
}

impl Comments {
    /// The lines a doc comment is made of: leading then trailing comment, one space of indent
    /// removed as protoc users write `// text`.
    pub fn doc_lines(&self) -> Vec<String> {
        self.leading
            .iter()
            .chain(self.trailing.iter())
            .flat_map(|c| c.trim_end_matches('\n').split('\n'))
            .map(|line| line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned())
            .collect()
    }
}

/// Locations of one file, indexed by descriptor path.
pub(crate) struct SourceIndex<'a> {
    file: &'a str,
    by_path: HashMap<&'a [i32], &'a prost_types::source_code_info::Location>,
}

impl<'a> SourceIndex<'a> {
    pub(crate) fn new(file: &'a FileDescriptorProto) -> Self {
        let by_path = file
            .source_code_info
            .iter()
            .flat_map(|info| info.location.iter())
            .map(|loc| (loc.path.as_slice(), loc))
            .collect();
        SourceIndex {
            file: file.name(),
            by_path,
        }
    }

    pub(crate) fn location(&self, path: &[i32]) -> Option<Location> {
        let loc = self.by_path.get(path)?;
        let (line, column) = (*loc.span.first()?, *loc.span.get(1)?);
        Some(Location {
            file: self.file.to_owned(),
            line: u32::try_from(line).ok()? + 1,
            column: u32::try_from(column).ok()? + 1,
        })
    }

    pub(crate) fn comments(&self, path: &[i32]) -> Comments {
        let Some(loc) = self.by_path.get(path) else {
            return Comments::default();
        };
        Comments {
            leading_detached: loc.leading_detached_comments.clone(),
            leading: loc.leading_comments.clone(),
            trailing: loc.trailing_comments.clone(),
        }
    }
}
