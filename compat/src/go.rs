//! Values formatted as buf's messages show them (Go's `%q` and `%v`), so that messages match
//! buf's byte for byte.

use std::fmt::Write as _;

/// Go's `strconv.Quote`: double quotes, `\"` and `\\`, the C escapes, `\x..` for other control
/// bytes and invalid UTF-8 is not possible here (the input is a `str`).
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%v` of a float (`strconv.FormatFloat(v, 'g', -1, bits)`): the shortest digits that
/// read back, in exponent form when the decimal exponent is below -4 or at least 6.
/// `shortest` gives those digits as Rust's `{:e}` does (`-1.2345e-7`).
fn float(v: f64, shortest: impl Fn() -> String) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let e = shortest();
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if mantissa.starts_with('-') {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let sign = if exp < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exp.abs());
    } else if exp < 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
        out.push_str(&digits);
    } else {
        let point = exp as usize + 1;
        if digits.len() <= point {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', point - digits.len()));
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

pub(crate) fn f64_text(v: f64) -> String {
    float(v, || format!("{v:e}"))
}

pub(crate) fn f32_text(v: f32) -> String {
    float(f64::from(v), || format!("{v:e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        assert_eq!(f64_text(1.5), "1.5");
        assert_eq!(f64_text(2e10), "2e+10");
        assert_eq!(f64_text(123456.0), "123456");
        assert_eq!(f64_text(1234567.0), "1.234567e+06");
        assert_eq!(f64_text(0.0001), "0.0001");
        assert_eq!(f64_text(0.00001), "1e-05");
        assert_eq!(f64_text(-3.25), "-3.25");
        assert_eq!(f32_text(0.1), "0.1");
        assert_eq!(f64_text(f64::INFINITY), "+Inf");
    }

    #[test]
    fn strings_quote_as_go_does() {
        assert_eq!(quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
    }
}
