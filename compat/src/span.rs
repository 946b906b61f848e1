//! Source spans as buf prints them: 1-based lines and columns, the end column one past the last
//! character.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    /// What buf prints for a finding it cannot place in a file: `1:1` to `1:1`.
    pub const NONE: Span = Span {
        start_line: 1,
        start_column: 1,
        end_line: 1,
        end_column: 1,
    };

    /// From `SourceCodeInfo.Location.span`: `[start line, start column, (end line,) end
    /// column]`, 0-based, the end exclusive.
    pub fn from_proto(span: &[i32]) -> Option<Span> {
        let get = |i: usize| span.get(i).and_then(|v| u32::try_from(*v).ok());
        let (start_line, start_column) = (get(0)?, get(1)?);
        let (end_line, end_column) = match span.len() {
            3 => (start_line, get(2)?),
            4 => (get(2)?, get(3)?),
            _ => return None,
        };
        Some(Span {
            start_line: start_line + 1,
            start_column: start_column + 1,
            end_line: end_line + 1,
            end_column: end_column + 1,
        })
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.start_line, self.start_column)
    }
}
