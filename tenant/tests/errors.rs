//! Every kind of bad tenant schema: all errors at once, each with its JSON pointer, line:column
//! and message.

use protogen_tenant::{Lock, compile};

/// `pointer line:col message`, one per error.
fn errors(source: &str, lock: Option<&Lock>) -> Vec<String> {
    let errors = compile(source, "bad.json", lock).expect_err("the document is bad");
    errors
        .0
        .iter()
        .map(|e| format!("{} {}:{} {}", e.pointer, e.line, e.column, e.message))
        .collect()
}

#[test]
fn every_error_of_a_document_at_once() {
    let source = r#"{
  "schema_id": "user",
  "colour": "blue",
  "fields": [
    { "name": "age", "type": "int33" },
    { "name": "age", "type": "string" },
    { "name": "score", "type": "int32", "pattern": "^[0-9]+$" },
    { "name": "level", "type": "int32", "min": 10, "max": 1 },
    { "name": "Bad-Name", "type": "string" },
    { "name": "a", "type": "string", "number": 7 },
    { "name": "b", "type": "string", "number": 7 },
    { "name": "c", "type": "string", "number": 19500 },
    { "name": "d", "type": "string", "minimum": 1 },
    { "name": "e", "type": "list<list<string>>" },
    { "name": "f", "type": "string", "format": "phone" },
    { "name": "g", "type": "string", "pattern": "([a-z]" },
    { "name": "h", "type": "list<Nested>", "unique": true },
    { "name": "i", "type": "bool", "default": 3 },
    { "name": "j", "type": "string", "min_len": 5, "max_len": 2 },
    { "name": "k", "type": "map<double, string>" },
    { "name": "l", "type": "Nested", "required": "yes" }
  ],
  "messages": [
    { "name": "Nested", "fields": [] },
    { "name": "nested_too", "fields": [] }
  ]
}"#;
    let got = errors(source, None);
    let expected = [
        "/colour 3:3 unknown key `colour` in a tenant schema (known keys: $schema, tenant, schema_id, package, version, name, description, strict, deprecated, fields, messages, enums)",
        "/fields/0/type 5:30 unknown type `int33`: expected a scalar (int32, string, bytes, …), timestamp, duration, or a message or enum of this schema; types declared here: Nested, User, nested_too",
        "/fields/1/name 6:15 duplicate field name `age` in `User`",
        "/fields/2/pattern 7:52 `pattern` does not apply to a field of type `int32`",
        "/fields/3/min 8:48 `min` is above `max`: no value can satisfy both",
        "/fields/4/name 9:15 bad field name `Bad-Name`: use lower_snake_case (`[a-z][a-z0-9_]*`)",
        "/fields/6/number 11:48 duplicate field number 7: `a` has it too",
        "/fields/7/number 12:48 field number 19500 is in 19000–19999, which protobuf reserves for itself",
        "/fields/8/minimum 13:38 unknown key `minimum` in a field (known keys: name, type, number, renamed_from, required, default, description, deprecated, min, max, exclusive_min, exclusive_max, min_len, max_len, len, pattern, format, prefix, suffix, contains, in, not_in, min_items, max_items, unique, items, min_pairs, max_pairs, keys, values, past, future, within)",
        "/fields/9/type 14:28 `list<list<string>>`: a list's items cannot be lists or maps (wrap them in a message)",
        "/fields/10/format 15:48 unknown `format` `phone` (known: email, hostname, ip, ipv4, ipv6, uri, uri_ref, address, uuid, tuuid, ip_with_prefixlen, ipv4_with_prefixlen, ipv6_with_prefixlen, ip_prefix, ipv4_prefix, ipv6_prefix, host_and_port, ulid, protobuf_fqn, protobuf_dot_fqn)",
        "/fields/11/pattern 16:49 bad `pattern`: unclosed group",
        "/fields/12/unique 17:54 `unique` applies to lists of scalars and enums, not `list<Nested>`",
        "/fields/13/default 18:47 bad `default`: the number 3 is not a bool",
        "/fields/14/min_len 19:49 `min_len` (5) is above `max_len` (2): no value can satisfy both",
        "/fields/15/type 20:28 bad map key type `double`: map keys are integers, bool or string",
        "/fields/16/required 21:50 `required` must be true or false, found string",
        "/messages/1/name 25:15 bad message name `nested_too`: use UpperCamelCase (`[A-Z][A-Za-z0-9]*`)",
    ];
    assert_eq!(got, expected);
}

#[test]
fn numbers_against_the_lock() {
    let v1 = r#"{"schema_id": "s", "fields": [
      {"name": "a", "type": "string"},
      {"name": "b", "type": "string"},
      {"name": "c", "type": "string"}
    ], "enums": [{"name": "E", "values": ["X", "Y"]}]}"#;
    let lock = compile(v1, "s.json", None).unwrap().lock;
    // b removed: 2 is reserved. Then: an explicit number that is reserved, one that renumbers a
    // locked field, one that another locked field holds, and a reserved enum value name.
    let v2 = r#"{"schema_id": "s", "fields": [
      {"name": "a", "type": "string", "number": 5},
      {"name": "c", "type": "string"},
      {"name": "d", "type": "string", "number": 2},
      {"name": "e", "type": "string", "number": 3}
    ], "enums": [{"name": "E", "values": ["X", {"name": "Z", "number": 1}, "UNSPECIFIED", "x"]}]}"#;
    let lock = compile(
        r#"{"schema_id": "s", "fields": [{"name": "a", "type": "string"}, {"name": "c", "type": "string"}], "enums": [{"name": "E", "values": ["X", "Y"]}]}"#,
        "s.json",
        Some(&lock),
    )
    .unwrap()
    .lock;
    let got = errors(v2, Some(&lock));
    for e in &got {
        println!("{e}");
    }
    assert_eq!(
        got,
        [
            "/fields/0/number 2:49 `S.a` is locked to number 1; number 5 would renumber it (drop `number`, or use 1)",
            "/fields/2/number 4:49 field number 2 is reserved: it belonged to the removed field `b` and is never reused",
            "/fields/3/number 5:49 field number 3 is locked to `S.c` (rename with `\"renamed_from\": \"c\"`, or pick another number)",
            "/enums/0/values/1/number 6:72 enum value number 1 is locked to `E.X` (rename with `\"renamed_from\": \"X\"`, or pick another number)",
            "/enums/0/values/2 6:76 `UNSPECIFIED` is taken: every enum gets `E_UNSPECIFIED = 0`, the value of an unset field",
            "/enums/0/values/3 6:91 bad enum value name `x`: use UPPER_SNAKE_CASE (`[A-Z][A-Z0-9_]*`)",
        ]
    );
}

#[test]
fn documents_that_are_not_schemas() {
    assert_eq!(
        errors("{\n  \"schema_id\": \"s\",\n  \"fields\": [1,]\n}", None),
        [
            "(document) 3:16 invalid JSON: expected a JSON value, found `]`"
                .replace("(document)", "")
        ]
    );
    assert_eq!(
        errors("[]", None),
        [" 1:1 expected a tenant schema (a JSON object), found array"]
    );
    assert_eq!(
        errors("{\"fields\": []}", None),
        [" 1:1 missing `schema_id`: every tenant schema is named"]
    );
    assert_eq!(
        errors("{\"schema_id\": \"User\"}", None),
        [
            " 1:1 a tenant schema needs `fields` (one entity) or `messages`",
            "/schema_id 1:15 bad schema_id `User`: use lower_snake_case (`[a-z][a-z0-9_]*`), it becomes part of the proto package",
        ]
    );
    assert_eq!(
        errors(
            r#"{"schema_id": "s", "schema_id": "t", "fields": [{"type": "string"}, "x"]}"#,
            None
        ),
        [
            "/schema_id 1:20 duplicate key `schema_id`",
            "/fields/0 1:49 a field needs a `name`",
            "/fields/1 1:69 expected a field (a JSON object), found string",
        ]
    );
}

#[test]
fn references_resolve_innermost_scope_first() {
    let source = r#"{"schema_id": "s", "messages": [
      {"name": "A", "fields": [{"name": "b", "type": "B"}, {"name": "c", "type": "C"}],
       "messages": [{"name": "B", "fields": [{"name": "a", "type": "A"}, {"name": "x", "type": "Missing"}]}]},
      {"name": "C", "fields": [{"name": "b", "type": "B"}, {"name": "ab", "type": "A.B"}]}
    ]}"#;
    let got = errors(source, None);

    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with("/messages/0/messages/0/fields/1/type 3:96 unknown type `Missing`"));
    assert!(got[1].starts_with("/messages/1/fields/0/type 4:54 unknown type `B`"));
}

#[test]
fn display_names_file_line_column_and_pointer() {
    let err = compile(
        r#"{"schema_id": "s", "fields": [{"name": "a", "type": "int33"}]}"#,
        "t/s.json",
        None,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("t/s.json:1:53: /fields/0/type: unknown type `int33`"),
        "{err}"
    );
}

#[test]
fn type_names_and_map_entries() {
    let source = r#"{"schema_id": "s", "messages": [
      {"name": "A", "fields": [{"name": "tags", "type": "map<string, string>"}], "messages": [{"name": "TagsEntry"}]},
      {"name": "A"},
      {"name": "B", "fields": [{"name": "x", "type": "string", "default": 1}, {"name": "y", "type": "list<string>", "default": "a"}]}
    ], "enums": [{"name": "B", "values": []}, {"name": "E"}]}"#;
    assert_eq!(
        errors(source, None),
        [
            "/messages/0/fields/0/name 2:41 the map field `tags` needs a nested message named `TagsEntry`, which is already declared",
            "/messages/1/name 3:16 duplicate type name `A`",
            "/messages/2/fields/0/default 4:75 bad `default`: the number 1 is not a string",
            "/messages/2/fields/1/default 4:128 `default` applies to scalar and enum fields only",
            "/enums/0/name 5:27 duplicate type name `B`",
            "/enums/1 5:47 an enum needs `values`",
        ]
    );
}

#[test]
fn timestamp_and_duration_constraints() {
    let source = r#"{"schema_id": "s", "fields": [
      {"name": "a", "type": "timestamp", "past": true, "future": true},
      {"name": "b", "type": "timestamp", "min": "2024-01-01", "within": 5},
      {"name": "c", "type": "duration", "min": "2s", "max": "1.5s", "not_in": ["1m"]},
      {"name": "d", "type": "duration", "pattern": "x"}
    ]}"#;
    assert_eq!(
        errors(source, None),
        [
            "/fields/0/future 2:66 `past` and `future` can never both hold",
            "/fields/1/min 3:49 bad `min`: `2024-01-01` is not an RFC 3339 timestamp",
            "/fields/1/within 3:73 bad `within`: expected a duration (`3600s`) (a string), found the number 5",
            "/fields/2/min 4:48 `min` is above `max`: no value can satisfy both",
            "/fields/2/not_in/0 4:80 `1m` is not a duration (`1.5s`)",
            "/fields/3/pattern 5:52 `pattern` does not apply to a field of type `duration`",
        ]
    );
}
