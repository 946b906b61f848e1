//! The Rust side of `graphql_oracle.cjs exec`, the differential test of protogen's GraphQL
//! projection against graphql-js (the reference implementation) on random messages and queries.
//!
//! One request per stdin line, one answer per stdout line, both JSON:
//! - `{"op": "schema"}` → `{"sdl": text, "types": [[proto name, GraphQL type], …]}`;
//! - `{"op": "query", "type": proto name, "seed": n, "query": text, "variables": {…}}` → a
//!   random message of the type made from `seed`, and the query's response from the owned
//!   message, its view and its bytes: `{"data": proto3 JSON of the message (defaults written,
//!   the root value graphql-js executes over), "owned": text, "view": text, "bytes": text}`, or
//!   `{"request_errors": text}` when the document or variables are refused.
//!
//! `cargo run -q -p protogen-generated-tests --example graphql_harness`

use std::io::{self, BufRead, Write};

use prost::Message;
use prost_reflect::{
    DescriptorPool, DynamicMessage, FieldDescriptor, Kind, MapKey, MessageDescriptor,
};
use protogen::MessageInfo;
use protogen::graphql::{GraphqlType, Object, RootSchema, Schema};
use protogen::json::{EncodeOptions, JsonMessage, JsonViewFields};
use protogen::view::Owned;
use protogen_generated_tests::{GRAPHQL_SCHEMA, common, conformance, edge, legacy, shop};
use serde_json::{Value, json};

struct Type {
    name: &'static str,
    graphql: &'static str,
    answer: fn(&RootSchema, &[u8], &str, &serde_json::Map<String, Value>) -> Value,
}

fn of<T>() -> Type
where
    T: MessageInfo + JsonMessage + JsonViewFields + GraphqlType + Owned + Object,
    for<'a> T::View<'a>: Object,
{
    Type {
        name: T::FULL_NAME,
        graphql: T::GRAPHQL_TYPE,
        answer: answer::<T>,
    }
}

fn types() -> Vec<Type> {
    vec![
        of::<conformance::v1::AllTypes>(),
        of::<conformance::v1::all_types::Nested>(),
        of::<conformance::v1::Foreign>(),
        of::<shop::v1::Order>(),
        of::<shop::v1::LineItem>(),
        of::<shop::v1::MapShowcase>(),
        of::<shop::v1::ScalarShowcase>(),
        of::<common::v1::Money>(),
        of::<common::v1::Address>(),
        of::<legacy::v1::Product>(),
        of::<legacy::v1::Category>(),
        of::<edge::v1::Self_>(),
        of::<edge::v1::Type>(),
        of::<edge::v1::Node>(),
    ]
}

/// The response from the owned message, the view and the bytes of `random` (a message of `T`
/// encoded by prost-reflect), with the proto3 JSON graphql-js executes over.
fn answer<T>(
    root: &RootSchema,
    random: &[u8],
    query: &str,
    variables: &serde_json::Map<String, Value>,
) -> Value
where
    T: JsonMessage + JsonViewFields + GraphqlType + Owned + Object,
    for<'a> T::View<'a>: Object,
{
    let owned = T::decode(random).expect("prost decodes what prost-reflect encoded");
    // Re-encoded from the owned message, so its maps are in the same order on the wire (views
    // and bytes) as in the owned message's HashMaps.
    let bytes = owned.encode_to_vec();
    let options = EncodeOptions {
        emit_defaults: true,
        ..Default::default()
    };
    // Through the view: maps in wire order, which is the owned HashMaps' order (the owned
    // message's JSON writer sorts map keys).
    let view = T::view(&bytes).expect("views decode prost's bytes");
    let data = protogen::json::view_to_vec(&view, &options).expect("JSON of the message");
    let data = String::from_utf8(data).expect("UTF-8");
    serde_json::from_str::<Value>(&data).expect("valid JSON");
    let plan = match root.document(query).and_then(|d| d.plan(None, variables)) {
        Ok(plan) => plan,
        Err(errors) => return json!({ "request_errors": errors.to_string() }),
    };
    let mut from_bytes = Vec::new();
    plan.write_bytes::<T>(&bytes, &mut from_bytes)
        .expect("bytes decode");
    json!({
        // As text: the oracle parses it keeping the order of map entries.
        "data": data,
        "owned": plan.to_string(&owned),
        "view": plan.to_string(&view),
        "bytes": String::from_utf8(from_bytes).expect("UTF-8"),
    })
}

fn pool() -> DescriptorPool {
    let files = [
        "common/v1/money.proto",
        "shop/v1/order.proto",
        "legacy/v1/catalog.proto",
        "edge/v1/keywords.proto",
        "conformance/v1/all_types.proto",
    ];
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas");
    let fds = protox::compile(files, [root]).expect("schemas compile");
    DescriptorPool::from_file_descriptor_set(fds).expect("a pool")
}

/// A xorshift generator: random messages from a seed the oracle chooses.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A random message of `desc`: fields set or not, lists and maps of 0-3, one oneof member or
/// none, edge values (NaN, extremes, unknown enum numbers, escapes and non-ASCII in strings).
fn random_message(desc: &MessageDescriptor, rng: &mut Rng, depth: u32) -> DynamicMessage {
    let mut message = DynamicMessage::new(desc.clone());
    match desc.full_name() {
        "google.protobuf.Timestamp" => {
            message.set_field_by_name(
                "seconds",
                prost_reflect::Value::I64(rng.below(253_402_300_799) as i64),
            );
            message.set_field_by_name(
                "nanos",
                prost_reflect::Value::I32(rng.below(1_000_000_000) as i32),
            );
            return message;
        }
        "google.protobuf.Duration" => {
            let seconds = rng.below(315_576_000_000) as i64;
            let nanos = rng.below(1_000_000_000) as i32;
            let sign = if rng.chance(30) { -1 } else { 1 };
            message.set_field_by_name("seconds", prost_reflect::Value::I64(sign * seconds));
            message.set_field_by_name("nanos", prost_reflect::Value::I32(sign as i32 * nanos));
            return message;
        }
        "google.protobuf.FieldMask" => {
            const PATHS: &[&str] = &["a", "b_c", "x.y_z"];
            let paths = (0..rng.below(3))
                .map(|_| prost_reflect::Value::String(PATHS[rng.below(3) as usize].into()))
                .collect();
            message.set_field_by_name("paths", prost_reflect::Value::List(paths));
            return message;
        }
        // Any needs a resolvable type; a Value's number must be finite to be JSON.
        "google.protobuf.Any" => return message,
        _ => {}
    }
    let mut oneofs_done = Vec::new();
    for field in desc.fields() {
        if let Some(oneof) = field.containing_oneof()
            && !oneof.is_synthetic()
        {
            if oneofs_done.contains(&oneof.name().to_owned()) {
                continue;
            }
            oneofs_done.push(oneof.name().to_owned());
            let members: Vec<FieldDescriptor> = oneof.fields().collect();
            if rng.chance(75) {
                let member = &members[rng.below(members.len() as u64) as usize];
                let value = random_value(member, &member.kind(), rng, depth);
                message.set_field(member, value);
            }
            continue;
        }
        if depth > 3 && matches!(field.kind(), Kind::Message(_)) {
            continue;
        }
        if field.is_map() {
            let Kind::Message(entry) = field.kind() else {
                unreachable!()
            };
            let (key, value) = (entry.map_entry_key_field(), entry.map_entry_value_field());
            let mut map = std::collections::HashMap::new();
            for _ in 0..rng.below(4) {
                let k = match random_value(&key, &key.kind(), rng, depth) {
                    prost_reflect::Value::Bool(b) => MapKey::Bool(b),
                    prost_reflect::Value::I32(v) => MapKey::I32(v),
                    prost_reflect::Value::I64(v) => MapKey::I64(v),
                    prost_reflect::Value::U32(v) => MapKey::U32(v),
                    prost_reflect::Value::U64(v) => MapKey::U64(v),
                    prost_reflect::Value::String(v) => MapKey::String(v),
                    other => unreachable!("map key {other:?}"),
                };
                map.insert(k, random_value(&value, &value.kind(), rng, depth + 1));
            }
            message.set_field(&field, prost_reflect::Value::Map(map));
        } else if field.is_list() {
            let items = (0..rng.below(4))
                .map(|_| random_value(&field, &field.kind(), rng, depth + 1))
                .collect();
            message.set_field(&field, prost_reflect::Value::List(items));
        } else if !field.supports_presence() || rng.chance(70) {
            let value = random_value(&field, &field.kind(), rng, depth + 1);
            message.set_field(&field, value);
        }
    }
    message
}

fn random_value(
    field: &FieldDescriptor,
    kind: &Kind,
    rng: &mut Rng,
    depth: u32,
) -> prost_reflect::Value {
    use prost_reflect::Value as V;
    let pick = |rng: &mut Rng, edges: &[u64]| -> Option<u64> {
        rng.chance(30)
            .then(|| edges[rng.below(edges.len() as u64) as usize])
    };
    match kind {
        Kind::Double => V::F64(random_f64(rng, field)),
        Kind::Float => V::F32(random_f64(rng, field) as f32),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => V::I32(
            pick(rng, &[0, i32::MAX as u64, i32::MIN as i64 as u64]).unwrap_or(rng.next()) as i32,
        ),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => {
            V::I64(pick(rng, &[0, i64::MAX as u64, i64::MIN as u64]).unwrap_or(rng.next()) as i64)
        }
        Kind::Uint32 | Kind::Fixed32 => {
            V::U32(pick(rng, &[0, u32::MAX as u64]).unwrap_or(rng.next()) as u32)
        }
        Kind::Uint64 | Kind::Fixed64 => V::U64(pick(rng, &[0, u64::MAX]).unwrap_or(rng.next())),
        Kind::Bool => V::Bool(rng.chance(50)),
        Kind::String => V::String(random_string(rng)),
        Kind::Bytes => V::Bytes(
            (0..rng.below(7))
                .map(|_| rng.next() as u8)
                .collect::<Vec<u8>>()
                .into(),
        ),
        Kind::Enum(e) => {
            let values: Vec<i32> = e.values().map(|v| v.number()).collect();
            let closed = e.parent_file().syntax() == prost_reflect::Syntax::Proto2;
            if !closed && rng.chance(10) {
                V::EnumNumber(1000 + rng.below(5) as i32)
            } else {
                V::EnumNumber(values[rng.below(values.len() as u64) as usize])
            }
        }
        Kind::Message(m) => V::Message(random_message(m, rng, depth)),
    }
}

fn random_f64(rng: &mut Rng, field: &FieldDescriptor) -> f64 {
    // google.protobuf.Value's numbers must be finite to be JSON at all.
    let finite_only = field.parent_message().full_name() == "google.protobuf.Value";
    match rng.below(12) {
        0 if !finite_only => f64::NAN,
        1 if !finite_only => f64::INFINITY,
        2 => 0.0,
        3 => 1e21,
        4 => -0.5,
        _ => (rng.next() as i64 as f64) / 1024.0,
    }
}

fn random_string(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &["a", "Zz", "\"", "\\", "\n", "é", "😀", "\u{1}", " ", "x/y"];
    (0..rng.below(5))
        .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
        .collect()
}

fn main() -> io::Result<()> {
    let types = types();
    let pool = pool();
    let schema = Schema::new(GRAPHQL_SCHEMA).expect("the generated schema parses");
    let roots: Vec<RootSchema> = types
        .iter()
        .map(|t| schema.with_root(t.graphql).expect("a root type"))
        .collect();
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let request: Value = serde_json::from_str(&line?).expect("a JSON request per line");
        let response = match request["op"].as_str() {
            Some("schema") => json!({
                "sdl": GRAPHQL_SCHEMA,
                "types": types.iter().map(|t| [t.name, t.graphql]).collect::<Vec<_>>(),
            }),
            Some("query") => {
                let name = request["type"].as_str().unwrap_or_default();
                let at = types
                    .iter()
                    .position(|t| t.name == name)
                    .expect("a known type");
                let ty = &types[at];
                let desc = pool.get_message_by_name(name).expect("a descriptor");
                let mut rng = Rng(request["seed"].as_u64().unwrap_or(1) | 1);
                let random = random_message(&desc, &mut rng, 0).encode_to_vec();
                let variables = request["variables"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default();
                (ty.answer)(
                    &roots[at],
                    &random,
                    request["query"].as_str().unwrap_or_default(),
                    &variables,
                )
            }
            other => json!({ "error": format!("unknown op {other:?}") }),
        };
        serde_json::to_writer(&mut out, &response)?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}
