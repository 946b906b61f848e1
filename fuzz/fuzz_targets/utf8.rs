//! The hand-written UTF-8 fast paths (they use `from_utf8_unchecked` after an ASCII check) agree
//! with `core::str::from_utf8` on every input: `utf8` on the whole input, and `Reader::str`, whose
//! ASCII check reads 16-byte windows around the string (8-byte ones in a buffer of 8 to 15
//! bytes), on a string placed between other bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protogen::view::wire::{Reader, utf8};

fuzz_target!(|data: &[u8]| {
    assert_eq!(utf8(data), core::str::from_utf8(data).ok());
    let [prefix, len, rest @ ..] = data else {
        return;
    };
    // `[prefix length][prefix][string length][string][suffix]`, lengths below 128 (one byte).
    let prefix = usize::from(*prefix % 128).min(rest.len());
    let len = usize::from(*len % 128).min(rest.len() - prefix);
    let (before, after) = rest.split_at(prefix);
    let (string, suffix) = after.split_at(len);
    let mut buf = vec![prefix as u8];
    buf.extend_from_slice(before);
    buf.push(len as u8);
    buf.extend_from_slice(string);
    buf.extend_from_slice(suffix);
    let mut reader = Reader::new(&buf, 0);
    assert_eq!(reader.len_delimited().ok(), Some(before));
    assert_eq!(reader.str().ok(), core::str::from_utf8(string).ok());
});
