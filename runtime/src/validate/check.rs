//! The standard rules, one function each, with protovalidate's rule ids and messages.
//!
//! Every function takes the violations so far (`ctx`), the field's `path`, and `at`: the rule
//! path of the rules' family below `FieldRules` (`string`, `repeated.items.string`,
//! `map.values.int32`). The family is `at`'s last segment; a violation of rule `min_len`
//! reports rule path `<at>.min_len` and id `<family>.min_len`. Ids and messages are built only
//! when a rule fails.

use std::fmt::{self, Display};

use super::{Ctx, Path};

#[cold]
fn fail(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    rule: &str,
    id: &str,
    message: fmt::Arguments<'_>,
) {
    if ctx.done() {
        return;
    }
    let family = at.rsplit('.').next().unwrap_or(at);
    ctx.violation_owned(Some(path), dotted(at, rule), dotted(family, id), message);
}

/// `a.b`, allocated once at its exact size.
fn dotted(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + 1 + b.len());
    s.push_str(a);
    s.push('.');
    s.push_str(b);
    s
}

/// A list as protovalidate prints it: `[1, 2, 3]`.
pub struct List<'a, T>(pub &'a [T]);

impl<T: Display> Display for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{v}")?;
        }
        f.write_str("]")
    }
}

/// `field is required`: a field with presence that is unset, or one without presence that
/// holds its zero value (an empty list or map included).
#[cold]
pub fn required(ctx: &mut Ctx, path: &Path<'_>) {
    ctx.violation(
        Some(path),
        "required",
        "required",
        format_args!("value is required"),
    );
}

// ---- numbers, durations, timestamps -------------------------------------------------------

#[inline]
pub fn constant<T: PartialEq + Display>(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    value: T,
    expected: T,
) {
    if value != expected {
        fail(
            ctx,
            path,
            at,
            "const",
            "const",
            format_args!("must equal {expected}"),
        );
    }
}

/// `gt`/`gte` and `lt`/`lte`, alone or together; with both and `upper < lower` the value must lie
/// outside the two (the `_exclusive` ids). NaN fails every range, as in protovalidate.
#[inline]
pub fn range<T: PartialOrd + Display + Copy>(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    value: T,
    lower: Option<(T, bool)>,
    upper: Option<(T, bool)>,
) {
    let above = |(lo, inclusive): (T, bool)| if inclusive { value >= lo } else { value > lo };
    let below = |(hi, inclusive): (T, bool)| if inclusive { value <= hi } else { value < hi };
    let ok = match (lower, upper) {
        (Some(lo), Some(hi)) if hi.0 >= lo.0 => above(lo) && below(hi),
        (Some(lo), Some(hi)) => above(lo) || below(hi),
        (Some(lo), None) => above(lo),
        (None, Some(hi)) => below(hi),
        (None, None) => true,
    };
    if !ok {
        range_failed(ctx, path, at, lower, upper);
    }
}

#[cold]
fn range_failed<T: PartialOrd + Display + Copy>(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    lower: Option<(T, bool)>,
    upper: Option<(T, bool)>,
) {
    let lo_name = |inclusive| if inclusive { "gte" } else { "gt" };
    let hi_name = |inclusive| if inclusive { "lte" } else { "lt" };
    let lo_text = |inclusive| {
        if inclusive {
            "greater than or equal to"
        } else {
            "greater than"
        }
    };
    let hi_text = |inclusive| {
        if inclusive {
            "less than or equal to"
        } else {
            "less than"
        }
    };
    match (lower, upper) {
        (Some((lo, li)), Some((hi, hu))) => {
            let exclusive = hi < lo;
            let id = format!(
                "{}_{}{}",
                lo_name(li),
                hi_name(hu),
                if exclusive { "_exclusive" } else { "" }
            );
            let joiner = if exclusive { "or" } else { "and" };
            fail(
                ctx,
                path,
                at,
                lo_name(li),
                &id,
                format_args!("must be {} {lo} {joiner} {} {hi}", lo_text(li), hi_text(hu)),
            );
        }
        (Some((lo, li)), None) => fail(
            ctx,
            path,
            at,
            lo_name(li),
            lo_name(li),
            format_args!("must be {} {lo}", lo_text(li)),
        ),
        (None, Some((hi, hu))) => fail(
            ctx,
            path,
            at,
            hi_name(hu),
            hi_name(hu),
            format_args!("must be {} {hi}", hi_text(hu)),
        ),
        (None, None) => {}
    }
}

#[inline]
pub fn in_list<T: PartialEq + Display>(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    value: &T,
    list: &[T],
) {
    if !list.contains(value) {
        membership_failed(ctx, path, at, false, &List(list));
    }
}

#[inline]
pub fn not_in_list<T: PartialEq + Display>(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    value: &T,
    list: &[T],
) {
    if list.contains(value) {
        membership_failed(ctx, path, at, true, &List(list));
    }
}

/// An `in` (or, `negate`d, `not_in`) rule failed; `list` is printed as protovalidate does.
#[cold]
fn membership_failed(ctx: &mut Ctx, path: &Path<'_>, at: &str, negate: bool, list: &dyn Display) {
    let (name, text) = if negate {
        ("not_in", "must not be in list")
    } else {
        ("in", "must be in list")
    };
    fail(ctx, path, at, name, name, format_args!("{text} {list}"));
}

#[inline]
pub fn finite(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: f64) {
    if !value.is_finite() {
        fail(
            ctx,
            path,
            at,
            "finite",
            "finite",
            format_args!("must be finite"),
        );
    }
}

// ---- strings ------------------------------------------------------------------------------

/// A string value printed inside backquotes, as protovalidate's messages do.
#[inline]
pub fn string_const(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: &str, expected: &str) {
    if value != expected {
        fail(
            ctx,
            path,
            at,
            "const",
            "const",
            format_args!("must equal `{expected}`"),
        );
    }
}

/// `len`, `min_len`, `max_len` (in characters) or `len_bytes`, `min_bytes`, `max_bytes`.
#[derive(Clone, Copy, Debug)]
pub enum Length {
    Len,
    MinLen,
    MaxLen,
    LenBytes,
    MinBytes,
    MaxBytes,
}

#[inline]
pub fn string_length(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: &str, rule: Length, n: u64) {
    let actual = match rule {
        Length::Len | Length::MinLen | Length::MaxLen => char_count(value),
        _ => value.len() as u64,
    };
    if !length_ok(rule, actual, n) {
        let (name, text, unit) = length_text(rule);
        fail(
            ctx,
            path,
            at,
            name,
            name,
            format_args!("must be {text}{n} {unit}"),
        );
    }
}

/// Characters (Unicode scalar values), counted without decoding: every byte that does not
/// continue a UTF-8 sequence starts a character.
#[inline]
fn char_count(s: &str) -> u64 {
    if s.is_ascii() {
        return s.len() as u64;
    }
    s.bytes().filter(|&b| (b as i8) >= -0x40).count() as u64
}

fn length_ok(rule: Length, actual: u64, n: u64) -> bool {
    match rule {
        Length::Len | Length::LenBytes => actual == n,
        Length::MinLen | Length::MinBytes => actual >= n,
        Length::MaxLen | Length::MaxBytes => actual <= n,
    }
}

fn length_text(rule: Length) -> (&'static str, &'static str, &'static str) {
    match rule {
        Length::Len => ("len", "", "characters"),
        Length::MinLen => ("min_len", "at least ", "characters"),
        Length::MaxLen => ("max_len", "at most ", "characters"),
        Length::LenBytes => ("len_bytes", "", "bytes"),
        Length::MinBytes => ("min_bytes", "at least ", "bytes"),
        Length::MaxBytes => ("max_bytes", "at most ", "bytes"),
    }
}

#[inline]
pub fn pattern(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: &str, regex: &regex::Regex) {
    if !regex.is_match(value) {
        fail(
            ctx,
            path,
            at,
            "pattern",
            "pattern",
            format_args!("does not match regex pattern `{}`", regex.as_str()),
        );
    }
}

/// `prefix`, `suffix`, `contains` and `not_contains` on strings.
#[derive(Clone, Copy, Debug)]
pub enum Affix {
    Prefix,
    Suffix,
    Contains,
    NotContains,
}

#[inline]
pub fn string_affix(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    value: &str,
    rule: Affix,
    part: &str,
) {
    let ok = match rule {
        Affix::Prefix => value.starts_with(part),
        Affix::Suffix => value.ends_with(part),
        Affix::Contains => value.contains(part),
        Affix::NotContains => !value.contains(part),
    };
    if !ok {
        let (name, text) = affix_text(rule);
        fail(ctx, path, at, name, name, format_args!("{text} `{part}`"));
    }
}

fn affix_text(rule: Affix) -> (&'static str, &'static str) {
    match rule {
        Affix::Prefix => ("prefix", "does not have prefix"),
        Affix::Suffix => ("suffix", "does not have suffix"),
        Affix::Contains => ("contains", "does not contain substring"),
        Affix::NotContains => ("not_contains", "contains substring"),
    }
}

/// A well-known string format. `name` is the rule (`email`); `what` completes "must be a valid
/// …"; `empty_ok` for the formats an empty string satisfies (`uri_ref`, HTTP header values).
#[derive(Clone, Copy, Debug)]
pub struct Format {
    pub name: &'static str,
    pub id: &'static str,
    pub what: &'static str,
    pub empty_what: &'static str,
    pub check: fn(&str) -> bool,
    pub empty_ok: bool,
}

#[inline]
pub fn string_format(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: &str, format: &Format) {
    if value.is_empty() && !format.empty_ok {
        let id = format!("{}_empty", format.id);
        fail(
            ctx,
            path,
            at,
            format.name,
            &id,
            format_args!("value is empty, which is not a valid {}", format.empty_what),
        );
    } else if !(format.check)(value) {
        fail(
            ctx,
            path,
            at,
            format.name,
            format.id,
            format_args!("must be a valid {}", format.what),
        );
    }
}

#[inline]
pub fn string_in(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    value: &str,
    list: &[&str],
    negate: bool,
) {
    if list.contains(&value) == negate {
        membership_failed(ctx, path, at, negate, &List(list));
    }
}

// ---- bytes --------------------------------------------------------------------------------

/// Bytes printed as protovalidate's `%x`: lowercase hex.
pub struct Hex<'a>(pub &'a [u8]);

impl Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

#[inline]
pub fn bytes_const(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: &[u8], expected: &[u8]) {
    if value != expected {
        fail(
            ctx,
            path,
            at,
            "const",
            "const",
            format_args!("must be {}", Hex(expected)),
        );
    }
}

/// `len`, `min_len`, `max_len` of bytes (pass `Length::Len`/`MinLen`/`MaxLen`).
#[inline]
pub fn bytes_length(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: &[u8], rule: Length, n: u64) {
    if !length_ok(rule, value.len() as u64, n) {
        let (name, text, _) = length_text(rule);
        fail(
            ctx,
            path,
            at,
            name,
            name,
            format_args!("must be {text}{n} bytes"),
        );
    }
}

#[inline]
pub fn bytes_pattern(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: &[u8], regex: &regex::Regex) {
    let ok = std::str::from_utf8(value).is_ok_and(|s| regex.is_match(s));
    if !ok {
        fail(
            ctx,
            path,
            at,
            "pattern",
            "pattern",
            format_args!("must match regex pattern `{}`", regex.as_str()),
        );
    }
}

#[inline]
pub fn bytes_affix(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    value: &[u8],
    rule: Affix,
    part: &[u8],
) {
    let ok = match rule {
        Affix::Prefix => value.starts_with(part),
        Affix::Suffix => value.ends_with(part),
        Affix::Contains => part.is_empty() || value.windows(part.len()).any(|w| w == part),
        Affix::NotContains => !(part.is_empty() || value.windows(part.len()).any(|w| w == part)),
    };
    if !ok {
        let (name, text) = match rule {
            Affix::Contains => ("contains", "does not contain"),
            other => affix_text(other),
        };
        fail(
            ctx,
            path,
            at,
            name,
            name,
            format_args!("{text} {}", Hex(part)),
        );
    }
}

#[inline]
pub fn bytes_in(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    value: &[u8],
    list: &[&[u8]],
    negate: bool,
) {
    if list.contains(&value) == negate {
        // protovalidate prints the list's bytes as text.
        let items: Vec<_> = list.iter().map(|b| String::from_utf8_lossy(b)).collect();
        membership_failed(ctx, path, at, negate, &List(&items));
    }
}

/// `ip` (4 or 16 bytes), `ipv4`, `ipv6`, `uuid` (16 bytes) on bytes.
#[inline]
pub fn bytes_format(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: &[u8], name: &'static str) {
    let (ok, what) = match name {
        "ip" => (value.len() == 4 || value.len() == 16, "IP address"),
        "ipv4" => (value.len() == 4, "IPv4 address"),
        "ipv6" => (value.len() == 16, "IPv6 address"),
        _ => (value.len() == 16, "UUID"),
    };
    if value.is_empty() {
        let id = format!("{name}_empty");
        fail(
            ctx,
            path,
            at,
            name,
            &id,
            format_args!("value is empty, which is not a valid {what}"),
        );
    } else if !ok {
        fail(
            ctx,
            path,
            at,
            name,
            name,
            format_args!("must be a valid {what}"),
        );
    }
}

// ---- enums, repeated, maps ----------------------------------------------------------------

#[inline]
pub fn defined_only(ctx: &mut Ctx, path: &Path<'_>, at: &str, defined: bool) {
    if !defined {
        fail(
            ctx,
            path,
            at,
            "defined_only",
            "defined_only",
            format_args!("value must be one of the defined enum values"),
        );
    }
}

#[inline]
pub fn min_items(ctx: &mut Ctx, path: &Path<'_>, at: &str, len: usize, n: u64) {
    if (len as u64) < n {
        fail(
            ctx,
            path,
            at,
            "min_items",
            "min_items",
            format_args!("must contain at least {n} item(s)"),
        );
    }
}

#[inline]
pub fn max_items(ctx: &mut Ctx, path: &Path<'_>, at: &str, len: usize, n: u64) {
    if (len as u64) > n {
        fail(
            ctx,
            path,
            at,
            "max_items",
            "max_items",
            format_args!("must contain no more than {n} item(s)"),
        );
    }
}

/// `repeated.unique`: pairwise for up to 64 items (no allocation, and faster than hashing at
/// that size), then a sort of the borrowed items, which allocates one `Vec`.
#[inline]
pub fn unique<T: PartialOrd>(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    items: impl Iterator<Item = T> + Clone,
) {
    if !all_unique(items) {
        fail(
            ctx,
            path,
            at,
            "unique",
            "unique",
            format_args!("repeated value must contain unique items"),
        );
    }
}

fn all_unique<T: PartialOrd>(items: impl Iterator<Item = T> + Clone) -> bool {
    const LINEAR: usize = 64;
    if items.clone().nth(LINEAR).is_none() {
        let mut rest = items.clone();
        while let Some(item) = rest.next() {
            if rest.clone().any(|other| other == item) {
                return false;
            }
        }
        return true;
    }
    let mut sorted: Vec<T> = items.collect();
    // NaN never equals itself, as in protovalidate: incomparable pairs count as distinct.
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Less));
    !sorted.windows(2).any(|w| w[0] == w[1])
}

#[inline]
pub fn min_pairs(ctx: &mut Ctx, path: &Path<'_>, at: &str, len: usize, n: u64) {
    if (len as u64) < n {
        fail(
            ctx,
            path,
            at,
            "min_pairs",
            "min_pairs",
            format_args!("map must be at least {n} entries"),
        );
    }
}

#[inline]
pub fn max_pairs(ctx: &mut Ctx, path: &Path<'_>, at: &str, len: usize, n: u64) {
    if (len as u64) > n {
        fail(
            ctx,
            path,
            at,
            "max_pairs",
            "max_pairs",
            format_args!("map must be at most {n} entries"),
        );
    }
}

// ---- oneofs -------------------------------------------------------------------------------

/// A required real `oneof` with no member set.
#[cold]
pub fn oneof_required(ctx: &mut Ctx, parent: Option<&Path<'_>>, name: &'static str) {
    let path = Path::field(parent, name, 0);
    // protovalidate gives this violation no rule path.
    ctx.violation(
        Some(&path),
        "",
        "required",
        format_args!("exactly one field is required in oneof"),
    );
}

/// protovalidate's message-level `oneof` rule over the fields `names`; `set` says which are set.
#[inline]
pub fn message_oneof(
    ctx: &mut Ctx,
    parent: Option<&Path<'_>>,
    names: &[&str],
    set: &[bool],
    required: bool,
) {
    let set = set.iter().filter(|s| **s).count();
    if set > 1 {
        message_oneof_failed(
            ctx,
            parent,
            format_args!("only one of {} can be set", names.join(", ")),
        );
    } else if set == 0 && required {
        message_oneof_failed(
            ctx,
            parent,
            format_args!("one of {} must be set", names.join(", ")),
        );
    }
}

#[cold]
fn message_oneof_failed(ctx: &mut Ctx, parent: Option<&Path<'_>>, message: fmt::Arguments<'_>) {
    // protovalidate gives this violation no rule path.
    ctx.violation(parent, "", "message.oneof", message);
}

// ---- well-known types ---------------------------------------------------------------------

/// `any.in` / `any.not_in` on the type URL.
#[inline]
pub fn any_in(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    type_url: &str,
    list: &[&str],
    negate: bool,
) {
    if list.contains(&type_url) == negate {
        let (name, message) = if negate {
            ("not_in", "type URL must not be in the block list")
        } else {
            ("in", "type URL must be in the allow list")
        };
        fail(ctx, path, at, name, name, format_args!("{message}"));
    }
}

/// A `Duration` or `Timestamp` value, ordered and printed as protovalidate prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds {
    pub seconds: i64,
    pub nanos: i32,
}

/// Prints a duration the way CEL's `string(duration)` does: `1.5s`, `-0.000000001s`, `60s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub Seconds);

impl Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Seconds { seconds, nanos } = self.0;
        let negative = seconds < 0 || nanos < 0;
        let (s, n) = (seconds.unsigned_abs(), nanos.unsigned_abs());
        let sign = if negative { "-" } else { "" };
        if n == 0 {
            return write!(f, "{sign}{s}s");
        }
        let frac = format!("{n:09}");
        write!(f, "{sign}{s}.{}s", frac.trim_end_matches('0'))
    }
}

/// Prints a timestamp as RFC 3339 in UTC: `2024-05-01T12:00:00Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub Seconds);

impl Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Seconds { seconds, nanos } = self.0;
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )?;
        if nanos != 0 {
            let frac = format!("{:09}", nanos.unsigned_abs());
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The current time, for `lt_now`, `gt_now` and `within`.
pub fn now() -> Seconds {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Seconds {
        seconds: since.as_secs() as i64,
        nanos: since.subsec_nanos() as i32,
    }
}

/// `timestamp.lt_now` (`before == true`) or `timestamp.gt_now`.
#[inline]
pub fn timestamp_now(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: Seconds, before: bool) {
    let now = now();
    if before && value >= now {
        fail(
            ctx,
            path,
            at,
            "lt_now",
            "lt_now",
            format_args!("must be less than now"),
        );
    } else if !before && value <= now {
        fail(
            ctx,
            path,
            at,
            "gt_now",
            "gt_now",
            format_args!("must be greater than now"),
        );
    }
}

/// `timestamp.within`: no further than `within` from now, either side.
#[inline]
pub fn timestamp_within(ctx: &mut Ctx, path: &Path<'_>, at: &str, value: Seconds, within: Seconds) {
    let as_nanos = |s: Seconds| i128::from(s.seconds) * 1_000_000_000 + i128::from(s.nanos);
    let distance = (as_nanos(value) - as_nanos(now())).abs();
    if distance > as_nanos(within) {
        fail(
            ctx,
            path,
            at,
            "within",
            "within",
            format_args!("must be within {} of now", Duration(within)),
        );
    }
}

/// `field_mask.const`, `in` and `not_in`.
#[inline]
pub fn field_mask(
    ctx: &mut Ctx,
    path: &Path<'_>,
    at: &str,
    paths: &[String],
    rule: &'static str,
    list: &[&str],
) {
    let covered = |p: &str| {
        list.iter().any(|allowed| {
            p == *allowed
                || p.strip_prefix(allowed)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let ok = match rule {
        "const" => paths.len() == list.len() && paths.iter().zip(list).all(|(a, b)| a == b),
        "in" => paths.iter().all(|p| covered(p)),
        _ => !paths.iter().any(|p| covered(p)),
    };
    if !ok {
        let list = List(list);
        let text = match rule {
            "const" => "must equal paths",
            "in" => "must only contain paths in",
            _ => "must not contain any paths in",
        };
        fail(ctx, path, at, rule, rule, format_args!("{text} {}", list));
    }
}
