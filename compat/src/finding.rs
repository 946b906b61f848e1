//! One problem found, printed as buf prints it: `path:line:column:message` as text, or one JSON
//! object per line (`--error-format json`) with buf's keys, so tooling written for buf reads it.

use std::fmt::Write as _;

use crate::span::Span;

/// A breaking change or a lint failure.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Finding {
    /// The file it is in, relative to the module root; `None` when it is in no file of the new
    /// schema (a deleted file).
    pub path: Option<String>,
    /// Where in the file; [`Span::NONE`] when the element has no source position.
    pub span: Span,
    /// buf's rule id, `FIELD_SAME_TYPE`.
    pub rule: &'static str,
    pub message: String,
    /// The file in the old schema the finding is about, when there is one (for `ignore`).
    pub against_path: Option<String>,
    /// A JSON pointer into a tenant schema, when the file is one.
    pub pointer: Option<String>,
}

/// How findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ErrorFormat {
    /// `path:line:column:message`, as `buf breaking` prints.
    #[default]
    Text,
    /// One JSON object per line: `path`, `start_line`, `start_column`, `end_line`,
    /// `end_column`, `type`, `message`.
    Json,
}

impl Finding {
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(path) = &self.path {
            let _ = write!(
                out,
                "{path}:{}:{}:",
                self.span.start_line, self.span.start_column
            );
        } else {
            out.push_str("<input>:1:1:");
        }
        out.push_str(&self.message);
        if let Some(pointer) = &self.pointer {
            let _ = write!(out, " (at {pointer})");
        }
        out
    }

    /// One line of JSON with buf's keys in buf's order (`path` left out when the finding is in
    /// no file); `pointer` follows for findings in tenant schemas.
    pub fn to_json(&self) -> String {
        let string = |s: &str| serde_json::Value::from(s).to_string();
        let mut out = String::from("{");
        if let Some(path) = &self.path {
            let _ = write!(out, "\"path\":{},", string(path));
        }
        let s = self.span;
        let _ = write!(
            out,
            "\"start_line\":{},\"start_column\":{},\"end_line\":{},\"end_column\":{},\
             \"type\":{},\"message\":{}",
            s.start_line,
            s.start_column,
            s.end_line,
            s.end_column,
            string(self.rule),
            string(&self.message)
        );
        if let Some(pointer) = &self.pointer {
            let _ = write!(out, ",\"pointer\":{}", string(pointer));
        }
        out.push('}');
        out
    }

    pub fn format(&self, format: ErrorFormat) -> String {
        match format {
            ErrorFormat::Text => self.to_text(),
            ErrorFormat::Json => self.to_json(),
        }
    }
}

/// Sorts findings as buf prints them: by file, start line and column, rule, message (not by
/// where they end); duplicates removed.
pub fn sort(findings: &mut Vec<Finding>) {
    let key = |f: &Finding| {
        (
            f.path.clone(),
            f.span.start_line,
            f.span.start_column,
            f.rule,
            f.message.clone(),
            f.span,
        )
    };
    findings.sort_by_key(key);
    findings.dedup_by(|a, b| key(a) == key(b));
}
