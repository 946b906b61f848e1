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
use protogen_generated_tests::{acme, globex, initech};
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
