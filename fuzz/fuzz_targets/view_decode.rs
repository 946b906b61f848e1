//! Views accept exactly the bytes prost accepts, `to_owned()` equals prost's decode, and folding a
//! repeated message field gives what iterating it does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protogen::view::Repeated;
use protogen::view::kind::{Kind, Message};
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
                assert_eq!(
                    format!("{from_view:?}").len(),
                    format!("{owned:?}").len(),
                    "{data:02x?}"
                );
            }
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!("view rejects what prost accepts ({e}): {data:02x?}"),
        (Err(e), Ok(_)) => panic!("view accepts what prost rejects ({e}): {data:02x?}"),
    }
}

/// Folding a repeated message field (its own loop, see `Repeated::fold`) gives the elements that
/// iterating it with `next` does.
fn fold_agrees<'a, V: View<'a>>(elements: Repeated<'a, Message<V>>)
where
    V::Owned: std::fmt::Debug,
{
    let by_next: Vec<V::Owned> = elements.map(|v| v.to_owned_message()).collect();
    let by_fold = elements.fold(Vec::new(), |mut all, v| {
        all.push(v.to_owned_message());
        all
    });
    // (Compared as text: a NaN is not equal to itself.)
    assert_eq!(format!("{by_fold:?}"), format!("{by_next:?}"));
}

/// The same for a repeated scalar field, packed, unpacked or both.
fn scalar_fold_agrees<'a, K: Kind<'a>>(elements: Repeated<'a, K>)
where
    K::Out: std::fmt::Debug,
{
    let by_next: Vec<K::Out> = elements.collect();
    let by_fold = elements.fold(Vec::new(), |mut all, v| {
        all.push(v);
        all
    });
    assert_eq!(format!("{by_fold:?}"), format!("{by_next:?}"));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(scalars) = shop::v1::ScalarShowcaseView::decode(data) {
        scalar_fold_agrees(scalars.r_double());
        scalar_fold_agrees(scalars.r_int64());
        scalar_fold_agrees(scalars.r_fixed64());
        scalar_fold_agrees(scalars.r_bool());
        scalar_fold_agrees(scalars.r_uint32_unpacked());
    }
    if let Ok(order) = shop::v1::OrderView::decode(data) {
        fold_agrees(order.items());
        scalar_fold_agrees(order.loyalty_points());
        scalar_fold_agrees(order.adjustments());
        fold_agrees(order.discounts());
    }
    if let Ok(node) = edge::v1::NodeView::decode(data) {
        fold_agrees(node.children());
        // A `next` written several times is merged: its children span several payloads.
        if let Some(next) = node.next() {
            fold_agrees(next.children());
        }
    }
    agree::<shop::v1::Order>(data);
    agree::<shop::v1::MapShowcase>(data);
    agree::<shop::v1::ScalarShowcase>(data);
    agree::<legacy::v1::Product>(data);
    agree::<edge::v1::Node>(data);
    agree::<edge::v1::Type>(data);
});
