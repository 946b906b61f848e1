//! Breaking-change findings on small schemas, against what buf 1.75 printed for the same pairs
//! (recorded from `buf breaking --error-format json`; the CI oracle compares many more).

mod common;

use common::image;
use protogen_compat::rules::Kind;
use protogen_compat::{CheckConfig, breaking};

fn check(new: &[(&str, &str)], old: &[(&str, &str)], rules: &[&str]) -> Vec<String> {
    let config = CheckConfig::with_rules(Kind::Breaking, rules).unwrap();
    breaking(&image(new), &image(old), &config)
        .iter()
        .map(|f| f.to_json())
        .collect()
}

const OLD: &str = r#"syntax = "proto2";
package a;
message M {
  optional int32 f = 1 [default = 5];
  optional string s = 2 [default = "x"];
  oneof o { int32 p = 3; }
  oneof o2 { int32 q = 4; }
  map<string, int32> m = 5;
  extensions 100 to 200;
  optional E e = 6;
  optional bytes b = 7 [default = "ab"];
  optional double d = 8 [default = 1.5];
}
enum E { E_UNSPECIFIED = 0; E_ONE = 1; }
extend M { optional int32 ext = 100; }
service S { rpc Get(M) returns (M) { option idempotency_level = NO_SIDE_EFFECTS; } rpc Put(M) returns (M); }
service T { rpc Get(M) returns (M); }
"#;

const NEW: &str = r#"syntax = "proto2";
package a;
message M {
  optional int32 f = 1 [default = 6];
  optional string s = 2 [default = "y"];
  oneof o { int32 p = 3; int32 q = 4; }
  map<string, int64> m = 5;
  extensions 100 to 150;
  optional E e = 6 [default = E_ONE];
  optional bytes b = 7 [default = "ac"];
  optional double d = 8 [default = 2e10];
}
message N {}
enum E { E_UNSPECIFIED = 0; E_ONE = 1; }
service S { rpc Get(N) returns (M); }
"#;

#[test]
fn file_and_package_rules_match_buf() {
    let found = check(
        &[("a/x.proto", NEW)],
        &[
            ("a/x.proto", OLD),
            (
                "a/y.proto",
                "syntax = \"proto3\";\npackage a;\nmessage Y {}\n",
            ),
        ],
        &["FILE", "PACKAGE"],
    );
    // buf 1.75's output for this pair, line for line.
    let expected = [
        r#"{"start_line":1,"start_column":1,"end_line":1,"end_column":1,"type":"FILE_NO_DELETE","message":"Previously present file \"a/y.proto\" was deleted."}"#,
        r#"{"start_line":1,"start_column":1,"end_line":1,"end_column":1,"type":"PACKAGE_MESSAGE_NO_DELETE","message":"Previously present message \"Y\" was deleted from package \"a\"."}"#,
        r#"{"path":"a/x.proto","start_line":1,"start_column":1,"end_line":1,"end_column":1,"type":"EXTENSION_NO_DELETE","message":"Previously present extension \"ext\" was deleted from file."}"#,
        r#"{"path":"a/x.proto","start_line":1,"start_column":1,"end_line":1,"end_column":1,"type":"PACKAGE_SERVICE_NO_DELETE","message":"Previously present service \"T\" was deleted from package \"a\"."}"#,
        r#"{"path":"a/x.proto","start_line":1,"start_column":1,"end_line":1,"end_column":1,"type":"RPC_SAME_IDEMPOTENCY_LEVEL","message":"RPC \"Get\" on service \"S\" changed option \"idempotency_level\" from \"NO_SIDE_EFFECTS\" to \"IDEMPOTENCY_UNKNOWN\"."}"#,
        r#"{"path":"a/x.proto","start_line":1,"start_column":1,"end_line":1,"end_column":1,"type":"SERVICE_NO_DELETE","message":"Previously present service \"T\" was deleted from file."}"#,
        r#"{"path":"a/x.proto","start_line":3,"start_column":1,"end_line":12,"end_column":2,"type":"EXTENSION_MESSAGE_NO_DELETE","message":"Previously present extension range \"[100,200]\" on message \"M\" is missing values: [151,200] were removed."}"#,
        r#"{"path":"a/x.proto","start_line":3,"start_column":1,"end_line":12,"end_column":2,"type":"ONEOF_NO_DELETE","message":"Previously present oneof \"o2\" on message \"M\" was deleted."}"#,
        r#"{"path":"a/x.proto","start_line":4,"start_column":25,"end_line":4,"end_column":36,"type":"FIELD_SAME_DEFAULT","message":"Field \"1\" with name \"f\" on message \"M\" changed default value from 5 to 6."}"#,
        r#"{"path":"a/x.proto","start_line":5,"start_column":26,"end_line":5,"end_column":39,"type":"FIELD_SAME_DEFAULT","message":"Field \"2\" with name \"s\" on message \"M\" changed default value from \"x\" to \"y\"."}"#,
        r#"{"path":"a/x.proto","start_line":6,"start_column":26,"end_line":6,"end_column":38,"type":"FIELD_SAME_ONEOF","message":"Field \"4\" with name \"q\" on message \"M\"q moved from oneof \"o2\" to oneof \"o\"."}"#,
        r#"{"path":"a/x.proto","start_line":7,"start_column":3,"end_line":7,"end_column":21,"type":"FIELD_SAME_TYPE","message":"Field \"2\" with name \"value\" on message \"MEntry\" changed type from \"int32\" to \"int64\"."}"#,
        r#"{"path":"a/x.proto","start_line":9,"start_column":21,"end_line":9,"end_column":36,"type":"FIELD_SAME_DEFAULT","message":"Field \"6\" with name \"e\" on message \"M\" changed default value from E.E_UNSPECIFIED to E.E_ONE."}"#,
        r#"{"path":"a/x.proto","start_line":10,"start_column":25,"end_line":10,"end_column":39,"type":"FIELD_SAME_DEFAULT","message":"Field \"7\" with name \"b\" on message \"M\" changed default value from [0x61,0x62] to [0x61,0x63]."}"#,
        r#"{"path":"a/x.proto","start_line":11,"start_column":26,"end_line":11,"end_column":40,"type":"FIELD_SAME_DEFAULT","message":"Field \"8\" with name \"d\" on message \"M\" changed default value from 1.5 to 2e+10."}"#,
        r#"{"path":"a/x.proto","start_line":15,"start_column":1,"end_line":15,"end_column":38,"type":"RPC_NO_DELETE","message":"Previously present RPC \"Put\" on service \"S\" was deleted."}"#,
        r#"{"path":"a/x.proto","start_line":15,"start_column":21,"end_line":15,"end_column":22,"type":"RPC_SAME_REQUEST_TYPE","message":"RPC \"Get\" on service \"S\" changed request type from \"a.M\" to \"a.N\"."}"#,
    ];
    assert_eq!(found, expected);
}

const V1: &str = r#"syntax = "proto3";
package a;
message M {
  int32 f = 1;
  string s = 2;
}
"#;

#[test]
fn a_reserved_deletion_breaks_file_but_not_wire() {
    let v2 = "syntax = \"proto3\";\npackage a;\nmessage M {\n  reserved 1;\n  string s = 2;\n}\n";
    let file = check(&[("a.proto", v2)], &[("a.proto", V1)], &["FILE"]);
    assert_eq!(file.len(), 1, "{file:?}");
    assert!(file[0].contains("FIELD_NO_DELETE"), "{file:?}");
    assert!(check(&[("a.proto", v2)], &[("a.proto", V1)], &["WIRE"]).is_empty());
    // Without the reservation WIRE reports it, naming the number to reserve.
    let v3 = "syntax = \"proto3\";\npackage a;\nmessage M {\n  string s = 2;\n}\n";
    let wire = check(&[("a.proto", v3)], &[("a.proto", V1)], &["WIRE"]);
    assert_eq!(wire.len(), 1, "{wire:?}");
    assert!(
        wire[0].contains(r#"was deleted without reserving the number \"1\"."#),
        "{wire:?}"
    );
}

#[test]
fn wire_compatible_type_changes_pass_wire_only() {
    let v2 = V1
        .replace("int32 f", "int64 f")
        .replace("string s", "bytes s");
    let wire = check(&[("a.proto", &v2)], &[("a.proto", V1)], &["WIRE"]);
    assert!(
        wire.is_empty(),
        "int32->int64 and string->bytes keep the wire format: {wire:?}"
    );
    let json = check(&[("a.proto", &v2)], &[("a.proto", V1)], &["WIRE_JSON"]);
    assert_eq!(json.len(), 2, "{json:?}");
    let file = check(&[("a.proto", &v2)], &[("a.proto", V1)], &["FILE"]);
    assert!(
        file.iter().all(|f| f.contains("FIELD_SAME_TYPE")),
        "{file:?}"
    );
}

#[test]
fn an_unchanged_schema_has_no_findings() {
    let all = ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"];
    assert!(check(&[("a/x.proto", OLD)], &[("a/x.proto", OLD)], &all).is_empty());
}

#[test]
fn ignore_drops_findings_in_a_directory() {
    let v2 = "syntax = \"proto3\";\npackage a;\nmessage M {\n  string s = 2;\n}\n";
    let mut config = CheckConfig::default_for(Kind::Breaking);
    let new = image(&[("dir/a.proto", v2)]);
    let old = image(&[("dir/a.proto", V1)]);
    assert_eq!(breaking(&new, &old, &config).len(), 1);
    config.ignore.push("dir".into());
    assert!(breaking(&new, &old, &config).is_empty());
}
