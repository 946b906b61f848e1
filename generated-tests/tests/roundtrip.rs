//! Every schema's types survive prost encode → decode, and the prost-build knobs passed in
//! build.rs took effect.

use std::collections::{BTreeMap, HashMap};

use prost::Message;
use protogen_generated_tests::{common, edge, legacy, shop};

fn roundtrip<M: Message + Default + PartialEq + std::fmt::Debug>(message: &M) {
    let bytes = message.encode_to_vec();
    assert!(!bytes.is_empty(), "a populated message encodes to bytes");
    let decoded = M::decode(bytes.as_slice()).expect("prost decodes what it encoded");
    assert_eq!(&decoded, message);
}

fn money(units: i64) -> common::v1::Money {
    common::v1::Money {
        currency: common::v1::Currency::Eur as i32,
        units,
        nanos: 500_000_000,
    }
}

fn line_item(sku: &str) -> shop::v1::LineItem {
    shop::v1::LineItem {
        sku: sku.into(),
        quantity: 2,
        unit_price: Some(money(10)),
        attributes: Some(prost_types::Struct {
            fields: [(
                "gift".to_owned(),
                prost_types::Value {
                    kind: Some(prost_types::value::Kind::BoolValue(true)),
                },
            )]
            .into(),
        }),
        // `bytes(...)` in build.rs made this `bytes::Bytes`.
        thumbnail: bytes::Bytes::from_static(b"\x89PNG"),
    }
}

#[test]
fn order_with_every_kind_of_field_roundtrips() {
    use shop::v1::order::{Channel, Discount, Payment, discount};
    let order = shop::v1::Order {
        id: "o-1".into(),
        customer_id: "c-9".into(),
        status: shop::v1::Status::Paid as i32,
        items: vec![line_item("A"), line_item("B")],
        total: Some(money(42)),
        shipping_address: Some(common::v1::Address {
            lines: vec!["1 Main St".into()],
            city: "Lyon".into(),
            postal_code: "69001".into(),
            country: "FR".into(),
        }),
        created_at: Some(prost_types::Timestamp {
            seconds: 1_700_000_000,
            nanos: 5,
        }),
        payment_window: Some(prost_types::Duration {
            seconds: 3600,
            nanos: 0,
        }),
        payment: Some(Payment::CashOnDelivery(())),
        note: Some(String::new()),
        priority: Some(0),
        // `btree_map(...)` in build.rs made this a BTreeMap.
        labels: BTreeMap::from([("vip".into(), "yes".into())]),
        items_by_sku: HashMap::from([("A".into(), line_item("A"))]),
        loyalty_points: vec![1, -2, 300],
        adjustments: vec![-1, i64::MIN, i64::MAX],
        status_history: vec![1, 2, 99],
        discounts: vec![Discount {
            code: "TEN".into(),
            percent: 10.0,
            kind: discount::Kind::Coupon as i32,
        }],
        channel: Channel::App as i32,
    };
    roundtrip(&order);

    for payment in [
        Payment::Card(shop::v1::Card {
            token: "tok".into(),
            last4: "4242".into(),
            expiry_month: 12,
            expiry_year: 2030,
        }),
        Payment::VoucherCode("V".into()),
    ] {
        roundtrip(&shop::v1::Order {
            payment: Some(payment),
            ..Default::default()
        });
    }
}

#[test]
fn proto3_optional_tracks_presence_of_default_values() {
    let with = shop::v1::Order {
        priority: Some(0),
        ..Default::default()
    };
    let without = shop::v1::Order::default();
    assert_ne!(with.encode_to_vec(), without.encode_to_vec());
    let decoded = shop::v1::Order::decode(with.encode_to_vec().as_slice()).unwrap();
    assert_eq!(decoded.priority, Some(0));
}

#[test]
fn packed_and_unpacked_repeated_fields_use_their_encodings() {
    let order = shop::v1::Order {
        loyalty_points: vec![1, 2, 3],
        ..Default::default()
    };
    // Field 16, wire type 2 (packed): tag bytes 0x82 0x01, length 3.
    assert_eq!(order.encode_to_vec(), [0x82, 0x01, 3, 1, 2, 3]);
    let order = shop::v1::Order {
        adjustments: vec![1, -1],
        ..Default::default()
    };
    // Field 17, wire type 0, once per element (zigzag: 1 → 2, -1 → 1).
    assert_eq!(order.encode_to_vec(), [0x88, 0x01, 2, 0x88, 0x01, 1]);
}

#[test]
fn every_map_key_type_roundtrips() {
    let maps = shop::v1::MapShowcase {
        by_int32: [(-1, "a".into())].into(),
        by_int64: [(i64::MIN, "b".into())].into(),
        by_uint32: [(u32::MAX, vec![1, 2])].into(),
        by_uint64: [(u64::MAX, 1.5)].into(),
        by_sint32: [(-3, 2.5)].into(),
        by_sint64: [(-4, true)].into(),
        by_fixed32: [(5, shop::v1::Status::Shipped as i32)].into(),
        by_fixed64: [(6, line_item("M"))].into(),
        by_sfixed32: [(-7, -70)].into(),
        by_sfixed64: [(-8, 80)].into(),
        by_bool: [(true, "t".into()), (false, "f".into())].into(),
        by_string: [("k".into(), money(1))].into(),
    };
    roundtrip(&maps);
}

#[test]
fn scalars_and_well_known_types_roundtrip() {
    let scalars = shop::v1::ScalarShowcase {
        f_double: -1.25,
        f_float: 3.5,
        f_int32: i32::MIN,
        f_int64: i64::MAX,
        f_uint32: u32::MAX,
        f_uint64: u64::MAX,
        f_sint32: -5,
        f_sint64: -6,
        f_fixed32: 7,
        f_fixed64: 8,
        f_sfixed32: -9,
        f_sfixed64: -10,
        f_bool: true,
        f_string: "héllo".into(),
        f_bytes: vec![0, 255],
        r_double: vec![1.0, f64::INFINITY],
        r_float: vec![f32::MIN_POSITIVE],
        r_int64: vec![-1],
        r_uint64: vec![1 << 63],
        r_fixed64: vec![1, 2],
        r_bool: vec![true, false],
        r_string: vec!["a".into(), String::new()],
        r_bytes: vec![vec![], vec![1]],
        r_uint32_unpacked: vec![1, 2],
        // Wrappers map to Rust primitives, as prost-build does.
        w_bool: Some(false),
        w_int32: Some(0),
        w_int64: Some(-1),
        w_uint32: Some(1),
        w_uint64: Some(2),
        w_float: Some(0.5),
        w_double: Some(-0.5),
        w_string: Some(String::new()),
        w_bytes: Some(vec![9]),
        any: Some(prost_types::Any {
            type_url: "type.googleapis.com/common.v1.Money".into(),
            value: money(3).encode_to_vec(),
        }),
        value: Some(prost_types::Value {
            kind: Some(prost_types::value::Kind::NumberValue(1.0)),
        }),
        list: Some(prost_types::ListValue { values: vec![] }),
        update_mask: Some(prost_types::FieldMask {
            paths: vec!["items".into()],
        }),
        empty: Some(()),
    };
    roundtrip(&scalars);
}

#[test]
fn proto2_defaults_required_groups_and_closed_enums() {
    use legacy::v1::{Availability, Product, product};
    let empty = Product::default();
    // Explicit `[default = …]` values come back from prost's getters when a field is unset.
    assert_eq!(empty.title(), "untitled");
    assert_eq!(empty.stock(), -1);
    assert_eq!(empty.weight_grams(), 1000);
    assert_eq!(empty.rating(), 2.5);
    assert_eq!(empty.discount(), f32::INFINITY);
    assert!(empty.active());
    assert_eq!(empty.checksum(), b"\x00\x01\xff");
    assert_eq!(empty.availability(), Availability::InStock);
    assert_eq!(empty.rank(), -7);

    let product = Product {
        sku: "SKU-1".into(),
        title: Some("Lamp".into()),
        dimensions: Some(product::Dimensions {
            width_mm: Some(10),
            height_mm: None,
            depth_mm: Some(30),
        }),
        variant: vec![product::Variant {
            variant_sku: "SKU-1-red".into(),
            color: Some("red".into()),
        }],
        bin_numbers: vec![1, 2],
        shelf_numbers: vec![3],
        price: Some(money(5)),
        ..Default::default()
    };
    roundtrip(&product);
    // The required field is written even when empty (proto2 `required` has presence).
    let required_only = Product::default().encode_to_vec();
    assert_eq!(required_only, [0x0a, 0x00]);
}

#[test]
fn extension_fields_are_skipped_cleanly() {
    // Field 100 (`warehouse_note`, an extension): tag 100<<3|2 = 802 = 0xa2 0x06.
    let mut bytes = legacy::v1::Product {
        sku: "S".into(),
        ..Default::default()
    }
    .encode_to_vec();
    bytes.extend_from_slice(&[0xa2, 0x06, 2, b'h', b'i']);
    let decoded = legacy::v1::Product::decode(bytes.as_slice()).unwrap();
    assert_eq!(decoded.sku, "S");
}

#[test]
fn recursive_fields_are_boxed_and_roundtrip() {
    let leaf = edge::v1::Node {
        name: "leaf".into(),
        ..Default::default()
    };
    let root = edge::v1::Node {
        name: "root".into(),
        next: Some(Box::new(leaf.clone())),
        link: Some(edge::v1::node::Link::Left(Box::new(leaf.clone()))),
        children: vec![leaf],
    };
    roundtrip(&root);
    let tree = legacy::v1::Category {
        name: "root".into(),
        parent: Some(Box::new(legacy::v1::Category {
            name: "up".into(),
            ..Default::default()
        })),
        children: vec![],
    };
    roundtrip(&tree);
}

#[test]
fn keyword_names_are_escaped_like_prost() {
    let keywords = edge::v1::Self_ {
        r#type: "t".into(),
        r#match: 1,
        self_: true,
        crate_: "c".into(),
        r#async: 2,
        r#gen: "g".into(),
    };
    roundtrip(&keywords);
    let typed = edge::v1::Type {
        kind: edge::v1::r#type::Kind::Enum as i32,
        payload: Some(edge::v1::r#type::PayloadOneOf::Structured(
            edge::v1::r#type::Payload { r#loop: "l".into() },
        )),
        size: Some(edge::v1::r#type::Size::UnitName("bytes".into())),
    };
    roundtrip(&typed);
    assert_eq!(edge::v1::Where::In.as_str_name(), "IN");
}

#[test]
fn type_attributes_from_build_rs_apply() {
    // `type_attribute(".common.v1.Money", "#[derive(PartialOrd)]")` in build.rs.
    assert!(money(1) < money(2));
}
