//! A `.proto` file cut short: protox says what it expected but names no place. The place is the
//! end of the file's last token, and what makes it useful is the element left open there
//! (`message Order`, opened at 3:1), which a scan of the text finds.

use std::path::Path;

use miette::{LabeledSpan, NamedSource};

use super::{Error, ErrorKind, Location, Snippet};

/// A token of the scan: its text and where it starts and ends (byte offsets).
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// A `{` not yet closed: what it opens and where that declaration starts.
struct Open {
    what: String,
    name: Option<String>,
    at: usize,
}

/// The error of a parse that reached the end of `text` (the file at `path`), located at its end
/// and naming the element still open there; `None` for an empty file.
pub(super) fn located(path: &Path, text: String, message: &str) -> Option<Error> {
    let tokens = tokens(&text);
    let last = tokens.last()?;
    let end = last.end;
    let open = open_blocks(&tokens);
    let (line, column) = line_col(&text, end);
    let mut labels = vec![LabeledSpan::new_with_span(
        Some("the file ends here".to_owned()),
        end..end,
    )];
    let message = match open.last() {
        Some(innermost) => {
            let (line, column) = line_col(&text, innermost.at);
            labels.push(LabeledSpan::new_with_span(
                Some(format!("{} opened here, never closed", describe(&open))),
                innermost.at..innermost.at,
            ));
            format!(
                "{message} (inside {}, opened at {line}:{column})",
                describe(&open)
            )
        }
        None => message.to_owned(),
    };
    Some(Error {
        location: Some(Box::new(Location {
            file: path.to_path_buf(),
            line,
            column,
        })),
        snippet: Some(Box::new(Snippet {
            source: NamedSource::new(path.display().to_string(), text),
            labels,
        })),
        ..Error::new(ErrorKind::Proto, message)
    })
}

/// `message `Order.Line``: the innermost open element, with the names of the named ones around it.
fn describe(open: &[Open]) -> String {
    let innermost = open.last().expect("an open element");
    let names: Vec<&str> = open.iter().filter_map(|o| o.name.as_deref()).collect();
    match &innermost.name {
        Some(_) => format!("{} `{}`", innermost.what, names.join(".")),
        None => innermost.what.clone(),
    }
}

/// The `{` blocks open at the end of the tokens, outermost first.
fn open_blocks<'a>(tokens: &[Token<'a>]) -> Vec<Open> {
    let mut open = Vec::new();
    // Where the current statement (or declaration) starts, as an index into `tokens`.
    let mut statement = 0;
    for (i, token) in tokens.iter().enumerate() {
        match token.text {
            "{" => {
                open.push(declaration(&tokens[statement..i]));
                statement = i + 1;
            }
            "}" => {
                open.pop();
                statement = i + 1;
            }
            ";" => statement = i + 1,
            _ => {}
        }
    }
    open
}

/// What the tokens before a `{` declare.
fn declaration(tokens: &[Token<'_>]) -> Open {
    let at = tokens.first().map_or(0, |t| t.start);
    let word = |i: usize| tokens.get(i).map(|t| t.text.to_owned());
    match tokens.first().map(|t| t.text) {
        Some(keyword @ ("message" | "enum" | "service" | "oneof" | "extend" | "rpc")) => Open {
            what: keyword.to_owned(),
            name: word(1),
            at,
        },
        Some("option") => Open {
            what: "an option's value".to_owned(),
            name: None,
            at,
        },
        _ => Open {
            what: "a `{ … }` value".to_owned(),
            name: None,
            at,
        },
    }
}

/// The tokens of `.proto` text that matter for nesting: words, strings and punctuation, with
/// comments skipped (so a `{` in a comment or a string opens nothing).
fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                continue;
            }
            quote @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || b"_.".contains(&bytes[i]))
                {
                    i += 1;
                }
            }
            _ => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
        let end = i.min(bytes.len());
        out.push(Token {
            text: &text[start..end],
            start,
            end,
        });
    }
    out
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_at_end(text: &str) -> String {
        let tokens = tokens(text);
        let open = open_blocks(&tokens);
        if open.is_empty() {
            return String::new();
        }
        describe(&open)
    }

    #[test]
    fn the_innermost_open_element_is_named_with_its_parents() {
        assert_eq!(open_at_end("message A {\n  int32 x"), "message `A`");
        assert_eq!(
            open_at_end("message A {\n message B { enum C { X = 0; }\n oneof o {"),
            "oneof `A.B.o`"
        );
        assert_eq!(open_at_end("message A { }\nmessage B {}"), "");
        assert_eq!(
            open_at_end("service S {\n  rpc Get(A) returns (B) {"),
            "rpc `S.Get`"
        );
        assert_eq!(
            open_at_end("message A { int32 x = 1 [(o) = {"),
            "a `{ … }` value"
        );
        assert_eq!(open_at_end("option (x) = {"), "an option's value");
    }

    #[test]
    fn braces_in_comments_and_strings_open_nothing() {
        assert_eq!(
            open_at_end("// {\n/* { */ message A { string s = 1 [default = \"{\"]; }"),
            ""
        );
        assert_eq!(open_at_end("message A { // }\n"), "message `A`");
    }

    #[test]
    fn a_cut_file_is_located_at_the_end_of_its_last_token() {
        let text = "syntax = \"proto3\";\nmessage A {\n  int32 x   \n\n".to_owned();
        let err = located(
            Path::new("a.proto"),
            text,
            "expected '=', but reached end of file",
        )
        .unwrap();
        assert_eq!(
            err.to_string(),
            "a.proto:3:10: expected '=', but reached end of file (inside message `A`, opened \
             at 2:1)"
        );
        assert!(located(Path::new("e.proto"), " \n".to_owned(), "m").is_none());
    }
}
