//! The conformance harness: `harness descriptors FILE` writes the case descriptors; `harness`
//! reads JSON lines `{"type": full name, "hex": encoded message}` from stdin and prints one JSON
//! line per input: the violations of the owned validator and of the view's.

use std::io::{BufRead, Write};

use protogen_conformance::{DESCRIPTORS, Outcome, validate};
use serde_json::{Value, json};

fn outcome_json(outcome: Option<Outcome>) -> Value {
    match outcome {
        None => json!({"unknown": true}),
        Some(Outcome::Valid) => json!([]),
        Some(Outcome::Malformed(err)) => json!({"malformed": err}),
        Some(Outcome::Invalid(violations)) => violations
            .iter()
            .map(|v| {
                json!({
                    "field": v.field_path(),
                    "rule": v.rule,
                    "rule_id": v.rule_id,
                    "message": v.message,
                    "for_key": v.for_key,
                })
            })
            .collect(),
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [command, path] = args.as_slice()
        && command == "descriptors"
    {
        std::fs::write(path, DESCRIPTORS)?;
        return Ok(());
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let input: Value = serde_json::from_str(&line?)?;
        let name = input["type"].as_str().ok_or("missing type")?;
        let bytes = unhex(input["hex"].as_str().ok_or("missing hex")?).ok_or("bad hex")?;
        let result = json!({
            "owned": outcome_json(validate(name, &bytes, false)),
            "view": outcome_json(validate(name, &bytes, true)),
        });
        writeln!(out, "{result}")?;
    }
    Ok(())
}
