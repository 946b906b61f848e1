//! proto3 JSON where protogen once parted ways with Google's implementations (C++, Java, Python's
//! upb; issue 18): each case through every writer (owned, the bytes transcoder, views) and the
//! reader. `generated-tests/json_oracle.py` pins the same cases on random messages against
//! Python's `json_format`; these are their smallest forms.

use prost::Message;
use protogen::json::{self, DecodeOptions, EncodeOptions, ErrorKind, JsonViewFields, JsonWire};
use protogen::view::Owned;
use protogen_generated_tests::{common, conformance, edge, legacy};

type AllTypes = conformance::v1::AllTypes;

const URL: &str = "type.googleapis.com/";

/// The JSON of `bytes` as an `M` from each writer: owned (prost's decode), transcoded, through a
/// view. All three must agree; returns it.
fn every_writer<M>(bytes: &[u8]) -> String
where
    M: JsonWire + JsonViewFields + Owned,
{
    let options = EncodeOptions::default();
    let owned = json::to_string(&M::decode(bytes).unwrap()).unwrap();
    let wire = String::from_utf8(json::bytes_to_vec::<M>(bytes, &options).unwrap()).unwrap();
    let view = M::view(bytes).unwrap();
    let view = String::from_utf8(json::view_to_vec(&view, &options).unwrap()).unwrap();
    let value = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(value(&wire), value(&owned), "transcoder vs owned");
    assert_eq!(value(&view), value(&owned), "view vs owned");
    owned
}

fn any(type_name: &str, payload: Vec<u8>) -> prost_types::Any {
    prost_types::Any {
        type_url: format!("{URL}{type_name}"),
        value: payload,
    }
}

fn with_any(any: prost_types::Any) -> Vec<u8> {
    AllTypes {
        optional_any: Some(any),
        ..Default::default()
    }
    .encode_to_vec()
}

fn error_kinds(errors: &json::JsonErrors) -> Vec<(ErrorKind, String)> {
    errors.iter().map(|e| (e.kind, e.path.clone())).collect()
}

// ---- 1. an Any holding an Any ------------------------------------------------------------------

#[test]
fn an_any_holding_an_any_is_written_and_read() {
    let money = common::v1::Money {
        currency: common::v1::Currency::Eur as i32,
        units: 3,
        ..Default::default()
    };
    let inner = any("common.v1.Money", money.encode_to_vec());
    let outer = any("google.protobuf.Any", inner.encode_to_vec());
    let bytes = with_any(outer.clone());
    let text = every_writer::<AllTypes>(&bytes);
    assert_eq!(
        text,
        r#"{"optionalAny":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type":"type.googleapis.com/common.v1.Money","currency":"CURRENCY_EUR","units":"3"}}}"#
    );
    let back: AllTypes = json::from_str(&text).unwrap();
    assert_eq!(back.optional_any, Some(outer));

    // Three deep, and an Any holding an Any holding a well-known type.
    let wkt = any("google.protobuf.Int32Value", 7i32.encode_to_vec());
    let deep = any(
        "google.protobuf.Any",
        any("google.protobuf.Any", wkt.encode_to_vec()).encode_to_vec(),
    );
    let text = every_writer::<AllTypes>(&with_any(deep.clone()));
    assert!(
        text.ends_with(
            r#""value":{"@type":"type.googleapis.com/google.protobuf.Int32Value","value":7}}}}"#
        ),
        "{text}"
    );
    assert_eq!(
        json::from_str::<AllTypes>(&text).unwrap().optional_any,
        Some(deep)
    );
}

// ---- 2. -0.0 -----------------------------------------------------------------------------------

/// `optional_float = -0.0` and `optional_double = -0.0`, encoded as Google's implementations
/// encode them (prost leaves them out).
fn negative_zeros() -> Vec<u8> {
    let mut bytes = vec![11 << 3 | 5];
    bytes.extend((-0.0f32).to_le_bytes());
    bytes.push(12 << 3 | 1);
    bytes.extend((-0.0f64).to_le_bytes());
    bytes
}

#[test]
fn negative_zero_is_written_where_a_field_has_no_presence() {
    let text = every_writer::<AllTypes>(&negative_zeros());
    assert_eq!(text, r#"{"optionalFloat":-0.0,"optionalDouble":-0.0}"#);
    let back: AllTypes = json::from_str(&text).unwrap();
    assert!(back.optional_float.is_sign_negative() && back.optional_double.is_sign_negative());
    // Through serde too.
    assert_eq!(serde_json::to_string(&back).unwrap(), text);
    // Zero itself is still the default.
    assert_eq!(every_writer::<AllTypes>(&[11 << 3 | 5, 0, 0, 0, 0]), "{}");
}

#[test]
fn negative_zero_survives_any_payloads() {
    // Written from the payload's bytes, as Google's implementations encode them.
    let text =
        every_writer::<AllTypes>(&with_any(any("conformance.v1.AllTypes", negative_zeros())));
    assert_eq!(
        text,
        r#"{"optionalAny":{"@type":"type.googleapis.com/conformance.v1.AllTypes","optionalFloat":-0.0,"optionalDouble":-0.0}}"#
    );
    // A float wrapper's -0.0 read into an Any is encoded (prost would leave it out), and so
    // written back.
    for (name, encoding) in [
        (
            "DoubleValue",
            [&[0x09][..], &(-0.0f64).to_le_bytes()].concat(),
        ),
        (
            "FloatValue",
            [&[0x0d][..], &(-0.0f32).to_le_bytes()].concat(),
        ),
    ] {
        let text = format!(
            r#"{{"optionalAny":{{"@type":"type.googleapis.com/google.protobuf.{name}","value":-0.0}}}}"#
        );
        let read: AllTypes = json::from_str(&text).unwrap();
        assert_eq!(
            read.optional_any.as_ref().unwrap().value,
            encoding,
            "{name}"
        );
        assert_eq!(every_writer::<AllTypes>(&read.encode_to_vec()), text);
    }
}

// ---- 3. an Any holding Empty ---------------------------------------------------------------------

#[test]
fn an_any_holding_empty_is_a_plain_message() {
    let empty = any("google.protobuf.Empty", Vec::new());
    let text = every_writer::<AllTypes>(&with_any(empty.clone()));
    assert_eq!(
        text,
        r#"{"optionalAny":{"@type":"type.googleapis.com/google.protobuf.Empty"}}"#
    );
    assert_eq!(
        json::from_str::<AllTypes>(&text).unwrap().optional_any,
        Some(empty.clone())
    );
    // `"value"` is no field of Empty: refused, or skipped with `ignore_unknown_fields`.
    let with_value =
        r#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Empty", "value": {}}}"#;
    let errors = json::from_str::<AllTypes>(with_value).unwrap_err();
    assert_eq!(
        error_kinds(&errors),
        [(ErrorKind::UnknownField, "$.optionalAny.value".to_owned())]
    );
    let lenient = DecodeOptions {
        ignore_unknown_fields: true,
        ..Default::default()
    };
    let decoded = json::from_str_with::<AllTypes>(with_value, &lenient).unwrap();
    assert_eq!(decoded.message.optional_any, Some(empty));
    assert_eq!(decoded.unused, ["$.optionalAny.value"]);
}

// ---- 4. closed enums -----------------------------------------------------------------------------

#[test]
fn closed_enums_refuse_numbers_they_do_not_name() {
    type Product = legacy::v1::Product;
    let product: Product = json::from_str(r#"{"sku": "a", "availability": 2}"#).unwrap();
    assert_eq!(product.availability, Some(2));
    let errors = json::from_str::<Product>(r#"{"sku": "a", "availability": 42}"#).unwrap_err();
    assert_eq!(
        error_kinds(&errors),
        [(ErrorKind::InvalidValue, "$.availability".to_owned())]
    );
    assert!(errors.to_string().contains("found number 42"), "{errors}");
    // Skipped with `ignore_unknown_fields`, as an unknown name is.
    let lenient = DecodeOptions {
        ignore_unknown_fields: true,
        ..Default::default()
    };
    let decoded =
        json::from_str_with::<Product>(r#"{"sku": "a", "availability": 42}"#, &lenient).unwrap();
    assert_eq!(decoded.message.availability, None);
    // Open (proto3) enums keep any number.
    let open: AllTypes = json::from_str(r#"{"optionalNestedEnum": 42}"#).unwrap();
    assert_eq!(open.optional_nested_enum, 42);
}

// ---- 5. an Any of a well-known type without its value ---------------------------------------------

#[test]
fn an_any_of_a_well_known_type_needs_its_value() {
    for (name, value) in [
        ("Int32Value", "1"),
        ("StringValue", r#""a""#),
        ("Timestamp", r#""1970-01-01T00:00:00Z""#),
        ("Duration", r#""1s""#),
        ("FieldMask", r#""a.b""#),
        ("Struct", "{}"),
        ("ListValue", "[]"),
        ("Value", "1"),
        ("Any", "{}"),
    ] {
        let with = format!(
            r#"{{"optionalAny": {{"@type": "{URL}google.protobuf.{name}", "value": {value}}}}}"#
        );
        assert!(json::from_str::<AllTypes>(&with).is_ok(), "{with}");
        let without = format!(r#"{{"optionalAny": {{"@type": "{URL}google.protobuf.{name}"}}}}"#);
        let errors = json::from_str::<AllTypes>(&without).unwrap_err();
        assert_eq!(
            error_kinds(&errors),
            [(ErrorKind::InvalidValue, "$.optionalAny".to_owned())],
            "{without}"
        );
        // `null` is a value only of `google.protobuf.Value`.
        let null = format!(
            r#"{{"optionalAny": {{"@type": "{URL}google.protobuf.{name}", "value": null}}}}"#
        );
        assert_eq!(
            json::from_str::<AllTypes>(&null).is_ok(),
            name == "Value",
            "{null}"
        );
    }
}

// ---- 6. "@type" twice -----------------------------------------------------------------------------

#[test]
fn an_any_with_two_type_keys_is_refused() {
    let text = r#"{"optionalAny": {"@type": "type.googleapis.com/common.v1.Money", "units": "1", "@type": "type.googleapis.com/common.v1.Money"}}"#;
    let errors = json::from_str::<AllTypes>(text).unwrap_err();
    assert_eq!(
        error_kinds(&errors),
        [(ErrorKind::DuplicateField, "$.optionalAny.@type".to_owned())]
    );
}

// ---- 7. the recursion limit -------------------------------------------------------------------------

/// Wraps `inner` (an encoding of the message) in field `number` of the same message, `levels`
/// times: `levels` messages nested below the root.
fn nest(inner: Vec<u8>, number: u32, levels: usize) -> Vec<u8> {
    (0..levels).fold(inner, |inner, _| {
        let mut outer = Vec::new();
        prost::encoding::encode_key(
            number,
            prost::encoding::WireType::LengthDelimited,
            &mut outer,
        );
        prost::encoding::encode_varint(inner.len() as u64, &mut outer);
        outer.extend(inner);
        outer
    })
}

/// prost, the transcoder and the views accept and refuse `bytes` alike; returns whether they
/// accept.
fn depth_agrees<M>(bytes: &[u8], what: &str) -> bool
where
    M: JsonWire + JsonViewFields + Owned,
{
    let prost = M::decode(bytes).is_ok();
    let wire = json::bytes_to_vec::<M>(bytes, &EncodeOptions::default());
    let view = M::view(bytes);
    assert_eq!(
        wire.is_ok(),
        prost,
        "{what}: transcoder {wire:?}, prost {prost}"
    );
    assert_eq!(view.is_ok(), prost, "{what}: view");
    if let Ok(view) = view {
        let from_view = json::view_to_vec(&view, &EncodeOptions::default()).unwrap();
        assert_eq!(from_view, wire.unwrap(), "{what}: view vs transcoder");
    }
    prost
}

#[test]
fn writers_fail_where_prost_fails_at_every_depth() {
    type Node = edge::v1::Node;
    let leaf = Node {
        name: "leaf".into(),
        ..Default::default()
    }
    .encode_to_vec();
    for levels in [99, 100, 101, 102, 150] {
        let accepted = |bytes: &[u8], what: &str| depth_agrees::<Node>(bytes, what);
        // Singular (`next`), oneof (`left`) and repeated (`children`) nesting: the one pass.
        for number in [2, 3, 5] {
            let bytes = nest(leaf.clone(), number, levels);
            assert_eq!(
                accepted(&bytes, &format!("field {number} x{levels}")),
                levels <= 100
            );
        }
        // A field given twice at the bottom makes the deepest message fall back to prost; an
        // unknown field there is one level too many for prost at 100.
        let merged = [leaf.clone(), leaf.clone()].concat();
        assert_eq!(accepted(&nest(merged, 2, levels), "merged"), levels <= 100);
        let unknown = [leaf.clone(), vec![9 << 3, 1]].concat();
        assert_eq!(accepted(&nest(unknown, 2, levels), "unknown"), levels < 100);
    }
    // `Category` has a `required` field: never transcoded in one pass, always through prost.
    type Category = legacy::v1::Category;
    let root = Category {
        name: "c".into(),
        ..Default::default()
    }
    .encode_to_vec();
    for levels in [100, 101, 150] {
        let mut bytes = root.clone();
        for _ in 0..levels {
            let mut outer = root.clone();
            outer.extend(nest(bytes, 2, 1));
            bytes = outer;
        }
        assert_eq!(
            depth_agrees::<Category>(&bytes, &format!("category x{levels}")),
            levels <= 100
        );
    }
}

#[test]
fn map_entries_count_as_a_level() {
    // AllTypes -> map_string_nested_message (an entry, then Nested) -> corecursive (AllTypes):
    // three levels of prost's count per round.
    let mut bytes = AllTypes {
        optional_int32: 1,
        ..Default::default()
    }
    .encode_to_vec();
    let mut levels = 0;
    let mut accepted = Vec::new();
    while levels < 105 {
        // Nested { a: 1, corecursive: <bytes> }, in an entry with key "k", in field 71.
        let mut nested = vec![0x08, 0x01, 2 << 3 | 2];
        prost::encoding::encode_varint(bytes.len() as u64, &mut nested);
        nested.extend(&bytes);
        let mut entry = vec![0x0a, 0x01, b'k', 0x12];
        prost::encoding::encode_varint(nested.len() as u64, &mut entry);
        entry.extend(nested);
        bytes = Vec::new();
        prost::encoding::encode_key(71, prost::encoding::WireType::LengthDelimited, &mut bytes);
        prost::encoding::encode_varint(entry.len() as u64, &mut bytes);
        bytes.extend(entry);
        levels += 3;
        accepted.push((
            levels,
            depth_agrees::<AllTypes>(&bytes, &format!("map x{levels}")),
        ));
    }
    // The innermost AllTypes sits `levels` below the root: prost's limit is 100.
    for (levels, ok) in accepted {
        assert_eq!(ok, levels <= 100, "{levels}");
    }
}

#[test]
fn the_decoder_refuses_json_nested_past_its_limit() {
    type Node = edge::v1::Node;
    // `levels` messages below the root: objects nested `levels + 1` deep.
    let json = |levels: usize| {
        format!(
            "{}{{}}{}",
            r#"{"next": "#.repeat(levels),
            "}".repeat(levels)
        )
    };
    assert!(json::from_str::<Node>(&json(99)).is_ok());
    let errors = json::from_str::<Node>(&json(100)).unwrap_err();
    assert_eq!(errors.errors[0].kind, ErrorKind::DepthLimit);
    // What the writers write at prost's limit (100 below the root) is one level more than the
    // decoder (and Python's json_format) reads by default.
    let at_limit = nest(Vec::new(), 2, 100);
    let text = json::bytes_to_vec::<Node>(&at_limit, &EncodeOptions::default()).unwrap();
    let raised = DecodeOptions {
        max_depth: 101,
        ..Default::default()
    };
    let text = String::from_utf8(text).unwrap();
    assert!(json::from_str::<Node>(&text).is_err());
    assert_eq!(
        json::from_str_with::<Node>(&text, &raised).unwrap().message,
        Node::decode(at_limit.as_slice()).unwrap()
    );
}
