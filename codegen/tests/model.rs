//! The model keeps what passes need: custom options, presence, defaults, comments, locations.

use prost_reflect::ReflectMessage;
use protogen_codegen::model::{
    DefaultValue, FieldType, Label, Location, Model, ModelOptions, Presence, Scalar, Syntax,
};

const RULES: &str = r#"
syntax = "proto2";
package rules;
import "google/protobuf/descriptor.proto";

message FieldRules { optional uint32 min_len = 1; }

extend google.protobuf.FieldOptions { optional FieldRules field = 51234; }
"#;

const SHOP: &str = r#"
syntax = "proto3";
package shop;
import "rules.proto";
import "google/protobuf/timestamp.proto";

// An order.
message Order {
  // The id.
  string id = 1 [(rules.field).min_len = 3];
  optional int32 priority = 2;
  oneof payment {
    string card = 3;
    string voucher = 4;
  }
  map<string, Line> lines = 5;
  google.protobuf.Timestamp at = 6;
  message Line { string sku = 1; }
}
"#;

const LEGACY: &str = r#"
syntax = "proto2";
package legacy;
enum Color { RED = 1; BLUE = 2; }
message Item {
  option deprecated = true;
  required string name = 1 [deprecated = true];
  optional Color color = 2 [default = BLUE];
  optional double ratio = 3 [default = -inf];
}
"#;

fn model() -> Model {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("rules.proto", RULES),
        ("shop.proto", SHOP),
        ("legacy.proto", LEGACY),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut compiler = protox::Compiler::new([dir.path()]).unwrap();
    compiler.include_source_info(true);
    compiler.open_files(["shop.proto", "legacy.proto"]).unwrap();
    let pool = compiler.descriptor_pool();
    let names: Vec<String> = pool.files().map(|f| f.name().to_owned()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Model::build(&pool, &names, &ModelOptions::default()).unwrap()
}

#[test]
fn custom_field_options_reach_the_model() {
    let model = model();
    let order = &model.package("shop").unwrap().messages[0];
    let id = &order.fields[0];
    let pool = id.options.descriptor().parent_pool().clone();
    let ext = pool
        .get_extension_by_name("rules.field")
        .expect("extension in pool");
    assert!(
        id.options.has_extension(&ext),
        "the (rules.field) option is kept"
    );
    let rules = id.options.get_extension(&ext);
    let min_len = rules
        .as_message()
        .unwrap()
        .get_field_by_name("min_len")
        .unwrap();
    assert_eq!(min_len.as_u32(), Some(3));
}

#[test]
fn presence_oneofs_maps_and_type_paths() {
    let model = model();
    let order = &model.package("shop").unwrap().messages[0];
    assert_eq!(order.syntax, Syntax::Proto3);
    let by_name = |n: &str| order.fields.iter().find(|f| f.name == n).unwrap();
    assert_eq!(by_name("id").presence, Presence::Implicit);
    assert_eq!(by_name("priority").presence, Presence::Explicit);
    assert!(
        by_name("priority").oneof.is_none(),
        "synthetic oneofs are presence, not oneofs"
    );
    assert_eq!(order.oneofs.len(), 1);
    assert_eq!(order.oneofs[0].fields, [2, 3]);
    assert_eq!(order.oneofs[0].rust_path, ["order", "Payment"]);
    assert_eq!(by_name("card").rust_name, "Card");
    let FieldType::Map(map) = &by_name("lines").ty else {
        panic!("map")
    };
    assert_eq!(map.key, Scalar::String);
    let FieldType::Message(line) = &map.value else {
        panic!("message value")
    };
    assert_eq!(line.rust_path, "order::Line");
    assert_eq!(by_name("lines").label, Label::Repeated);
    let FieldType::Message(at) = &by_name("at").ty else {
        panic!("message")
    };
    assert_eq!(
        (at.rust_path.as_str(), at.is_extern),
        ("::prost_types::Timestamp", true)
    );
    assert_eq!(order.messages[0].rust_path, ["order", "Line"]);
    assert!(
        model
            .package("google.protobuf")
            .is_none_or(|p| p.messages.is_empty())
    );
}

#[test]
fn comments_and_locations() {
    let model = model();
    let order = &model.package("shop").unwrap().messages[0];
    assert_eq!(order.comments.doc_lines(), ["An order."]);
    assert_eq!(order.fields[0].comments.doc_lines(), ["The id."]);
    assert_eq!(
        order.fields[0].location,
        Some(Location {
            file: "shop.proto".into(),
            line: 10,
            column: 3
        })
    );
}

#[test]
fn proto2_defaults_required_and_closed_enums() {
    let model = model();
    let legacy = model.package("legacy").unwrap();
    let item = &legacy.messages[0];
    assert_eq!(item.fields[0].label, Label::Required);
    assert!(item.deprecated && item.fields[0].deprecated && !item.fields[1].deprecated);
    assert_eq!(
        item.fields[1].default,
        Some(DefaultValue::Enum {
            number: 2,
            variant: "Blue".into()
        })
    );
    assert_eq!(
        item.fields[2].default,
        Some(DefaultValue::F64(f64::NEG_INFINITY))
    );
    assert!(legacy.enums[0].closed);
    assert_eq!(legacy.file_name, "legacy.rs");
}
