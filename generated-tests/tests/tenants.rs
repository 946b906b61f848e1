//! Tenant schemas (`schemas/tenants/*.json`) generate the same kind of code as `.proto` files:
//! prost structs that round-trip, views, info tables, with the numbers their lock files record.

use std::collections::HashMap;

use prost::Message;
use protogen::MessageInfo;
use protogen_generated_tests::{acme, globex, hooli, initech};

#[test]
fn a_minimal_schema_round_trips() {
    let ticket = initech::ticket::Ticket {
        title: Some("Printer on fire".into()),
        reporter_email: Some("milton@initech.example".into()),
        priority: Some(5),
        labels: vec!["hardware".into(), "urgent".into()],
    };
    let bytes = ticket.encode_to_vec();
    assert_eq!(
        initech::ticket::Ticket::decode(bytes.as_slice()).unwrap(),
        ticket
    );
    let view = initech::ticket::TicketView::decode(&bytes).unwrap();
    assert_eq!(view.title(), "Printer on fire");
    assert_eq!(view.labels().len(), 2);
    assert_eq!(view.to_owned(), ticket);
}

#[test]
fn the_full_form_round_trips() {
    use globex::orders::v1::{Customer, Order, order};
    let order = Order {
        order_id: Some("ORD-000042".into()),
        customer: Some(Customer {
            name: Some("Hank Scorpio".into()),
            email: Some("hank@globex.example".into()),
            level: Some(-3),
            wide_offset: Some(-9),
            ..Default::default()
        }),
        lines: vec![order::Line {
            sku: Some("DOOMSDAY-1".into()),
            quantity: Some(1),
            unit_price_cents: Some(99_999_999),
            kind: Some(order::line::Kind::Physical as i32),
        }],
        status: Some(order::Status::Paid as i32),
        placed_at: Some(prost_types::Timestamp {
            seconds: 1_700_000_000,
            nanos: 0,
        }),
        ship_within: Some(prost_types::Duration {
            seconds: 86_400,
            nanos: 0,
        }),
        attributes: HashMap::from([("gift_wrap".to_owned(), "gold".to_owned())]),
        quantities: HashMap::from([(7, -2)]),
        total_cents: Some(99_999_999),
        discount: Some(0.25),
        gift: Some(true),
        signature: Some(vec![1, 2, 3]),
        coupon_codes: vec!["VIP".into()],
    };
    let bytes = order.encode_to_vec();
    assert_eq!(Order::decode(bytes.as_slice()).unwrap(), order);
    let view = globex::orders::v1::OrderView::decode(&bytes).unwrap();
    assert_eq!(view.to_owned(), order);
    assert_eq!(view.status_enum().known(), Some(order::Status::Paid));
    assert_eq!(view.attributes().get("gift_wrap"), Some("gold"));
}

/// Version 2 of Acme's user schema started from version 1's lock file: the renamed field kept
/// its number, the removed one is reserved, so a v1 encoding decodes as v2.
#[test]
fn a_second_version_reads_the_first() {
    let v1 = acme::user::v1::User {
        id: Some("2b7e1516-28ae-4d2a-a6f7-15884e0a2fbd".into()),
        email: Some("wile@acme.example".into()),
        nickname: Some("coyote".into()),
        credit_score: Some(512),
        signed_up_at: None,
    };
    let bytes = v1.encode_to_vec();
    let v2 = acme::user::v2::User::decode(bytes.as_slice()).unwrap();
    assert_eq!(v2.id, v1.id);
    assert_eq!(v2.primary_email, v1.email);
    assert_eq!(v2.credit_score, v1.credit_score);
    assert_eq!(v2.tier, None);
    let view = acme::user::v2::UserView::decode(&bytes).unwrap();
    // The nickname (field 3, reserved in v2) is an unknown field there.
    assert_eq!(view.unknown_fields().count(), 1);
}

/// The numbers in the generated code are the lock file's.
#[test]
fn numbers_come_from_the_lock_files() {
    fn check<M: MessageInfo>(lock: &protogen_tenant::Lock, path: &str) {
        let table = &lock.messages[path];
        assert_eq!(M::FIELDS.len(), table.numbers.len(), "{path}");
        for field in M::FIELDS {
            assert_eq!(
                Some(&(field.number as i64)),
                table.numbers.get(field.name),
                "{path}.{}",
                field.name
            );
        }
    }
    let lock = |path: &str| {
        let text = std::fs::read_to_string(format!("../schemas/tenants/{path}")).unwrap();
        protogen_tenant::Lock::parse(&text).unwrap()
    };
    let v1 = lock("acme/user_v1.lock.json");
    check::<acme::user::v1::User>(&v1, "User");
    let v2 = lock("acme/user_v2.lock.json");
    check::<acme::user::v2::User>(&v2, "User");
    check::<acme::user::v2::Address>(&v2, "Address");
    assert_eq!(v2.messages["User"].reserved[0].name, "nickname");
    let orders = lock("globex/orders.lock.json");
    check::<globex::orders::v1::Order>(&orders, "Order");
    check::<globex::orders::v1::order::Line>(&orders, "Order.Line");
    check::<globex::orders::v1::Customer>(&orders, "Customer");
    check::<initech::ticket::Ticket>(&lock("initech/ticket.lock.json"), "Ticket");
    let edge = lock("hooli/edge_cases.lock.json");
    check::<hooli::edge_cases::EdgeCases>(&edge, "EdgeCases");
    check::<hooli::edge_cases::Option>(&edge, "Option");
    check::<hooli::edge_cases::option::some::Deeper>(&edge, "Option.Some.Deeper");
    assert_eq!(
        edge.messages["EdgeCases"].numbers["type"], 10,
        "explicit number"
    );
}

/// The constraints of a tenant schema are the generated `validate()`'s rules.
#[test]
fn constraints_validate_in_generated_code() {
    use protogen::Validate;
    let ok = initech::ticket::Ticket {
        title: Some("Printer on fire".into()),
        ..Default::default()
    };
    assert!(ok.validate().is_ok());
    let bad = initech::ticket::Ticket {
        title: None,
        reporter_email: Some("milton".into()),
        priority: Some(9),
        labels: vec!["ok".into(), "ok".into()],
    };
    let violations: Vec<String> = bad
        .validate()
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        violations,
        [
            "title: value is required [required]",
            "reporter_email: must be a valid email address [string.email]",
            "priority: must be greater than or equal to 1 and less than or equal to 5 [int32.gte_lte]",
            "labels: repeated value must contain unique items [repeated.unique]",
        ]
    );
}
