//! The hand-written UTF-8 fast path (it uses `from_utf8_unchecked` after an ASCII check)
//! agrees with `core::str::from_utf8` on every input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    assert_eq!(protogen::view::wire::utf8(data), core::str::from_utf8(data).ok());
});
