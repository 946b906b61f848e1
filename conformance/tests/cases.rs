//! The generated conformance validators on hand-built instances, and the case messages that
//! protovalidate refuses to compile being exactly those protogen's build refused. The
//! differential run against protovalidate itself is `oracle.py` (run by `.ci/run`).

use prost::Message as _;
use protogen_conformance::buf::validate::conformance::cases;
use protogen_conformance::{Outcome, validate};

fn ids(outcome: Option<Outcome>) -> Vec<(String, String)> {
    match outcome.expect("a known message") {
        Outcome::Valid => Vec::new(),
        Outcome::Invalid(v) => v
            .iter()
            .map(|v| (v.field_path(), v.rule_id.clone()))
            .collect(),
        Outcome::Malformed(err) => panic!("malformed: {err}"),
    }
}

#[test]
fn dispatch_validates_owned_and_views_alike() {
    let name = "buf.validate.conformance.cases.StringMinLen";
    for view in [false, true] {
        let short = cases::StringMinLen { val: "ab".into() }.encode_to_vec();
        assert_eq!(
            ids(validate(name, &short, view)),
            [("val".to_owned(), "string.min_len".to_owned())]
        );
        let long = cases::StringMinLen { val: "abc".into() }.encode_to_vec();
        assert_eq!(ids(validate(name, &long, view)), []);
    }
    assert!(validate("no.such.Message", &[], false).is_none());
    assert!(matches!(
        validate(name, &[0x0a, 0x05], true),
        Some(Outcome::Malformed(_))
    ));
}

#[test]
fn refused_schemas_are_protovalidates_compilation_errors() {
    let skipped = include_str!(concat!(env!("OUT_DIR"), "/skipped.txt"));
    let skipped: Vec<&str> = skipped.lines().collect();
    assert_eq!(skipped.len(), 27, "{skipped:#?}");
    for element in skipped {
        let message = element.trim_start_matches(".buf.validate.conformance.cases.");
        let message = message.split('.').next().unwrap();
        assert!(
            [
                "IncorrectType",
                "WrongType",
                "UnknownFieldName",
                "DuplicateField",
                "ZeroFields"
            ]
            .iter()
            .any(|s| message.ends_with(s) || message.contains(s)),
            "{element} was refused, but its case does not expect a compilation error"
        );
    }
}
