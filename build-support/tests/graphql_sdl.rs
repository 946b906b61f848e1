//! The GraphQL type mapping, line by line: what each proto type, label and rule becomes in the SDL
//! (`Builder::graphql_schema`), and the located errors for names GraphQL cannot take.

use std::path::Path;

use protogen_build::Builder;

/// The SDL of `files` (name, contents) compiled from a fresh include root, or the error message
/// with the root cut out.
fn sdl_of(files: &[(&str, &str)], prefix: &str) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    let inputs: Vec<_> = files.iter().map(|(n, _)| dir.path().join(n)).collect();
    Builder::new()
        .include(dir.path())
        .include(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/corpus/protovalidate/protovalidate"),
        )
        .graphql_prefix(prefix)
        .graphql_schema(&inputs)
        .map_err(|e| {
            e.to_string()
                .replace(&format!("{}/", dir.path().display()), "")
        })
}

/// The body of `type`/`input`/`enum` NAME in `sdl`, descriptions dropped: one line per member.
fn body(sdl: &str, keyword: &str, name: &str) -> Vec<String> {
    let start = format!("{keyword} {name} ");
    let mut lines = sdl.lines().skip_while(|l| !l.starts_with(&start));
    assert!(lines.next().is_some(), "no `{start}` in:\n{sdl}");
    lines
        .take_while(|l| *l != "}")
        .map(str::trim)
        .filter(|l| !l.starts_with('"'))
        .map(str::to_owned)
        .collect()
}

const MAPPING: &str = r#"
syntax = "proto3";
package m.v1;
import "buf/validate/validate.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/any.proto";

// A message with every kind of field.
message All {
  int32 i32 = 1;
  sint32 s32 = 2;
  sfixed32 sf32 = 3;
  uint32 u32 = 4;
  fixed32 f32 = 5;
  int64 i64 = 6;
  uint64 u64 = 7;
  fixed64 f64 = 8;
  float fl = 9;
  double db = 10;
  bool b = 11;
  string s = 12;
  bytes by = 13;
  Color color = 14;
  optional int64 maybe = 15;
  Inner inner = 16;
  Inner must = 17 [(buf.validate.field).required = true];
  repeated int64 many = 18;
  repeated Inner inners = 19;
  map<int32, Inner> by_id = 20;
  map<string, google.protobuf.Value> loose = 21;
  google.protobuf.Timestamp at = 22;
  google.protobuf.Duration took = 23;
  google.protobuf.Int64Value wrapped = 24;
  google.protobuf.Struct doc = 25;
  google.protobuf.Empty nothing = 26;
  google.protobuf.FieldMask mask = 27;
  google.protobuf.Any any = 28;
  oneof choice {
    string text = 29;
    Inner nested = 30;
  }
  string old = 31 [deprecated = true];
  string renamed = 32 [json_name = "new-name"];
  repeated google.protobuf.Value values = 33;
}

message Inner {}

enum Color {
  COLOR_UNSPECIFIED = 0;
  // Red.
  COLOR_RED = 1;
}
"#;

fn mapping_sdl() -> String {
    sdl_of(&[("m/v1/all.proto", MAPPING)], "").unwrap()
}

#[test]
fn every_proto_type_maps_to_a_graphql_type_that_keeps_its_values() {
    let sdl = mapping_sdl();
    assert_eq!(
        body(&sdl, "type", "m_v1_All"),
        [
            "i32: Int!",
            "s32: Int!",
            "sf32: Int!",
            "u32: UInt32!",
            "f32: UInt32!",
            "i64: Int64!",
            "u64: UInt64!",
            "f64: UInt64!",
            "fl: Float!",
            "db: Float!",
            "b: Boolean!",
            "s: String!",
            "by: Bytes!",
            "color: m_v1_Color!",
            "maybe: Int64",
            "inner: m_v1_Inner",
            "must: m_v1_Inner!",
            "many: [Int64!]!",
            "inners: [m_v1_Inner!]!",
            "byId: [m_v1_All_ByIdEntry!]!",
            "loose: [m_v1_All_LooseEntry!]!",
            "at: Timestamp",
            "took: Duration",
            "wrapped: Int64",
            "doc: JSON",
            "nothing: google_protobuf_Empty",
            "mask: FieldMask",
            "any: JSON",
            "choice: m_v1_All_choice",
            "old: String! @deprecated",
            "new_name: String!",
            "values: [JSON]!",
        ]
    );
    for scalar in [
        "UInt32",
        "Int64",
        "UInt64",
        "Bytes",
        "Timestamp",
        "Duration",
        "FieldMask",
        "JSON",
    ] {
        assert!(sdl.contains(&format!("\nscalar {scalar}\n")), "{scalar}");
    }
}

#[test]
fn maps_are_lists_of_entries_whose_keys_keep_their_type() {
    let sdl = mapping_sdl();
    assert_eq!(
        body(&sdl, "type", "m_v1_All_ByIdEntry"),
        ["key: Int!", "value: m_v1_Inner!"]
    );
    // google.protobuf.Value may be JSON null even when set.
    assert_eq!(
        body(&sdl, "type", "m_v1_All_LooseEntry"),
        ["key: String!", "value: JSON"]
    );
}

#[test]
fn oneofs_are_unions_of_one_member_objects_and_one_of_inputs() {
    let sdl = mapping_sdl();
    assert!(
        sdl.contains("union m_v1_All_choice = m_v1_All_choice_text | m_v1_All_choice_nested\n")
    );
    assert_eq!(
        body(&sdl, "type", "m_v1_All_choice_text"),
        ["text: String!"]
    );
    assert_eq!(
        body(&sdl, "type", "m_v1_All_choice_nested"),
        ["nested: m_v1_Inner!"]
    );
    assert_eq!(
        body(&sdl, "input", "m_v1_All_choice_Input"),
        ["text: String", "nested: m_v1_Inner_Input"]
    );
    assert!(sdl.contains("input m_v1_All_choice_Input @oneOf {"));
}

#[test]
fn input_fields_may_all_be_omitted() {
    let sdl = mapping_sdl();
    let input = body(&sdl, "input", "m_v1_All_Input");
    assert!(input.contains(&"i64: Int64".to_owned()));
    assert!(input.contains(&"must: m_v1_Inner_Input".to_owned()));
    assert!(input.contains(&"many: [Int64!]".to_owned()));
    assert!(input.contains(&"byId: [m_v1_All_ByIdEntry_Input!]".to_owned()));
    assert!(input.contains(&"choice: m_v1_All_choice_Input".to_owned()));
}

#[test]
fn messages_without_fields_get_a_placeholder_and_comments_become_descriptions() {
    let sdl = mapping_sdl();
    assert_eq!(body(&sdl, "type", "m_v1_Inner"), ["_: Boolean"]);
    assert_eq!(body(&sdl, "type", "google_protobuf_Empty"), ["_: Boolean"]);
    assert!(sdl.contains("\"A message with every kind of field.\"\ntype m_v1_All {"));
    assert!(sdl.contains("  \"Red.\"\n  COLOR_RED\n"));
}

#[test]
fn a_prefix_goes_before_every_type_made_from_a_proto_name() {
    let sdl = sdl_of(&[("m/v1/all.proto", MAPPING)], "Api").unwrap();
    assert!(sdl.contains("type Apim_v1_All {"));
    assert!(sdl.contains("  color: Apim_v1_Color!\n"));
    assert!(sdl.contains("  nothing: Apigoogle_protobuf_Empty\n"));
    assert!(sdl.contains("\nscalar Int64\n"));
}

#[test]
fn names_two_types_would_share_are_a_located_error() {
    let err = sdl_of(
        &[(
            "a.proto",
            "syntax = \"proto3\";\npackage a;\nmessage b_C {}\nmessage b { message C {} }\n",
        )],
        "",
    )
    .unwrap_err();
    assert_eq!(
        err,
        "a.proto:4:13: GraphQL: .a.b_C and .a.b.C would both be named `a_b_C`"
    );
}

#[test]
fn a_type_named_like_a_scalar_is_a_located_error() {
    let err = sdl_of(
        &[(
            "t.proto",
            "syntax = \"proto3\";\nmessage Int64 {}\nmessage A { int64 x = 1; }\n",
        )],
        "",
    )
    .unwrap_err();
    assert_eq!(
        err,
        "t.proto:2:1: GraphQL: the type name `Int64` (from .Int64) is taken by a scalar; set a prefix"
    );
}

#[test]
fn a_oneof_named_like_a_field_is_a_located_error() {
    let err = sdl_of(
        &[(
            "o.proto",
            "syntax = \"proto3\";\nmessage A {\n  string x_y = 1;\n  oneof xY { string b = 2; }\n}\n",
        )],
        "",
    )
    .unwrap_err();
    assert_eq!(
        err,
        "o.proto:4:3: GraphQL: two fields of .A would both be named `xY`"
    );
}

/// The SDL of the bundled schemas, reviewed as a snapshot like the generated code.
#[test]
fn sdl_of_the_bundled_schemas() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let sdl = Builder::new()
        .include(&schemas)
        .tenant_schema(schemas.join("tenants"))
        .graphql_schema(&[&schemas])
        .unwrap();
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
        description => "protogen sdl -I schemas schemas --tenant schemas/tenants",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("schema.graphql", sdl);
    });
}
