//! Generated `validate()`: each rule family valid and invalid, with protovalidate's field paths,
//! rule ids and messages; presence and `ignore`; oneofs; nesting; fail-fast; and views giving
//! the same violations as the owned message they were encoded from.

use prost::Message as _;
use protogen::{Validate, View};
use protogen_generated_tests::validation::v1::*;

/// `(field path, rule id, message)` of every violation, in order.
fn violations<M: Validate>(message: &M) -> Vec<(String, String, String)> {
    match message.validate() {
        Ok(()) => Vec::new(),
        Err(all) => all
            .iter()
            .map(|v| (v.field_path(), v.rule_id.clone(), v.message.clone()))
            .collect(),
    }
}

fn v(path: &str, id: &str, message: &str) -> (String, String, String) {
    (path.into(), id.into(), message.into())
}

fn valid_numbers() -> Numbers {
    Numbers {
        gt: 1,
        range: 10,
        exclusive: 21,
        konst: 7,
        r#in: 2,
        not_in: 1,
        finite: 1.0,
        lte: 1.5,
        maybe: None,
        ignored_zero: 0,
        sint: 0,
        fixed: 10,
        sfixed: 0,
    }
}

#[test]
fn numbers_valid() {
    assert_eq!(violations(&valid_numbers()), vec![]);
    let mut n = valid_numbers();
    n.exclusive = 5; // below lt: the exclusive range admits it
    n.maybe = Some(101);
    n.ignored_zero = 6;
    assert_eq!(violations(&n), vec![]);
}

#[test]
fn numbers_invalid() {
    let n = Numbers {
        gt: 0,
        range: 20,
        exclusive: 15,
        konst: 8,
        r#in: 4,
        not_in: 0,
        finite: f64::NAN,
        lte: 1.75,
        maybe: Some(100),
        ignored_zero: 3,
        sint: -6,
        fixed: 11,
        sfixed: -1,
    };
    assert_eq!(
        violations(&n),
        vec![
            v("gt", "int32.gt", "must be greater than 0"),
            v(
                "range",
                "int64.gte_lt",
                "must be greater than or equal to 10 and less than 20"
            ),
            v(
                "exclusive",
                "uint32.gt_lt_exclusive",
                "must be greater than 20 or less than 10"
            ),
            v("konst", "sint32.const", "must equal 7"),
            v("in", "fixed64.in", "must be in list [1, 2, 3]"),
            v("not_in", "sfixed32.not_in", "must not be in list [0]"),
            v("finite", "double.finite", "must be finite"),
            v("lte", "float.lte", "must be less than or equal to 1.5"),
            v("maybe", "int32.gt", "must be greater than 100"),
            v("ignored_zero", "uint64.gt", "must be greater than 5"),
            v(
                "sint",
                "sint64.gte_lte",
                "must be greater than or equal to -5 and less than or equal to 5"
            ),
            v("fixed", "fixed32.lte", "must be less than or equal to 10"),
            v("sfixed", "sfixed64.gt", "must be greater than -1"),
        ]
    );
}

#[test]
fn violation_carries_rule_path_and_number() {
    let mut n = valid_numbers();
    n.exclusive = 15;
    let all = n.validate().unwrap_err();
    let violation = &all[0];
    assert_eq!(violation.rule, "uint32.gt");
    assert_eq!(violation.field[0].field_number, 3);
    assert!(!violation.for_key);
    assert_eq!(
        all.to_string(),
        "exclusive: must be greater than 20 or less than 10 [uint32.gt_lt_exclusive]"
    );
}

fn valid_strings() -> Strings {
    Strings {
        min_len: "abc".into(),
        max_len: "abcde".into(),
        len: "é€".into(),
        bytes_len: "é€".into(), // 2 + 3 bytes would be 5: use 4 below
        pattern: "abc-12".into(),
        prefix: "abmyz".into(),
        not_contains: "good".into(),
        r#in: "a".into(),
        not_in: "y".into(),
        konst: "exact".into(),
        email: "me@example.com".into(),
        hostname: "example.com".into(),
        ip: "::1".into(),
        uri: "https://example.com/x".into(),
        uuid: "550e8400-e29b-41d4-a716-446655440000".into(),
        header: "content-type".into(),
        optional_email: String::new(),
        maybe: None,
        host_port: "example.com:443".into(),
        required: "x".into(),
    }
}

#[test]
fn strings_valid() {
    let mut s = valid_strings();
    s.bytes_len = "éé".into();
    assert_eq!(violations(&s), vec![]);
}

#[test]
fn strings_invalid() {
    let s = Strings {
        min_len: "ab".into(),
        max_len: "abcdef".into(),
        len: "abc".into(),
        bytes_len: "€€".into(),
        pattern: "ABC".into(),
        prefix: "xmz".into(),
        not_contains: "so bad".into(),
        r#in: "c".into(),
        not_in: "x".into(),
        konst: "other".into(),
        email: "not an email".into(),
        hostname: "-bad-".into(),
        ip: "1.2.3".into(),
        uri: "/relative".into(),
        uuid: "nope".into(),
        header: "bad header".into(),
        optional_email: "still@bad@".into(),
        maybe: Some("a".into()),
        host_port: "example.com".into(),
        required: String::new(),
    };
    assert_eq!(
        violations(&s),
        vec![
            v("min_len", "string.min_len", "must be at least 3 characters"),
            v("max_len", "string.max_len", "must be at most 5 characters"),
            v("len", "string.len", "must be 2 characters"),
            v("bytes_len", "string.max_bytes", "must be at most 4 bytes"),
            v(
                "pattern",
                "string.pattern",
                "does not match regex pattern `^[a-z]+-[0-9]+$`"
            ),
            v("prefix", "string.prefix", "does not have prefix `ab`"),
            v("prefix", "string.suffix", "does not have suffix `yz`"),
            v(
                "not_contains",
                "string.not_contains",
                "contains substring `bad`"
            ),
            v("in", "string.in", "must be in list [a, b]"),
            v("not_in", "string.not_in", "must not be in list [x]"),
            v("konst", "string.const", "must equal `exact`"),
            v("email", "string.email", "must be a valid email address"),
            v("hostname", "string.hostname", "must be a valid hostname"),
            v("ip", "string.ip", "must be a valid IP address"),
            v("uri", "string.uri", "must be a valid URI"),
            v("uuid", "string.uuid", "must be a valid UUID"),
            v(
                "header",
                "string.well_known_regex.header_name",
                "must be a valid HTTP header name"
            ),
            v(
                "optional_email",
                "string.email",
                "must be a valid email address"
            ),
            v("maybe", "string.min_len", "must be at least 2 characters"),
            v(
                "host_port",
                "string.host_and_port",
                "must be a valid host (hostname or IP address) and port pair"
            ),
            v("required", "required", "value is required"),
        ]
    );
}

#[test]
fn empty_strings_get_the_empty_variants() {
    let mut s = valid_strings();
    s.bytes_len = "éé".into();
    s.email = String::new();
    s.uuid = String::new();
    assert_eq!(
        violations(&s),
        vec![
            v(
                "email",
                "string.email_empty",
                "value is empty, which is not a valid email address"
            ),
            v(
                "uuid",
                "string.uuid_empty",
                "value is empty, which is not a valid UUID"
            ),
        ]
    );
}

#[test]
fn bytes_rules() {
    let ok = Bytes {
        len: vec![1, 2, 3, 4],
        prefix: vec![1, 2, 9],
        ipv4: vec![127, 0, 0, 1],
        pattern: b"abc".to_vec(),
        r#in: b"cd".to_vec(),
    };
    assert_eq!(violations(&ok), vec![]);
    let bad = Bytes {
        len: vec![1],
        prefix: vec![2],
        ipv4: vec![1, 2, 3],
        pattern: vec![0xff],
        r#in: b"zz".to_vec(),
    };
    assert_eq!(
        violations(&bad),
        vec![
            v("len", "bytes.len", "must be 4 bytes"),
            v("prefix", "bytes.prefix", "does not have prefix 0102"),
            v("ipv4", "bytes.ipv4", "must be a valid IPv4 address"),
            v(
                "pattern",
                "bytes.pattern",
                "must match regex pattern `^[a-z]*$`"
            ),
            v("in", "bytes.in", "must be in list [ab, cd]"),
        ]
    );
}

#[test]
fn enum_rules() {
    let ok = Enums {
        defined: Color::Red as i32,
        konst: 2,
        r#in: 1,
        list: vec![0, 1, 2],
    };
    assert_eq!(violations(&ok), vec![]);
    let bad = Enums {
        defined: 7,
        konst: 1,
        r#in: 2,
        list: vec![1, 9],
    };
    assert_eq!(
        violations(&bad),
        vec![
            v(
                "defined",
                "enum.defined_only",
                "value must be one of the defined enum values"
            ),
            v("konst", "enum.const", "must equal 2"),
            v("in", "enum.in", "must be in list [0, 1]"),
            v(
                "list[1]",
                "enum.defined_only",
                "value must be one of the defined enum values"
            ),
        ]
    );
    let all = bad.validate().unwrap_err();
    assert_eq!(all[3].rule, "repeated.items.enum.defined_only");
}

fn item(name: &str, quantity: i32) -> Item {
    Item {
        name: name.into(),
        quantity,
    }
}

#[test]
fn repeated_and_maps() {
    let ok = Collections {
        tags: vec!["ab".into(), "cd".into()],
        items: vec![item("a", 1)],
        counts: [("ab".to_owned(), 0)].into(),
        by_id: [(1, item("x", 1))].into(),
        numbers: vec![1, 2, 3],
        required_list: vec!["x".into()],
    };
    assert_eq!(violations(&ok), vec![]);
    let bad = Collections {
        tags: vec!["ab".into(), "c".into(), "ab".into(), "de".into()],
        items: vec![item("a", 1), item("", 0), item("c", 1)],
        counts: [("a".to_owned(), -1)].into(),
        by_id: [(-2, item("", 1))].into(),
        numbers: vec![5, 100, 5],
        required_list: vec![],
    };
    assert_eq!(
        violations(&bad),
        vec![
            v(
                "tags",
                "repeated.max_items",
                "must contain no more than 3 item(s)"
            ),
            v(
                "tags",
                "repeated.unique",
                "repeated value must contain unique items"
            ),
            v("tags[1]", "string.min_len", "must be at least 2 characters"),
            v(
                "items",
                "repeated.max_items",
                "must contain no more than 2 item(s)"
            ),
            v(
                "items[1].name",
                "string.min_len",
                "must be at least 1 characters"
            ),
            v("items[1].quantity", "int32.gt", "must be greater than 0"),
            v(
                "counts[\"a\"]",
                "string.min_len",
                "must be at least 2 characters"
            ),
            v(
                "counts[\"a\"]",
                "int32.gte",
                "must be greater than or equal to 0"
            ),
            v("by_id[-2]", "int64.gt", "must be greater than 0"),
            v(
                "by_id[-2].name",
                "string.min_len",
                "must be at least 1 characters"
            ),
            v(
                "numbers",
                "repeated.unique",
                "repeated value must contain unique items"
            ),
            v("numbers[1]", "int32.lt", "must be less than 100"),
            v("required_list", "required", "value is required"),
        ]
    );
    let all = bad.validate().unwrap_err();
    let key = &all[6];
    assert!(key.for_key, "a keys rule reports for_key");
    assert_eq!(key.rule, "map.keys.string.min_len");
    assert!(!all[7].for_key);
    assert_eq!(all[7].rule, "map.values.int32.gte");
}

#[test]
fn nested_messages_and_ignore() {
    let ok = Nested {
        item: Some(item("a", 1)),
        optional_item: None,
        always_ignored: Some(item("", -5)),
        children: vec![],
    };
    assert_eq!(violations(&ok), vec![]);
    let bad = Nested {
        item: None,
        optional_item: Some(item("", 1)),
        always_ignored: Some(item("", -5)),
        children: vec![Nested {
            item: Some(item("a", 0)),
            ..ok.clone()
        }],
    };
    assert_eq!(
        violations(&bad),
        vec![
            v("item", "required", "value is required"),
            v(
                "optional_item.name",
                "string.min_len",
                "must be at least 1 characters"
            ),
            v(
                "children[0].item.quantity",
                "int32.gt",
                "must be greater than 0"
            ),
        ]
    );
}

#[test]
fn oneofs() {
    let set = |choice| Oneofs {
        choice: Some(choice),
    };
    assert_eq!(violations(&set(oneofs::Choice::Text("abc".into()))), vec![]);
    assert_eq!(
        violations(&Oneofs { choice: None }),
        vec![v(
            "choice",
            "required",
            "exactly one field is required in oneof"
        )]
    );
    assert_eq!(
        violations(&set(oneofs::Choice::Number(3))),
        vec![v("number", "int32.gt", "must be greater than 10")]
    );
    assert_eq!(
        violations(&set(oneofs::Choice::Item(item("", 1)))),
        vec![v(
            "item.name",
            "string.min_len",
            "must be at least 1 characters"
        )]
    );
}

#[test]
fn message_oneof_rule() {
    let m = |a: &str, b| MessageOneof { a: a.into(), b };
    assert_eq!(violations(&m("x", 0)), vec![]);
    assert_eq!(violations(&m("", 2)), vec![]);
    assert_eq!(
        violations(&m("x", 2)),
        vec![v("", "message.oneof", "only one of a, b can be set")]
    );
    assert_eq!(
        violations(&m("", 0)),
        vec![v("", "message.oneof", "one of a, b must be set")]
    );
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn valid_well_known() -> WellKnown {
    WellKnown {
        duration: Some(prost_types::Duration {
            seconds: 1,
            nanos: 0,
        }),
        timestamp: Some(prost_types::Timestamp {
            seconds: 1,
            nanos: 0,
        }),
        past: Some(prost_types::Timestamp {
            seconds: 1000,
            nanos: 0,
        }),
        any: Some(prost_types::Any {
            type_url: "type.googleapis.com/validation.v1.Item".into(),
            value: vec![],
        }),
        wrapped: Some(1),
        wrapped_string: Some("ab".into()),
        mask: Some(prost_types::FieldMask {
            paths: vec!["a".into(), "b.c.d".into()],
        }),
        required_duration: Some(prost_types::Duration::default()),
        within: Some(prost_types::Timestamp {
            seconds: now_seconds() + 60,
            nanos: 0,
        }),
    }
}

#[test]
fn well_known_types() {
    assert_eq!(violations(&valid_well_known()), vec![]);
    let bad = WellKnown {
        duration: Some(prost_types::Duration {
            seconds: 60,
            nanos: 500_000_000,
        }),
        timestamp: Some(prost_types::Timestamp {
            seconds: 0,
            nanos: 0,
        }),
        past: Some(prost_types::Timestamp {
            seconds: now_seconds() + 3600,
            nanos: 0,
        }),
        any: Some(prost_types::Any {
            type_url: "type.googleapis.com/other.Thing".into(),
            value: vec![],
        }),
        wrapped: Some(0),
        wrapped_string: Some("a".into()),
        mask: Some(prost_types::FieldMask {
            paths: vec!["b".into()],
        }),
        required_duration: None,
        within: Some(prost_types::Timestamp {
            seconds: now_seconds() - 7200,
            nanos: 0,
        }),
    };
    assert_eq!(
        violations(&bad),
        vec![
            v(
                "duration",
                "duration.gte_lt",
                "must be greater than or equal to 1s and less than 60s"
            ),
            v(
                "timestamp",
                "timestamp.gt",
                "must be greater than 1970-01-01T00:00:00Z"
            ),
            v("past", "timestamp.lt_now", "must be less than now"),
            v("any", "any.in", "type URL must be in the allow list"),
            v("wrapped", "int32.gt", "must be greater than 0"),
            v(
                "wrapped_string",
                "string.min_len",
                "must be at least 2 characters"
            ),
            v(
                "mask",
                "field_mask.in",
                "must only contain paths in [a, b.c]"
            ),
            v("required_duration", "required", "value is required"),
            v("within", "timestamp.within", "must be within 3600s of now"),
        ]
    );
}

#[test]
fn fail_fast_stops_at_the_first() {
    let mut s = valid_strings();
    s.bytes_len = "éé".into();
    s.min_len = String::new();
    s.max_len = "toolong".into();
    assert_eq!(s.validate().unwrap_err().len(), 2);
    let first = s.validate_fail_fast().unwrap_err();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].field_path(), "min_len");
}

/// A view of the encoded message reports exactly what the owned message reports; returns how
/// many violations that is, so that a comparison of two empty reports cannot pass unnoticed.
fn same_in_view<'a, V>(bytes: &'a [u8], owned: &impl Validate) -> usize
where
    V: View<'a> + Validate,
{
    let view = V::decode(bytes).expect("decodes");
    let expected = owned.validate().map_err(|e| e.into_vec());
    assert_eq!(view.validate().map_err(|e| e.into_vec()), expected);
    expected.err().map_or(0, |v| v.len())
}

#[test]
fn views_agree_with_owned() {
    let mut found = Vec::new();
    let mut s = valid_strings();
    s.email = "bad".into();
    s.maybe = Some("a".into());
    found.push(same_in_view::<StringsView<'_>>(&s.encode_to_vec(), &s));
    let n = Numbers {
        maybe: Some(3),
        ..valid_numbers()
    };
    found.push(same_in_view::<NumbersView<'_>>(&n.encode_to_vec(), &n));
    let c = Collections {
        tags: vec!["a".into(), "a".into()],
        items: vec![item("", 0)],
        counts: [("k".to_owned(), -1)].into(),
        by_id: [(-1, item("x", 0))].into(),
        numbers: vec![200],
        required_list: vec![],
    };
    found.push(same_in_view::<CollectionsView<'_>>(&c.encode_to_vec(), &c));
    for choice in [
        None,
        Some(oneofs::Choice::Text("a".into())),
        Some(oneofs::Choice::Item(item("", 0))),
    ] {
        let o = Oneofs { choice };
        found.push(same_in_view::<OneofsView<'_>>(&o.encode_to_vec(), &o));
    }
    let mut w = valid_well_known();
    w.wrapped = Some(-1);
    w.wrapped_string = Some(String::new());
    w.required_duration = None;
    found.push(same_in_view::<WellKnownView<'_>>(&w.encode_to_vec(), &w));
    let e = Enums {
        defined: 9,
        konst: 0,
        r#in: 5,
        list: vec![3],
    };
    found.push(same_in_view::<EnumsView<'_>>(&e.encode_to_vec(), &e));
    let m = MessageOneof {
        a: "x".into(),
        b: 1,
    };
    found.push(same_in_view::<MessageOneofView<'_>>(&m.encode_to_vec(), &m));
    // Every case breaks a rule (the unset oneof is required): two empty reports would agree
    // trivially.
    assert!(
        found.iter().all(|&n| n > 0),
        "violations per case: {found:?}"
    );
}
