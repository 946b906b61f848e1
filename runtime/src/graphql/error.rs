//! GraphQL errors in the spec's response format: `{"message", "locations", "path"}`.

use std::fmt;

use crate::json::Writer;

/// One error of a GraphQL response, as the spec's "Errors" section describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphqlError {
    pub message: String,
    /// `(line, column)`, 1-based, of the document elements the error is about.
    pub locations: Vec<(usize, usize)>,
    /// For field errors: the response keys and list indices from the root to the field.
    pub path: Vec<PathSegment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

impl GraphqlError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        GraphqlError {
            message: message.into(),
            locations: Vec::new(),
            path: Vec::new(),
        }
    }

    pub(crate) fn at(mut self, location: Option<(usize, usize)>) -> Self {
        self.locations.extend(location);
        self
    }

    /// Writes the error as a JSON object.
    pub fn write_json(&self, w: &mut Writer) {
        w.raw(b"{\"message\":");
        w.str(&self.message);
        if !self.locations.is_empty() {
            w.raw(b",\"locations\":[");
            for (i, (line, column)) in self.locations.iter().enumerate() {
                if i > 0 {
                    w.byte(b',');
                }
                w.raw(b"{\"line\":");
                w.int(*line as u64);
                w.raw(b",\"column\":");
                w.int(*column as u64);
                w.byte(b'}');
            }
            w.byte(b']');
        }
        if !self.path.is_empty() {
            w.raw(b",\"path\":[");
            for (i, segment) in self.path.iter().enumerate() {
                if i > 0 {
                    w.byte(b',');
                }
                match segment {
                    PathSegment::Key(key) => w.str(key),
                    PathSegment::Index(index) => w.int(*index as u64),
                }
            }
            w.byte(b']');
        }
        w.byte(b'}');
    }
}

impl fmt::Display for GraphqlError {
    /// `line:column: message` (the first location), then ` (at path.to[0].field)` for field
    /// errors.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.locations.first() {
            write!(f, "{line}:{column}: ")?;
        }
        f.write_str(&self.message)?;
        if !self.path.is_empty() {
            f.write_str(" (at ")?;
            for (i, segment) in self.path.iter().enumerate() {
                match segment {
                    PathSegment::Key(key) if i == 0 => f.write_str(key)?,
                    PathSegment::Key(key) => write!(f, ".{key}")?,
                    PathSegment::Index(index) => write!(f, "[{index}]")?,
                }
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A request that cannot be executed: a document that does not parse or validate, an unknown
/// operation, variables that do not coerce. Every error found, each with its location. The
/// response to such a request has `errors` and no `data`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestErrors(pub Vec<GraphqlError>);

impl RequestErrors {
    pub(crate) fn one(error: GraphqlError) -> Self {
        RequestErrors(vec![error])
    }

    /// The response: `{"errors":[...]}`.
    pub fn to_response(&self) -> Vec<u8> {
        let mut w = Writer::new(Default::default());
        w.raw(b"{\"errors\":");
        write_errors(&self.0, &mut w);
        w.byte(b'}');
        w.into_bytes()
    }
}

pub(crate) fn write_errors(errors: &[GraphqlError], w: &mut Writer) {
    w.byte(b'[');
    for (i, error) in errors.iter().enumerate() {
        if i > 0 {
            w.byte(b',');
        }
        error.write_json(w);
    }
    w.byte(b']');
}

impl fmt::Display for RequestErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RequestErrors {}

/// The SDL given to [`Schema::new`](super::Schema::new) is not a valid schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError(pub Vec<GraphqlError>);

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid GraphQL schema: {}",
            RequestErrors(self.0.clone())
        )
    }
}

impl std::error::Error for SchemaError {}
