//! proto3 JSON: random messages of every schema against prost-reflect (which passes Google's
//! conformance suite) — the same JSON value out, for every encode option — and back through our
//! decoder to the same message; every decode error kind with its path, position and message;
//! every option.

mod support;

use std::fmt::Debug;

use prost::Message;
use prost_reflect::{
    DescriptorPool, DynamicMessage, Kind, MessageDescriptor, ReflectMessage, SerializeOptions,
    Value as RValue,
};
use protogen::MessageInfo;
use protogen::json::{self, DecodeOptions, EncodeOptions, ErrorKind, JsonMessage};
use protogen_generated_tests::{common, conformance, edge, legacy, shop};
use support::{Rng, pool, random_message};

const SEEDS: u64 = 300;

// ---- random messages valid for JSON ----------------------------------------------------------

fn wkt_value(rng: &mut Rng, depth: u32) -> prost_types::Value {
    use prost_types::value::Kind as K;
    let kind = match rng.below(if depth == 0 { 4 } else { 6 }) {
        0 => K::NullValue(0),
        1 => K::NumberValue((rng.next() as i64 as f64) / 1024.0),
        2 => K::StringValue(["", "x", "héllo", "\u{1}"][rng.below(4) as usize].to_owned()),
        3 => K::BoolValue(rng.chance(2)),
        4 => K::StructValue(wkt_struct(rng, depth - 1)),
        _ => K::ListValue(prost_types::ListValue {
            values: (0..rng.below(3))
                .map(|_| wkt_value(rng, depth - 1))
                .collect(),
        }),
    };
    prost_types::Value { kind: Some(kind) }
}

fn wkt_struct(rng: &mut Rng, depth: u32) -> prost_types::Struct {
    prost_types::Struct {
        fields: (0..rng.below(3))
            .map(|i| (format!("k{i}"), wkt_value(rng, depth)))
            .collect(),
    }
}

fn nanos(rng: &mut Rng) -> i32 {
    [0, 5_000_000, 123_000, 999_999_999, 1][rng.below(5) as usize]
}

/// A valid value of a well-known type, encoded; `None` for other types.
fn valid_wkt(desc: &MessageDescriptor, pool: &DescriptorPool, rng: &mut Rng) -> Option<Vec<u8>> {
    Some(match desc.full_name() {
        "google.protobuf.Timestamp" => prost_types::Timestamp {
            seconds: [-62_135_596_800, 0, 253_402_300_799, 1_700_000_000][rng.below(4) as usize],
            nanos: nanos(rng),
        }
        .encode_to_vec(),
        "google.protobuf.Duration" => {
            let seconds = [0i64, 1, 315_576_000_000, 42][rng.below(4) as usize];
            let sign = if rng.chance(2) { -1 } else { 1 };
            prost_types::Duration {
                seconds: seconds * sign as i64,
                nanos: nanos(rng) * sign,
            }
            .encode_to_vec()
        }
        "google.protobuf.FieldMask" => prost_types::FieldMask {
            paths: ["a", "foo_bar", "x.y_z", "items"][..rng.below(5) as usize]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
        .encode_to_vec(),
        "google.protobuf.Value" => wkt_value(rng, 2).encode_to_vec(),
        "google.protobuf.Struct" => wkt_struct(rng, 2).encode_to_vec(),
        "google.protobuf.ListValue" => prost_types::ListValue {
            values: (0..rng.below(3)).map(|_| wkt_value(rng, 1)).collect(),
        }
        .encode_to_vec(),
        "google.protobuf.Any" => {
            let (type_url, value) = if rng.chance(2) {
                let money = pool.get_message_by_name("common.v1.Money").unwrap();
                let mut m = random_message(&money, rng, 1);
                sanitize(&mut m, pool, rng);
                ("type.googleapis.com/common.v1.Money", m.encode_to_vec())
            } else {
                let d = prost_types::Duration {
                    seconds: 3,
                    nanos: 500_000_000,
                };
                (
                    "type.googleapis.com/google.protobuf.Duration",
                    d.encode_to_vec(),
                )
            };
            prost_types::Any {
                type_url: type_url.to_owned(),
                value,
            }
            .encode_to_vec()
        }
        _ => return None,
    })
}

/// Replaces what proto3 JSON cannot hold (out-of-range timestamps, `Any`s of unknown types,
/// unknown values of closed enums, which prost-reflect keeps as unknown fields) with valid values.
fn sanitize(msg: &mut DynamicMessage, pool: &DescriptorPool, rng: &mut Rng) {
    let fields: Vec<_> = msg.descriptor().fields().collect();
    for field in fields {
        if !msg.has_field(&field) {
            // prost stores `required` fields as plain values and always writes them: so do we.
            if field.cardinality() == prost_reflect::Cardinality::Required {
                let default = field.default_value();
                msg.set_field(&field, default);
            }
            continue;
        }
        let kind = field.kind();
        let value = msg.get_field_mut(&field);
        sanitize_value(value, &kind, pool, rng);
    }
}

fn sanitize_value(value: &mut RValue, kind: &Kind, pool: &DescriptorPool, rng: &mut Rng) {
    match (value, kind) {
        (RValue::List(items), _) => {
            for item in items {
                sanitize_value(item, kind, pool, rng);
            }
        }
        (RValue::Map(entries), Kind::Message(entry)) => {
            let value_kind = entry.map_entry_value_field().kind();
            for v in entries.values_mut() {
                sanitize_value(v, &value_kind, pool, rng);
            }
        }
        // prost-reflect writes non-finite wrapped floats as `null` (Google: "Infinity"); see
        // `non_finite_wrapped_floats_are_strings`.
        (RValue::Message(m), Kind::Message(desc))
            if matches!(
                desc.full_name(),
                "google.protobuf.DoubleValue" | "google.protobuf.FloatValue"
            ) =>
        {
            let field = desc.get_field(1).unwrap();
            let finite = match m.get_field(&field).as_ref() {
                RValue::F64(v) => v.is_finite(),
                RValue::F32(v) => v.is_finite(),
                _ => true,
            };
            if !finite {
                m.clear_field(&field);
            }
        }
        (RValue::Message(m), Kind::Message(desc)) => match valid_wkt(desc, pool, rng) {
            Some(bytes) => *m = DynamicMessage::decode(desc.clone(), bytes.as_slice()).unwrap(),
            None => sanitize(m, pool, rng),
        },
        // `NullValue` has one value, written `null` whatever the number.
        (RValue::EnumNumber(n), Kind::Enum(e)) if e.full_name() == "google.protobuf.NullValue" => {
            *n = 0;
        }
        (RValue::EnumNumber(n), Kind::Enum(e)) => {
            let closed = e.parent_file().syntax() == prost_reflect::Syntax::Proto2;
            if closed && e.get_value(*n).is_none() {
                *n = e.default_value().number();
            }
        }
        _ => {}
    }
}

fn random_valid(desc: &MessageDescriptor, pool: &DescriptorPool, seed: u64) -> DynamicMessage {
    let mut rng = Rng::new(seed);
    let mut m = random_message(desc, &mut rng, 3);
    sanitize(&mut m, pool, &mut rng);
    m
}

// ---- random round trips and the differential against prost-reflect -----------------------------

const OPTIONS: [EncodeOptions; 4] = [
    EncodeOptions {
        use_proto_names: false,
        emit_defaults: false,
        enums_as_numbers: false,
    },
    EncodeOptions {
        use_proto_names: true,
        emit_defaults: false,
        enums_as_numbers: false,
    },
    EncodeOptions {
        use_proto_names: false,
        emit_defaults: true,
        enums_as_numbers: false,
    },
    EncodeOptions {
        use_proto_names: false,
        emit_defaults: false,
        enums_as_numbers: true,
    },
];

fn reflect_json(dynamic: &DynamicMessage, options: &EncodeOptions) -> serde_json::Value {
    let options = SerializeOptions::new()
        .use_proto_field_name(options.use_proto_names)
        .skip_default_fields(!options.emit_defaults)
        .use_enum_numbers(options.enums_as_numbers);
    // As text (a `Value` serializer would widen floats to f64 digits), parsed like ours.
    let mut text = Vec::new();
    dynamic
        .serialize_with_options(&mut serde_json::Serializer::new(&mut text), &options)
        .expect("prost-reflect serializes valid messages");
    serde_json::from_slice(&text).unwrap()
}

/// Where two JSON values first differ, for readable failures.
fn difference(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Object(x), Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let here = format!("{path}.{key}");
                match (x.get(key), y.get(key)) {
                    (Some(u), Some(v)) => {
                        if let Some(d) = difference(u, v, &here) {
                            return Some(d);
                        }
                    }
                    (u, v) => return Some(format!("{here}: {u:?} vs {v:?}")),
                }
            }
            None
        }
        (Array(x), Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (u, v))| difference(u, v, &format!("{path}[{i}]"))),
        _ => (a != b).then(|| format!("{path}: {a} vs {b}")),
    }
}

fn check_type<T>(seeds: u64)
where
    T: JsonMessage
        + json::JsonViewFields
        + json::JsonWire
        + MessageInfo
        + Message
        + Default
        + PartialEq
        + Debug
        + json::serde::Serialize
        + for<'de> json::serde::Deserialize<'de>,
{
    let pool = pool();
    let desc = pool.get_message_by_name(T::FULL_NAME).unwrap();
    for seed in 0..seeds {
        let bytes = random_valid(&desc, &pool, seed).encode_to_vec();
        let owned = T::decode(bytes.as_slice()).unwrap();
        let dynamic = DynamicMessage::decode(desc.clone(), bytes.as_slice()).unwrap();
        let context = || format!("{} seed {seed}: {owned:?}", T::FULL_NAME);

        for options in &OPTIONS {
            let ours = json::to_string_with(&owned, options).unwrap_or_else(|e| {
                panic!("{}: {e}", context());
            });
            let value: serde_json::Value = serde_json::from_str(&ours)
                .unwrap_or_else(|e| panic!("{}: invalid JSON {ours}: {e}", context()));
            let theirs = reflect_json(&dynamic, options);
            if let Some(d) = difference(&value, &theirs, "$") {
                panic!(
                    "{} with {options:?}: ours vs prost-reflect at {d}",
                    context()
                );
            }
            let back: T = json::from_str(&ours)
                .unwrap_or_else(|e| panic!("{}: our decode of {ours}: {e}", context()));
            assert_eq!(back, owned, "{}: round trip of {ours}", context());

            // Straight from the bytes in one pass: the same JSON value, and without falling back
            // to the owned path for prost's own encodings (unless the type has `required`
            // fields or groups, or a map of more than 32 entries).
            if !options.emit_defaults && T::TRANSCODABLE {
                assert!(
                    json::transcodes_in_one_pass::<T>(&bytes, options),
                    "{}: fell back",
                    context()
                );
            }
            let transcoded = json::bytes_to_vec::<T>(&bytes, options).unwrap();
            let transcoded: serde_json::Value = serde_json::from_slice(&transcoded)
                .unwrap_or_else(|e| panic!("{}: invalid transcoded JSON: {e}", context()));
            if let Some(d) = difference(&transcoded, &value, "$") {
                panic!("{} with {options:?}: transcoded vs owned at {d}", context());
            }

            // Straight from the bytes through the view: the same JSON value.
            let view = T::view(&bytes).unwrap();
            let from_view = json::view_to_vec(&view, options).unwrap();
            let from_view: serde_json::Value = serde_json::from_slice(&from_view)
                .unwrap_or_else(|e| panic!("{}: invalid view JSON: {e}", context()));
            assert_eq!(from_view, value, "{}: view with {options:?}", context());
        }

        // serde: the generated impls give the canonical JSON and read it back.
        let canonical = json::to_string(&owned).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&serde_json::to_string(&owned).unwrap())
                .unwrap(),
            serde_json::from_str::<serde_json::Value>(&canonical).unwrap(),
            "{}",
            context()
        );
        assert_eq!(serde_json::from_str::<T>(&canonical).unwrap(), owned);

        // prost-reflect reads our JSON as the same message.
        let mut de = serde_json::Deserializer::from_str(&canonical);
        let theirs = DynamicMessage::deserialize(desc.clone(), &mut de).unwrap();
        assert_eq!(
            T::decode(theirs.encode_to_vec().as_slice()).unwrap(),
            owned,
            "{}",
            context()
        );
    }
}

#[test]
fn random_messages_of_every_schema_match_prost_reflect_and_round_trip() {
    check_type::<shop::v1::Order>(SEEDS);
    check_type::<shop::v1::LineItem>(SEEDS);
    check_type::<shop::v1::MapShowcase>(SEEDS);
    check_type::<shop::v1::ScalarShowcase>(SEEDS);
    check_type::<common::v1::Money>(SEEDS);
    check_type::<common::v1::Address>(SEEDS);
    check_type::<legacy::v1::Product>(SEEDS);
    check_type::<legacy::v1::Category>(SEEDS);
    check_type::<edge::v1::Self_>(SEEDS);
    check_type::<edge::v1::Type>(SEEDS);
    check_type::<edge::v1::Node>(SEEDS);
    // Big (every field, recursive): fewer seeds.
    check_type::<conformance::v1::AllTypes>(40);
    check_type::<conformance::v1::all_types::Nested>(40);
}

/// Damaged and merged encodings: the one-pass transcoder and prost + the owned writer accept and
/// reject alike, and write the same JSON (merges make the transcoder fall back to the owned path).
fn transcoder_agrees_on_damaged_bytes<T>(seeds: u64)
where
    T: JsonMessage + json::JsonWire + MessageInfo + Message + Default + Debug,
{
    let pool = pool();
    let desc = pool.get_message_by_name(T::FULL_NAME).unwrap();
    for seed in 0..seeds {
        let mut rng = Rng::new(seed ^ 0xdead_beef);
        let base = random_valid(&desc, &pool, seed).encode_to_vec();
        let other = random_valid(&desc, &pool, seed + 1_000_000).encode_to_vec();
        let mut pieces = 1;
        let mut bytes = base.clone();
        for _ in 0..3 {
            bytes = support::mutate(&bytes, &other, &mut pieces, &mut rng);
        }
        let owned = T::decode(bytes.as_slice());
        let transcoded = json::bytes_to_vec::<T>(&bytes, &EncodeOptions::default());
        match (owned, transcoded) {
            (Ok(m), Ok(text)) => {
                // The owned value may hold what JSON cannot (a damaged Timestamp, an Any of an
                // unknown type): then both paths refuse.
                let Ok(expected) = json::to_string(&m) else {
                    continue;
                };
                let ours: serde_json::Value = serde_json::from_slice(&text).unwrap();
                let expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
                if let Some(d) = difference(&ours, &expected, "$") {
                    panic!("{} seed {seed}: transcoded vs owned at {d}", T::FULL_NAME);
                }
            }
            (Err(_), Err(_)) => {}
            (Ok(m), Err(e)) => {
                assert!(
                    json::to_string(&m).is_err(),
                    "{} seed {seed}: prost accepts, the transcoder says {e}",
                    T::FULL_NAME
                );
            }
            (Err(e), Ok(_)) => panic!(
                "{} seed {seed}: prost rejects ({e}), the transcoder accepts",
                T::FULL_NAME
            ),
        }
    }
}

#[test]
fn one_pass_transcoding_agrees_with_prost_on_damaged_and_merged_bytes() {
    transcoder_agrees_on_damaged_bytes::<shop::v1::Order>(600);
    transcoder_agrees_on_damaged_bytes::<shop::v1::MapShowcase>(600);
    transcoder_agrees_on_damaged_bytes::<shop::v1::ScalarShowcase>(600);
    transcoder_agrees_on_damaged_bytes::<legacy::v1::Product>(300);
    transcoder_agrees_on_damaged_bytes::<edge::v1::Node>(300);
    transcoder_agrees_on_damaged_bytes::<conformance::v1::AllTypes>(100);
}

#[test]
fn non_finite_wrapped_floats_are_strings() {
    let m = shop::v1::ScalarShowcase {
        w_double: Some(f64::NEG_INFINITY),
        w_float: Some(f32::NAN),
        ..Default::default()
    };
    let text = json::to_string(&m).unwrap();
    assert_eq!(text, r#"{"wFloat":"NaN","wDouble":"-Infinity"}"#);
    let back: shop::v1::ScalarShowcase = json::from_str(&text).unwrap();
    assert!(back.w_float.unwrap().is_nan());
    assert_eq!(back.w_double, Some(f64::NEG_INFINITY));
}

// ---- accepted inputs --------------------------------------------------------------------------

fn decode<T: JsonMessage>(text: &str) -> Result<T, json::JsonErrors> {
    json::from_str(text)
}

/// prost-reflect's verdict on `text` as a `T` (strict).
fn reflect_accepts<T: MessageInfo>(text: &str) -> bool {
    let pool = pool();
    let desc = pool.get_message_by_name(T::FULL_NAME).unwrap();
    let mut de = serde_json::Deserializer::from_str(text);
    DynamicMessage::deserialize(desc, &mut de).is_ok() && de.end().is_ok()
}

#[test]
fn accepted_forms_decode_like_the_spec_and_prost_reflect() {
    type S = shop::v1::ScalarShowcase;
    let cases: &[(&str, S)] = &[
        (
            r#"{"fInt64": 5}"#,
            S {
                f_int64: 5,
                ..S::default()
            },
        ),
        (
            r#"{"fInt64": "-5"}"#,
            S {
                f_int64: -5,
                ..S::default()
            },
        ),
        (
            r#"{"f_int64": "9223372036854775807"}"#,
            S {
                f_int64: i64::MAX,
                ..S::default()
            },
        ),
        (
            r#"{"fUint64": "18446744073709551615"}"#,
            S {
                f_uint64: u64::MAX,
                ..S::default()
            },
        ),
        (
            r#"{"fInt32": 1e2}"#,
            S {
                f_int32: 100,
                ..S::default()
            },
        ),
        (
            r#"{"fInt32": 1.000}"#,
            S {
                f_int32: 1,
                ..S::default()
            },
        ),
        (
            r#"{"fInt32": -2147483648}"#,
            S {
                f_int32: i32::MIN,
                ..S::default()
            },
        ),
        (
            r#"{"fUint32": "4294967295"}"#,
            S {
                f_uint32: u32::MAX,
                ..S::default()
            },
        ),
        (
            r#"{"fDouble": "Infinity"}"#,
            S {
                f_double: f64::INFINITY,
                ..S::default()
            },
        ),
        (
            r#"{"fDouble": "-Infinity"}"#,
            S {
                f_double: f64::NEG_INFINITY,
                ..S::default()
            },
        ),
        (
            r#"{"fDouble": "1.5"}"#,
            S {
                f_double: 1.5,
                ..S::default()
            },
        ),
        (
            r#"{"fFloat": -3.402823e38}"#,
            S {
                f_float: -3.402823e38,
                ..S::default()
            },
        ),
        (
            r#"{"fBytes": "AQID/w=="}"#,
            S {
                f_bytes: vec![1, 2, 3, 255],
                ..S::default()
            },
        ),
        (
            r#"{"fBytes": "AQID_w"}"#,
            S {
                f_bytes: vec![1, 2, 3, 255],
                ..S::default()
            },
        ),
        (
            r#"{"fBytes": "AQID/w"}"#,
            S {
                f_bytes: vec![1, 2, 3, 255],
                ..S::default()
            },
        ),
        (
            r#"{"fString": "\ud83e\udd80 \u00e9\n"}"#,
            S {
                f_string: "🦀 é\n".into(),
                ..S::default()
            },
        ),
        (
            r#"{"fString": null, "fInt32": null, "wInt32": null, "rDouble": null}"#,
            S::default(),
        ),
        (
            r#"{"wInt32": 0, "wString": ""}"#,
            S {
                w_int32: Some(0),
                w_string: Some(String::new()),
                ..S::default()
            },
        ),
        (
            r#"{"wUint64": "7"}"#,
            S {
                w_uint64: Some(7),
                ..S::default()
            },
        ),
        (
            r#"{"rDouble": [1, "NaN", -0.5]}"#,
            S {
                r_double: vec![1.0, f64::NAN, -0.5],
                ..S::default()
            },
        ),
        (
            r#"{"updateMask": "fooBar,a.bC"}"#,
            S {
                update_mask: Some(prost_types::FieldMask {
                    paths: vec!["foo_bar".into(), "a.b_c".into()],
                }),
                ..S::default()
            },
        ),
        (
            r#"{"empty": {}}"#,
            S {
                empty: Some(()),
                ..S::default()
            },
        ),
        (
            r#"{"value": null}"#,
            S {
                value: Some(prost_types::Value {
                    kind: Some(prost_types::value::Kind::NullValue(0)),
                }),
                ..S::default()
            },
        ),
        (
            r#"{"any": {"value": "1.5s", "@type": "type.googleapis.com/google.protobuf.Duration"}}"#,
            S {
                any: Some(prost_types::Any {
                    type_url: "type.googleapis.com/google.protobuf.Duration".into(),
                    value: prost_types::Duration {
                        seconds: 1,
                        nanos: 500_000_000,
                    }
                    .encode_to_vec(),
                }),
                ..S::default()
            },
        ),
        (
            r#"{"any": {"units": "3", "@type": "type.googleapis.com/common.v1.Money"}}"#,
            S {
                any: Some(prost_types::Any {
                    type_url: "type.googleapis.com/common.v1.Money".into(),
                    value: common::v1::Money {
                        units: 3,
                        ..Default::default()
                    }
                    .encode_to_vec(),
                }),
                ..S::default()
            },
        ),
        (" \n{ } \t", S::default()),
    ];
    for (text, expected) in cases {
        let ours: S = decode(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        // NaN != NaN: compare the encodings.
        assert_eq!(ours.encode_to_vec(), expected.encode_to_vec(), "{text}");
        assert!(reflect_accepts::<S>(text), "prost-reflect rejects {text}");
    }

    type O = shop::v1::Order;
    let order: O = decode(
        r#"{"status": 2, "statusHistory": ["STATUS_PAID", 9], "createdAt": "1972-01-01T10:00:20.021+01:00",
            "paymentWindow": "-0.5s", "voucherCode": "V", "labels": {"k": "v"}, "itemsBySku": {"a": {}}}"#,
    )
    .unwrap();
    assert_eq!(order.status, shop::v1::Status::Paid as i32);
    assert_eq!(order.status_history, [2, 9]);
    assert_eq!(
        order.created_at,
        Some(prost_types::Timestamp {
            seconds: 63_108_020 - 3600,
            nanos: 21_000_000
        })
    );
    assert_eq!(
        order.payment_window,
        Some(prost_types::Duration {
            seconds: 0,
            nanos: -500_000_000
        })
    );
    assert_eq!(
        order.payment,
        Some(shop::v1::order::Payment::VoucherCode("V".into()))
    );
    // A oneof member given as null does not set the oneof.
    let order: O = decode(r#"{"card": null, "voucherCode": "V"}"#).unwrap();
    assert_eq!(
        order.payment,
        Some(shop::v1::order::Payment::VoucherCode("V".into()))
    );

    type M = shop::v1::MapShowcase;
    let maps: M = decode(
        r#"{"byInt64": {"-3": "x"}, "byBool": {"true": "t"}, "byFixed32": {"4": "STATUS_PAID"}}"#,
    )
    .unwrap();
    assert_eq!(maps.by_int64[&-3], "x");
    assert_eq!(maps.by_bool[&true], "t");
    assert_eq!(maps.by_fixed32[&4], 2);
}

// ---- rejected inputs: every error kind, with path, position and message ------------------------

fn errors<T: JsonMessage + Debug>(text: &str) -> Vec<(ErrorKind, String, usize, usize)> {
    let errors = decode::<T>(text).expect_err(text);
    errors
        .iter()
        .map(|e| (e.kind, e.path.clone(), e.line, e.column))
        .collect()
}

#[test]
fn rejected_inputs_are_rejected_by_prost_reflect_too() {
    type S = shop::v1::ScalarShowcase;
    let cases = [
        r#"{"fInt32": 2147483648}"#,
        r#"{"fInt32": 1.5}"#,
        r#"{"fInt32": "abc"}"#,
        r#"{"fUint32": -1}"#,
        r#"{"fUint64": "-1"}"#,
        r#"{"fInt64": "9223372036854775808"}"#,
        r#"{"fFloat": 3.5e38}"#,
        r#"{"fBool": "true"}"#,
        r#"{"fBool": 1}"#,
        r#"{"fString": 1}"#,
        r#"{"fBytes": "!!"}"#,
        r#"{"fBytes": 5}"#,
        r#"{"rDouble": 1}"#,
        r#"{"rDouble": [null]}"#,
        r#"{"nope": 1}"#,
        r#"{"fInt32": 1,}"#,
        r#"{"fInt32": 01}"#,
        r#"{"fString": "a"} x"#,
        r#"{"updateMask": "foo_bar"}"#,
        r#"{"empty": {"x": 1}}"#,
        r#"{"any": {"@type": "type.googleapis.com/nope.Nope"}}"#,
        r#"{"any": {"units": 1}}"#,
        r#"{"value": NaN}"#,
        "[]",
    ];
    for text in cases {
        assert!(decode::<S>(text).is_err(), "we accept {text}");
        assert!(!reflect_accepts::<S>(text), "prost-reflect accepts {text}");
    }
    for text in [
        r#"{"createdAt": "1972-01-01t10:00:20Z"}"#,
        r#"{"createdAt": "10000-01-01T00:00:00Z"}"#,
        r#"{"paymentWindow": "1.5"}"#,
        r#"{"paymentWindow": "315576000001s"}"#,
        r#"{"status": "STATUS_NOPE"}"#,
        r#"{"status": 2147483648}"#,
        r#"{"card": {}, "voucherCode": "x"}"#,
        r#"{"labels": {"k": null}}"#,
    ] {
        assert!(decode::<shop::v1::Order>(text).is_err(), "we accept {text}");
        assert!(
            !reflect_accepts::<shop::v1::Order>(text),
            "prost-reflect accepts {text}"
        );
    }
    for text in [r#"{"byInt32": {"x": "a"}}"#, r#"{"byBool": {"1": "a"}}"#] {
        assert!(
            decode::<shop::v1::MapShowcase>(text).is_err(),
            "we accept {text}"
        );
        assert!(
            !reflect_accepts::<shop::v1::MapShowcase>(text),
            "prost-reflect accepts {text}"
        );
    }
    // Stricter than prost-reflect, as Google's parsers are: a field twice, a lone surrogate.
    assert!(decode::<S>(r#"{"fInt32": 1, "f_int32": 2}"#).is_err());
    assert!(decode::<S>(r#"{"fString": "\udc00"}"#).is_err());
    assert!(decode::<S>(r#"{"fFloat": "inf"}"#).is_err());
    assert!(
        decode::<shop::v1::Order>(r#"{"createdAt": "1972-01-01T10:00:20.0000000001Z"}"#).is_err()
    );
    // …and a float that rounds to f32::MAX is in range (prost-reflect compares the f64).
    assert_eq!(
        decode::<S>(r#"{"fFloat": 3.4028235e38}"#).unwrap().f_float,
        f32::MAX
    );
}

#[test]
fn every_problem_is_reported_at_once_with_path_and_position() {
    let text = "{\n  \"items\": [{\"sku\": 1}, {\"quantity\": -1}, {\"unitPrice\": {\"units\": \"1.5\"}}],\n  \"status\": \"STATUS_NOPE\",\n  \"bogus\": true,\n  \"priority\": 1.5\n}";
    let errors = json::from_str::<shop::v1::Order>(text).unwrap_err();
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.kind, e.path.as_str(), e.line, e.column))
        .collect();
    assert_eq!(
        got,
        [
            (ErrorKind::WrongType, "$.items[0].sku", 2, 21),
            (ErrorKind::OutOfRange, "$.items[1].quantity", 2, 38),
            (ErrorKind::OutOfRange, "$.items[2].unitPrice.units", 2, 67),
            (ErrorKind::InvalidValue, "$.status", 3, 13),
            (ErrorKind::UnknownField, "$.bogus", 4, 3),
            (ErrorKind::OutOfRange, "$.priority", 5, 15),
        ]
    );
    assert!(!errors.truncated);
    assert_eq!(
        errors.errors[0].to_string(),
        "$.items[0].sku at 2:21: wrong type: expected string, found number 1"
    );
    assert_eq!(
        errors.errors[1].to_string(),
        "$.items[1].quantity at 2:38: out of range: expected uint32 in [0, 4294967295], found number -1"
    );
    assert_eq!(
        errors.errors[4].to_string(),
        "$.bogus at 4:3: unknown field: expected a field of shop.v1.Order, found key \"bogus\""
    );
    // The README's example.
    assert_eq!(
        errors.to_string(),
        "6 errors in JSON
  $.items[0].sku at 2:21: wrong type: expected string, found number 1
  $.items[1].quantity at 2:38: out of range: expected uint32 in [0, 4294967295], found number -1
  $.items[2].unitPrice.units at 2:67: out of range: expected an integer (int64), found string \"1.5\"
  $.status at 3:13: invalid value: expected an enum value name or number, found string \"STATUS_NOPE\"
  $.bogus at 4:3: unknown field: expected a field of shop.v1.Order, found key \"bogus\"
  $.priority at 5:15: out of range: expected an integer (uint32), found number 1.5"
    );
}

/// A message in a list or an optional field is merged in place (`Kind::read_push`,
/// `Kind::read_optional`): a value that is not an object is reported where it is, with what was
/// expected, and the elements after it keep their indices.
#[test]
fn messages_that_are_not_objects_in_lists_and_fields() {
    let text = "{\"items\": [1, {\"sku\": 2}, \"x\"], \"total\": [], \"card\": {}}";
    let errors = json::from_str::<shop::v1::Order>(text).unwrap_err();
    let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "$.items[0] at 1:12: wrong type: expected an object (shop.v1.LineItem), found number 1",
            "$.items[1].sku at 1:23: wrong type: expected string, found number 2",
            "$.items[2] at 1:27: wrong type: expected an object (shop.v1.LineItem), found string \"x\"",
            "$.total at 1:42: wrong type: expected an object (common.v1.Money), found an array",
        ]
    );
    // Without the bad values, the same places read as messages.
    let order: shop::v1::Order =
        json::from_str(r#"{"items": [{"sku": "a"}, {}], "total": {"units": "3"}}"#).unwrap();
    assert_eq!(order.items.len(), 2);
    assert_eq!(order.items[0].sku, "a");
    assert_eq!(order.total.map(|t| t.units), Some(3));
}

#[test]
fn each_error_kind() {
    type S = shop::v1::ScalarShowcase;
    type O = shop::v1::Order;
    assert_eq!(
        errors::<S>(r#"{"fInt32": 1, "f_int32": 2}"#),
        [(ErrorKind::DuplicateField, "$.f_int32".into(), 1, 15)]
    );
    assert_eq!(
        errors::<O>(r#"{"card": {}, "voucherCode": "x"}"#),
        [(ErrorKind::OneofConflict, "$.voucherCode".into(), 1, 14)]
    );
    assert_eq!(
        errors::<S>(r#"{"fString": "a\udc00"}"#),
        [(ErrorKind::InvalidValue, "$.fString".into(), 1, 15)]
    );
    assert_eq!(
        errors::<S>("{\"fInt32\": 1,\n}"),
        [(ErrorKind::Syntax, "$".into(), 2, 1)]
    );
    assert_eq!(
        errors::<S>(r#"{"fBytes": "!!"}"#),
        [(ErrorKind::InvalidValue, "$.fBytes".into(), 1, 12)]
    );
    assert_eq!(
        errors::<M>(r#"{"byInt32": {"1e0": "a"}}"#),
        [(ErrorKind::InvalidValue, "$.byInt32[\"1e0\"]".into(), 1, 14)]
    );
    // Keys are read as Go's ParseInt and Python's int read them: "01" and "+1" are key 1.
    assert_eq!(
        errors::<M>(r#"{"byInt32": {"1": "a", "+1": "b", "01": "c"}}"#),
        [
            (ErrorKind::DuplicateField, "$.byInt32[\"+1\"]".into(), 1, 24),
            (ErrorKind::DuplicateField, "$.byInt32[\"01\"]".into(), 1, 35)
        ]
    );
    assert_eq!(
        errors::<M>(r#"{"byInt32": {"1": "a", "1": "b"}}"#),
        [(ErrorKind::DuplicateField, "$.byInt32[\"1\"]".into(), 1, 24)]
    );
    assert_eq!(
        errors::<O>(r#"{"createdAt": "yesterday"}"#),
        [(ErrorKind::InvalidValue, "$.createdAt".into(), 1, 15)]
    );
    // The error of a non-UTF-8 input.
    let e = json::from_slice_with::<S>(b"{\"fString\": \"\xff\"}", &DecodeOptions::default())
        .unwrap_err();
    assert_eq!(
        (e.errors[0].kind, e.errors[0].line, e.errors[0].column),
        (ErrorKind::Syntax, 1, 14)
    );
}

/// Keys are matched on their raw bytes when written without escapes: escaped keys, keys that
/// extend a field's name and spaces before the colon take the other path, to the same result.
#[test]
fn keys_with_escapes_or_longer_than_a_name() {
    type S = shop::v1::ScalarShowcase;
    let s: S = decode(r#"{"\u0066Int64": 5, "f_\u0069nt32" : 2, "fBool"  :true}"#).unwrap();
    let expected = S {
        f_int64: 5,
        f_int32: 2,
        f_bool: true,
        ..S::default()
    };
    assert_eq!(s, expected);
    assert_eq!(
        errors::<S>(r#"{"fInt32": 1, "f\u0049nt32": 2}"#),
        [(ErrorKind::DuplicateField, "$.fInt32".into(), 1, 15)]
    );
    assert_eq!(
        errors::<S>(r#"{"fInt32x": 1, "fInt3": 2}"#),
        [
            (ErrorKind::UnknownField, "$.fInt32x".into(), 1, 2),
            (ErrorKind::UnknownField, "$.fInt3".into(), 1, 16)
        ]
    );
}

type M = shop::v1::MapShowcase;

// ---- options --------------------------------------------------------------------------------------

#[test]
fn limits_stop_the_decode() {
    type S = shop::v1::ScalarShowcase;
    let deep = format!("{{\"value\": {}{}}}", "[".repeat(200), "]".repeat(200));
    let e = json::from_str::<S>(&deep).unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].kind, ErrorKind::DepthLimit);
    // `{"value": ` then the 100th `[` (the root object is the first level).
    assert_eq!(e.errors[0].column, 110);
    let options = DecodeOptions {
        max_depth: 300,
        ..DecodeOptions::default()
    };
    assert!(json::from_str_with::<S>(&deep, &options).is_ok());

    let options = DecodeOptions {
        max_input_size: 10,
        ..DecodeOptions::default()
    };
    let e = json::from_str_with::<S>(r#"{"fString": "long enough"}"#, &options).unwrap_err();
    assert_eq!(e.errors[0].kind, ErrorKind::SizeLimit);

    let options = DecodeOptions {
        max_errors: 2,
        ..DecodeOptions::default()
    };
    let e = json::from_str_with::<S>(r#"{"a": 1, "b": 2, "c": 3}"#, &options).unwrap_err();
    assert_eq!(e.errors.len(), 2);
    assert!(e.truncated);
    assert!(e.to_string().contains("stopped at the limit"));
}

#[test]
fn a_raised_depth_limit_stops_before_the_stack_overflows() {
    type S = shop::v1::ScalarShowcase;
    // 200,000 nested arrays, read as a `google.protobuf.Value` and skipped as an unknown
    // field, would overflow a 1 MiB stack: the decode reports the depth instead.
    let arrays = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    for (key, ignore_unknown_fields) in [("value", false), ("nope", true)] {
        let text = format!("{{\"{key}\": {arrays}}}");
        let options = DecodeOptions {
            max_depth: usize::MAX,
            ignore_unknown_fields,
            ..DecodeOptions::default()
        };
        let e = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || json::from_str_with::<S>(&text, &options).unwrap_err())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(e.errors.len(), 1, "{e}");
        assert_eq!(e.errors[0].kind, ErrorKind::DepthLimit);
        assert_eq!(e.errors[0].expected, "nesting the thread's stack can hold");
        assert!(e.errors[0].column > 100, "{e}");
    }
}

/// Error paths are found again from the text when an error names them (see `PathScan` in the
/// runtime): strings holding brackets, commas and escaped quotes, members after nested objects
/// and arrays, arrays of arrays inside `Struct`s, map keys, and an `Any` read twice (its
/// payload is looked through for `@type`, then read again from its start).
#[test]
fn error_paths_survive_nesting_strings_and_rewinds() {
    type O = shop::v1::Order;
    type S = shop::v1::ScalarShowcase;
    type M = shop::v1::MapShowcase;
    let text = r#"{"id": "a{[\"],", "items": [{"sku": "}]", "attributes": {"x": [[1, {"y": "]"}], []]}, "quantity": -1}, {"sku": 7}], "labels": {"k\"": 1}, "itemsBySku": {"a": {"quantity": "q"}}}"#;
    assert_eq!(
        errors::<O>(text)
            .into_iter()
            .map(|(kind, path, ..)| (kind, path))
            .collect::<Vec<_>>(),
        [
            (ErrorKind::OutOfRange, "$.items[0].quantity".to_owned()),
            (ErrorKind::WrongType, "$.items[1].sku".to_owned()),
            (ErrorKind::WrongType, "$.labels[\"k\\\"\"]".to_owned()),
            (
                ErrorKind::InvalidValue,
                "$.itemsBySku.a.quantity".to_owned()
            ),
        ]
    );
    // The payload of an `Any` is read once to find `@type` and once as its type.
    assert_eq!(
        errors::<S>(
            r#"{"fInt32": 1, "any": {"units": "x", "@type": "type.googleapis.com/common.v1.Money"}, "fBool": 3}"#
        )
        .into_iter()
        .map(|(kind, path, ..)| (kind, path))
        .collect::<Vec<_>>(),
        [
            (ErrorKind::InvalidValue, "$.any.units".to_owned()),
            (ErrorKind::WrongType, "$.fBool".to_owned()),
        ]
    );
    // Map keys, after a value that is a nested object.
    assert_eq!(
        errors::<M>(r#"{"byFixed64": {"1": {"sku": "s"}, "x": {}}, "byBool": {"yes": "a"}}"#)
            .into_iter()
            .map(|(kind, path, ..)| (kind, path))
            .collect::<Vec<_>>(),
        [
            (ErrorKind::InvalidValue, "$.byFixed64.x".to_owned()),
            (ErrorKind::InvalidValue, "$.byBool.yes".to_owned()),
        ]
    );
    // Syntax errors: between an object's members its path ends at the object; an array's
    // element stays on it.
    for (text, path) in [
        (r#"{"items": [{"sku": "s" "x"}]}"#, "$.items[0]"),
        (r#"{"items": [{"sku" 1}]}"#, "$.items[0]"),
        (r#"{"items": [{"sku": "s"}, {,}]}"#, "$.items[1]"),
        (r#"{"items": [{} {}]}"#, "$.items[0]"),
        (r#"{"id": "a", ,}"#, "$"),
        (
            r#"{"items": [{"attributes": {"a": [1 2]}}]}"#,
            "$.items[0].attributes.a[0]",
        ),
    ] {
        assert_eq!(
            errors::<O>(text)
                .into_iter()
                .map(|(kind, path, ..)| (kind, path))
                .collect::<Vec<_>>(),
            [(ErrorKind::Syntax, path.to_owned())],
            "{text}"
        );
    }
    // Ignored keys inside an `Any`, each behind a rewind.
    let options = DecodeOptions {
        ignore_unknown_fields: true,
        ..DecodeOptions::default()
    };
    // Keys with lone surrogates, nested: each key on an error's path is unescaped again for
    // the path, without locating that read's own errors (which, located, would unescape the
    // keys on their paths in turn: a read per path through the nesting, 2^40 of them here).
    let depth = 40;
    let text = format!(
        "{{\"zz\": {}1{}}}",
        "{\"\\udead\": ".repeat(depth),
        "}".repeat(depth)
    );
    let decoded = json::from_str_with::<O>(&text, &options).unwrap_err();
    assert_eq!(decoded.errors.len(), depth);
    assert_eq!(
        decoded.errors[depth - 1].path,
        format!("$.zz{}", "[\"\u{fffd}\"]".repeat(depth - 1))
    );
    let decoded = json::from_str_with::<S>(
        r#"{"any": {"nope": [{"]": 1}], "@type": "type.googleapis.com/common.v1.Money", "units": "1"}, "zz": {"a": [1, 2]}}"#,
        &options,
    )
    .unwrap();
    assert_eq!(decoded.unused, ["$.any.nope", "$.zz"]);
}

#[test]
fn ignore_unknown_fields_returns_the_ignored_keys() {
    let options = DecodeOptions {
        ignore_unknown_fields: true,
        ..DecodeOptions::default()
    };
    let decoded = json::from_str_with::<shop::v1::Order>(
        r#"{"id": "x", "colour": [1, {"a": 2}], "items": [{"sku": "s", "weight": 3}], "status": "STATUS_FUTURE"}"#,
        &options,
    )
    .unwrap();
    assert_eq!(decoded.message.id, "x");
    assert_eq!(decoded.message.items[0].sku, "s");
    assert_eq!(decoded.message.status, 0, "an unknown enum name is skipped");
    assert_eq!(decoded.unused, ["$.colour", "$.items[0].weight"]);
    // Malformed values are still errors.
    assert!(json::from_str_with::<shop::v1::Order>(r#"{"id": 1, "x": 2}"#, &options).is_err());
}

#[test]
fn weak_typing_coerces_like_mapstructure() {
    type S = shop::v1::ScalarShowcase;
    let text = r#"{"fBool": "1", "fString": 12.5, "rString": true, "fInt32": true, "fUint64": "", "rDouble": 2, "wBool": "F", "fDouble": false}"#;
    let strict = json::from_str::<S>(text).unwrap_err();
    assert_eq!(strict.len(), 8, "{strict}");
    let options = DecodeOptions {
        weak_typing: true,
        ..DecodeOptions::default()
    };
    let m = json::from_str_with::<S>(text, &options).unwrap().message;
    assert!(m.f_bool);
    assert_eq!(m.f_string, "12.5");
    assert_eq!(m.r_string, ["true"]);
    assert_eq!(m.f_int32, 1);
    assert_eq!(m.f_uint64, 0);
    assert_eq!(m.r_double, [2.0]);
    assert_eq!(m.w_bool, Some(false));
    assert_eq!(m.f_double, 0.0);
    // Not every string is a bool.
    assert!(json::from_str_with::<S>(r#"{"fBool": "yes"}"#, &options).is_err());
}

#[test]
fn from_value_reports_the_same_errors_without_positions() {
    let value = serde_json::json!({"id": "x", "items": [{"quantity": "many"}], "nope": 1});
    let e = json::from_value::<shop::v1::Order>(&value, &DecodeOptions::default()).unwrap_err();
    let got: Vec<_> = e
        .iter()
        .map(|e| (e.kind, e.path.as_str(), e.line))
        .collect();
    assert_eq!(
        got,
        [
            (ErrorKind::InvalidValue, "$.items[0].quantity", 0),
            (ErrorKind::UnknownField, "$.nope", 0)
        ]
    );
    assert!(!e.errors[0].to_string().contains(" at "));
    let value = serde_json::json!({"id": "x", "priority": 3});
    let m = json::from_value::<shop::v1::Order>(&value, &DecodeOptions::default()).unwrap();
    assert_eq!((m.message.id.as_str(), m.message.priority), ("x", Some(3)));
}

#[test]
fn serde_deserialize_reads_serde_json_text_with_every_error() {
    use json::serde::de::IntoDeserializer;
    use json::serde::de::value::{Error as ValueError, MapDeserializer};
    type Order = shop::v1::Order;

    // serde_json hands over the value's text, so a key given twice is seen (a
    // `serde_json::Value` would keep the last one), and every error is reported, with its path.
    let twice = r#"{"id": "a", "id": "b"}"#;
    let e = serde_json::from_str::<Order>(twice)
        .unwrap_err()
        .to_string();
    assert!(e.contains("$.id: duplicate field"), "{e}");
    let bad = r#"{"id": "x", "items": [{"quantity": "many"}], "nope": 1}"#;
    let e = serde_json::from_slice::<Order>(bad.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("2 errors in JSON"), "{e}");
    assert!(e.contains("$.items[0].quantity: invalid value"), "{e}");
    assert!(e.contains("$.nope: unknown field"), "{e}");

    // Borrowed (from_str), owned (from_reader, from_value) and nested in other serde values.
    let text = r#"{"id": "x", "priority": 3, "status": "STATUS_PAID"}"#;
    let expected = json::from_str::<Order>(text).unwrap();
    assert_eq!(serde_json::from_str::<Order>(text).unwrap(), expected);
    assert_eq!(
        serde_json::from_reader::<_, Order>(text.as_bytes()).unwrap(),
        expected
    );
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::from_value::<Order>(value).unwrap(), expected);
    let list = format!("[{text}, {{}}]");
    assert_eq!(
        serde_json::from_str::<Vec<Order>>(&list).unwrap(),
        [expected.clone(), Order::default()]
    );
    let e = serde_json::from_str::<Vec<Order>>(&format!("[{text}, {twice}]")).unwrap_err();
    assert!(e.to_string().contains("$.id: duplicate field"), "{e}");

    // Another deserializer's map is buffered and decoded by the same rules.
    let entries = [("id", "x"), ("priority", "3")];
    let de: MapDeserializer<_, ValueError> = MapDeserializer::new(entries.into_iter());
    let m = <Order as json::serde::Deserialize>::deserialize(de).unwrap();
    assert_eq!((m.id.as_str(), m.priority), ("x", Some(3)));
    let de: MapDeserializer<_, ValueError> = MapDeserializer::new([("nope", "1")].into_iter());
    let e = <Order as json::serde::Deserialize>::deserialize(de).unwrap_err();
    assert!(e.to_string().contains("$.nope: unknown field"), "{e}");
    let de: json::serde::de::value::StrDeserializer<ValueError> = "x".into_deserializer();
    let e = <Order as json::serde::Deserialize>::deserialize(de).unwrap_err();
    assert!(e.to_string().contains("$: "), "{e}");

    // Inside serde's buffered forms (untagged enums, flatten): decoded from the buffer.
    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Payload {
        Order(Box<Order>),
        Number(u32),
    }
    assert_eq!(
        serde_json::from_str::<Payload>(text).unwrap(),
        Payload::Order(Box::new(expected.clone()))
    );
    assert_eq!(
        serde_json::from_str::<Payload>("7").unwrap(),
        Payload::Number(7)
    );
    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Envelope {
        tenant: String,
        order: Order,
    }
    let envelope = format!(r#"{{"tenant": "t", "order": {text}}}"#);
    let got: Envelope = serde_json::from_str(&envelope).unwrap();
    assert_eq!((got.tenant.as_str(), got.order), ("t", expected.clone()));

    // Enums: a name, a number, or an exact integer written as a float.
    type Status = shop::v1::Status;
    assert_eq!(serde_json::from_str::<Status>("2.0").unwrap(), Status::Paid);
    assert_eq!(
        serde_json::from_str::<Status>(r#""STATUS_PAID""#).unwrap(),
        Status::Paid
    );
    for (text, message) in [
        ("2.5", "enum number out of range: 2.5"),
        ("4294967296", "enum number out of range: 4294967296"),
        (r#""PAID""#, "unknown enum value name `PAID`"),
        ("99", "99 is not a value of"),
        ("true", "expected an enum value name or number"),
    ] {
        let e = serde_json::from_str::<Status>(text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(message), "{text}: {e}");
    }
}

#[test]
fn encode_options() {
    let order = shop::v1::Order {
        customer_id: "c".into(),
        status: shop::v1::Status::Paid as i32,
        ..Default::default()
    };
    assert_eq!(
        json::to_string(&order).unwrap(),
        r#"{"customerId":"c","status":"STATUS_PAID"}"#
    );
    let names = EncodeOptions {
        use_proto_names: true,
        ..EncodeOptions::default()
    };
    assert_eq!(
        json::to_string_with(&order, &names).unwrap(),
        r#"{"customer_id":"c","status":"STATUS_PAID"}"#
    );
    let numbers = EncodeOptions {
        enums_as_numbers: true,
        ..EncodeOptions::default()
    };
    assert_eq!(
        json::to_string_with(&order, &numbers).unwrap(),
        r#"{"customerId":"c","status":2}"#
    );
    let defaults = EncodeOptions {
        emit_defaults: true,
        ..EncodeOptions::default()
    };
    let money = common::v1::Money::default();
    assert_eq!(
        json::to_string_with(&money, &defaults).unwrap(),
        r#"{"currency":"CURRENCY_UNSPECIFIED","units":"0","nanos":0}"#
    );
    assert_eq!(json::to_string(&money).unwrap(), "{}");
    // serde goes through the same writer rules.
    assert_eq!(
        serde_json::to_string(&order).unwrap(),
        r#"{"customerId":"c","status":"STATUS_PAID"}"#
    );
    assert_eq!(
        serde_json::to_string(&shop::v1::Status::Shipped).unwrap(),
        r#""STATUS_SHIPPED""#
    );
    assert_eq!(
        serde_json::from_str::<shop::v1::Status>("3").unwrap(),
        shop::v1::Status::Shipped
    );
    // Writing into an io::Write.
    let mut out = Vec::new();
    json::to_writer(&order, &names, &mut out).unwrap();
    assert_eq!(out, br#"{"customer_id":"c","status":"STATUS_PAID"}"#);
}

#[test]
fn invalid_well_known_values_are_encode_errors() {
    let bad = shop::v1::Order {
        created_at: Some(prost_types::Timestamp {
            seconds: i64::MAX,
            nanos: 0,
        }),
        ..Default::default()
    };
    assert!(
        json::to_string(&bad)
            .unwrap_err()
            .to_string()
            .contains("Timestamp out of range")
    );
    let bad = shop::v1::ScalarShowcase {
        any: Some(prost_types::Any {
            type_url: "type.googleapis.com/x.Unknown".into(),
            value: vec![],
        }),
        ..Default::default()
    };
    assert!(
        json::to_string(&bad)
            .unwrap_err()
            .to_string()
            .contains("unknown to the build")
    );
    assert!(serde_json::to_string(&bad).is_err());
}

// ---- what the conformance suite checks, on conformance/v1/all_types.proto ------------------------

/// Where Google's parsers (Go's protojson, Python's json_format: `json_oracle.py` runs the
/// latter) settle what the spec leaves open.
#[test]
fn edge_inputs_are_read_as_googles_parsers_read_them() {
    use conformance::v1::AllTypes as A;
    use conformance::v1::all_types::OneofField;
    // No leap second in a Timestamp.
    let e = decode::<A>(r#"{"optionalTimestamp": "1972-06-30T23:59:60Z"}"#).unwrap_err();
    let error = &e.errors[0];
    assert_eq!(
        (error.kind, error.path.as_str(), error.line, error.column),
        (ErrorKind::InvalidValue, "$.optionalTimestamp", 1, 23)
    );
    assert!(error.expected.starts_with("a Timestamp: RFC 3339"), "{e}");
    assert!(decode::<A>(r#"{"optionalTimestamp": "1972-06-30T23:59:59Z"}"#).is_ok());
    // A FieldMask has no empty path between commas; "" is the empty mask.
    for text in ["a,,b", ",a", "a,"] {
        let e = decode::<A>(&format!(r#"{{"optionalFieldMask": "{text}"}}"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "1 error in JSON\n  $.optionalFieldMask at 1:23: invalid value: expected a \
                 FieldMask: paths separated by single commas, found string \"{text}\""
            )
        );
    }
    let m = decode::<A>(r#"{"optionalFieldMask": ""}"#).unwrap();
    assert_eq!(m.optional_field_mask.unwrap().paths, Vec::<String>::new());
    // NullValue, an open enum, also takes a number.
    let m = decode::<A>(r#"{"oneofNullValue": 0, "optionalNullValue": 3}"#).unwrap();
    assert_eq!(m.oneof_field, Some(OneofField::OneofNullValue(0)));
    assert_eq!(m.optional_null_value, 3);
    assert!(decode::<A>(r#"{"optionalNullValue": 1.5}"#).is_err());
    // An Any's type URL may be the bare type name.
    let m = decode::<A>(r#"{"optionalAny": {"@type": "common.v1.Money", "units": "2"}}"#).unwrap();
    let any = m.optional_any.unwrap();
    assert_eq!(any.type_url, "common.v1.Money");
    let money = common::v1::Money::decode(any.value.as_slice()).unwrap();
    assert_eq!(money.units, 2);
}

#[test]
fn conformance_style_cases() {
    use conformance::v1::AllTypes as A;
    use conformance::v1::all_types::{Aliased, NestedEnum, OneofField};
    // JSON names of unusual field names, and both spellings on input.
    let m = A {
        field_name4: 4,
        field_name13: 13,
        field_name18: 18,
        renamed: "r".into(),
        ..A::default()
    };
    assert_eq!(
        json::to_string(&m).unwrap(),
        r#"{"fieldName4":4,"FieldName13":13,"FieldName18":18,"@renamed-Field":"r"}"#
    );
    for text in [
        r#"{"fieldName4": 4, "FieldName13": 13, "FieldName18": 18, "@renamed-Field": "r"}"#,
        r#"{"field__name4_": 4, "__field_name13": 13, "Field_name18__": 18, "renamed": "r"}"#,
    ] {
        assert_eq!(decode::<A>(text).unwrap(), m, "{text}");
        assert!(reflect_accepts::<A>(text), "{text}");
    }
    // Aliases are accepted; the first name is written.
    let m: A = decode(r#"{"optionalAliasedEnum": "bAz"}"#).unwrap();
    assert_eq!(m.optional_aliased_enum, Aliased::AliasBaz as i32);
    assert_eq!(
        json::to_string(&m).unwrap(),
        r#"{"optionalAliasedEnum":"ALIAS_BAZ"}"#
    );
    // Negative enum numbers, unknown enum numbers.
    let m: A = decode(r#"{"optionalNestedEnum": "NEG", "repeatedNestedEnum": [-1, 123]}"#).unwrap();
    assert_eq!(m.optional_nested_enum, NestedEnum::Neg as i32);
    assert_eq!(
        json::to_string(&m).unwrap(),
        r#"{"optionalNestedEnum":"NEG","repeatedNestedEnum":["NEG",123]}"#
    );
    // A null oneof member of type NullValue sets the oneof.
    let m: A = decode(r#"{"oneofNullValue": null}"#).unwrap();
    assert_eq!(m.oneof_field, Some(OneofField::OneofNullValue(0)));
    assert_eq!(json::to_string(&m).unwrap(), r#"{"oneofNullValue":null}"#);
    // NullValue fields: null is their value, not "unset"; the canonical output omits the default.
    let m: A =
        decode(r#"{"optionalNullValue": null, "optionalValue": null, "repeatedValue": [null, 1]}"#)
            .unwrap();
    assert_eq!(m.repeated_value.len(), 2);
    assert!(m.optional_value.is_some());
    // Repeated well-known types.
    let text = r#"{"repeatedTimestamp": ["1970-01-01T00:00:00Z", "2000-01-01T00:00:00.5Z"], "repeatedDuration": ["1s", "-0.000000001s"],
        "repeatedFieldmask": ["a.bC", ""], "repeatedAny": [{"@type": "type.googleapis.com/conformance.v1.Foreign", "c": 1}],
        "repeatedStruct": [{"a": [1, "x", null, {}]}], "repeatedListValue": [[]], "repeatedEmpty": [{}],
        "repeatedInt64Wrapper": ["1", 2], "repeatedBytesWrapper": ["AA=="], "mapStringValue": {"k": {"x": true}}}"#;
    let m: A = decode(text).unwrap();
    assert!(reflect_accepts::<A>(text));
    let again: A = decode(&json::to_string(&m).unwrap()).unwrap();
    assert_eq!(again, m);
    assert_eq!(
        m.repeated_duration[1],
        prost_types::Duration {
            seconds: 0,
            nanos: -1
        }
    );
    assert_eq!(m.repeated_int64_wrapper, [1, 2]);
    // Output forms of the well-known types.
    let m = A {
        optional_timestamp: Some(prost_types::Timestamp {
            seconds: 0,
            nanos: 10_000,
        }),
        optional_duration: Some(prost_types::Duration {
            seconds: -1,
            nanos: -500_000_000,
        }),
        optional_field_mask: Some(prost_types::FieldMask {
            paths: vec!["foo_bar.baz".into(), "a".into()],
        }),
        optional_empty: Some(()),
        optional_uint64_wrapper: Some(u64::MAX),
        ..A::default()
    };
    assert_eq!(
        json::to_string(&m).unwrap(),
        r#"{"optionalUint64Wrapper":"18446744073709551615","optionalDuration":"-1.500s","optionalTimestamp":"1970-01-01T00:00:00.000010Z","optionalFieldMask":"fooBar.baz,a","optionalEmpty":{}}"#
    );
    // Rejections the suite checks.
    for text in [
        r#"{"optionalNestedMessage": 1}"#,
        r#"{"repeatedInt32": [1, "x"]}"#,
        r#"{"mapBoolBool": {"TRUE": true}}"#,
        r#"{"mapInt32Int32": {"1.0": 1}}"#,
        r#"{"oneofUint32": 1, "oneofString": "x"}"#,
        r#"{"optionalAny": {"@type": "type.googleapis.com/conformance.v1.Foreign", "d": 1}}"#,
        r#"{"optionalDuration": "1.5ms"}"#,
        r#"{"optionalTimestamp": "1970-01-01T00:00:00"}"#,
        r#"{"optionalBoolWrapper": "true"}"#,
    ] {
        assert!(decode::<A>(text).is_err(), "we accept {text}");
        assert!(!reflect_accepts::<A>(text), "prost-reflect accepts {text}");
    }
}

/// Damaged JSON (bytes flipped, cut, inserted, spliced): every decode returns, with every error
/// located inside the input; never a panic.
fn damaged_json_is_reported<T: JsonMessage + MessageInfo + Message + Default>(seeds: u64) {
    let pool = pool();
    let desc = pool.get_message_by_name(T::FULL_NAME).unwrap();
    const JUNK: &[&str] = &[
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "1e999", "-", "\u{0}",
        "é",
    ];
    for seed in 0..seeds {
        let mut rng = Rng::new(seed ^ 0x5eed);
        let message =
            T::decode(random_valid(&desc, &pool, seed).encode_to_vec().as_slice()).unwrap();
        let mut text = json::to_string(&message).unwrap().into_bytes();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(text.len() as u64 + 1) as usize;
            match rng.below(4) {
                0 if at < text.len() => text[at] = rng.next() as u8,
                1 => text.truncate(at),
                2 => {
                    let junk = JUNK[rng.below(JUNK.len() as u64) as usize];
                    text.splice(at..at, junk.bytes());
                }
                _ => {
                    let end = (at + rng.below(8) as usize).min(text.len());
                    let piece = text[at..end].to_vec();
                    text.splice(at..at, piece);
                }
            }
        }
        let lines = text.iter().filter(|&&b| b == b'\n').count() + 1;
        for options in [DecodeOptions::default(), DecodeOptions::lenient()] {
            if let Err(errors) = json::from_slice_with::<T>(&text, &options) {
                assert!(!errors.is_empty());
                for e in errors.iter() {
                    assert!(e.line >= 1 && e.line <= lines, "{e}");
                    assert!(e.path.starts_with('$'), "{e}");
                }
            }
        }
    }
}

#[test]
fn damaged_json_never_panics_and_errors_are_located() {
    damaged_json_is_reported::<shop::v1::Order>(1500);
    damaged_json_is_reported::<shop::v1::ScalarShowcase>(1500);
    damaged_json_is_reported::<shop::v1::MapShowcase>(1000);
    damaged_json_is_reported::<conformance::v1::AllTypes>(150);
}
