//! RFC 3339 timestamps and protobuf JSON durations (`1.5s`), as `Seconds`: the text forms
//! protobuf's JSON mapping uses, read for constraints and for payloads.

use protogen_rules::Seconds;

/// `2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.5+02:00` (years 0001 to 9999).
pub fn parse_timestamp(s: &str) -> Option<Seconds> {
    let b = s.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if year < 1
        || !(1..=12).contains(&month)
        || day < 1
        || day > month_days[month as usize - 1]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut rest = &s[19..];
    let mut nanos = 0i32;
    if let Some(frac) = rest.strip_prefix('.') {
        let len = frac.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 || len > 9 {
            return None;
        }
        nanos = format!("{:0<9}", &frac[..len]).parse().ok()?;
        rest = &frac[len..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let r = rest.as_bytes();
            if r.len() != 6 || r[3] != b':' {
                return None;
            }
            let (h, m): (i64, i64) = (rest[1..3].parse().ok()?, rest[4..6].parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    let days = days_from_civil(year, month as u32, day as u32);
    Some(Seconds {
        seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset,
        nanos,
    })
}

/// `1.5s`, `-0.25s`, `60s` (at most 9 fraction digits, ±315576000000 seconds).
pub fn parse_duration(s: &str) -> Option<Seconds> {
    let body = s.strip_suffix('s')?;
    let (negative, body) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    if whole.is_empty() || !whole.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if frac.len() > 9 || !frac.bytes().all(|c| c.is_ascii_digit()) || body.ends_with('.') {
        return None;
    }
    let seconds: i64 = whole.parse().ok()?;
    if seconds > 315_576_000_000 {
        return None;
    }
    let nanos: i32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().ok()?
    };
    let sign = if negative { -1 } else { 1 };
    Some(Seconds {
        seconds: sign * seconds,
        nanos: sign as i32 * nanos,
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let ts = |s| parse_timestamp(s).map(|t| (t.seconds, t.nanos));
        assert_eq!(ts("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(ts("2024-01-02T03:04:05Z"), Some((1_704_164_645, 0)));
        assert_eq!(
            ts("2024-01-02T05:04:05.5+02:00"),
            Some((1_704_164_645, 500_000_000))
        );
        assert_eq!(ts("1969-12-31T23:59:59.000000001Z"), Some((-1, 1)));
        assert_eq!(ts("2023-02-29T00:00:00Z"), None);
        assert_eq!(ts("2024-02-29T00:00:00Z"), Some((1_709_164_800, 0)));
        assert_eq!(ts("2024-01-02 03:04:05Z"), None);
        assert_eq!(ts("yesterday"), None);
    }

    #[test]
    fn durations() {
        let d = |s| parse_duration(s).map(|t| (t.seconds, t.nanos));
        assert_eq!(d("1.5s"), Some((1, 500_000_000)));
        assert_eq!(d("-0.25s"), Some((0, -250_000_000)));
        assert_eq!(d("60s"), Some((60, 0)));
        assert_eq!(d("1.s"), None);
        assert_eq!(d("1"), None);
        assert_eq!(d("s"), None);
    }
}
