//! The hand-written double writer (`runtime/src/json/double.rs`, a port of zmij's conversion
//! that places the digits itself, with SSE2 on x86-64) writes exactly zmij's text for every
//! double, alone and as an array element; NaN and the infinities as proto3 JSON's strings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protogen::json::{EncodeOptions, Writer};

fuzz_target!(|data: [u8; 8]| {
    let v = f64::from_le_bytes(data);
    let mut w = Writer::new(EncodeOptions::default());
    w.f64(v);
    w.f64_element(true, v);
    let text = if v.is_finite() {
        zmij::Buffer::new().format_finite(v).to_owned()
    } else if v.is_nan() {
        "\"NaN\"".to_owned()
    } else if v > 0.0 {
        "\"Infinity\"".to_owned()
    } else {
        "\"-Infinity\"".to_owned()
    };
    assert_eq!(
        String::from_utf8(w.into_bytes()).unwrap(),
        format!("{text},{text}")
    );
});
