//! Both validators agree on the benchmark's data: the same violations (field paths, rule ids,
//! rule paths, whether a map key failed) for every message the benchmark times, and for harsher
//! cases. Checked before trusting the timings: a validator that checks less would look faster.
//!
//! Messages are not compared: they are free text in protovalidate (its conformance suite does
//! not check them either), and prost-protovalidate's differ from the ones `validate.proto`
//! defines, which protogen uses (`messages_differ` shows how).

use prost::Message as _;
use protogen_bench_validate::bench::v1::{CreateOrderRequest, CreateOrderRequestView};
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

fn theirs(message: &CreateOrderRequest) -> Vec<Found> {
    let validator = prost_protovalidate::Validator::new();
    protovalidate_violations(&validator, &to_dynamic(message))
}

/// protogen (owned and view) and prost-protovalidate report the same violations; returns
/// protogen's.
fn agree(message: &CreateOrderRequest) -> Vec<Found> {
    let ours = protogen_violations(message);
    let mut expected = keys(&theirs(message));
    // The one known difference: a required oneof left unset. prost-protovalidate (like
    // protovalidate-go) gives that violation no rule path, as the rule is `OneofRules.required`
    // rather than a field rule; protogen names it `required`.
    for key in &mut expected {
        if key.0 == "payment" && key.1 == "required" {
            assert_eq!(
                key.2, "",
                "prost-protovalidate now gives a rule path: update"
            );
            key.2 = "required".into();
        }
    }
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

/// Where the messages differ, protogen's are `validate.proto`'s; prost-protovalidate's are
/// older wordings, or empty for the format rules. Pinned, to notice when either side changes.
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
            "enum.defined_only",
            "int64.gte_lt",
            "repeated.max_items",
            "repeated.min_items",
            "repeated.unique",
            "required",
            "string.email",
            "string.email_empty",
            "string.hostname",
            "string.hostname_empty",
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
