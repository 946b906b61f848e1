//! Generator passes: each turns the [`Model`] into Rust items for one package.
//!
//! A pass is a module with one entry point, `fn package(&Model, &Package) -> TokenStream`, that
//! emits items placed at the top level of the package's module, after prost's types. Passes read
//! only the model, never descriptors, and know nothing of each other.

pub mod graphql;
mod info;
mod json;
mod json_view;
mod validate;
mod view;

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use proc_macro2::TokenStream;

use crate::model::{Model, Package};

/// A capability protogen adds to prost's types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pass {
    /// `protogen::MessageInfo` / `protogen::EnumInfo`: static tables of names, numbers and types.
    Info,
    /// `FooView<'a>`: borrowed, zero-copy decoding of every message.
    View,
    /// `impl protogen::Validate`: the schema's validation rules, compiled (for views too when
    /// the view pass runs).
    Validate,
    /// proto3 JSON: `protogen::json::JsonMessage`, `serde::Serialize`/`Deserialize`.
    Json,
    /// proto3 JSON written from views (`protogen::json::JsonViewFields`); runs only with `view`
    /// and `json`.
    JsonView,
    /// GraphQL: the schema (`schema.graphql`, `GRAPHQL_SCHEMA`) and `protogen::graphql::Object`
    /// resolvers for messages and views.
    Graphql,
}

impl Pass {
    pub const ALL: &'static [Pass] = &[
        Pass::Info,
        Pass::View,
        Pass::Validate,
        Pass::Json,
        Pass::JsonView,
        Pass::Graphql,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pass::Info => "info",
            Pass::View => "view",
            Pass::Validate => "validate",
            Pass::Json => "json",
            Pass::JsonView => "json-view",
            Pass::Graphql => "graphql",
        }
    }

    /// What the pass adds, in a line: the CLI's help lists every pass with it.
    pub fn summary(self) -> &'static str {
        match self {
            Pass::Info => "MessageInfo/EnumInfo: static tables of names, numbers and types",
            Pass::View => "FooView<'a>: borrowed, zero-copy decoding of every message",
            Pass::Validate => {
                "Validate impls compiled from protovalidate rules and tenant constraints"
            }
            Pass::Json => "proto3 JSON both ways, and serde impls",
            Pass::JsonView => "proto3 JSON written from views (needs view and json)",
            Pass::Graphql => {
                "the GraphQL schema (schema.graphql, GRAPHQL_SCHEMA) and queries answered from \
                 messages and views (resolvers need json)"
            }
        }
    }

    /// The passes this one is made of: without all of them on, it generates nothing.
    pub fn requires(self) -> &'static [Pass] {
        match self {
            Pass::JsonView => &[Pass::View, Pass::Json],
            // Values are written by the JSON kinds; the SDL is written without json too.
            Pass::Graphql => &[Pass::Json],
            _ => &[],
        }
    }

    fn package(self, model: &Model, package: &Package, passes: &Passes) -> TokenStream {
        if !self.requires().iter().all(|&p| passes.is_enabled(p)) {
            return TokenStream::new();
        }
        match self {
            Pass::Info => info::package(model, package),
            Pass::View => view::package(model, package),
            Pass::Validate => validate::package(model, package, passes.is_enabled(Pass::View)),
            Pass::Json => json::package(model, package),
            Pass::JsonView => json_view::package(model, package),
            Pass::Graphql => {
                graphql::package(model, package, &passes.1, passes.is_enabled(Pass::View))
            }
        }
    }
}

impl fmt::Display for Pass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Pass {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pass::ALL
            .iter()
            .copied()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                let known: Vec<_> = Pass::ALL.iter().map(|p| p.name()).collect();
                format!("unknown pass `{s}` (known: {})", known.join(", "))
            })
    }
}

/// The set of passes to run (all of them by default), and the GraphQL schema's naming.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passes(BTreeSet<Pass>, graphql::GraphqlOptions);

impl Default for Passes {
    fn default() -> Self {
        Passes(Pass::ALL.iter().copied().collect(), Default::default())
    }
}

impl Passes {
    pub fn none() -> Self {
        Passes(BTreeSet::new(), Default::default())
    }

    /// The GraphQL schema's naming (the `graphql` pass names types by it).
    pub fn graphql_options(&self) -> &graphql::GraphqlOptions {
        &self.1
    }

    pub fn set_graphql_options(&mut self, options: graphql::GraphqlOptions) -> &mut Self {
        self.1 = options;
        self
    }

    pub fn set(&mut self, pass: Pass, enabled: bool) -> &mut Self {
        if enabled {
            self.0.insert(pass);
        } else {
            self.0.remove(&pass);
        }
        self
    }

    pub fn is_enabled(&self, pass: Pass) -> bool {
        self.0.contains(&pass)
    }

    pub fn iter(&self) -> impl Iterator<Item = Pass> + '_ {
        self.0.iter().copied()
    }

    /// Runs every enabled pass over `package` and returns the formatted items, or an empty string
    /// when there is nothing to add.
    pub fn generate_package(&self, model: &Model, package: &Package) -> String {
        let mut items = TokenStream::new();
        for pass in self.iter() {
            items.extend(pass.package(model, package, self));
        }
        if items.is_empty() {
            return String::new();
        }
        let file: syn::File = syn::parse2(items)
            .unwrap_or_else(|err| panic!("a protogen pass produced invalid Rust: {err}"));
        prettyplease::unparse(&file)
    }
}
