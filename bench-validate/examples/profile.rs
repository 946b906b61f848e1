//! Validates one message many times with one validator, for profilers:
//! `cargo build --release --example profile` then
//! `valgrind --tool=callgrind target/release/examples/profile protogen valid`
//! (validator: `protogen`, `protogen_view`, `protovalidate` or `protovalidate_decode`; message:
//! `valid` or `invalid`; then how many times, 1000 by default). Subtract a run of 1 from a run of
//! 1001 for the instructions of 1000 validations without the setup.

use std::hint::black_box;

use prost::Message as _;
use prost_reflect::DynamicMessage;
use protogen::Validate as _;
use protogen_bench_validate::bench::v1::CreateOrderRequestView;
use protogen_bench_validate::{data, request_descriptor, to_dynamic};

fn main() {
    let mut args = std::env::args().skip(1);
    let validator = args.next().unwrap_or_else(|| "protogen".into());
    let message = match args.next().as_deref().unwrap_or("valid") {
        "valid" => data::valid(),
        "invalid" => data::invalid(),
        other => panic!("no message {other}"),
    };
    let times: usize = args.next().map_or(1000, |n| n.parse().expect("a count"));
    let mut violations = 0;
    match validator.as_str() {
        "protogen" => {
            for _ in 0..times {
                violations += black_box(&message)
                    .validate()
                    .map_or_else(|v| v.len(), |()| 0);
            }
        }
        "protogen_view" => {
            let bytes = message.encode_to_vec();
            for _ in 0..times {
                let view = CreateOrderRequestView::decode(black_box(&bytes)).expect("decodes");
                violations += view.validate().map_or_else(|v| v.len(), |()| 0);
            }
        }
        "protovalidate" => {
            let validator = prost_protovalidate::Validator::new();
            let dynamic = to_dynamic(&message);
            for _ in 0..times {
                violations += match validator.validate(black_box(&dynamic)) {
                    Ok(()) => 0,
                    Err(prost_protovalidate::Error::Validation(v)) => v.len(),
                    Err(other) => panic!("{other}"),
                };
            }
        }
        "protovalidate_decode" => {
            let validator = prost_protovalidate::Validator::new();
            let bytes = message.encode_to_vec();
            let descriptor = request_descriptor();
            for _ in 0..times {
                let dynamic = DynamicMessage::decode(descriptor.clone(), black_box(&bytes[..]))
                    .expect("decodes");
                violations += match validator.validate(&dynamic) {
                    Ok(()) => 0,
                    Err(prost_protovalidate::Error::Validation(v)) => v.len(),
                    Err(other) => panic!("{other}"),
                };
            }
        }
        other => panic!("no validator {other}"),
    }
    println!("{violations}");
}
