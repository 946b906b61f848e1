//! The run-time check of a JSON payload against a tenant schema (`TenantSchema`, no code
//! generated) and the generated code agree on every payload:
//!
//! - the checker reports a `tenant.type` violation exactly when the generated type's
//!   `protogen::json::from_str` refuses the payload;
//! - otherwise it reports the same violations — field paths, rule paths, rule ids, messages,
//!   order — as the generated `validate()` of the decoded message and of its view.
//!
//! Both sides take their rules from one check plan (`protogen_rules::plan`) and read values
//! with the runtime's JSON readers; these tests hold them to it on hand-written payloads and on
//! random ones, well- and ill-typed, with values around every constraint's edge and every edge
//! of the JSON mapping (`"inf"`, `"1e400"`, `"+5"`, `"1e2"`, `-0`, bad base64, timestamps with
//! a lower-case `t`, numbers out of range, values of the wrong JSON type).

use protogen::json::JsonMessage;
use protogen::{Validate, Violation};
use protogen_generated_tests::{acme, globex, hooli, initech};
use protogen_tenant::{LoadedFile, TenantSchema};

fn tenant(path: &str) -> TenantSchema {
    let path = std::path::Path::new("../schemas/tenants").join(path);
    let loaded: LoadedFile = protogen_tenant::load_file(&path, "t.json").unwrap();
    assert!(loaded.lock_is_current());
    TenantSchema::from_compiled(loaded.compiled)
}

fn violations(result: Result<(), protogen::Violations>) -> Vec<Violation> {
    match result {
        Ok(()) => Vec::new(),
        Err(v) => v.as_slice().to_vec(),
    }
}

/// What one payload turned out to be, on which both sides agreed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// `from_str` refused it, and the checker found a type violation.
    Refused,
    /// Read by both, and valid.
    Valid,
    /// Read by both, with the same rule violations.
    Invalid,
}

/// Checks one payload both ways (panicking where they disagree) and says what it was.
fn agree<T>(schema: &TenantSchema, message: &str, payload: &str) -> Outcome
where
    T: protogen::Owned + Validate + JsonMessage,
    for<'a> T::View<'a>: Validate,
{
    let json: serde_json::Value = serde_json::from_str(payload).unwrap();
    let from_schema = match schema.validate_message(message, &json) {
        Ok(()) => Vec::new(),
        Err(protogen_tenant::CheckError::Violations(v)) => v.as_slice().to_vec(),
        Err(other) => panic!("{other}"),
    };
    let type_errors: Vec<&Violation> = from_schema
        .iter()
        .filter(|v| v.rule_id == "tenant.type")
        .collect();
    let owned = match protogen::json::from_str::<T>(payload) {
        Err(errors) => {
            assert!(
                !type_errors.is_empty(),
                "{message} {payload}: from_str refuses it ({errors}), the checker finds no type \
                 violation: {from_schema:?}"
            );
            return Outcome::Refused;
        }
        Ok(owned) => owned,
    };
    assert!(
        type_errors.is_empty(),
        "{message} {payload}: from_str reads it, the checker finds type violations: {type_errors:?}"
    );
    let generated = violations(owned.validate());
    assert_eq!(from_schema, generated, "{message} {payload}");
    let bytes = owned.encode_to_vec();
    let view = T::view(&bytes).unwrap();
    assert_eq!(
        violations(view.validate()),
        generated,
        "view of {message} {payload}"
    );
    if generated.is_empty() {
        Outcome::Valid
    } else {
        Outcome::Invalid
    }
}

/// Checks every payload both ways and returns how many had rule violations.
fn agree_all<T>(schema: &TenantSchema, message: &str, payloads: &[&str]) -> usize
where
    T: protogen::Owned + Validate + JsonMessage,
    for<'a> T::View<'a>: Validate,
{
    payloads
        .iter()
        .filter(|p| agree::<T>(schema, message, p) == Outcome::Invalid)
        .count()
}

#[test]
fn tickets() {
    let t = tenant("initech/ticket.json");
    let invalid = agree_all::<initech::ticket::Ticket>(
        &t,
        "Ticket",
        &[
            r#"{"title": "Printer on fire", "reporterEmail": "milton@initech.example", "priority": 5, "labels": ["hardware", "urgent"]}"#,
            r#"{}"#,
            r#"{"title": "Hi"}"#,
            r#"{"title": "Stapler", "reporter_email": "not an email", "priority": 0}"#,
            r#"{"title": "Stapler", "reporter_email": "", "priority": 6}"#,
            r#"{"title": "Stapler", "labels": ["a", "a", "B!"]}"#,
            r#"{"title": "Stapler", "labels": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]}"#,
            r#"{"title": "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"}"#,
        ],
    );
    assert_eq!(invalid, 7);
}

#[test]
fn users() {
    let t = tenant("acme/user_v2.json");
    let invalid = agree_all::<acme::user::v2::User>(
        &t,
        "User",
        &[
            r#"{"id": "2b7e1516-28ae-4d2a-a6f7-15884e0a2fbd", "primaryEmail": "wile@acme.example", "tier": "TIER_GOLD", "creditScore": 700,
                "addresses": [{"line1": "1 Desert Rd", "city": "Mesa", "country": "US"}], "homepage": "https://acme.example/wile",
                "signedUpAt": "2024-01-02T03:04:05Z"}"#,
            r#"{"id": "nope", "primary_email": "x", "tier": "TIER_BANNED", "credit_score": 299}"#,
            r#"{"id": "", "primary_email": "wile@acme.example", "tier": 7, "credit_score": 851, "homepage": "not a uri"}"#,
            r#"{"id": "2b7e1516-28ae-4d2a-a6f7-15884e0a2fbd", "primaryEmail": "w@a.b",
                "addresses": [{"city": "Mesa"}, {"line1": "", "city": "X", "country": "usa"}, {}, {}, {}, {}]}"#,
            r#"{"primaryEmail": "w@a.b", "tier": "TIER_UNSPECIFIED"}"#,
        ],
    );
    assert_eq!(invalid, 4);
}

#[test]
fn orders_and_customers() {
    let t = tenant("globex/orders.json");
    let invalid = agree_all::<globex::orders::v1::Order>(
        &t,
        "Order",
        &[
            r#"{"orderId": "ORD-000042", "customer": {"name": "Hank"}, "lines": [{"sku": "D-1", "quantity": 1, "kind": "KIND_PHYSICAL"}],
                "status": "STATUS_PAID", "placedAt": "2024-01-02T03:04:05Z", "shipWithin": "86400s",
                "attributes": {"wrap": "gold"}, "quantities": {"7": "-2"}, "totalCents": "100", "discount": 0.5, "gift": true,
                "signature": "AQID", "couponCodes": ["VIP", "SPRING"]}"#,
            r#"{}"#,
            r#"{"order_id": "ORD-12", "customer": {"name": "", "email": "nope", "host": "-bad-", "level": 9, "ratio": 10, "small": 4, "wide_offset": "0"},
                "lines": [{"sku": "", "quantity": 0, "kind": "KIND_SERVICE", "unit_price_cents": -1}],
                "status": "STATUS_UNSPECIFIED", "placed_at": "2024-01-02T03:04:05Z", "total_cents": 0, "discount": 1.5,
                "signature": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "coupon_codes": ["VIP", "VIP", "FREE"], "attributes": {"": "x"}}"#,
            r#"{"order_id": "ORD-000001", "customer": {"name": "H"}, "lines": [], "status": 9, "placed_at": "2024-01-02T03:04:05Z"}"#,
        ],
    );
    assert_eq!(invalid, 3);
    let customers = agree_all::<globex::orders::v1::Customer>(
        &t,
        "Customer",
        &[
            r#"{"name": "Hank", "email": "hank@globex.example", "host": "globex.example", "level": -5, "ratio": 9.5, "small": 3, "wideOffset": "-1"}"#,
            r#"{"name": "Hank", "ratio": 10.0, "level": -6}"#,
            r#"{"ratio": "NaN"}"#,
        ],
    );
    assert_eq!(customers, 2);
}

/// The values the issue found read differently by the old checker and `from_str`: each now
/// refused (or read) by both alike.
#[test]
fn edge_values_of_the_json_mapping() {
    let t = tenant("globex/orders.json");
    let outcomes: Vec<Outcome> = [
        r#"{"name": "H", "ratio": "inf"}"#,
        r#"{"name": "H", "ratio": "nan"}"#,
        r#"{"name": "H", "ratio": "1e400"}"#,
        r#"{"name": "H", "ratio": 3.5e38}"#,
        r#"{"name": "H", "ratio": "-0"}"#,
        r#"{"name": "H", "level": "+5"}"#,
        r#"{"name": "H", "level": "1e2"}"#,
        r#"{"name": "H", "level": 1e2}"#,
        r#"{"name": "H", "wideOffset": "-0"}"#,
        r#"{"name": "H", "wide_offset": "1", "wideOffset": "1"}"#,
    ]
    .iter()
    .map(|p| agree::<globex::orders::v1::Customer>(&t, "Customer", p))
    .collect();
    use Outcome::*;
    assert_eq!(
        outcomes,
        [
            Refused, Refused, Refused, Refused, Valid, Refused, Invalid, Invalid, Invalid, Refused
        ]
    );
}

mod random {
    //! Random payloads for each message: every field absent or given (under its proto or JSON
    //! name, now and then under both), its value around its constraints' edges or, in half of
    //! the payloads, now and then any of a pool of values the JSON mapping reads oddly or
    //! refuses.

    use base64::Engine as _;
    use proptest::prelude::*;
    use protogen_rules::Scalar;
    use protogen_tenant::{Kind, Schema, Shape};
    use serde_json::{Value, json};

    /// Values at the edges of the JSON mapping (and of the wrong JSON type for most fields).
    fn odd() -> BoxedStrategy<Value> {
        prop::sample::select(vec![
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(100.0),
            json!(-0.0),
            json!(2147483648u64),
            json!(-2147483649i64),
            json!(4294967296u64),
            json!(9007199254740993u64),
            json!(18446744073709551615u64),
            json!(3.5e38),
            json!(1e300),
            json!(""),
            json!("1"),
            json!("+5"),
            json!("1e2"),
            json!("1.0"),
            json!(" 1"),
            json!("0x10"),
            json!("-0"),
            json!("inf"),
            json!("nan"),
            json!("NaN"),
            json!("Infinity"),
            json!("-Infinity"),
            json!("1e400"),
            json!("9223372036854775808"),
            json!("-9223372036854775809"),
            json!("18446744073709551616"),
            json!("true"),
            json!("AAE="),
            json!("AAE"),
            json!("-_8"),
            json!("%%%"),
            json!("2024-01-02T03:04:05Z"),
            json!("2024-01-02t03:04:05z"),
            json!("2024-01-02T03:04:60Z"),
            json!("2024-01-02T03:04:05.1234567891Z"),
            json!("2024-01-02T03:04:05+01:00"),
            json!("1.5s"),
            json!("1.5"),
            json!("-0.5s"),
            json!("1e3s"),
            json!("GOLD"),
            json!("TIER_GOLD"),
            json!("KIND_PHYSICAL"),
            json!("NONE"),
            json!([]),
            json!([1]),
            json!({}),
            json!({"x": 1}),
        ])
        .boxed()
    }

    fn scalar(s: Scalar) -> BoxedStrategy<Value> {
        let ints: &[i64] = &[0, 1, -1, -5, -6, 3, 4, 5, 6, 299, 300, 850, 851, 1000, 1001];
        match s {
            Scalar::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Scalar::String => prop::sample::select(vec![
                "".to_owned(),
                "a".into(),
                "ab".into(),
                "Hi".into(),
                "Printer".into(),
                "ORD-000042".into(),
                "ORD-12".into(),
                "hank@globex.example".into(),
                "not an email".into(),
                "VIP".into(),
                "FREE".into(),
                "globex.example".into(),
                "-bad-".into(),
                "2b7e1516-28ae-4d2a-a6f7-15884e0a2fbd".into(),
                "https://acme.example/x".into(),
                "US".into(),
                "usa".into(),
                "hard-ware".into(),
                "é".repeat(121),
            ])
            .prop_map(Value::String)
            .boxed(),
            Scalar::Bytes => prop::sample::select(vec![0usize, 1, 2, 3, 512, 513])
                .prop_map(|n| {
                    Value::String(base64::engine::general_purpose::STANDARD.encode(vec![7u8; n]))
                })
                .boxed(),
            Scalar::Double | Scalar::Float => {
                prop::sample::select(vec![0.0, 0.5, 1.0, 1.5, 9.5, 10.0, -1.0])
                    .prop_map(|f| json!(f))
                    .boxed()
            }
            Scalar::Uint32 | Scalar::Uint64 | Scalar::Fixed32 | Scalar::Fixed64 => {
                prop::sample::select(ints.iter().copied().filter(|i| *i >= 0).collect::<Vec<_>>())
                    .prop_map(|i| json!(i))
                    .boxed()
            }
            Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => {
                prop::sample::select(ints.to_vec())
                    .prop_map(|i| Value::String(i.to_string()))
                    .boxed()
            }
            _ => prop::sample::select(ints.to_vec())
                .prop_map(|i| json!(i))
                .boxed(),
        }
    }

    /// A value of `kind`: well-typed, or (when `odd`, one time in five) from the odd pool.
    fn value(schema: &Schema, kind: &Kind, depth: usize, odd_ones: bool) -> BoxedStrategy<Value> {
        let typed = match kind {
            Kind::Scalar(s) => scalar(*s),
            Kind::Enum(i) => {
                let e = &schema.enums[*i];
                let mut names: Vec<Value> = e
                    .values
                    .iter()
                    .map(|v| Value::String(v.proto_name.clone()))
                    .collect();
                names.push(Value::String(e.unspecified.clone()));
                names.push(json!(9));
                prop::sample::select(names).boxed()
            }
            Kind::Timestamp => prop::sample::select(vec![
                "1970-01-01T00:00:00Z",
                "1999-12-31T23:59:59.5Z",
                "2000-01-01T00:00:00Z",
                "2024-01-02T03:04:05+02:00",
                "2999-01-01T00:00:00Z",
            ])
            .prop_map(|t| json!(t))
            .boxed(),
            Kind::Duration => prop::sample::select(vec![
                "0s",
                "-1s",
                "1.5s",
                "60s",
                "3600s",
                "2592000s",
                "2592000.5s",
            ])
            .prop_map(|d| json!(d))
            .boxed(),
            Kind::Message(i) => message(schema, *i, depth + 1, odd_ones),
        };
        if odd_ones {
            prop_oneof![4 => typed, 1 => odd()].boxed()
        } else {
            typed
        }
    }

    fn map_key(key: Scalar, odd_ones: bool) -> BoxedStrategy<String> {
        let mut keys: Vec<&str> = match key {
            Scalar::String => vec!["", "k", "gift_wrap"],
            Scalar::Bool => vec!["true", "false"],
            Scalar::Uint32 | Scalar::Uint64 | Scalar::Fixed32 | Scalar::Fixed64 => vec!["0", "7"],
            _ => vec!["-3", "0", "7"],
        };
        if odd_ones {
            keys.extend(["+1", "01", "1.5", "True", "4294967296", "-1", "x"]);
        }
        let keys: Vec<String> = keys.into_iter().map(str::to_owned).collect();
        prop::sample::select(keys).boxed()
    }

    fn field_value(
        schema: &Schema,
        shape: &Shape,
        depth: usize,
        odd_ones: bool,
    ) -> BoxedStrategy<Value> {
        let present: BoxedStrategy<Value> = match shape {
            Shape::Single(k) => value(schema, k, depth, odd_ones),
            Shape::List(k) => prop::collection::vec(value(schema, k, depth, odd_ones), 0..4)
                .prop_map(Value::Array)
                .boxed(),
            // One entry at most: the generated code walks a HashMap, in no fixed order.
            Shape::Map(key, v) => {
                prop::option::of((map_key(*key, odd_ones), value(schema, v, depth, odd_ones)))
                    .prop_map(|entry| Value::Object(entry.into_iter().collect()))
                    .boxed()
            }
        };
        if odd_ones {
            prop_oneof![6 => present, 1 => odd()].boxed()
        } else {
            present
        }
    }

    pub(super) fn message(
        schema: &Schema,
        index: usize,
        depth: usize,
        odd_ones: bool,
    ) -> BoxedStrategy<Value> {
        if depth > 2 {
            return Just(json!({})).boxed();
        }
        let fields: Vec<BoxedStrategy<Vec<(String, Value)>>> = schema.messages[index]
            .fields
            .iter()
            .map(|f| {
                let (name, json_name) = (f.name.clone(), f.json_name.clone());
                // 0: absent, 1: proto name, 2: JSON name, 3: both (odd payloads only).
                let names = if odd_ones { 0..4usize } else { 0..3usize };
                (names, field_value(schema, &f.shape, depth, odd_ones))
                    .prop_map(move |(how, v)| match how {
                        0 => vec![],
                        1 => vec![(name.clone(), v)],
                        2 => vec![(json_name.clone(), v)],
                        _ => vec![(name.clone(), v.clone()), (json_name.clone(), v)],
                    })
                    .boxed()
            })
            .collect();
        fields
            .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()))
            .boxed()
    }

    /// Half the payloads well-typed, half with odd values.
    pub(super) fn payload(schema: &Schema, index: usize) -> BoxedStrategy<Value> {
        prop_oneof![
            message(schema, index, 0, false),
            message(schema, index, 0, true)
        ]
        .boxed()
    }
}

/// Random payloads of one message: both sides agree on each, and the run met each outcome
/// (payloads refused, valid, and with violations) often enough to mean something.
fn random_agreement<T>(file: &str, message: &str)
where
    T: protogen::Owned + Validate + JsonMessage,
    for<'a> T::View<'a>: Validate,
{
    use proptest::test_runner::{Config, TestRunner};
    const CASES: u32 = 256;
    let schema = tenant(file);
    let index = schema.schema().by_name[message];
    let strategy = random::payload(schema.schema(), index);
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    let seen = std::cell::RefCell::new([0usize; 3]);
    runner
        .run(&strategy, |payload| {
            let outcome = agree::<T>(&schema, message, &payload.to_string());
            seen.borrow_mut()[outcome as usize] += 1;
            Ok(())
        })
        .unwrap();
    let [refused, valid, invalid] = *seen.borrow();
    assert!(
        refused >= 16 && valid + invalid >= 64 && invalid >= 16,
        "{message}: too few payloads of some outcome to mean much: {refused} refused, {valid} \
         valid, {invalid} with violations"
    );
}

#[test]
fn random_tickets() {
    random_agreement::<initech::ticket::Ticket>("initech/ticket.json", "Ticket");
}

#[test]
fn random_users() {
    random_agreement::<acme::user::v2::User>("acme/user_v2.json", "User");
}

#[test]
fn random_orders() {
    random_agreement::<globex::orders::v1::Order>("globex/orders.json", "Order");
}

#[test]
fn random_customers() {
    random_agreement::<globex::orders::v1::Customer>("globex/orders.json", "Customer");
}

#[test]
fn random_edge_cases() {
    random_agreement::<hooli::edge_cases::EdgeCases>("hooli/edge_cases.json", "EdgeCases");
}
