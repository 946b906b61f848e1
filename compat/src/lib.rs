//! protogen-compat: buf's breaking-change and lint rules over compiled schemas, and a versioned
//! schema registry that refuses incompatible versions.
//!
//! The checks read `FileDescriptorProto`s with their `SourceCodeInfo` (an [`Image`]), which is
//! what buf compares: every option, reserved range, span and service is there, and nothing of the
//! code generator is needed. Findings carry buf's rule ids and messages and print as buf prints
//! them ([`Finding::to_text`], [`Finding::to_json`]).
//!
//! ```no_run
//! # fn files() -> Vec<prost_types::FileDescriptorProto> { Vec::new() }
//! use protogen_compat::{breaking, CheckConfig, Image, rules::Kind};
//! let current = Image::all(files());
//! let previous = Image::all(files());
//! for finding in breaking(&current, &previous, &CheckConfig::default_for(Kind::Breaking)) {
//!     println!("{}", finding.to_text());
//! }
//! ```

mod breaking;
pub mod config;
mod finding;
mod go;
mod image;
mod lint;
mod options;
pub mod registry;
pub mod rules;
mod span;

pub use breaking::breaking;
pub use config::{BufYaml, CheckConfig, LintOptions};
pub use finding::{ErrorFormat, Finding, sort as sort_findings};
pub use image::Image;
pub use lint::lint;
pub use span::Span;

/// The exit code buf uses when it finds something: 100.
pub const EXIT_FINDINGS: u8 = 100;
