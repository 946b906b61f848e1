//! proto3 JSON: random messages of every schema against prost-reflect (which passes Google's
//! conformance suite) — the same JSON value out, for every encode option — and back through our
//! decoder to the same message; every decode error kind with its path, position and message;
//! every option.

mod support;

use std::fmt::Debug;

use prost::Message;
use prost_reflect::{
    DescriptorPool, DynamicMessage, Kind, MessageDescriptor, ReflectMessage,
    SerializeOptions, Value as RValue,
};
use protogen::MessageInfo;
use protogen::json::{self, DecodeOptions, EncodeOptions, ErrorKind, JsonMessage};
use protogen_generated_tests::{common, edge, legacy, shop};
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
            values: (0..rng.below(3)).map(|_| wkt_value(rng, depth - 1)).collect(),
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
                ("type.googleapis.com/google.protobuf.Duration", d.encode_to_vec())
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

fn check_type<T>()
where
    T: JsonMessage
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
    for seed in 0..SEEDS {
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
            assert_eq!(
                value,
                reflect_json(&dynamic, options),
                "{} with {options:?}",
                context()
            );
            let back: T = json::from_str(&ours)
                .unwrap_or_else(|e| panic!("{}: our decode of {ours}: {e}", context()));
            assert_eq!(back, owned, "{}: round trip of {ours}", context());
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
    check_type::<shop::v1::Order>();
    check_type::<shop::v1::LineItem>();
    check_type::<shop::v1::MapShowcase>();
    check_type::<shop::v1::ScalarShowcase>();
    check_type::<common::v1::Money>();
    check_type::<common::v1::Address>();
    check_type::<legacy::v1::Product>();
    check_type::<legacy::v1::Category>();
    check_type::<edge::v1::Self_>();
    check_type::<edge::v1::Type>();
    check_type::<edge::v1::Node>();
}
