//! The `graphql` pass: the GraphQL schema of the model, and the resolvers that answer a query from
//! a message or a view through `protogen::graphql`.
//!
//! The schema is whole-model (one SDL for the build): [`Schema::build`] decides every type, field
//! and name once ([`schema`]), [`sdl::print`] prints it, and `protogen-build` writes it as
//! `schema.graphql` and the `GRAPHQL_SCHEMA` constant. Per package, the pass emits the resolvers
//! of its messages.

pub mod schema;
pub mod sdl;

use proc_macro2::TokenStream;

use crate::model::{Model, Package};

pub use schema::{GraphqlOptions, Schema};

pub(super) fn package(_model: &Model, _package: &Package) -> TokenStream {
    TokenStream::new()
}
