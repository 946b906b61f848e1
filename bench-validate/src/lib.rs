//! The validation benchmark's schema and data, and both validators' violations in one shape.
//!
//! `protogen` generates `bench::v1::CreateOrderRequest` (prost's owned struct), its view and
//! `impl protogen::Validate` for both; prost-protovalidate validates the same data as a
//! prost-reflect `DynamicMessage` described by the same schema (compiled by protox at build time).

// prost's getters for optional fields named `len` (in protovalidate's validate.proto).
#![allow(clippy::len_without_is_empty)]

use std::sync::LazyLock;

use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor};

protogen::include_protos!();

pub mod data;

use bench::v1::CreateOrderRequest;

/// The schema, added to prost-protovalidate's own pool: its rule extensions
/// (`buf.validate.field`, ...) are looked up there, so a message's options must be decoded by
/// the same `validate.proto` descriptors for the validator to see any rule.
pub static DESCRIPTOR_POOL: LazyLock<DescriptorPool> = LazyLock::new(|| {
    let mut pool = prost_protovalidate::types::DESCRIPTOR_POOL.clone();
    pool.decode_file_descriptor_set(&include_bytes!(concat!(env!("OUT_DIR"), "/order.fds"))[..])
        .expect("the schema resolves against prost-protovalidate's pool");
    pool
});

/// `bench.v1.CreateOrderRequest` in [`DESCRIPTOR_POOL`].
pub fn request_descriptor() -> MessageDescriptor {
    DESCRIPTOR_POOL
        .get_message_by_name("bench.v1.CreateOrderRequest")
        .expect("in the schema")
}

/// The same message as a `DynamicMessage`: prost-protovalidate's in-memory representation.
pub fn to_dynamic(message: &CreateOrderRequest) -> DynamicMessage {
    DynamicMessage::decode(request_descriptor(), message.encode_to_vec().as_slice())
        .expect("a message of this schema")
}

/// One violation as both validators can describe it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub field_path: String,
    pub rule_id: String,
    pub rule_path: String,
    pub message: String,
    pub for_key: bool,
}

/// Every violation protogen's generated `validate()` reports, in its order.
pub fn protogen_violations(message: &impl protogen::Validate) -> Vec<Found> {
    match message.validate() {
        Ok(()) => Vec::new(),
        Err(all) => all
            .iter()
            .map(|v| Found {
                field_path: v.field_path(),
                rule_id: v.rule_id.clone(),
                rule_path: v.rule.clone(),
                message: v.message.clone(),
                for_key: v.for_key,
            })
            .collect(),
    }
}

/// Every violation prost-protovalidate's run-time validator reports, in its order.
///
/// # Panics
/// If the validator fails otherwise than with violations (a rule it cannot compile).
pub fn protovalidate_violations(
    validator: &prost_protovalidate::Validator,
    message: &DynamicMessage,
) -> Vec<Found> {
    match validator.validate(message) {
        Ok(()) => Vec::new(),
        Err(prost_protovalidate::Error::Validation(all)) => all
            .violations()
            .iter()
            .map(|v| Found {
                field_path: v.field_path(),
                rule_id: v.rule_id().to_string(),
                rule_path: v.rule_path(),
                message: v.message().to_string(),
                for_key: v.for_key().unwrap_or(false),
            })
            .collect(),
        Err(other) => panic!("prost-protovalidate failed: {other}"),
    }
}
