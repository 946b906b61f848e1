//! protogen-codegen: the [`Model`](model::Model) of a compiled schema and the generator
//! [`passes`] over it.
//!
//! ```text
//! DescriptorPool ──Model::build──▶ Model ──Passes::generate_package──▶ Rust source per package
//! ```
//!
//! This crate does not compile `.proto` files or run prost-build; `protogen-build` does, and hands
//! the compiled pool here. See `ARCHITECTURE.md` at the repository root.

pub mod model;
pub mod names;
pub mod passes;
mod rust;

pub use model::Model;
pub use passes::{Pass, Passes};
/// The rule model the [`Model`] carries on its fields, oneofs and messages, re-exported so users
/// of the model name one crate.
pub use protogen_rules as rules;
