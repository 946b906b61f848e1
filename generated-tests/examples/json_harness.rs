//! The Rust side of `json_oracle.py`, the differential test of protogen's proto3 JSON against
//! Google's own implementation (Python protobuf's `json_format`).
//!
//! One request per stdin line, one answer per stdout line, both JSON:
//! - `{"op": "descriptors"}` → `{"fds": base64}`: the schemas' `FileDescriptorSet`, imports
//!   included, for the oracle's descriptor pool;
//! - `{"op": "encode", "type": name, "bytes": base64, "options": {"proto_names": bool,
//!   "emit_defaults": bool, "enums_as_numbers": bool}}` → `{"json": text}` (prost's decode, then
//!   `json::to_string_with`), `{"wire": text}` (the one-pass transcoder from the same bytes) and
//!   `{"view": text}` (through a view), or `{"error": text}`;
//! - `{"op": "decode", "type": name, "json": text, "ignore_unknown": bool}` → `{"bytes": base64}`
//!   or `{"errors": [text, …]}`.
//!
//! `cargo run -q -p protogen-generated-tests --example json_harness`

use std::io::{self, BufRead, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use prost::Message;
use protogen::MessageInfo;
use protogen::json::{self, DecodeOptions, EncodeOptions, JsonMessage, JsonViewFields, JsonWire};
use protogen::view::Owned;
use protogen_generated_tests::{common, conformance, edge, legacy, shop};
use serde_json::{Value, json};

/// What the harness does for one message type.
struct Type {
    name: &'static str,
    encode: fn(&[u8], &EncodeOptions) -> Value,
    decode: fn(&str, &DecodeOptions) -> Value,
}

fn of<T>() -> Type
where
    T: MessageInfo + JsonMessage + JsonWire + JsonViewFields + Owned,
{
    Type {
        name: T::FULL_NAME,
        encode: encode::<T>,
        decode: decode::<T>,
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

fn encode<T>(bytes: &[u8], options: &EncodeOptions) -> Value
where
    T: JsonMessage + JsonWire + JsonViewFields + Owned,
{
    let message = match T::decode(bytes) {
        Ok(message) => message,
        Err(e) => return json!({ "error": format!("prost: {e}") }),
    };
    let view = match T::view(bytes) {
        Ok(view) => view,
        Err(e) => return json!({ "error": format!("view: {e}") }),
    };
    let text = |r: Result<Vec<u8>, json::EncodeError>| match r {
        Ok(bytes) => Value::String(String::from_utf8(bytes).expect("UTF-8")),
        Err(e) => json!({ "error": e.to_string() }),
    };
    json!({
        "json": text(json::to_vec_with(&message, options)),
        "wire": text(json::bytes_to_vec::<T>(bytes, options)),
        "view": text(json::view_to_vec(&view, options)),
    })
}

fn decode<T: JsonMessage + Message>(text: &str, options: &DecodeOptions) -> Value {
    match json::from_str_with::<T>(text, options) {
        Ok(decoded) => json!({ "bytes": STANDARD.encode(decoded.message.encode_to_vec()) }),
        Err(errors) => json!({
            "errors": errors.iter().map(ToString::to_string).collect::<Vec<_>>()
        }),
    }
}

fn descriptors() -> Value {
    let files = [
        "common/v1/money.proto",
        "shop/v1/order.proto",
        "legacy/v1/catalog.proto",
        "edge/v1/keywords.proto",
        "conformance/v1/all_types.proto",
    ];
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas");
    let fds = protox::compile(files, [root]).expect("schemas compile");
    json!({ "fds": STANDARD.encode(fds.encode_to_vec()) })
}

fn answer(request: &Value, types: &[Type]) -> Value {
    let flag = |v: &Value, key: &str| v.get(key).and_then(Value::as_bool).unwrap_or(false);
    let op = request["op"].as_str().unwrap_or_default();
    if op == "descriptors" {
        return descriptors();
    }
    let name = request["type"].as_str().unwrap_or_default();
    let Some(ty) = types.iter().find(|t| t.name == name) else {
        return json!({ "error": format!("unknown type {name}") });
    };
    match op {
        "encode" => {
            let bytes = STANDARD
                .decode(request["bytes"].as_str().unwrap_or_default())
                .expect("base64 bytes");
            let o = &request["options"];
            let options = EncodeOptions {
                use_proto_names: flag(o, "proto_names"),
                emit_defaults: flag(o, "emit_defaults"),
                enums_as_numbers: flag(o, "enums_as_numbers"),
            };
            (ty.encode)(&bytes, &options)
        }
        "decode" => {
            let options = DecodeOptions {
                ignore_unknown_fields: flag(request, "ignore_unknown"),
                ..DecodeOptions::default()
            };
            (ty.decode)(request["json"].as_str().unwrap_or_default(), &options)
        }
        _ => json!({ "error": format!("unknown op {op}") }),
    }
}

fn main() -> io::Result<()> {
    let types = types();
    let mut out = io::stdout().lock();
    for line in io::stdin().lock().lines() {
        let request: Value = serde_json::from_str(&line?).expect("a JSON request per line");
        serde_json::to_writer(&mut out, &answer(&request, &types))?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}
