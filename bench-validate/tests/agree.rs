//! Both validators agree on the benchmark's data: the same violations (field paths, rule ids,
//! rule paths, whether a map key failed) for every message the benchmark times, and for harsher
//! cases. Checked before trusting the timings: a validator that checks less would look faster.
//!
//! Messages are not compared: they are free text in protovalidate (its conformance suite does
//! not check them either), and prost-protovalidate's differ from protovalidate's, which protogen
//! prints (`messages_differ` shows how).

use std::sync::LazyLock;

use prost::Message as _;
use protogen_bench_validate::bench::v1::{
    Address, CreateOrderRequest, CreateOrderRequestView, create_order_request,
};
use protogen_bench_validate::{
    Found, data, protogen_violations, protovalidate_violations, to_dynamic,
};

/// Field path, rule id, rule path, for_key: what both must agree on, sorted.
type Key = (String, String, String, bool);

fn keys(all: &[Found]) -> Vec<Key> {
    let mut keys: Vec<Key> = all
        .iter()
        .map(|f| {
            (
                f.field_path.clone(),
                f.rule_id.clone(),
                f.rule_path.clone(),
                f.for_key,
            )
        })
        .collect();
    keys.sort();
    keys
}

/// One validator for every test, as a server would keep it.
static VALIDATOR: LazyLock<prost_protovalidate::Validator> =
    LazyLock::new(prost_protovalidate::Validator::new);

fn theirs(message: &CreateOrderRequest) -> Vec<Found> {
    protovalidate_violations(&VALIDATOR, &to_dynamic(message))
}

/// protogen (owned and view) and prost-protovalidate report the same violations; returns
/// protogen's.
fn agree(message: &CreateOrderRequest) -> Vec<Found> {
    let ours = protogen_violations(message);
    let expected = keys(&theirs(message));
    assert_eq!(
        keys(&ours),
        expected,
        "protogen (left) against prost-protovalidate (right)"
    );
    let bytes = message.encode_to_vec();
    let view = CreateOrderRequestView::decode(&bytes).expect("decodes");
    assert_eq!(protogen_violations(&view), ours, "view against owned");
    ours
}

fn paths_and_ids(found: &[Found]) -> Vec<(&str, &str)> {
    let mut all: Vec<_> = found
        .iter()
        .map(|f| (f.field_path.as_str(), f.rule_id.as_str()))
        .collect();
    all.sort();
    all
}

#[test]
fn valid_order_is_valid_for_both() {
    assert_eq!(agree(&data::valid()), vec![]);
}

#[test]
fn invalid_order_same_violations() {
    let found = agree(&data::invalid());
    assert_eq!(
        paths_and_ids(&found),
        vec![
            ("customer_email", "string.email"),
            ("discount_rate", "double.gte_lte"),
            ("items[1].sku", "string.pattern"),
            ("items[2].tags", "repeated.unique"),
            ("metadata[\"Referrer\"]", "string.pattern"),
            ("shipping_address.country", "string.len"),
            ("shipping_address.country", "string.pattern"),
        ]
    );
}

#[test]
fn everything_wrong_same_violations() {
    let found = agree(&data::everything_wrong());
    assert_eq!(found.len(), 40, "{found:#?}");
}

#[test]
fn empty_order_same_violations() {
    let found = agree(&data::empty());
    assert_eq!(
        paths_and_ids(&found),
        vec![
            ("callback_url", "string.uri_empty"),
            ("client_ip", "string.ip_empty"),
            ("currency", "string.in"),
            ("customer_email", "string.email_empty"),
            ("customer_name", "string.min_len"),
            ("items", "repeated.min_items"),
            ("origin_host", "string.hostname_empty"),
            ("payment", "required"),
            ("priority", "enum.not_in"),
            ("request_id", "string.uuid_empty"),
            ("requested_at", "required"),
            ("shipping_address", "required"),
        ]
    );
}

/// Where the messages differ, protogen's are protovalidate's own (`conformance/oracle.py`
/// compares them with its Python implementation); prost-protovalidate's are older wordings, or
/// empty (format rules, a NaN out of range, a required oneof). Pinned, to notice changes.
#[test]
fn messages_differ() {
    let mut differ: Vec<(String, String, String)> = Vec::new();
    for message in [data::invalid(), data::everything_wrong(), data::empty()] {
        let ours = protogen_violations(&message);
        let theirs = theirs(&message);
        for o in &ours {
            let t = theirs
                .iter()
                .find(|t| t.field_path == o.field_path && t.rule_id == o.rule_id)
                .expect("same violations");
            if t.message != o.message {
                differ.push((o.rule_id.clone(), o.message.clone(), t.message.clone()));
            }
        }
    }
    differ.sort();
    differ.dedup_by(|a, b| a.0 == b.0);
    let ids: Vec<&str> = differ.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "double.gte_lte",
            "duration.gte_lte",
            "int64.gte_lt",
            "repeated.max_items",
            "repeated.min_items",
            "repeated.unique",
            "required",
            "string.email",
            "string.email_empty",
            "string.hostname",
            "string.hostname_empty",
            "string.in",
            "string.ip",
            "string.ip_empty",
            "string.max_len",
            "string.min_len",
            "string.uri",
            "string.uri_empty",
            "string.uuid",
            "string.uuid_empty",
            "timestamp.gt",
            "uint32.gte_lte",
            "uint32.lte",
        ],
        "{differ:#?}"
    );
}

/// The valid order with one field changed, for each edge case of the formats, lengths in
/// characters, ranges at their bounds, enum values and so on: both validators agree on each.
fn edge_cases() -> Vec<(String, CreateOrderRequest)> {
    let mut cases: Vec<(String, CreateOrderRequest)> = Vec::new();
    let emails = [
        "a@b",
        "a@b.c",
        "a@-b.c",
        "a@b-.c",
        "a.@b.c",
        ".a@b.c",
        "a..b@c.d",
        "a@b..c",
        "a@b.c.",
        "\"a\"@b.c",
        "a@[1.2.3.4]",
        "a@1.2.3.4",
        "é@b.c",
        "a@é.c",
        "a b@c.d",
        "a@b@c.d",
        "a@b.123",
        "<a@b.c>",
        "a@b.c ",
        " a@b.c",
        "a+b@c-d.e",
        "a@xn--80ak6aa92e.com",
    ];
    let long_domain = format!(
        "a@{}.{}.{}.{}.{}",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(63),
        "e".repeat(10)
    );
    let long_local = format!("{}@b.c", "a".repeat(70));
    for e in emails
        .iter()
        .map(|s| s.to_string())
        .chain([long_domain, long_local])
    {
        let mut m = data::valid();
        m.customer_email = e.clone();
        cases.push((format!("email {e:?}"), m));
    }
    for h in [
        "localhost",
        "a.b",
        "a-.b",
        "-a.b",
        "a_b.c",
        "123",
        "1.2.3.4",
        "a.123",
        "a.1b",
        "a..b",
        "a.b.",
        ".a",
        "é.com",
        "xn--e.com",
        &"a".repeat(64),
        "A.COM",
        "a.b..",
        "a.b.c.d.e.f",
    ] {
        let mut m = data::valid();
        m.origin_host = h.to_string();
        cases.push((format!("hostname {h:?}"), m));
    }
    for ip in [
        "1.2.3.4",
        "01.2.3.4",
        "1.2.3",
        "256.1.1.1",
        "::",
        "::1",
        "::ffff:1.2.3.4",
        "fe80::1%eth0",
        "fe80::1%",
        "1::2::3",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:9",
        "[::1]",
        " 1.2.3.4",
        "1.2.3.4/8",
        "0x1.2.3.4",
        "1.2.3.04",
    ] {
        let mut m = data::valid();
        m.client_ip = ip.to_string();
        cases.push((format!("ip {ip:?}"), m));
    }
    for u in [
        "https://a.b",
        "a:b",
        "/relative",
        "https://a.b/ c",
        "https://a.b/%zz",
        "https://a.b/é",
        "mailto:a@b.c",
        "https://[::1]:80/",
        "https://a.b:99999",
        "http://",
        "https://a.b/#frag#frag",
        "urn:isbn:123",
        "1http://a",
        "https://user:pw@a.b",
        "https://a.b/?q=a b",
        "https://a.b/?q=%20",
    ] {
        let mut m = data::valid();
        m.callback_url = u.to_string();
        cases.push((format!("uri {u:?}"), m));
    }
    for u in [
        "0F8FAD5B-D9CB-469F-A165-70867728950E",
        "0f8fad5bd9cb469fa16570867728950e",
        "00000000-0000-0000-0000-000000000000",
        "0f8fad5b-d9cb-469f-a165-70867728950g",
        "{0f8fad5b-d9cb-469f-a165-70867728950e}",
        "0f8fad5b-d9cb-969f-a165-70867728950e",
    ] {
        let mut m = data::valid();
        m.request_id = u.to_string();
        cases.push((format!("uuid {u:?}"), m));
    }
    for (n, s) in [("é", 1usize), ("👍", 1), ("e\u{301}", 2)] {
        let mut m = data::valid();
        m.shipping_address.as_mut().unwrap().country = n.repeat(2);
        cases.push((format!("country len {n:?}x2 ({s})"), m));
    }
    for d in [-0.0, f64::INFINITY, 0.5, 0.5000000001, f64::MIN_POSITIVE] {
        let mut m = data::valid();
        m.discount_rate = d;
        cases.push((format!("discount {d:?}"), m));
    }
    for (s, n) in [
        (3600, 0),
        (3599, 999_999_999),
        (1209600, 1),
        (1209600, 0),
        (-1, 0),
        (3600, -1),
    ] {
        let mut m = data::valid();
        m.delivery_window = Some(prost_types::Duration {
            seconds: s,
            nanos: n,
        });
        cases.push((format!("duration {s}s {n}ns"), m));
    }
    for (s, n) in [(1577836800, 1), (1577836800, 0), (1577836799, 999_999_999)] {
        let mut m = data::valid();
        m.requested_at = Some(prost_types::Timestamp {
            seconds: s,
            nanos: n,
        });
        cases.push((format!("timestamp {s}s {n}ns"), m));
    }
    for p in [-1, 4, 3, 0] {
        let mut m = data::valid();
        m.priority = p;
        cases.push((format!("priority {p}"), m));
    }
    for p in [
        "+1234567",
        "+12345678901234567",
        "+0123456789",
        "+１２３４５６７",
    ] {
        let mut m = data::valid();
        m.phone = p.into();
        cases.push((format!("phone {p:?}"), m));
    }
    {
        let mut m = data::valid();
        m.payment = Some(create_order_request::Payment::CardToken(String::new()));
        cases.push(("card_token empty".into(), m));
        let mut m = data::valid();
        m.payment = Some(create_order_request::Payment::VoucherCode(
            "ééééééééééé€".into(),
        ));
        cases.push(("voucher 12 chars".into(), m));
        let mut m = data::valid();
        m.metadata.insert("k".into(), "é".repeat(256));
        cases.push(("metadata value 256 chars".into(), m));
        let mut m = data::valid();
        m.items[0].tags = vec!["a".into(), "A".into(), "a".into(), "a".into()];
        cases.push(("tags triple".into(), m));
        let mut m = data::valid();
        m.items.clear();
        cases.push(("no items".into(), m));
        let mut m = data::valid();
        m.billing_address = Some(Address::default());
        cases.push(("empty billing".into(), m));
        let mut m = data::valid();
        m.shipping_address = Some(Address::default());
        cases.push(("empty shipping".into(), m));
        let mut m = data::valid();
        m.coupon = "a\u{a0}b".into();
        cases.push(("coupon nbsp".into(), m));
    }
    cases
}

#[test]
fn edge_cases_agree() {
    let cases = edge_cases();
    let mut rejected = 0;
    for (name, message) in &cases {
        let found = std::panic::catch_unwind(|| agree(message))
            .unwrap_or_else(|_| panic!("the validators disagree on {name}"));
        rejected += usize::from(!found.is_empty());
    }
    // Both outcomes are well represented.
    assert!(rejected > 50 && rejected < cases.len() - 40, "{rejected}");
}
