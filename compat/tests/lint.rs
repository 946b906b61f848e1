//! Lint findings on a small module, against what buf 1.75 printed for it (recorded from `buf lint
//! --error-format json`; the CI oracle compares many more trees).

mod common;

use common::image;
use protogen_compat::rules::Kind;
use protogen_compat::{CheckConfig, lint};

fn run(files: &[(&str, &str)], rules: &[&str]) -> Vec<String> {
    let config = CheckConfig::with_rules(Kind::Lint, rules).unwrap();
    lint(&image(files), &config)
        .iter()
        .map(|f| f.to_text())
        .collect()
}

const FILE: &str = r#"syntax = "proto2";
package a;
import "google/protobuf/timestamp.proto";
import public "google/protobuf/duration.proto";
// buf:lint:ignore MESSAGE_PASCAL_CASE
// buf:lint:ignore FIELD_LOWER_SNAKE_CASE
message bad_msg {
  optional int32 BadField = 1;
  map<string, int32> Map = 2;
  oneof Choice { int32 x = 3; }
  required int32 y = 4;
}
message good {
  // buf:lint:ignore FIELD_LOWER_SNAKE_CASE
  optional int32 BadToo = 1;
  message nested_one { optional int32 Q = 1; }
}
enum color { RED = 1; color_blue = 2; }
service foo { rpc get_x(good) returns (good); rpc Stream(stream good) returns (stream bad_msg); }
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions { optional int32 MyOpt = 5000; }
"#;

#[test]
fn standard_rules_match_buf() {
    let found = run(&[("a/x.proto", FILE)], &["STANDARD"]);
    // buf 1.75's findings for this file with STANDARD, in its order.
    let expected = [
        "a/x.proto:2:1:Package name \"a\" should be suffixed with a correctly formed version, such as \"a.v1\".",
        "a/x.proto:3:1:Import \"google/protobuf/timestamp.proto\" is unused.",
        "a/x.proto:4:1:Import \"google/protobuf/duration.proto\" must not be public.",
        "a/x.proto:10:9:Oneof name \"Choice\" should be lower_snake_case, such as \"choice\".",
        "a/x.proto:11:18:Field named \"y\" should not be required.",
        "a/x.proto:13:9:Message name \"good\" should be PascalCase, such as \"Good\".",
        "a/x.proto:16:11:Message name \"nested_one\" should be PascalCase, such as \"NestedOne\".",
        "a/x.proto:16:39:Field name \"Q\" should be lower_snake_case, such as \"q\".",
        "a/x.proto:18:6:Enum name \"color\" should be PascalCase, such as \"Color\".",
        "a/x.proto:18:14:Enum value name \"RED\" should be prefixed with \"COLOR_\".",
        "a/x.proto:18:20:First enum value \"RED\" should have a numeric value of 0",
        "a/x.proto:18:23:Enum value name \"color_blue\" should be prefixed with \"COLOR_\".",
        "a/x.proto:18:23:Enum value name \"color_blue\" should be UPPER_SNAKE_CASE, such as \"COLOR_BLUE\".",
        "a/x.proto:19:9:Service name \"foo\" should be PascalCase, such as \"Foo\".",
        "a/x.proto:19:9:Service name \"foo\" should be suffixed with \"Service\".",
        "a/x.proto:19:15:\"a.good\" is used as the request or response type for multiple RPCs.",
        "a/x.proto:19:15:RPC \"get_x\" has the same type \"a.good\" for the request and response.",
        "a/x.proto:19:19:RPC name \"get_x\" should be PascalCase, such as \"GetX\".",
        "a/x.proto:19:25:RPC request type \"good\" should be named \"GetXRequest\" or \"FooGetXRequest\".",
        "a/x.proto:19:40:RPC response type \"good\" should be named \"GetXResponse\" or \"FooGetXResponse\".",
        "a/x.proto:19:47:\"a.good\" is used as the request or response type for multiple RPCs.",
        "a/x.proto:19:65:RPC request type \"good\" should be named \"StreamRequest\" or \"FooStreamRequest\".",
        "a/x.proto:19:87:RPC response type \"bad_msg\" should be named \"StreamResponse\" or \"FooStreamResponse\".",
        "a/x.proto:21:54:Field name \"MyOpt\" should be lower_snake_case, such as \"my_opt\".",
    ];
    assert_eq!(found, expected);
}

#[test]
fn an_import_used_only_by_a_custom_option_is_used() {
    let options = "syntax = \"proto3\";\npackage o.v1;\nimport \"google/protobuf/descriptor.proto\";\n\
                   extend google.protobuf.MessageOptions { string label = 50000; }\n";
    let user = "syntax = \"proto3\";\npackage u.v1;\nimport \"o/v1/options.proto\";\n\
                message Thing {\n  option (o.v1.label) = \"x\";\n}\n";
    let files = [("o/v1/options.proto", options), ("u/v1/thing.proto", user)];
    assert!(run(&files, &["IMPORT_USED"]).is_empty());
    let unused = user.replace("  option (o.v1.label) = \"x\";\n", "");
    let files = [
        ("o/v1/options.proto", options),
        ("u/v1/thing.proto", &unused),
    ];
    assert_eq!(
        run(&files, &["IMPORT_USED"]),
        ["u/v1/thing.proto:3:1:Import \"o/v1/options.proto\" is unused."]
    );
}

#[test]
fn comment_rules_want_documentation_and_an_ignore_line_is_none() {
    let file = "syntax = \"proto3\";\npackage a.v1;\n// A thing.\nmessage Thing {}\n\
                // buf:lint:ignore MESSAGE_PASCAL_CASE\nmessage other {}\n";
    assert_eq!(
        run(&[("a/v1/a.proto", file)], &["COMMENTS"]),
        ["a/v1/a.proto:6:1:Message \"other\" should have a non-empty comment for documentation."]
    );
}
