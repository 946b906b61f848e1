//! Names as buf's lint rules spell them: its PascalCase and snake_case conversions (which keep
//! digits attached and treat `.`, `-`, `_` and spaces as word breaks), and its package versions.

fn is_delimiter(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ' ' | '\t' | '\n' | '\r')
}

/// buf's `ToPascalCase`: the first letter and each letter after a delimiter upper-cased,
/// upper-case letters kept, the rest lower-cased, delimiters dropped.
pub(crate) fn pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous = None;
    for (i, c) in s.trim().char_indices() {
        if !is_delimiter(c) {
            if i == 0 || previous.is_some_and(is_delimiter) || c.is_uppercase() {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
        previous = Some(c);
    }
    out
}

/// buf's `toSnakeCase` (without a new word on digits): an underscore before an upper-case letter
/// that follows a lower-case one or starts a new capitalised word (`HTTPServer` ->
/// `HTTP_Server`), delimiters become single underscores.
fn snake(s: &str) -> String {
    let s = s.trim_matches(is_delimiter);
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, c) in s.char_indices() {
        let c = if is_delimiter(c) { '_' } else { c };
        if i == 0 {
            out.push(c);
            continue;
        }
        let next_starts_lower = i + 1 < bytes.len() && {
            let next = bytes[i + 1] as char;
            !next.is_ascii_uppercase() && !next.is_ascii_digit() && !is_delimiter(next)
        };
        let after_lower = (bytes[i - 1] as char).is_lowercase();
        if c.is_uppercase() && !out.ends_with('_') && (next_starts_lower || after_lower) {
            out.push('_');
            out.push(c);
        } else if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out
}

pub(crate) fn lower_snake(s: &str) -> String {
    snake(s).to_lowercase()
}

pub(crate) fn upper_snake(s: &str) -> String {
    snake(s).to_uppercase()
}

/// How stable a package's version says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stability {
    Stable,
    Unstable,
}

/// The stability of a package whose last component is a version (`v1`, `v1beta2`,
/// `v1p1alpha`, `v2test_x`); `None` when it has none.
pub(crate) fn package_version(package: &str) -> Option<Stability> {
    let parts: Vec<&str> = package.split('.').collect();
    if parts.len() < 2 {
        return None;
    }
    let version = parts.last()?.strip_prefix('v')?;
    if version.is_empty() {
        return None;
    }
    if let Some((major, _)) = version.split_once("test") {
        positive(major)?;
        return Some(Stability::Unstable);
    }
    let level = match (version.contains("alpha"), version.contains("beta")) {
        (false, false) => {
            positive(version)?;
            return Some(Stability::Stable);
        }
        (true, false) => "alpha",
        (false, true) => "beta",
        (true, true) => return None,
    };
    let (head, minor) = version.split_once(level)?;
    if !minor.is_empty() {
        positive(minor)?;
    }
    match head.split_once('p') {
        Some((major, patch)) => {
            positive(major)?;
            positive(patch)?;
        }
        None => {
            positive(head)?;
        }
    }
    Some(Stability::Unstable)
}

/// A decimal number from 1 to i32::MAX.
fn positive(s: &str) -> Option<i32> {
    let sign_free = s.strip_prefix('+').unwrap_or(s);
    if sign_free.is_empty() || !sign_free.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok().filter(|v| *v >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_convert_as_buf_does() {
        assert_eq!(pascal("get_x"), "GetX");
        assert_eq!(pascal("nested_one"), "NestedOne");
        assert_eq!(pascal("HTTPServer"), "HTTPServer");
        assert_eq!(pascal("fooBar"), "FooBar");
        assert_eq!(lower_snake("MyOpt"), "my_opt");
        assert_eq!(lower_snake("BadField"), "bad_field");
        assert_eq!(lower_snake("HTTPServer"), "http_server");
        assert_eq!(lower_snake("field1"), "field1");
        assert_eq!(lower_snake("foo__bar"), "foo_bar");
        assert_eq!(upper_snake("color_blue"), "COLOR_BLUE");
        assert_eq!(upper_snake("TypeV2"), "TYPE_V2");
    }

    #[test]
    fn package_versions_parse_as_buf_does() {
        assert_eq!(package_version("a.v1"), Some(Stability::Stable));
        assert_eq!(package_version("a.v1beta1"), Some(Stability::Unstable));
        assert_eq!(package_version("a.v1alpha"), Some(Stability::Unstable));
        assert_eq!(package_version("a.v1p1alpha1"), Some(Stability::Unstable));
        assert_eq!(package_version("a.v2test_foo"), Some(Stability::Unstable));
        assert_eq!(package_version("a.v0"), None);
        assert_eq!(package_version("a"), None);
        assert_eq!(package_version("v1"), None);
        assert_eq!(package_version("a.version"), None);
    }
}
