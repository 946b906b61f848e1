//! The JSON decoder (its string scan slices through `get_unchecked` between ASCII quotes; base64
//! by table) never panics on any UTF-8 text, and whatever it accepts is written back (owned
//! writer, and the transcoder from the message's protobuf bytes) as JSON that decodes again.
//! (No equality checks: NaN and map order would make false alarms; the differential tests in
//! `generated-tests/tests/json.rs` compare values.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use prost::Message;
use protogen::json::{self, EncodeOptions};
use protogen_generated_tests::conformance::v1::AllTypes;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(message) = json::from_str::<AllTypes>(text) else {
        return;
    };
    let written = json::to_string(&message).expect("a decoded message is written");
    json::from_str::<AllTypes>(&written).expect("written JSON decodes");
    let transcoded =
        json::bytes_to_vec::<AllTypes>(&message.encode_to_vec(), &EncodeOptions::default())
            .expect("the message's bytes transcode");
    let transcoded = std::str::from_utf8(&transcoded).expect("the transcoder writes UTF-8");
    json::from_str::<AllTypes>(transcoded).expect("transcoded JSON decodes");
});
