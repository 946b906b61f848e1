//! What a failed rule reports, shaped like protovalidate's `buf.validate.Violation`.

use std::fmt;

/// One rule that does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// From the validated message down to the field: `items[2].tags["k"].name`.
    pub field: Vec<FieldPathElement>,
    /// The rule's path in `buf.validate.FieldRules` (`string.min_len`,
    /// `repeated.items.string.min_len`), `required`, or `message.oneof` / the oneof's name.
    pub rule: String,
    /// protovalidate's rule id: `string.min_len`, `int32.gt_lt_exclusive`, `required`.
    pub rule_id: String,
    /// `must be at least 3 characters`.
    pub message: String,
    /// The violation is about a map key, not its value.
    pub for_key: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPathElement {
    pub field_number: u32,
    pub field_name: String,
    pub subscript: Option<Subscript>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscript {
    Index(u64),
    Bool(bool),
    Int(i64),
    Uint(u64),
    String(String),
}

impl Violation {
    /// The field path in protovalidate's text form: `items[2].tags["k"].name`.
    pub fn field_path(&self) -> String {
        let mut out = String::new();
        for (i, element) in self.field.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(&element.field_name);
            match &element.subscript {
                None => {}
                Some(Subscript::Index(i)) | Some(Subscript::Uint(i)) => {
                    out.push_str(&format!("[{i}]"))
                }
                Some(Subscript::Int(i)) => out.push_str(&format!("[{i}]")),
                Some(Subscript::Bool(b)) => out.push_str(&format!("[{b}]")),
                Some(Subscript::String(s)) => out.push_str(&format!("[{s:?}]")),
            }
        }
        out
    }
}

impl fmt::Display for Violation {
    /// `items[2].sku: must be at least 3 characters [string.min_len]`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.field_path();
        if !path.is_empty() {
            write!(f, "{path}: ")?;
        }
        write!(f, "{} [{}]", self.message, self.rule_id)
    }
}

/// Every violation one validation found (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violations(pub(super) Vec<Violation>);

impl Violations {
    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<Violation> {
        self.0
    }
}

impl std::ops::Deref for Violations {
    type Target = [Violation];

    fn deref(&self) -> &[Violation] {
        &self.0
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Violations {
    /// One violation per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}
