//! Small helpers for emitting Rust tokens, shared by the passes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Tokens for a path of (possibly raw, `r#type`) identifiers: `order::Line`.
pub fn path_tokens(segments: &[String]) -> TokenStream {
    let idents = segments.iter().map(|s| ident(s));
    quote!(#(#idents)::*)
}

/// An identifier from prost's spelling, raw (`r#type`) or plain.
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => format_ident!("r#{}", raw),
        None => format_ident!("{}", name),
    }
}

/// A `#[doc = "..."]` attribute with a leading space, as `///` comments render.
pub fn doc_attr(text: &str) -> TokenStream {
    let text = format!(" {text}");
    quote!(#[doc = #text])
}
