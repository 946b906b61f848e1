//! Reserved and extension ranges: which numbers of an old range a new set of ranges lost, said
//! as buf says it (`[5]`, `[5,10]`, `[100,max]`).

/// The largest field number of a message, of a message-set message, and the largest enum value.
pub(super) const MESSAGE_MAX: i64 = 536_870_911;
pub(super) const MESSAGE_SET_MAX: i64 = 2_147_483_646;
pub(super) const ENUM_MAX: i64 = 2_147_483_647;

/// An inclusive range.
pub(super) type Range = (i64, i64);

/// The parts of `old` that none of `new` covers.
pub(super) fn missing(old: Range, new: &[Range]) -> Vec<Range> {
    let mut sorted = new.to_vec();
    sorted.sort();
    let mut collapsed: Vec<Range> = Vec::new();
    for r in sorted {
        match collapsed.last_mut() {
            Some(last) if r.0 <= last.1 + 1 => last.1 = last.1.max(r.1),
            _ => collapsed.push(r),
        }
    }
    let (mut start, end) = old;
    let mut out = Vec::new();
    for &(s, e) in collapsed.iter().filter(|r| r.1 >= old.0) {
        if s > end {
            break;
        }
        if start < s {
            out.push((start, s - 1));
        }
        start = start.max(e + 1);
        if start > end {
            return out;
        }
    }
    if start <= end {
        out.push((start, end));
    }
    out
}

pub(super) fn text(range: Range, max: i64) -> String {
    match range {
        (s, e) if s == e => format!("[{s}]"),
        (s, e) if e == max => format!("[{s},max]"),
        (s, e) => format!("[{s},{e}]"),
    }
}

/// `Previously present reserved range "[5,10]" on message "M" is missing values: [5] were
/// removed.`, for each old range that lost numbers.
pub(super) fn lost(
    kind: &str,
    element: &str,
    name: &str,
    old: &[Range],
    new: &[Range],
    max: i64,
) -> Vec<String> {
    old.iter()
        .filter_map(|&range| {
            let gone = missing(range, new);
            if gone.is_empty() {
                return None;
            }
            let gone: Vec<String> = gone.into_iter().map(|r| text(r, max)).collect();
            Some(format!(
                "Previously present {kind} range {} on {element} {} is missing values: {} were removed.",
                crate::go::quote(&text(range, max)),
                crate::go::quote(name),
                gone.join(", ")
            ))
        })
        .collect()
}

/// `Previously present reserved name "x" on message "M" was deleted.`, for each old reserved
/// name the new element no longer reserves.
pub(super) fn names_lost(element: &str, name: &str, old: &[String], new: &[String]) -> Vec<String> {
    let old: std::collections::BTreeSet<&String> = old.iter().collect();
    old.into_iter()
        .filter(|n| !new.contains(n))
        .map(|n| {
            format!(
                "Previously present reserved name {} on {element} {} was deleted.",
                crate::go::quote(n),
                crate::go::quote(name)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_numbers_a_range_lost() {
        assert_eq!(missing((5, 10), &[(6, 10)]), vec![(5, 5)]);
        assert_eq!(missing((100, 200), &[(100, 150)]), vec![(151, 200)]);
        assert_eq!(
            missing((1, 10), &[(3, 4), (5, 6), (9, 20)]),
            vec![(1, 2), (7, 8)]
        );
        assert_eq!(missing((1, 10), &[]), vec![(1, 10)]);
        assert_eq!(missing((1, 10), &[(0, 11)]), vec![]);
        assert_eq!(text((5, MESSAGE_MAX), MESSAGE_MAX), "[5,max]");
    }
}
