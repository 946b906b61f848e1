//! The run-time check of a JSON payload against a tenant schema (`TenantSchema`, no code
//! generated) and the generated `validate()` report the same violations — field paths, rule
//! paths, rule ids, messages — on the same payloads.
//!
//! Each payload is turned into the generated prost type through protobuf's JSON mapping
//! (prost-reflect reads it against the lowered descriptor, and the bytes are decoded by prost),
//! then validated as an owned message and as a view; the tenant schema checks the JSON itself.

use prost::Message;
use prost_reflect::{DescriptorPool, DeserializeOptions, DynamicMessage};
use protogen::{Validate, Violation};
use protogen_generated_tests::{acme, globex, hooli, initech};
use protogen_tenant::{LoadedFile, TenantSchema};

struct Tenant {
    schema: TenantSchema,
    pool: DescriptorPool,
    package: String,
}

fn tenant(path: &str) -> Tenant {
    let path = std::path::Path::new("../schemas/tenants").join(path);
    let loaded: LoadedFile = protogen_tenant::load_file(&path, "t.json").unwrap();
    assert!(loaded.lock_is_current());
    let mut pool = DescriptorPool::global();
    pool.add_file_descriptor_proto(loaded.compiled.file.clone())
        .unwrap();
    Tenant {
        package: loaded.compiled.file.package().to_owned(),
        schema: TenantSchema::from_compiled(loaded.compiled),
        pool,
    }
}

fn violations(result: Result<(), protogen::Violations>) -> Vec<Violation> {
    match result {
        Ok(()) => Vec::new(),
        Err(v) => v.as_slice().to_vec(),
    }
}

/// Checks every payload both ways and returns how many had violations.
fn agree<T>(tenant: &Tenant, message: &str, payloads: &[&str]) -> usize
where
    T: protogen::Owned + Validate,
    for<'a> T::View<'a>: Validate,
{
    let descriptor = tenant
        .pool
        .get_message_by_name(&format!("{}.{message}", tenant.package))
        .unwrap();
    let mut invalid = 0;
    for payload in payloads {
        let json: serde_json::Value = serde_json::from_str(payload).unwrap();
        let from_schema = match tenant.schema.validate_message(message, &json) {
            Ok(()) => Vec::new(),
            Err(protogen_tenant::CheckError::Violations(v)) => v.as_slice().to_vec(),
            Err(other) => panic!("{other}"),
        };
        let mut de = serde_json::Deserializer::from_str(payload);
        let dynamic = DynamicMessage::deserialize_with_options(
            descriptor.clone(),
            &mut de,
            &DeserializeOptions::new().deny_unknown_fields(false),
        )
        .unwrap_or_else(|e| panic!("{payload}: {e}"));
        let bytes = dynamic.encode_to_vec();
        let owned = T::decode(bytes.as_slice()).unwrap();
        let generated = violations(owned.validate());
        assert_eq!(from_schema, generated, "{message} {payload}");
        let view = T::view(&bytes).unwrap();
        assert_eq!(
            violations(view.validate()),
            generated,
            "view of {message} {payload}"
        );
        if !generated.is_empty() {
            invalid += 1;
        }
    }
    invalid
}

#[test]
fn tickets() {
    let t = tenant("initech/ticket.json");
    let invalid = agree::<initech::ticket::Ticket>(
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
            r#"{"title": "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"}"#,
        ],
    );
    assert_eq!(invalid, 7);
}

#[test]
fn users() {
    let t = tenant("acme/user_v2.json");
    let invalid = agree::<acme::user::v2::User>(
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
    let invalid = agree::<globex::orders::v1::Order>(
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
                "signature": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "coupon_codes": ["VIP", "VIP", "FREE"], "attributes": {"": "x"}}"#,
            r#"{"order_id": "ORD-000001", "customer": {"name": "H"}, "lines": [], "status": 9, "placed_at": "2024-01-02T03:04:05Z"}"#,
        ],
    );
    assert_eq!(invalid, 3);
    let customers = agree::<globex::orders::v1::Customer>(
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

mod random {
    //! Random well-typed payloads (values around every constraint's edges) for each message:
    //! the run-time check and the generated code agree on all of them.

    use base64::Engine as _;
    use proptest::prelude::*;
    use protogen_rules::Scalar;
    use protogen_tenant::{Kind, Schema, Shape};
    use serde_json::{Value, json};

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

    fn value(schema: &Schema, kind: &Kind, depth: usize) -> BoxedStrategy<Value> {
        match kind {
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
            Kind::Message(i) => message(schema, *i, depth + 1),
        }
    }

    pub(super) fn message(schema: &Schema, index: usize, depth: usize) -> BoxedStrategy<Value> {
        if depth > 2 {
            return Just(json!({})).boxed();
        }
        let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = schema.messages[index]
            .fields
            .iter()
            .map(|f| {
                let name = f.name.clone();
                let present: BoxedStrategy<Value> = match &f.shape {
                    Shape::Single(k) => value(schema, k, depth),
                    Shape::List(k) => prop::collection::vec(value(schema, k, depth), 0..4)
                        .prop_map(Value::Array)
                        .boxed(),
                    // One entry at most: the generated code walks a HashMap, in no fixed order.
                    Shape::Map(key, v) => {
                        let keys: Vec<&str> = match key {
                            Scalar::String => vec!["", "k", "gift_wrap"],
                            Scalar::Bool => vec!["true", "false"],
                            Scalar::Uint32 | Scalar::Uint64 | Scalar::Fixed32 | Scalar::Fixed64 => {
                                vec!["0", "7"]
                            }
                            _ => vec!["-3", "0", "7"],
                        };
                        let keys: Vec<String> = keys.into_iter().map(str::to_owned).collect();
                        prop::option::of((prop::sample::select(keys), value(schema, v, depth)))
                            .prop_map(|entry| Value::Object(entry.into_iter().collect()))
                            .boxed()
                    }
                };
                prop::option::of(present)
                    .prop_map(move |v| v.map(|v| (name.clone(), v)))
                    .boxed()
            })
            .collect();
        fields
            .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()))
            .boxed()
    }
}

macro_rules! random_agreement {
    ($name:ident, $file:literal, $message:literal, $ty:ty) => {
        proptest::proptest! {
            #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
            #[test]
            fn $name(payload in {
                let t = tenant($file);
                let index = t.schema.schema().by_name[$message];
                random::message(t.schema.schema(), index, 0)
            }) {
                let t = tenant($file);
                agree::<$ty>(&t, $message, &[payload.to_string().as_str()]);
            }
        }
    };
}

random_agreement!(
    random_tickets,
    "initech/ticket.json",
    "Ticket",
    initech::ticket::Ticket
);
random_agreement!(
    random_users,
    "acme/user_v2.json",
    "User",
    acme::user::v2::User
);
random_agreement!(
    random_orders,
    "globex/orders.json",
    "Order",
    globex::orders::v1::Order
);
random_agreement!(
    random_customers,
    "globex/orders.json",
    "Customer",
    globex::orders::v1::Customer
);
random_agreement!(
    random_edge_cases,
    "hooli/edge_cases.json",
    "EdgeCases",
    hooli::edge_cases::EdgeCases
);
