//! `TenantSchema`: checking JSON payloads at run time, without generated code. (Agreement with
//! the generated `validate()` is in generated-tests/tests/tenant_agreement.rs.)

use protogen_tenant::{CheckError, TenantSchema};
use serde_json::json;

const SCHEMA: &str = r#"{
  "schema_id": "user_v2",
  "strict": true,
  "fields": [
    {"name": "credit_score", "type": "int32", "required": true, "min": 300, "max": 850},
    {"name": "email", "type": "string", "format": "email"},
    {"name": "tier", "type": "Tier", "in": ["GOLD"]},
    {"name": "tags", "type": "list<string>", "max_items": 2, "items": {"min_len": 2}},
    {"name": "limits", "type": "map<string, uint64>", "values": {"max": 10}},
    {"name": "home", "type": "Address"},
    {"name": "born", "type": "timestamp"},
    {"name": "blob", "type": "bytes", "max_len": 2}
  ],
  "messages": [{"name": "Address", "strict": false, "fields": [{"name": "city", "type": "string", "required": true}]}],
  "enums": [{"name": "Tier", "values": ["GOLD", "SILVER"]}]
}"#;

/// `field: message [rule_id]`, one per violation.
fn check(payload: serde_json::Value) -> Vec<String> {
    let schema = TenantSchema::load(SCHEMA).unwrap();
    match schema.validate(&payload) {
        Ok(()) => Vec::new(),
        Err(CheckError::Violations(v)) => v.as_slice().iter().map(|v| v.to_string()).collect(),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn a_valid_payload_passes() {
    assert_eq!(
        check(json!({
            "credit_score": 700, "email": "a@b.example", "tier": "TIER_GOLD", "tags": ["ab"],
            "limits": {"x": 10}, "home": {"city": "Oslo", "extra": 1}, "born": "2000-01-01T00:00:00Z",
            "blob": "AAE="
        })),
        Vec::<String>::new()
    );
    // JSON names, enum numbers, numbers as strings, and null as absent are accepted too.
    assert_eq!(
        check(json!({"creditScore": "300", "tier": 1, "email": null})),
        Vec::<String>::new()
    );
}

#[test]
fn values_are_read_as_the_generated_codes_json_reader_reads_them() {
    // Each accepted or refused as `protogen::json::from_str` does (generated-tests'
    // tenant_agreement.rs checks this against the generated code on random payloads).
    let types = |payload| -> Vec<String> {
        check(payload)
            .into_iter()
            .filter(|v| v.ends_with("[tenant.type]"))
            .collect()
    };
    assert_eq!(
        types(json!({"credit_score": 700.0, "blob": "AAE"})),
        Vec::<String>::new()
    );
    assert_eq!(types(json!({"credit_score": "7e2"})), Vec::<String>::new());
    assert_eq!(
        types(json!({"credit_score": "+5", "tier": "GOLD", "born": "2000-01-01t00:00:00z"})),
        [
            "credit_score: expected int32 (a number or a decimal string), found string \"+5\" [tenant.type]",
            "tier: expected an enum value name or number, found string \"GOLD\" [tenant.type]",
            "born: expected a Timestamp: RFC 3339 `1972-01-01T10:00:20.021Z` (or with an offset), 0001-01-01 to 9999-12-31, found string \"2000-01-01t00:00:00z\" [tenant.type]",
        ]
    );
    assert_eq!(
        types(json!({"limits": {"x": "1e400", "y": -1}, "creditScore": 1, "credit_score": 1})),
        [
            "credit_score: the field is given twice, as `credit_score` and as `creditScore` [tenant.type]",
            "limits[\"x\"]: expected an integer (uint64), found string \"1e400\" [tenant.type]",
            "limits[\"y\"]: expected uint64 in [0, 18446744073709551615], found number -1 [tenant.type]",
        ]
    );
}

#[test]
fn every_violation_with_its_path_rule_and_message() {
    assert_eq!(
        check(json!({
            "email": "nope", "tier": "TIER_SILVER", "tags": ["a", "bb", "cc"], "limits": {"x": 11},
            "home": {}, "colour": "red"
        })),
        [
            "credit_score: value is required [required]",
            "email: must be a valid email address [string.email]",
            "tier: must be in list [1] [enum.in]",
            "tags: must contain no more than 2 item(s) [repeated.max_items]",
            "tags[0]: must be at least 2 characters [string.min_len]",
            "limits[\"x\"]: must be less than or equal to 10 [uint64.lte]",
            "home.city: value is required [required]",
            "unknown field `colour` (UserV2 is strict) [tenant.unknown_field]",
        ]
    );
}

#[test]
fn values_of_the_wrong_type_are_violations_too() {
    assert_eq!(
        check(json!({
            "credit_score": 1.5, "email": 3, "tier": "BRONZE", "tags": "a", "limits": [],
            "home": "Oslo", "born": "yesterday", "blob": "%%%"
        })),
        [
            "credit_score: expected an integer (int32), found number 1.5 [tenant.type]",
            "email: expected string, found number 3 [tenant.type]",
            "tier: expected an enum value name or number, found string \"BRONZE\" [tenant.type]",
            "tags: expected a list, found string \"a\" [tenant.type]",
            "limits: expected an object (a map), found an array [tenant.type]",
            "home: expected an object (Address), found string \"Oslo\" [tenant.type]",
            "born: expected a Timestamp: RFC 3339 `1972-01-01T10:00:20.021Z` (or with an offset), 0001-01-01 to 9999-12-31, found string \"yesterday\" [tenant.type]",
            "blob: expected bytes (standard or URL-safe base64): Invalid symbol 37, offset 0., found string \"%%%\" [tenant.type]",
        ]
    );
    assert_eq!(
        check(json!([1])),
        ["expected an object (UserV2), found an array [tenant.type]"]
    );
}

#[test]
fn messages_are_named_by_their_path() {
    let schema = TenantSchema::load(SCHEMA).unwrap();
    assert!(
        schema
            .validate_message("Address", &json!({"city": "Oslo"}))
            .is_ok()
    );
    let err = schema.validate_message("Nope", &json!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no message `Nope` in the schema (Address, UserV2)"
    );
}

#[test]
fn defaults_fill_absent_fields() {
    let schema = TenantSchema::load(
        r#"{"schema_id": "s", "fields": [
          {"name": "priority", "type": "int32", "default": 3},
          {"name": "tier", "type": "Tier", "default": "GOLD"},
          {"name": "lines", "type": "list<Line>"}
        ], "messages": [{"name": "Line", "fields": [{"name": "qty", "type": "uint32", "default": 1}]}],
           "enums": [{"name": "Tier", "values": ["GOLD"]}]}"#,
    )
    .unwrap();
    let mut payload = json!({"priority": null, "lines": [{}, {"qty": 5}]});
    schema.fill_defaults(&mut payload);
    // An enum default is filled in by its proto name, as payloads name enum values.
    assert_eq!(
        payload,
        json!({"priority": 3, "tier": "TIER_GOLD", "lines": [{"qty": 1}, {"qty": 5}]})
    );
    assert!(schema.validate(&payload).is_ok());
}
