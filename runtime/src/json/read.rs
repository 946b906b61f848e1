//! The JSON decoder. Hand-written rather than serde_json's `Deserializer`: proto3 JSON decoding
//! here goes on after an error (skipping the bad value) to report every problem with its JSON
//! path and line:column, which serde's model — first error wins, no positions — cannot give.
//! The parser checks the full JSON grammar (RFC 8259) and never panics on any input.

use std::borrow::Cow;

use super::error::line_column;
use super::{
    DEFAULT_MAX_DEPTH, DecodeOptions, Decoded, ErrorKind, JsonError, JsonErrors, JsonMessage,
};

/// The decode cannot go on (a syntax error, a limit, or the error cap); every error so far,
/// including the one that stopped it, has been recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fatal;

/// The JSON type of the next value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// One step of the path from the root: a key (by the offset of its opening quote: keys are
/// only unescaped again when an error names them) or an array index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seg {
    Key(usize),
    Index(usize),
}

/// An `Option<Seg>` in one word, for [`Decoder::here`], which is written for every key and
/// element and saved and restored around every object and array: a key as its offset times
/// two plus one, an index times two, none as `usize::MAX`. (Offsets and indices are below
/// `isize::MAX`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Here(usize);

impl Here {
    const NONE: Here = Here(usize::MAX);

    #[inline(always)]
    fn key(at: usize) -> Here {
        Here(at << 1 | 1)
    }

    #[inline(always)]
    fn index(i: usize) -> Here {
        Here(i << 1)
    }

    fn seg(self) -> Option<Seg> {
        match self {
            Here::NONE => None,
            Here(w) if w & 1 == 1 => Some(Seg::Key(w >> 1)),
            Here(w) => Some(Seg::Index(w >> 1)),
        }
    }
}

/// A proto3 JSON decode in progress: the input, the position, the member being read, and every
/// error found so far (each with its path from the root). Generated `merge_field`s call its field methods; [`kind`](super::kind)s
/// call its value readers.
pub struct Decoder<'a> {
    text: &'a str,
    input: &'a [u8],
    pos: usize,
    options: DecodeOptions,
    /// Line:column are reported (not when decoding a `serde_json::Value`).
    positions: bool,
    errors: Vec<JsonError>,
    truncated: bool,
    /// The member of the innermost open object or array being read, if any. The members of the
    /// enclosing ones are kept on the Rust stack while they are open (saved and restored by the
    /// readers of objects and arrays), and found again from the text when an error names its
    /// path ([`Decoder::outer_path`]): a stack of them, pushed and popped per object and array,
    /// cost 6-9% of decoding a log record.
    here: Here,
    /// Where the last [`Decoder::outer_path`] scan stopped, to go on from there.
    scan: Option<Box<PathScan>>,
    /// Errors are counted but not located: a read whose errors are dropped (a key unescaped
    /// again for a message, a string looked at to describe it). Locating them would scan the
    /// text for their path, and unescape the keys on it, each a read of this kind again.
    quiet: bool,
    /// Slots 0-63 of the open object (one bit per field/oneof slot: what it has been given),
    /// saved and restored around nested objects: most messages have no more slots, and keeping
    /// them here beat growing and truncating a `Vec` per object.
    seen_low: u64,
    /// Slots 64 and up, of the open objects that have them: the current one's from `seen_base`.
    seen: Vec<u64>,
    seen_base: usize,
    depth: usize,
    /// The depth up to which [`enter`](Self::enter) needs no more tests: the lower of
    /// `max_depth` and the default depth.
    checked_depth: usize,
    unused: Vec<String>,
}

type R<T> = Result<T, Fatal>;

/// A scan of the text read so far for the objects and arrays open at its end, and the member
/// of each being read: the path to an error, found again when an error names it rather than
/// kept up to date while decoding. The decoder reads the text in order (apart from rewinds,
/// which restart the scan), so a scan goes on from where the last one stopped: every error and
/// ignored key of a decode together cost one pass over the text.
#[derive(Default)]
struct PathScan {
    /// Bytes scanned.
    at: usize,
    /// Inside a string; `escaped`: right after its backslash.
    in_string: bool,
    escaped: bool,
    open: Vec<Open>,
}

/// An object or array open where the scan stopped.
struct Open {
    object: bool,
    /// The member being read: the last key seen, or the index of the element.
    member: Option<Seg>,
    /// In an object, the next string is a key.
    expect_key: bool,
}

impl PathScan {
    /// Goes on scanning up to the end of `text`, a prefix of what the decoder has read (so
    /// valid JSON as far as it goes).
    fn advance(&mut self, text: &[u8]) {
        for (i, &b) in text.iter().enumerate().skip(self.at) {
            if self.in_string {
                match b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    if let Some(open) = self.open.last_mut().filter(|o| o.expect_key) {
                        open.member = Some(Seg::Key(i));
                        open.expect_key = false;
                    }
                }
                b'{' | b'[' => self.open.push(Open {
                    object: b == b'{',
                    member: (b == b'[').then_some(Seg::Index(0)),
                    expect_key: b == b'{',
                }),
                b'}' | b']' => {
                    self.open.pop();
                }
                b',' => match self.open.last_mut() {
                    Some(open) if open.object => open.expect_key = true,
                    Some(open) => {
                        if let Some(Seg::Index(i)) = open.member {
                            open.member = Some(Seg::Index(i + 1));
                        }
                    }
                    None => {}
                },
                _ => {}
            }
        }
        self.at = self.at.max(text.len());
    }
}

pub(crate) fn decode_root<M: JsonMessage>(
    text: &str,
    options: &DecodeOptions,
    positions: bool,
) -> Result<Decoded<M>, JsonErrors> {
    // A message of up to 64 fields is decoded with no allocation of the decoder's own.
    let mut d = Decoder::new(text, *options, positions);
    // Read in place: the message is not moved (a few hundred bytes for a large one) through the
    // `Result`s and `Option`s of the readers.
    let mut message = M::default();
    let result = decode_with(&mut d, text, options, &mut message);
    match result {
        Ok(()) => Ok(Decoded {
            message,
            unused: std::mem::take(&mut d.unused),
        }),
        Err(()) => Err(d.finish_errors()),
    }
}

/// Reads `text`, one JSON value, with `read` (see [`super::read_value`]).
pub(crate) fn decode_value<T>(
    text: &str,
    read: impl FnOnce(&mut Decoder<'_>) -> R<Option<T>>,
) -> Result<T, JsonErrors> {
    let mut d = Decoder::new(text, DecodeOptions::default(), false);
    let value = read(&mut d).and_then(|value| {
        d.skip_ws();
        if d.pos < d.input.len() {
            d.syntax("end of input")?;
        }
        Ok(value)
    });
    match value {
        Ok(Some(value)) if d.errors.is_empty() => Ok(value),
        _ => Err(d.finish_errors()),
    }
}

fn decode_with<M: JsonMessage>(
    d: &mut Decoder<'_>,
    text: &str,
    options: &DecodeOptions,
    message: &mut M,
) -> Result<(), ()> {
    if text.len() > options.max_input_size {
        let _ = d.error(
            ErrorKind::SizeLimit,
            0,
            format!("at most {} bytes", options.max_input_size),
            format!("{} bytes", text.len()),
        );
        return Err(());
    }
    match d.root(message) {
        Ok(true) if d.errors.is_empty() => Ok(()),
        _ => Err(()),
    }
}

impl<'a> Decoder<'a> {
    fn new(text: &'a str, options: DecodeOptions, positions: bool) -> Self {
        Decoder {
            text,
            input: text.as_bytes(),
            pos: 0,
            options,
            positions,
            errors: Vec::new(),
            truncated: false,
            here: Here::NONE,
            scan: None,
            quiet: false,
            seen_low: 0,
            seen: Vec::new(),
            seen_base: 0,
            depth: 0,
            checked_depth: options.max_depth.min(DEFAULT_MAX_DEPTH),
            unused: Vec::new(),
        }
    }

    /// Reads the root object into `message`: `false` if it was not an object.
    fn root<M: JsonMessage>(&mut self, message: &mut M) -> R<bool> {
        let read = self.read_message_into(message)?;
        self.skip_ws();
        if self.pos < self.input.len() {
            self.syntax("end of input")?;
        }
        Ok(read)
    }

    fn finish_errors(self) -> JsonErrors {
        JsonErrors {
            errors: self.errors,
            truncated: self.truncated,
        }
    }

    pub fn options(&self) -> &DecodeOptions {
        &self.options
    }

    // ---- errors -------------------------------------------------------------------------------

    /// The members being read of the objects and arrays that enclose the innermost open one
    /// (whose member is `here`), from the root down.
    fn outer_path(&mut self) -> Vec<Option<Seg>> {
        let read = &self.input[..self.pos];
        let scan = self.scan.get_or_insert_with(Box::default);
        if scan.at > read.len() {
            // Rewound (to read a value again): scan from the start.
            **scan = PathScan::default();
        }
        scan.advance(read);
        let outer = scan.open.len().saturating_sub(1);
        scan.open[..outer].iter().map(|open| open.member).collect()
    }

    fn path_string(&mut self) -> String {
        let mut s = String::from("$");
        let here = self.here.seg();
        for seg in self.outer_path().iter().chain([&here]).flatten() {
            match seg {
                Seg::Index(i) => {
                    s.push('[');
                    s.push_str(itoa::Buffer::new().format(*i));
                    s.push(']');
                }
                Seg::Key(at) => {
                    let k = self.key_at(*at);
                    let plain = k
                        .bytes()
                        .next()
                        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'@')
                        && k.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'@');
                    if plain {
                        s.push('.');
                        s.push_str(&k);
                    } else {
                        s.push_str("[\"");
                        for c in k.chars() {
                            match c {
                                '"' => s.push_str("\\\""),
                                '\\' => s.push_str("\\\\"),
                                c => s.push(c),
                            }
                        }
                        s.push_str("\"]");
                    }
                }
            }
        }
        s
    }

    /// The key of the value being read, unescaped (for error messages); empty outside an object.
    fn current_key(&self) -> String {
        match self.here.seg() {
            Some(Seg::Key(at)) => self.key_at(at),
            _ => String::new(),
        }
    }

    /// The key whose opening quote is at `offset`, unescaped (for error messages).
    fn key_at(&self, offset: usize) -> String {
        let mut scratch = Decoder::new(self.text, self.options, false);
        scratch.quiet = true;
        scratch.pos = offset;
        scratch
            .parse_string()
            .map(Cow::into_owned)
            .unwrap_or_default()
    }

    /// Records an error at byte `offset`; `Err(Fatal)` once the cap is passed.
    pub fn error(
        &mut self,
        kind: ErrorKind,
        offset: usize,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> R<()> {
        if self.errors.len() >= self.options.max_errors {
            self.truncated = true;
            return Err(Fatal);
        }
        let (line, column) = if self.positions && !self.quiet {
            line_column(self.input, offset)
        } else {
            (0, 0)
        };
        let path = if self.quiet {
            String::new()
        } else {
            self.path_string()
        };
        self.errors.push(JsonError::new(
            kind,
            path,
            line,
            column,
            expected.into(),
            found.into(),
        ));
        Ok(())
    }

    fn syntax<T>(&mut self, expected: &str) -> R<T> {
        let found = match self.input.get(self.pos) {
            None => "end of input".to_owned(),
            Some(_) => {
                let rest = &self.input[self.pos..];
                let text = String::from_utf8_lossy(&rest[..rest.len().min(12)]);
                format!("`{}`", text.chars().take(10).collect::<String>())
            }
        };
        self.error(ErrorKind::Syntax, self.pos, expected, found)?;
        Err(Fatal)
    }

    /// Describes the value at the current position without consuming it: `string "abc"`.
    pub fn describe_next(&mut self) -> R<String> {
        let start = self.pos;
        let token = self.peek()?;
        let found = match token {
            Token::Null => "null".to_owned(),
            Token::Bool => {
                if self.input[self.pos] == b't' {
                    "true".to_owned()
                } else {
                    "false".to_owned()
                }
            }
            Token::Object => "an object".to_owned(),
            Token::Array => "an array".to_owned(),
            Token::Number => {
                let n = self.parse_number()?;
                format!("number {n}")
            }
            Token::String => {
                let (errors, quiet) = (self.errors.len(), self.quiet);
                self.quiet = true;
                let s = self.parse_string();
                self.quiet = quiet;
                self.errors.truncate(errors);
                match s {
                    Ok(s) => describe_str(&s),
                    Err(Fatal) => {
                        // The decode stops here: read the string again (failing again) so that
                        // the error that stops it is located.
                        self.pos = start;
                        describe_str(&self.parse_string()?)
                    }
                }
            }
        };
        self.pos = start;
        Ok(found)
    }

    /// Records that the next value has the wrong JSON type for `expected`, and skips it.
    pub fn wrong_type<T>(&mut self, expected: &str) -> R<Option<T>> {
        let at = self.pos;
        let found = self.describe_next()?;
        self.error(ErrorKind::WrongType, at, expected, found)?;
        self.skip_value()?;
        Ok(None)
    }

    /// Records an error about a value already read, that started at `offset`.
    pub fn invalid<T>(
        &mut self,
        kind: ErrorKind,
        offset: usize,
        expected: &str,
        found: impl Into<String>,
    ) -> R<Option<T>> {
        self.error(kind, offset, expected, found)?;
        Ok(None)
    }

    // ---- tokens -------------------------------------------------------------------------------

    #[inline]
    fn skip_ws(&mut self) {
        // Compact JSON: the next byte is not whitespace (nor anything at or below a space).
        if self.input.get(self.pos).is_some_and(|&b| b > b' ') {
            return;
        }
        while let Some(&b) = self.input.get(self.pos) {
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// Whether the next value starts with byte `b` (a cheaper test than [`peek`](Self::peek)),
    /// whitespace before it skipped. The byte is looked at first: in compact JSON it is the one
    /// expected, and one test there beat testing for whitespace and then for `b`.
    #[inline(always)]
    pub(crate) fn next_is(&mut self, b: u8) -> bool {
        if self.input.get(self.pos) == Some(&b) {
            return true;
        }
        self.skip_ws();
        self.input.get(self.pos) == Some(&b)
    }

    /// As [`next_is`](Self::next_is), for a byte that is seldom next (`null`, the end of an
    /// empty object): whitespace is skipped before the one test.
    #[inline(always)]
    pub(crate) fn seldom_next_is(&mut self, b: u8) -> bool {
        self.skip_ws();
        self.input.get(self.pos) == Some(&b)
    }

    /// Goes back to byte `offset` (of a value read before) to read it again.
    pub(crate) fn rewind(&mut self, offset: usize) {
        self.pos = offset;
    }

    /// Byte offset of the key whose value is being read: the innermost key on the path (0 if
    /// none). Found here, on the error paths that ask, rather than saved and restored per key.
    pub fn key_offset(&mut self) -> usize {
        if let Some(Seg::Key(at)) = self.here.seg() {
            return at;
        }
        self.outer_path()
            .iter()
            .rev()
            .find_map(|seg| match seg {
                Some(Seg::Key(at)) => Some(*at),
                _ => None,
            })
            .unwrap_or(0)
    }

    /// Byte offset of the next value.
    pub fn offset(&mut self) -> usize {
        self.skip_ws();
        self.pos
    }

    /// The JSON type of the next value (a syntax error if there is none).
    #[inline]
    pub fn peek(&mut self) -> R<Token> {
        self.skip_ws();
        match self.input.get(self.pos) {
            Some(b'"') => Ok(Token::String),
            Some(b'{') => Ok(Token::Object),
            Some(b'[') => Ok(Token::Array),
            Some(b't' | b'f') => Ok(Token::Bool),
            Some(b'n') => Ok(Token::Null),
            Some(b'-' | b'0'..=b'9') => Ok(Token::Number),
            _ => self.syntax("a JSON value"),
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> R<()> {
        if self.input[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            self.syntax(std::str::from_utf8(word).unwrap_or("literal"))
        }
    }

    /// Reads `null`.
    pub fn parse_null(&mut self) -> R<()> {
        self.skip_ws();
        self.literal(b"null")
    }

    /// Reads `true` or `false`.
    pub fn parse_bool(&mut self) -> R<bool> {
        self.skip_ws();
        if self.input.get(self.pos) == Some(&b't') {
            self.literal(b"true").map(|()| true)
        } else {
            self.literal(b"false").map(|()| false)
        }
    }

    /// Reads a number token and returns its text, checked against JSON's grammar.
    pub fn parse_number(&mut self) -> R<&'a str> {
        self.skip_ws();
        let start = self.pos;
        match scan_number(&self.input[start..]) {
            Some(len) => {
                self.pos += len;
                // The grammar is ASCII: these are char boundaries.
                Ok(self.text.get(start..start + len).unwrap_or_default())
            }
            None => self.syntax("a number"),
        }
    }

    /// The fast path of integer fields: a plain decimal number, or a decimal string, of 1-20
    /// digits (with a `-`): its value and length, nothing consumed yet ([`Self::advance`]).
    /// `None` for anything else (fractions, exponents, escapes, leading zeros of a number, more
    /// digits, not an integer at all), which the full reader then takes.
    #[inline]
    pub(crate) fn plain_int(&mut self) -> Option<(i128, usize)> {
        self.skip_ws();
        let rest = self.input.get(self.pos..)?;
        let quoted = rest.first() == Some(&b'"');
        let negative = rest.get(usize::from(quoted)) == Some(&b'-');
        let start = usize::from(quoted) + usize::from(negative);
        let digits = digit_run(rest.get(start..)?);
        if digits == 0 {
            return None;
        }
        let end = start + digits;
        let after = rest.get(end).copied();
        let plain = if quoted {
            after == Some(b'"')
        } else {
            // A number's own grammar: no leading zero, no fraction or exponent after.
            (digits == 1 || rest.get(start) != Some(&b'0'))
                && !matches!(after, Some(b'.' | b'e' | b'E'))
        };
        if !plain {
            return None;
        }
        let magnitude = i128::from(super::kind::parse_digits(&rest[start..end])?);
        let value = if negative { -magnitude } else { magnitude };
        Some((value, end + usize::from(quoted)))
    }

    /// Moves past `len` bytes that a fast path has read.
    #[inline]
    pub(crate) fn advance(&mut self, len: usize) {
        self.pos += len;
    }

    /// Reads a string, unescaping it. A lone surrogate escape is recorded as an error (and
    /// replaced by U+FFFD) without stopping the decode.
    #[inline(always)]
    pub fn parse_string(&mut self) -> R<Cow<'a, str>> {
        if !self.next_is(b'"') {
            return self.not_a_string();
        }
        let start = self.pos;
        let body = start + 1;
        // Fast path: no escapes. Skip clean bytes eight at a time; the first byte that is not
        // clean ends the string if it is its quote.
        let i = body + super::write::clean_prefix(&self.input[body..]);
        if self.input.get(i) == Some(&b'"') {
            self.pos = i + 1;
            // SAFETY: `self.input` is `self.text`'s bytes, valid UTF-8; `body - 1` and `i` hold
            // ASCII `"` bytes (checked above), so `body` (just past one) and `i` are char
            // boundaries, and `body <= i < self.input.len()`.
            return Ok(Cow::Borrowed(unsafe { self.text.get_unchecked(body..i) }));
        }
        self.parse_string_slow(body, i)
    }

    #[cold]
    #[inline(never)]
    fn not_a_string<T>(&mut self) -> R<T> {
        self.syntax("a string")
    }

    /// The rest of [`parse_string`](Self::parse_string) from byte `i` of the string starting at
    /// `body`, the first byte that is not clean and not its closing quote: an escape, a control
    /// character or the end of input.
    #[cold]
    #[inline(never)]
    fn parse_string_slow(&mut self, body: usize, mut i: usize) -> R<Cow<'a, str>> {
        match self.input.get(i) {
            None => {
                self.pos = i;
                return self.syntax("`\"`");
            }
            Some(&b) if b < 0x20 => {
                self.pos = i;
                return self.syntax("an escaped control character");
            }
            _ => {}
        }
        let mut out = Vec::with_capacity(i - body + 16);
        out.extend_from_slice(&self.input[body..i]);
        loop {
            match self.input.get(i) {
                None => {
                    self.pos = i;
                    return self.syntax("`\"`");
                }
                Some(b'"') => {
                    self.pos = i + 1;
                    break;
                }
                Some(b'\\') => {
                    let esc = self.input.get(i + 1).copied();
                    i += 2;
                    let c = match esc {
                        Some(b'"') => b'"',
                        Some(b'\\') => b'\\',
                        Some(b'/') => b'/',
                        Some(b'b') => 0x08,
                        Some(b'f') => 0x0c,
                        Some(b'n') => b'\n',
                        Some(b'r') => b'\r',
                        Some(b't') => b'\t',
                        Some(b'u') => {
                            let at = i - 2;
                            let Some(hi) = self.hex4(i) else {
                                self.pos = i;
                                return self.syntax("four hex digits");
                            };
                            i += 4;
                            let ch = if (0xD800..0xDC00).contains(&hi) {
                                let lo = if self.input.get(i..i + 2) == Some(b"\\u") {
                                    self.hex4(i + 2)
                                } else {
                                    None
                                };
                                match lo {
                                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                        i += 6;
                                        char::from_u32(
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                    }
                                    _ => None,
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            let ch = match ch {
                                Some(ch) => ch,
                                None => {
                                    self.error(
                                        ErrorKind::InvalidValue,
                                        at,
                                        "a string without lone surrogates",
                                        format!(
                                            "`\\u{}`",
                                            String::from_utf8_lossy(&self.input[at + 2..at + 6])
                                        ),
                                    )?;
                                    char::REPLACEMENT_CHARACTER
                                }
                            };
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            continue;
                        }
                        _ => {
                            self.pos = i - 1;
                            return self.syntax("an escape sequence");
                        }
                    };
                    out.push(c);
                }
                Some(&b) if b < 0x20 => {
                    self.pos = i;
                    return self.syntax("an escaped control character");
                }
                Some(_) => {
                    // Copy the run up to the next quote or backslash.
                    let run = self.input[i..]
                        .iter()
                        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                        .unwrap_or(self.input.len() - i);
                    out.extend_from_slice(&self.input[i..i + run]);
                    i += run;
                }
            }
        }
        // Built from valid UTF-8 runs and encoded chars.
        Ok(Cow::Owned(String::from_utf8(out).unwrap_or_default()))
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.input.get(at..at + 4)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + (d as char).to_digit(16)?;
        }
        Some(v)
    }

    #[inline]
    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        // One test on the way in: both limits below are past `checked_depth`.
        if self.depth > self.checked_depth {
            return self.enter_deep();
        }
        Ok(())
    }

    /// [`enter`](Self::enter) past `max_depth` or past the default depth.
    #[cold]
    #[inline(never)]
    fn enter_deep(&mut self) -> R<()> {
        if self.depth > self.options.max_depth {
            return self.too_deep(false);
        }
        // Past the default depth, the limit was raised: the input decides how deep the decoder
        // recurses, so make sure the stack holds it (see `stack.rs`).
        if crate::stack::nearly_exhausted() {
            return self.too_deep(true);
        }
        Ok(())
    }

    /// Nesting past `max_depth`, or past what the stack holds.
    #[cold]
    #[inline(never)]
    fn too_deep(&mut self, stack: bool) -> R<()> {
        let at = self.pos;
        let expected = if stack {
            "nesting the thread's stack can hold".to_owned()
        } else {
            format!(
                "at most {} nested objects and arrays",
                self.options.max_depth
            )
        };
        self.error(ErrorKind::DepthLimit, at, expected, "deeper nesting")?;
        Err(Fatal)
    }

    /// Reads an object, calling `f` with each key (unescaped) and the decoder positioned at its
    /// value, which `f` must consume. The key is on the path while `f` runs.
    pub fn object(&mut self, mut f: impl FnMut(&mut Self, &str) -> R<()>) -> R<()> {
        if self.open(b'{', b'}', "`{`")? {
            return Ok(());
        }
        let outer = self.here;
        loop {
            if !self.next_is(b'"') {
                return self.between_members("a key string");
            }
            let key_pos = self.pos;
            self.here = Here::NONE;
            let key = self.parse_string()?;
            self.key_colon(key_pos)?;
            f(self, &key)?;
            if self.next_item(b'}', "`,` or `}`")? {
                self.here = outer;
                return Ok(());
            }
        }
    }

    /// Enters an object or array at its opening byte; `true` (and left) when it is empty.
    #[inline(always)]
    fn open(&mut self, open: u8, close: u8, expected: &str) -> R<bool> {
        if !self.next_is(open) {
            return self.syntax(expected);
        }
        self.enter()?;
        self.pos += 1;
        if self.seldom_next_is(close) {
            self.pos += 1;
            self.depth -= 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// After a member or element: `false` at a comma, `true` (and left) at `close`.
    #[inline]
    fn next_item(&mut self, close: u8, expected: &str) -> R<bool> {
        // A comma right after the value, the usual case, in one test.
        if self.input.get(self.pos) == Some(&b',') {
            self.pos += 1;
            return Ok(false);
        }
        // The byte first, whitespace only if it is neither (see `next_is`).
        if !matches!(self.input.get(self.pos), Some(&b) if b == b',' || b == close) {
            self.skip_ws();
        }
        match self.input.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                Ok(false)
            }
            Some(&b) if b == close => {
                self.pos += 1;
                self.depth -= 1;
                Ok(true)
            }
            // An object's member is over; an array's element stays on the path.
            _ if close == b'}' => self.between_members(expected),
            _ => self.syntax(expected),
        }
    }

    /// A syntax error between the members of an object: `here` (the last member, which is
    /// cleared here rather than after every member) is not on its path.
    #[cold]
    #[inline(never)]
    fn between_members<T>(&mut self, expected: &str) -> R<T> {
        self.here = Here::NONE;
        self.syntax(expected)
    }

    /// Reads an array, calling `f` for each element with the decoder positioned at it.
    pub fn array(&mut self, mut f: impl FnMut(&mut Self) -> R<()>) -> R<()> {
        if self.open(b'[', b']', "`[`")? {
            return Ok(());
        }
        let outer = self.here;
        let mut index = 0;
        loop {
            self.here = Here::index(index);
            f(self)?;
            index += 1;
            if self.next_item(b']', "`,` or `]`")? {
                self.here = outer;
                return Ok(());
            }
        }
    }

    /// Skips one value, checking its syntax.
    pub fn skip_value(&mut self) -> R<()> {
        match self.peek()? {
            Token::Null => self.parse_null(),
            Token::Bool => self.parse_bool().map(drop),
            Token::Number => self.parse_number().map(drop),
            Token::String => {
                // Errors inside a skipped string (lone surrogates) still count: it is input.
                self.parse_string().map(drop)
            }
            Token::Array => self.array(|d| d.skip_value()),
            Token::Object => self.object(|d, _| d.skip_value()),
        }
    }

    // ---- messages and fields --------------------------------------------------------------------

    /// Reads a message object (`None` if the value was not an object: the error is recorded).
    pub fn read_message<M: JsonMessage>(&mut self) -> R<Option<M>> {
        if !self.next_is(b'{') {
            // Not an object: the wrong type, or a syntax error (which `wrong_type` reports).
            return self.wrong_type(&format!("an object ({})", M::TYPE_NAME));
        }
        let mut message = M::default();
        self.merge_message(&mut message)?;
        Ok(Some(message))
    }

    /// As [`read_message`](Self::read_message), into the message `place` puts where it is kept
    /// (a default one); `place` is not called if the value is not an object.
    #[inline(always)]
    pub(crate) fn read_message_placed<'m, M: JsonMessage + 'm>(
        &mut self,
        place: impl FnOnce() -> &'m mut M,
    ) -> R<()> {
        if !self.next_is(b'{') {
            return self.not_an_object::<M>().map(drop);
        }
        self.merge_message(place())
    }

    /// As [`read_message`](Self::read_message), into `message`: `false` if the value was not an
    /// object (`message` is then unchanged).
    fn read_message_into<M: JsonMessage>(&mut self, message: &mut M) -> R<bool> {
        if !self.next_is(b'{') {
            return self.not_an_object::<M>();
        }
        self.merge_message(message)?;
        Ok(true)
    }

    /// Not an object where message `M` was expected: the wrong type, or a syntax error (which
    /// `wrong_type` reports).
    #[cold]
    #[inline(never)]
    fn not_an_object<M: JsonMessage>(&mut self) -> R<bool> {
        self.wrong_type::<()>(&format!("an object ({})", M::TYPE_NAME))
            .map(|_| false)
    }

    /// Reads the fields of a message object into `message`, skipping the keys in `skip`.
    pub(crate) fn merge_message_skipping<M: JsonMessage>(
        &mut self,
        message: &mut M,
        skip: Option<&str>,
    ) -> R<()> {
        self.in_message::<M>(|d| {
            d.object(|d, key| {
                if Some(key) == skip {
                    return d.skip_value();
                }
                if !message.merge_field(key, d)? {
                    d.unknown_field(M::TYPE_NAME)?;
                }
                Ok(())
            })
        })
    }

    /// Reads the fields of a message object into `message`.
    pub fn merge_message<M: JsonMessage>(&mut self, message: &mut M) -> R<()> {
        self.in_message::<M>(|d| d.message_object(message))
    }

    /// Runs `read` over an object of message `M`, with slot bits of its own.
    #[inline(always)]
    fn in_message<M: JsonMessage>(&mut self, read: impl FnOnce(&mut Self) -> R<()>) -> R<()> {
        let saved_low = std::mem::take(&mut self.seen_low);
        let base = self.seen.len();
        let saved_base = self.seen_base;
        if M::SLOTS > 64 {
            self.seen.resize(base + M::SLOTS.div_ceil(64) - 1, 0);
            self.seen_base = base;
        }
        read(self)?;
        self.seen_low = saved_low;
        if M::SLOTS > 64 {
            self.seen_base = saved_base;
            self.seen.truncate(base);
        }
        Ok(())
    }

    /// [`object`](Self::object) for a message's fields: a key written without escapes that names
    /// a field, with its colon, is matched on its raw bytes ([`JsonMessage::raw_field`]); any
    /// other is read in full and looked up by name. A loop of its own rather than `object` with
    /// a callback: `object` hands its callback a parsed key, which the raw match is there to
    /// avoid.
    fn message_object<M: JsonMessage>(&mut self, message: &mut M) -> R<()> {
        if self.open(b'{', b'}', "`{`")? {
            return Ok(());
        }
        let outer = self.here;
        loop {
            if !self.next_is(b'"') {
                return self.between_members("a key string");
            }
            let key_pos = self.pos;
            if let Some((field, len)) = M::raw_field(&self.input[key_pos + 1..]) {
                self.pos = key_pos + 1 + len;
                self.here = Here::key(key_pos);
                message.merge_field_at(field, self)?;
            } else {
                self.here = Here::NONE;
                let key = self.parse_string()?;
                self.key_colon(key_pos)?;
                if !message.merge_field(&key, self)? {
                    self.unknown_field(M::TYPE_NAME)?;
                }
            }
            if self.next_item(b'}', "`,` or `}`")? {
                self.here = outer;
                return Ok(());
            }
        }
    }

    /// The `:` after the key at `key_pos`, which then is the member being read.
    #[inline(always)]
    fn key_colon(&mut self, key_pos: usize) -> R<()> {
        if !self.next_is(b':') {
            return self.syntax("`:`");
        }
        self.pos += 1;
        self.here = Here::key(key_pos);
        Ok(())
    }

    /// The value of the current key names no field of `type_name`: an error, or skipped and
    /// remembered with `ignore_unknown_fields`.
    pub fn unknown_field(&mut self, type_name: &str) -> R<()> {
        if self.options.ignore_unknown_fields {
            let path = self.path_string();
            self.unused.push(path);
        } else {
            let key = self.current_key();
            let at = self.key_offset();
            self.error(
                ErrorKind::UnknownField,
                at,
                format!("a field of {type_name}"),
                format!("key {}", describe_str(&key).trim_start_matches("string ")),
            )?;
        }
        self.skip_value()
    }

    /// The word of the open object's slot bits that holds `slot`.
    #[inline(always)]
    fn seen_word(&mut self, slot: usize) -> &mut u64 {
        match slot / 64 {
            0 => &mut self.seen_low,
            n => &mut self.seen[self.seen_base + n - 1],
        }
    }

    /// Marks `slot` given; a duplicate is recorded, its value skipped, and `false` returned.
    #[inline]
    fn mark(&mut self, slot: usize) -> R<bool> {
        let word = self.seen_word(slot);
        let bit = 1u64 << (slot % 64);
        if *word & bit != 0 {
            return self.duplicate();
        }
        *word |= bit;
        Ok(true)
    }

    /// The current key's field was given before: recorded, and its value skipped.
    #[cold]
    #[inline(never)]
    fn duplicate(&mut self) -> R<bool> {
        let key = self.current_key();
        let at = self.key_offset();
        self.error(
            ErrorKind::DuplicateField,
            at,
            "each field at most once (under its JSON or its proto name)",
            format!("`{key}` again"),
        )?;
        self.skip_value()?;
        Ok(false)
    }

    /// `null` for a kind that has no null value: consumed, and `true` (the field stays unset).
    #[inline]
    fn take_null<K: super::kind::Kind>(&mut self) -> R<bool> {
        // Only `null` starts with `n`; anything else (or nothing) is left to `K::read`.
        if !K::NULLABLE && self.seldom_next_is(b'n') {
            self.parse_null()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// The value of field slot `slot`: `None` when the field was given before, is `null`, or its
    /// value is invalid (the error is recorded).
    #[inline(always)]
    fn value<K: super::kind::Kind>(&mut self, slot: usize) -> R<Option<K::Value>> {
        if !self.given::<K>(slot)? {
            return Ok(None);
        }
        K::read(self)
    }

    /// Whether field slot `slot` has a value to read: not given before, and not `null`.
    #[inline(always)]
    fn given<K: super::kind::Kind>(&mut self, slot: usize) -> R<bool> {
        Ok(self.mark(slot)? && !self.take_null::<K>()?)
    }

    /// A field without presence (or a repeated field or map): field slot `slot`.
    #[inline(always)]
    pub fn field<K: super::kind::Kind>(&mut self, slot: usize, target: &mut K::Value) -> R<()> {
        if let Some(v) = self.value::<K>(slot)? {
            *target = v;
        }
        Ok(())
    }

    /// A field with presence held in an `Option`.
    #[inline]
    pub fn optional<K: super::kind::Kind>(
        &mut self,
        slot: usize,
        target: &mut Option<K::Value>,
    ) -> R<()> {
        if !self.given::<K>(slot)? {
            return Ok(());
        }
        K::read_optional(self, target)
    }

    /// A boxed message field.
    #[inline]
    pub fn boxed<K: super::kind::Kind>(
        &mut self,
        slot: usize,
        target: &mut Option<Box<K::Value>>,
    ) -> R<()> {
        if let Some(v) = self.value::<K>(slot)? {
            *target = Some(Box::new(v));
        }
        Ok(())
    }

    /// A member of a oneof: field slot `slot`, the oneof's slot `oneof_slot`, set through `wrap`.
    pub fn oneof<K: super::kind::Kind, O>(
        &mut self,
        slot: usize,
        oneof_slot: usize,
        target: &mut Option<O>,
        wrap: impl FnOnce(K::Value) -> O,
    ) -> R<()> {
        if !self.mark(slot)? || self.take_null::<K>()? {
            return Ok(());
        }
        let bit = 1u64 << (oneof_slot % 64);
        if *self.seen_word(oneof_slot) & bit != 0 {
            let key = self.current_key();
            let at = self.key_offset();
            self.error(
                ErrorKind::OneofConflict,
                at,
                "at most one member of the oneof",
                format!("`{key}` as a second member"),
            )?;
            return self.skip_value();
        }
        *self.seen_word(oneof_slot) |= bit;
        if let Some(v) = K::read(self)? {
            *target = Some(wrap(v));
        }
        Ok(())
    }
}

/// How many ASCII digits `bytes` starts with, counted eight at a time up to 24 (more is more than
/// an integer field can hold, and is left to the full reader).
#[inline]
fn digit_run(bytes: &[u8]) -> usize {
    const NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..).and_then(|b| b.first_chunk::<8>()) {
        let x = u64::from_le_bytes(*chunk);
        // Non-zero bytes where a byte is not 0x30-0x39 (see `kind::eight_digits`): exact for
        // the lowest one, which is all that is used.
        let off = ((x & NIBBLES) ^ 0x3030_3030_3030_3030)
            | ((x.wrapping_add(0x0606_0606_0606_0606) & NIBBLES) ^ 0x3030_3030_3030_3030);
        let nonzero = (((off & LOW7) + LOW7) | off) & !LOW7;
        if nonzero != 0 {
            return n + (nonzero.trailing_zeros() / 8) as usize;
        }
        n += 8;
        if n >= 24 {
            return n;
        }
    }
    n + bytes[n..].iter().take_while(|b| b.is_ascii_digit()).count()
}

/// `string "abc"`, shortened past 40 characters.
pub(crate) fn describe_str(s: &str) -> String {
    let mut out = String::from("string \"");
    for (i, c) in s.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Length of the JSON number at the start of `b` (RFC 8259 grammar), or `None`.
pub(crate) fn scan_number(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while matches!(b.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while matches!(b.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    Some(i)
}

/// `s` is exactly one JSON number.
pub(crate) fn is_json_number(s: &str) -> bool {
    scan_number(s.as_bytes()) == Some(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_run_counts_leading_digits() {
        let mut next = crate::json::xorshift();
        const ODD: &[u8] = b"/:\"-.e \x00\x7f\xff\xfa\xc9";
        for _ in 0..200_000 {
            let len = (next() % 30) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| match next() % 16 {
                    0 => ODD[(next() % ODD.len() as u64) as usize],
                    _ => b'0' + (next() % 10) as u8,
                })
                .collect();
            let naive = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            let run = digit_run(&bytes);
            assert!(
                run == naive || (naive >= 24 && run >= 24),
                "{bytes:?}: {run} vs {naive}"
            );
        }
    }
}
