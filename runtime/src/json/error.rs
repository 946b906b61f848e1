//! JSON errors: every problem of a decode, each with its path, position, expectation and finding.

use std::fmt;

/// What kind of problem a [`JsonError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input is not JSON (or not UTF-8): the decode stops here.
    Syntax,
    /// A key that names no field of the message.
    UnknownField,
    /// A field given twice, possibly once under its JSON name and once under its proto name.
    DuplicateField,
    /// A second member of a oneof that already has one.
    OneofConflict,
    /// A value of the wrong JSON type: a string where a number belongs.
    WrongType,
    /// A number outside its field's range, or a fraction for an integer field.
    OutOfRange,
    /// A value of the right JSON type that is not valid for the field: an unknown enum name, bad
    /// base64, a malformed timestamp, a string with a lone surrogate, a bad map key.
    InvalidValue,
    /// Nesting deeper than [`DecodeOptions::max_depth`](super::DecodeOptions): the decode stops.
    DepthLimit,
    /// An input longer than [`DecodeOptions::max_input_size`](super::DecodeOptions).
    SizeLimit,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::UnknownField => "unknown field",
            ErrorKind::DuplicateField => "duplicate field",
            ErrorKind::OneofConflict => "oneof already set",
            ErrorKind::WrongType => "wrong type",
            ErrorKind::OutOfRange => "out of range",
            ErrorKind::InvalidValue => "invalid value",
            ErrorKind::DepthLimit => "too deep",
            ErrorKind::SizeLimit => "too large",
        }
    }
}

/// One problem found while decoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub kind: ErrorKind,
    /// JSONPath of the value (or key) at fault: `$.items[2].price`.
    pub path: String,
    /// 1-based line and column (in characters) of where the value starts; 0 when decoding a
    /// `serde_json::Value`, which has no positions.
    pub line: usize,
    pub column: usize,
    /// What the field accepts: `int64 (number or decimal string)`.
    pub expected: String,
    /// What the input holds there: `string "abc"`.
    pub found: String,
}

impl JsonError {
    pub(crate) fn new(
        kind: ErrorKind,
        path: String,
        line: usize,
        column: usize,
        expected: String,
        found: String,
    ) -> Self {
        JsonError {
            kind,
            path,
            line,
            column,
            expected,
            found,
        }
    }

    pub(crate) fn invalid_utf8(bytes: &[u8], offset: usize) -> Self {
        let (line, column) = line_column(bytes, offset);
        JsonError::new(
            ErrorKind::Syntax,
            "$".into(),
            line,
            column,
            "UTF-8 text".into(),
            format!("byte 0x{:02x}", bytes[offset]),
        )
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if self.line > 0 {
            write!(f, " at {}:{}", self.line, self.column)?;
        }
        write!(
            f,
            ": {}: expected {}, found {}",
            self.kind.describe(),
            self.expected,
            self.found
        )
    }
}

impl std::error::Error for JsonError {}

/// Every problem a decode found, in input order (at most `max_errors`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonErrors {
    pub errors: Vec<JsonError>,
    /// The decode stopped at `max_errors`; there may be more.
    pub truncated: bool,
}

impl JsonErrors {
    pub(crate) fn single(error: JsonError) -> Self {
        JsonErrors {
            errors: vec![error],
            truncated: false,
        }
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &JsonError> {
        self.errors.iter()
    }
}

impl fmt::Display for JsonErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(f, "{n} error{} in JSON", if n == 1 { "" } else { "s" })?;
        if self.truncated {
            f.write_str(" (stopped at the limit)")?;
        }
        for error in &self.errors {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for JsonErrors {}

/// Why a message could not be written: an `Any` of a type unknown to the build, an `Any` whose
/// bytes do not decode, an invalid `Timestamp`/`Duration`, or an I/O error.
#[derive(Debug)]
pub struct EncodeError {
    message: String,
}

impl EncodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EncodeError {
            message: message.into(),
        }
    }

    pub(crate) fn io(err: std::io::Error) -> Self {
        EncodeError::new(format!("I/O error: {err}"))
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EncodeError {}

/// 1-based line and column (counting characters) of byte `offset`.
pub(crate) fn line_column(input: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(input.len());
    let before = &input[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Count characters, not bytes: skip UTF-8 continuation bytes.
    let column = before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    (line, column)
}
