//! GraphQL queries answered straight from a message, a view or wire bytes.
//!
//! The `graphql` pass writes the schema of a build (`schema.graphql`, the `GRAPHQL_SCHEMA`
//! constant of `include_protos!`) and implements [`Object`] for every message and view. Here a
//! query is compiled once — parsed and validated against the schema by apollo-compiler (every
//! error, with line and column, in the spec's format), variables coerced, fragments expanded,
//! `@skip`/`@include` decided — into a [`Plan`], which then writes the response JSON of any
//! number of values, allocating nothing but the output:
//!
//! ```ignore
//! let schema = protogen::graphql::Schema::new(GRAPHQL_SCHEMA)?.with_root("shop_v1_Order")?;
//! let plan = schema.query("{ id items { sku quantity } payment { __typename } }")?;
//! let mut out = Vec::new();
//! plan.write_bytes::<Order>(&bytes, &mut out)?;      // or plan.write(&order, &mut out)
//! ```

mod compile;
mod error;
mod execute;
mod plan;

pub use compile::{Document, RootSchema, Schema};
pub use error::{GraphqlError, PathSegment, RequestErrors, SchemaError};
pub use execute::{
    Empty, Entry, Enum, GraphqlType, Json, JsonView, List, Null, Obj, Object, Out, Path, Resolved,
    Value,
};
pub use plan::Plan;
