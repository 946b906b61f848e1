//! The benchmark's messages: one valid order, one with several violations, and harsher cases
//! for the agreement tests.

use std::collections::HashMap;

use crate::bench::v1::{Address, CreateOrderRequest, LineItem, Priority, create_order_request};

fn address() -> Address {
    Address {
        line1: "221B Baker Street".into(),
        line2: "Flat 2".into(),
        city: "London".into(),
        postal_code: "NW1 6XE".into(),
        country: "GB".into(),
    }
}

fn item(sku: &str, quantity: u32, tags: &[&str]) -> LineItem {
    LineItem {
        sku: sku.into(),
        quantity,
        unit_price_cents: 1999,
        tags: tags.iter().map(|t| (*t).into()).collect(),
    }
}

/// A valid order: three items, three metadata entries, two addresses, two notification emails.
pub fn valid() -> CreateOrderRequest {
    CreateOrderRequest {
        request_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        customer_email: "ada.lovelace@example.com".into(),
        customer_name: "Ada Lovelace".into(),
        phone: "+441632960961".into(),
        shipping_address: Some(address()),
        billing_address: Some(Address {
            line2: String::new(),
            ..address()
        }),
        items: vec![
            item("ABC-12345", 2, &["book", "hardcover"]),
            item("XYZ-0042", 1, &["gift-wrap"]),
            item("QRS-99887766", 12, &["stationery", "bulk", "sale"]),
        ],
        metadata: HashMap::from([
            ("channel".into(), "web".into()),
            ("campaign_id".into(), "spring-2026".into()),
            ("ab_bucket".into(), "b".into()),
        ]),
        priority: Priority::Normal as i32,
        currency: "GBP".into(),
        discount_rate: 0.15,
        loyalty_points: 1200,
        callback_url: "https://hooks.example.com/orders/callback?source=web".into(),
        origin_host: "shop.example.co.uk".into(),
        client_ip: "2001:db8::8a2e:370:7334".into(),
        requested_at: Some(prost_types::Timestamp {
            seconds: 1_775_000_000,
            nanos: 0,
        }),
        delivery_window: Some(prost_types::Duration {
            seconds: 2 * 24 * 3600,
            nanos: 0,
        }),
        coupon: "SPRING10".into(),
        gift: true,
        gift_message: "Happy birthday!".into(),
        notify_emails: vec![
            "ada.lovelace@example.com".into(),
            "orders@example.org".into(),
        ],
        payment: Some(create_order_request::Payment::CardToken(
            "tok_4eC39HqLyjWDarjtT1zdp7dc".into(),
        )),
    }
}

/// The valid order with six mistakes, a typical rejected request: a malformed email, a nested
/// field, an item's pattern and a duplicate tag, a map key, and an out-of-range number.
pub fn invalid() -> CreateOrderRequest {
    let mut order = valid();
    order.customer_email = "ada.lovelace@".into();
    order.shipping_address.as_mut().unwrap().country = "UK!".into();
    order.items[1].sku = "xyz-42".into();
    order.items[2].tags[2] = "bulk".into();
    order
        .metadata
        .insert("Referrer".into(), "newsletter".into());
    order.discount_rate = 0.75;
    order
}

/// Every rule of the schema broken at once (one message a rule, more or less).
pub fn everything_wrong() -> CreateOrderRequest {
    CreateOrderRequest {
        request_id: "0f8fad5b-d9cb-469f-a165-70867728950".into(),
        customer_email: "not an email".into(),
        customer_name: "x".repeat(129),
        phone: "0044 1632 960961".into(),
        shipping_address: Some(Address {
            line1: String::new(),
            line2: "y".repeat(101),
            city: String::new(),
            postal_code: "nw1".into(),
            country: "GBR".into(),
        }),
        billing_address: Some(Address {
            line1: "z".repeat(101),
            country: "gb".into(),
            ..address()
        }),
        items: vec![
            item("ABC-123", 0, &["", "a", "a"]),
            LineItem {
                unit_price_cents: -1,
                ..item(
                    "ABC-1234",
                    1001,
                    &["1", "2", "3", "4", "5", "6", "7", "8", "9"],
                )
            },
            LineItem {
                unit_price_cents: 100_000_000,
                ..item("ABC-1234", 1, &[&"t".repeat(33)])
            },
        ],
        metadata: HashMap::from([("".into(), "v".repeat(257))]),
        priority: 7,
        currency: "usd".into(),
        discount_rate: f64::NAN,
        loyalty_points: 1_000_001,
        callback_url: "not a uri".into(),
        origin_host: "-bad-.example".into(),
        client_ip: "300.1.2.3".into(),
        requested_at: Some(prost_types::Timestamp {
            seconds: 1_577_836_800,
            nanos: 0,
        }),
        delivery_window: Some(prost_types::Duration {
            seconds: 3599,
            nanos: 999_999_999,
        }),
        coupon: "TWO WORDS".into(),
        gift: false,
        gift_message: "m".repeat(501),
        notify_emails: vec![
            "a@example.com".into(),
            "b@".into(),
            "@c".into(),
            "d@example.com".into(),
            "e@example.com".into(),
            "f@example.com".into(),
        ],
        payment: Some(create_order_request::Payment::Iban("DE00".into())),
    }
}

/// The empty message: required fields, the required oneof, `min_items`, `not_in: [0]`.
pub fn empty() -> CreateOrderRequest {
    CreateOrderRequest::default()
}
