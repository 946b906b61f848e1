//! The `graphql` pass: the GraphQL schema of the model, and the resolvers that answer a query from
//! a message or a view through `protogen::graphql`.
//!
//! The schema is whole-model (one SDL for the build): [`Schema::build`] decides every type, field
//! and name once ([`schema`]), [`sdl::print`] prints it, and `protogen-build` writes it as
//! `schema.graphql` and the `GRAPHQL_SCHEMA` constant. Per package, the pass emits the resolvers
//! of its messages.

mod resolve;
pub mod schema;
pub mod sdl;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Model, Package};
use crate::passes::view::ViewNames;
use crate::rust::{doc_attr, path_tokens};

pub use schema::{GraphqlOptions, Schema};

use resolve::Source;

/// `GraphqlType` and `Object` for every message of `package` that has an object type, and
/// `Object` for its view when the view pass runs.
pub(super) fn package(
    model: &Model,
    package: &Package,
    options: &GraphqlOptions,
    views: bool,
) -> TokenStream {
    let supported = schema::supported_messages(model);
    let names = ViewNames::new(model);
    let mut items = TokenStream::new();
    for message in package.all_messages() {
        if !supported.contains(message.full_name.as_str()) {
            continue;
        }
        let ty = path_tokens(&message.rust_path);
        let name = schema::type_name(options, &message.full_name);
        let doc = doc_attr(&format!("The GraphQL object type `{name}`."));
        items.extend(quote! {
            #doc
            impl __pg::GraphqlType for #ty {
                const GRAPHQL_TYPE: &'static str = #name;
            }
        });
        items.extend(resolve::object_impl(message, Source::Owned, &names));
        if views {
            items.extend(resolve::object_impl(message, Source::View, &names));
        }
    }
    if items.is_empty() {
        return items;
    }
    quote! {
        const _: () = {
            #[allow(unused_imports)]
            use ::protogen::graphql as __pg;
            #[allow(unused_imports)]
            use ::protogen::json as __pj;
            #items
        };
    }
}
