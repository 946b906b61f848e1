//! The `view` pass: a borrowed, zero-copy `FooView<'a>` for every message `Foo`.
//!
//! For `Foo` at `pkg::Foo` it emits `pkg::FooView<'a>`; a nested message `Foo.Bar` gets
//! `pkg::foo_view::BarView<'a>`, and Foo's oneof `kind` a borrowed enum `pkg::foo_view::Kind<'a>`
//! (prost's own `foo` module cannot be reopened). Each view has:
//!
//! - `decode`/`decode_with`/`from_bytes`: one validating pass (see `protogen::view`), filling the
//!   view's slots: scalars by value, `&'a str`/`&'a [u8]`, first offset and count of repeated
//!   fields, last payload and first offset of sub-messages;
//! - accessors named like prost's fields: values with their defaults, `has_*` for fields with
//!   presence, sub-message views, lazy `Repeated` iterators, `MapView`s, `*_enum` typed getters
//!   and oneof enums;
//! - `to_owned()`, which builds the prost struct; `unknown_fields()`.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::model::{
    BytesRepr, DefaultValue, Enum, Field, FieldType, Label, MapType, Message, Model, Oneof,
    Package, Presence, Scalar, TypeRef,
};
use crate::rust::{doc_attr, ident};

pub(super) fn package(model: &Model, package: &Package) -> TokenStream {
    let index: HashMap<&str, &Message> = model
        .messages()
        .map(|(_, m)| (m.full_name.as_str(), m))
        .collect();
    let enums: HashMap<&str, &Enum> = model
        .packages
        .iter()
        .flat_map(|p| p.all_enums())
        .map(|e| (e.full_name.as_str(), e))
        .collect();
    let names = ViewNames::new(model);
    let generator = Gen {
        index: &index,
        enums: &enums,
        names: &names,
    };
    generator.messages(&package.messages, 0)
}

/// The names of every generated view item, chosen once for the whole model so that references
/// across packages agree. `FooView` and `foo_view` unless prost or a sibling already uses the
/// name (googleapis has an enum `SchemaView`), then `FooMessageView`, then trailing `_`s.
pub(super) struct ViewNames {
    /// Message full name → path of its view from its package module.
    pub(super) views: HashMap<String, Vec<String>>,
    /// Message full name → path of the module holding its nested views and oneof enums.
    pub(super) modules: HashMap<String, Vec<String>>,
    /// (message full name, oneof index) → (public enum, private slot enum).
    pub(super) oneofs: HashMap<(String, usize), (String, String)>,
}

impl ViewNames {
    pub(super) fn new(model: &Model) -> Self {
        let mut names = ViewNames {
            views: HashMap::new(),
            modules: HashMap::new(),
            oneofs: HashMap::new(),
        };
        for package in &model.packages {
            // prost's own top-level names: types, enums and the modules of messages.
            let mut taken: HashSet<String> = package
                .messages
                .iter()
                .flat_map(|m| [m.rust_path[0].clone(), crate::names::to_snake(&m.name)])
                .chain(package.enums.iter().map(|e| e.rust_path[0].clone()))
                .map(|n| n.trim_start_matches("r#").to_owned())
                .collect();
            for message in &package.messages {
                names.assign(message, &[], &mut taken);
            }
        }
        names
    }

    fn assign(&mut self, message: &Message, prefix: &[String], taken: &mut HashSet<String>) {
        let base = message
            .rust_path
            .last()
            .unwrap()
            .trim_start_matches("r#")
            .trim_end_matches('_');
        let snake = crate::names::to_snake(&message.name);
        let snake = snake.trim_start_matches("r#").trim_end_matches('_');
        let view = unique(
            taken,
            &[format!("{base}View"), format!("{base}MessageView")],
        );
        let module = unique(
            taken,
            &[format!("{snake}_view"), format!("{snake}_message_view")],
        );
        let with = |last: String| prefix.iter().cloned().chain([last]).collect::<Vec<_>>();
        self.views.insert(message.full_name.clone(), with(view));
        self.modules
            .insert(message.full_name.clone(), with(module.clone()));
        let inner_prefix = with(module);
        let mut inner = HashSet::new();
        for nested in &message.messages {
            self.assign(nested, &inner_prefix, &mut inner);
        }
        for (i, oneof) in message.oneofs.iter().enumerate() {
            let name = oneof.rust_path.last().unwrap().clone();
            let public = unique(&mut inner, std::slice::from_ref(&name));
            let raw = unique(&mut inner, &[format!("{name}Raw")]);
            self.oneofs
                .insert((message.full_name.clone(), i), (public, raw));
        }
    }
}

/// The first candidate not yet taken, or the last one with `_`s appended until it is free.
fn unique(taken: &mut HashSet<String>, candidates: &[String]) -> String {
    let mut name = candidates
        .iter()
        .find(|c| !taken.contains(*c))
        .cloned()
        .unwrap_or_else(|| candidates.last().unwrap().clone());
    while taken.contains(&name) {
        name.push('_');
    }
    taken.insert(name.clone());
    name
}

struct Gen<'m> {
    index: &'m HashMap<&'m str, &'m Message>,
    enums: &'m HashMap<&'m str, &'m Enum>,
    names: &'m ViewNames,
}

/// Where generated code is being emitted: how many view modules deep below the package module.
#[derive(Clone, Copy)]
struct Scope {
    depth: usize,
}

impl Scope {
    /// A path written relative to the package module, seen from here.
    fn path(&self, segments: &[String]) -> TokenStream {
        let supers = (0..self.depth).map(|_| quote!(super));
        let segments = segments.iter().map(|s| ident(s));
        quote!(#(#supers ::)* #(#segments)::*)
    }

    /// A prost type path from the model (relative to the package module, or extern/absolute).
    fn type_ref(&self, path: &str, is_extern: bool) -> TokenStream {
        let parsed: syn::Type = syn::parse_str(path).expect("prost type paths parse");
        if is_extern || path.starts_with("::") {
            return quote!(#parsed);
        }
        let supers = (0..self.depth).map(|_| quote!(super));
        quote!(#(#supers ::)* #parsed)
    }
}

impl Gen<'_> {
    fn messages(&self, messages: &[Message], depth: usize) -> TokenStream {
        let scope = Scope { depth };
        let mut out = TokenStream::new();
        for message in messages {
            out.extend(self.message(message, scope));
            let nested = self.messages(&message.messages, depth + 1);
            let oneofs = message
                .oneofs
                .iter()
                .map(|o| self.oneof_enums(message, o, Scope { depth: depth + 1 }));
            let oneofs: TokenStream = oneofs.collect();
            if !nested.is_empty() || !oneofs.is_empty() {
                let module = ident(self.names.modules[&message.full_name].last().unwrap());
                let doc = doc_attr(&format!(
                    "Views of the types nested in `{}`.",
                    message.full_name.trim_start_matches('.')
                ));
                out.extend(quote! {
                    #doc
                    pub mod #module {
                        #nested
                        #oneofs
                    }
                });
            }
        }
        out
    }

    /// The view type of a message-typed field, from `scope`.
    fn view_type(&self, type_ref: &TypeRef, scope: Scope) -> TokenStream {
        let target = self.index.get(type_ref.full_name.as_str());
        match target {
            Some(target) if !type_ref.is_extern => {
                let segments: Vec<String> =
                    type_ref.rust_path.split("::").map(str::to_owned).collect();
                let prefix = &segments[..segments.len() - target.rust_path.len()];
                let path: Vec<String> = prefix
                    .iter()
                    .cloned()
                    .chain(self.names.views[&target.full_name].iter().cloned())
                    .collect();
                let path = scope.path(&path);
                quote!(#path<'a>)
            }
            _ => {
                let owned = scope.type_ref(&type_ref.rust_path, type_ref.is_extern);
                quote!(::protogen::view::ExternView<'a, #owned>)
            }
        }
    }

    /// The `protogen::view::kind` marker of an element type.
    fn kind(&self, ty: &FieldType, scope: Scope) -> TokenStream {
        match ty {
            FieldType::Scalar(s) => scalar_kind(*s),
            FieldType::Enum(r) => {
                let default = Literal::i32_unsuffixed(self.enum_default(r));
                quote!(::protogen::view::kind::Enum<#default>)
            }
            FieldType::Message(r) => {
                let view = self.view_type(r, scope);
                quote!(::protogen::view::kind::Message<#view>)
            }
            FieldType::Group(r) => {
                let view = self.view_type(r, scope);
                quote!(::protogen::view::kind::Group<#view>)
            }
            FieldType::Map(_) => unreachable!("maps are not elements"),
        }
    }

    fn message(&self, message: &Message, scope: Scope) -> TokenStream {
        let view = ident(self.names.views[&message.full_name].last().unwrap());
        // An accessor named `len` (protovalidate's own rules have such fields) without an
        // `is_empty` is what this lint is about; the names are the schema's.
        let len_allow = message
            .fields
            .iter()
            .any(|f| f.rust_name == "len")
            .then(|| quote!(#[allow(clippy::len_without_is_empty)]));
        let owned = scope.path(&message.rust_path);
        let full_name = message.full_name.trim_start_matches('.');
        let doc = doc_attr(&format!(
            "A borrowed view of `{full_name}`, read from `&'a [u8]` without allocating."
        ));
        let slots = message.plain_fields().map(|f| {
            let name = ident(&f.rust_name);
            let ty = self.slot_type(f);
            quote!(#name: #ty)
        });
        let oneof_slots = message.oneofs.iter().map(|o| {
            let name = ident(&o.rust_field);
            let raw = self.oneof_path(message, o, scope, false);
            quote!(#name: ::core::option::Option<#raw>)
        });
        let parse_arms = message
            .fields
            .iter()
            .map(|f| tag_arm(f, self.parse_arm(message, f, scope)));
        let parse_dispatch = dispatch(parse_arms);
        let check_arms = message
            .fields
            .iter()
            .map(|f| tag_arm(f, self.check_arm(f, scope)));
        let check_dispatch = dispatch(check_arms);
        let accessors = message.plain_fields().map(|f| self.accessors(f, scope));
        let oneof_accessors = message
            .oneofs
            .iter()
            .map(|o| self.oneof_accessors(message, o, scope));
        let to_owned = self.to_owned(message, scope);
        let defaults = message.plain_fields().map(|f| {
            let name = ident(&f.rust_name);
            let value = self.slot_default(f);
            quote!(#name: #value)
        });
        let oneof_defaults = message.oneofs.iter().map(|o| {
            let name = ident(&o.rust_field);
            quote!(#name: ::core::option::Option::None)
        });
        let mut known: Vec<u32> = message.fields.iter().map(|f| f.number).collect();
        known.sort_unstable();
        let known = known.iter().map(|n| Literal::u32_unsuffixed(*n));
        let maps = message
            .fields
            .iter()
            .filter(|f| f.is_map())
            .map(|f| Literal::u32_unsuffixed(f.number));
        // `__parse_chunk` and `from_flat` are `#[inline(always)]`: a view built by an out-of-line
        // call comes back through memory and is copied on, 16 bytes at a time, right after it
        // was written field by field, which stalls the CPU on store forwarding; inlined where it
        // is used, the view is built in place. Message accessors are `#[inline]` for the same
        // reason, and so that a published crate's callers can inline them. Measured on the
        // trace benchmark: 14% faster. (A parse does not descend into sub-messages, so the
        // inlining does not nest.)
        quote! {
            #doc
            #[derive(Clone, Copy, Debug)]
            pub struct #view<'a> {
                __source: ::protogen::view::Source<'a>,
                #(#slots,)*
                #(#oneof_slots,)*
            }

            #len_allow
            impl<'a> #view<'a> {
                /// Map field numbers: prost reads their entries whatever the wire type says, and so
                /// must every scan of these bytes.
                const __MAPS: &'static [u32] = &[#(#maps),*];
                /// The declared field numbers, sorted.
                const __KNOWN: &'static [u32] = &[#(#known),*];

                /// Decodes and validates `buf` (prost's recursion limit).
                pub fn decode(buf: &'a [u8]) -> ::core::result::Result<Self, ::protogen::DecodeError> {
                    <Self as ::protogen::View<'a>>::decode(buf)
                }

                /// Decodes and validates `buf` with explicit options.
                pub fn decode_with(
                    buf: &'a [u8],
                    options: ::protogen::DecodeOptions,
                ) -> ::core::result::Result<Self, ::protogen::DecodeError> {
                    <Self as ::protogen::View<'a>>::decode_with(buf, options)
                }

                /// Decodes and validates the bytes of a `Bytes` buffer.
                pub fn from_bytes(
                    buf: &'a ::prost::bytes::Bytes,
                ) -> ::core::result::Result<Self, ::protogen::DecodeError> {
                    Self::decode(buf)
                }

                /// The fields the schema does not declare, as raw byte spans.
                pub fn unknown_fields(&self) -> ::protogen::view::UnknownFields<'a> {
                    ::protogen::view::UnknownFields::new(self.__source, Self::__KNOWN, Self::__MAPS)
                }

                #to_owned

                #(#accessors)*
                #(#oneof_accessors)*

                /// Reads the fields of one chunk of this message's bytes, validating them (and,
                /// when `DEEP`, every sub-message). Arms match raw tags, `number << 3 | wire type`.
                #[inline(always)]
                fn __parse_chunk<const DEEP: bool>(
                    &mut self,
                    chunk: &'a [u8],
                    base: usize,
                    budget: u32,
                ) -> ::core::result::Result<(), ::protogen::DecodeError> {
                    let r = &mut ::protogen::view::wire::Reader::new(chunk, base);
                    while let ::core::option::Option::Some((tag, at)) = r.tag()? {
                        #parse_dispatch
                    }
                    ::core::result::Result::Ok(())
                }

                /// Validates one occurrence of this message without building a view: what a
                /// parent's decode runs over its sub-messages.
                fn __check_chunk(
                    chunk: &'a [u8],
                    base: usize,
                    budget: u32,
                ) -> ::core::result::Result<(), ::protogen::DecodeError> {
                    let r = &mut ::protogen::view::wire::Reader::new(chunk, base);
                    while let ::core::option::Option::Some((tag, at)) = r.tag()? {
                        #check_dispatch
                    }
                    ::core::result::Result::Ok(())
                }

                fn __empty(source: ::protogen::view::Source<'a>) -> Self {
                    Self {
                        __source: source,
                        #(#defaults,)*
                        #(#oneof_defaults,)*
                    }
                }
            }

            impl ::core::default::Default for #view<'_> {
                /// The view of an empty message: every field at its default.
                fn default() -> Self {
                    Self::__empty(::protogen::view::Source::flat(&[]))
                }
            }

            impl<'a> ::protogen::View<'a> for #view<'a> {
                type Owned = #owned;

                fn decode_with(
                    buf: &'a [u8],
                    options: ::protogen::DecodeOptions,
                ) -> ::core::result::Result<Self, ::protogen::DecodeError> {
                    let mut view = Self::__empty(::protogen::view::Source::flat(buf));
                    view.__parse_chunk::<true>(buf, 0, options.recursion_limit)?;
                    ::core::result::Result::Ok(view)
                }

                fn to_owned_message(&self) -> #owned {
                    #view::to_owned(self)
                }

                #[inline(always)]
                fn from_flat(payload: &'a [u8]) -> Self {
                    let mut view = Self::__empty(::protogen::view::Source::flat(payload));
                    let _ = view.__parse_chunk::<false>(payload, 0, u32::MAX);
                    view
                }

                fn from_source(source: ::protogen::view::Source<'a>) -> Self {
                    // The bytes were validated with their root, so a re-read cannot fail; if it
                    // did (a bug), the view keeps what was read before the error.
                    let mut view = Self::__empty(source);
                    if let ::core::option::Option::Some(buf) = source.as_flat() {
                        let _ = view.__parse_chunk::<false>(buf, 0, u32::MAX);
                    } else {
                        source.for_each_chunk(|chunk, at| {
                            view.__parse_chunk::<false>(chunk, at, u32::MAX).is_ok()
                        });
                    }
                    view
                }

                fn check(
                    payload: &'a [u8],
                    at: usize,
                    budget: u32,
                ) -> ::core::result::Result<(), ::protogen::DecodeError> {
                    let inner = ::protogen::view::enter(budget, at)?;
                    Self::__check_chunk(payload, at, inner)
                }
            }

            impl ::protogen::view::Owned for #owned {
                type View<'a> = #view<'a>;
            }
        }
    }
}

/// The body of a decode loop: a `match` on the key's raw tag (field number and wire type in one
/// integer), so a field that arrives as it is declared costs one jump, with no separate checks of
/// the wire type, the number or the key's validity. Every tag a field may legally arrive with has
/// an arm; any other tag is an invalid key, a known field with a wrong wire type, or an unknown
/// field to skip, sorted out by `Reader::other_tag`.
fn dispatch(arms: impl Iterator<Item = TokenStream>) -> TokenStream {
    let arms: Vec<TokenStream> = arms.collect();
    // A message without fields: every tag is another tag (a `match` on nothing but `_` is noise).
    if arms.is_empty() {
        return quote!(r.other_tag(tag, at, Self::__KNOWN, budget)?;);
    }
    quote! {
        match tag {
            #(#arms)*
            _ => r.other_tag(tag, at, Self::__KNOWN, budget)?,
        }
    }
}

/// One arm of [`dispatch`]: the tags `field` may arrive with, and what to do then.
fn tag_arm(field: &Field, body: TokenStream) -> TokenStream {
    let tag = |wire: u8| Literal::u32_unsuffixed(field.number << 3 | u32::from(wire));
    let wires = wire_types(field);
    let pattern = if field.is_map() {
        let (first, last) = (tag(wires[0]), tag(wires[wires.len() - 1]));
        quote!(#first..=#last)
    } else {
        let tags = wires.into_iter().map(tag);
        quote!(#(#tags)|*)
    };
    quote! {
        #pattern => {
            let key = ::protogen::view::wire::Key::from_tag(tag, at);
            #body
        }
    }
}

/// The wire types a field is read with. prost reads a map entry whatever its wire type says
/// (as length-delimited), and a packable repeated field packed or not.
fn wire_types(field: &Field) -> Vec<u8> {
    const LEN: u8 = 2;
    let element = match &field.ty {
        FieldType::Map(_) => return vec![0, 1, 2, 3, 4, 5],
        FieldType::Scalar(s) => s.wire_type(),
        FieldType::Enum(_) => 0,
        FieldType::Message(_) => LEN,
        FieldType::Group(_) => 3,
    };
    if field.is_repeated() && element != LEN && element != 3 {
        vec![element, LEN]
    } else {
        vec![element]
    }
}

/// The view decoder's kind marker of a scalar (`protogen::view::kind::Sint64`); the JSON
/// transcoder reads the wire with the same markers.
pub(super) fn scalar_kind(s: Scalar) -> TokenStream {
    let name = match s {
        Scalar::Double => "Double",
        Scalar::Float => "Float",
        Scalar::Int32 => "Int32",
        Scalar::Int64 => "Int64",
        Scalar::Uint32 => "Uint32",
        Scalar::Uint64 => "Uint64",
        Scalar::Sint32 => "Sint32",
        Scalar::Sint64 => "Sint64",
        Scalar::Fixed32 => "Fixed32",
        Scalar::Fixed64 => "Fixed64",
        Scalar::Sfixed32 => "Sfixed32",
        Scalar::Sfixed64 => "Sfixed64",
        Scalar::Bool => "Bool",
        Scalar::String => "Str",
        Scalar::Bytes => "Bytes",
    };
    let name = format_ident!("{}", name);
    quote!(::protogen::view::kind::#name)
}

/// The Rust type a view hands out for a scalar.
fn scalar_out(s: Scalar) -> TokenStream {
    match s {
        Scalar::Double => quote!(f64),
        Scalar::Float => quote!(f32),
        Scalar::Int32 | Scalar::Sint32 | Scalar::Sfixed32 => quote!(i32),
        Scalar::Int64 | Scalar::Sint64 | Scalar::Sfixed64 => quote!(i64),
        Scalar::Uint32 | Scalar::Fixed32 => quote!(u32),
        Scalar::Uint64 | Scalar::Fixed64 => quote!(u64),
        Scalar::Bool => quote!(bool),
        Scalar::String => quote!(&'a str),
        Scalar::Bytes => quote!(&'a [u8]),
    }
}

/// The explicit `[default = …]` of a singular scalar as a literal of its type, if it has one.
fn default_tokens(field: &Field, s: Option<Scalar>) -> Option<TokenStream> {
    Some(match field.default.as_ref()? {
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::I64(v) => int_literal(i128::from(*v)),
        DefaultValue::U64(v) => int_literal(i128::from(*v)),
        DefaultValue::F64(v) => float_literal(*v, s),
        DefaultValue::String(v) => quote!(#v),
        DefaultValue::Bytes(v) => {
            let lit = Literal::byte_string(v);
            quote!(#lit)
        }
        DefaultValue::Enum { number, .. } => int_literal(i128::from(*number)),
    })
}

/// An integer literal whose type the context gives.
fn int_literal(v: i128) -> TokenStream {
    let abs = Literal::u128_unsuffixed(v.unsigned_abs());
    if v < 0 { quote!(-#abs) } else { quote!(#abs) }
}

fn float_literal(v: f64, s: Option<Scalar>) -> TokenStream {
    let ty = if s == Some(Scalar::Float) {
        quote!(f32)
    } else {
        quote!(f64)
    };
    if v.is_nan() {
        quote!(#ty::NAN)
    } else if v.is_infinite() {
        if v > 0.0 {
            quote!(#ty::INFINITY)
        } else {
            quote!(#ty::NEG_INFINITY)
        }
    } else {
        let lit = Literal::f64_unsuffixed(v.abs());
        if v.is_sign_negative() {
            quote!(-#lit)
        } else {
            quote!(#lit)
        }
    }
}

impl Gen<'_> {
    /// prost's default for an enum without `[default = …]`: its first value.
    fn enum_default(&self, r: &TypeRef) -> i32 {
        self.enums
            .get(r.full_name.as_str())
            .and_then(|e| e.values.first())
            .map_or(0, |v| v.number)
    }

    fn slot_type(&self, field: &Field) -> TokenStream {
        if field.is_repeated() || field.is_map() {
            return quote!(::protogen::view::RepeatedSlot);
        }
        let out = match &field.ty {
            FieldType::Scalar(s) => scalar_out(*s),
            FieldType::Enum(_) => quote!(i32),
            FieldType::Message(_) | FieldType::Group(_) => {
                return quote!(::protogen::view::MessageSlot<'a>);
            }
            FieldType::Map(_) => unreachable!("maps take the repeated slot"),
        };
        if field.presence == Presence::Explicit {
            quote!(::core::option::Option<#out>)
        } else {
            out
        }
    }

    fn slot_default(&self, field: &Field) -> TokenStream {
        if field.presence == Presence::Explicit
            && !field.is_repeated()
            && !field.is_map()
            && let FieldType::Scalar(_) | FieldType::Enum(_) = field.ty
        {
            return quote!(::core::option::Option::None);
        }
        match field.ty {
            FieldType::Scalar(Scalar::String) if !field.is_repeated() => quote!(""),
            FieldType::Scalar(Scalar::Bytes) if !field.is_repeated() => quote!(&[]),
            _ => quote!(::core::default::Default::default()),
        }
    }

    /// The public borrowed enum of a oneof, or (`public == false`) its private slot enum.
    fn oneof_path(
        &self,
        message: &Message,
        oneof: &Oneof,
        scope: Scope,
        public: bool,
    ) -> TokenStream {
        let index = message
            .oneofs
            .iter()
            .position(|o| o.name == oneof.name)
            .unwrap();
        let (public_name, raw_name) = &self.names.oneofs[&(message.full_name.clone(), index)];
        let mut segments = self.names.modules[&message.full_name].clone();
        let public = public || !has_message_member(message, oneof);
        segments.push(if public { public_name } else { raw_name }.clone());
        let path = scope.path(&segments);
        if borrows(message, oneof) {
            quote!(#path<'a>)
        } else {
            path
        }
    }

    /// What the decode loop does with one occurrence of `field` (its key is `key`).
    fn parse_arm(&self, message: &Message, field: &Field, scope: Scope) -> TokenStream {
        let name = ident(match field.oneof {
            Some(i) => &message.oneofs[i].rust_field,
            None => &field.rust_name,
        });
        if let FieldType::Map(map) = &field.ty {
            let key = scalar_kind(map.key);
            let value = self.kind(&map.value, scope);
            quote! {
                r.map_entry::<#key, #value, DEEP>(key, budget)?;
                self.#name.record(key.at, 1);
            }
        } else if field.is_repeated() {
            let kind = self.kind(&field.ty, scope);
            quote!(self.#name.record(key.at, r.repeated::<#kind, DEEP>(key, budget)?);)
        } else {
            match (&field.ty, field.oneof) {
                (FieldType::Message(r) | FieldType::Group(r), oneof) => {
                    let view = self.view_type(r, scope);
                    let read = if matches!(field.ty, FieldType::Group(_)) {
                        quote!(let payload = r.group_field::<#view, DEEP>(key, budget)?;)
                    } else {
                        quote!(let payload = r.message::<#view, DEEP>(key, budget)?;)
                    };
                    let record = match oneof {
                        None => quote!(self.#name.record(payload, key.at);),
                        Some(i) => {
                            let variant = self.raw_variant(message, i, field, scope);
                            // Consecutive occurrences of one member merge; another member resets.
                            quote! {
                                let slot = match self.#name {
                                    ::core::option::Option::Some(#variant(slot)) => slot,
                                    _ => ::protogen::view::MessageSlot::default(),
                                };
                                self.#name = ::core::option::Option::Some(#variant(slot.with(payload, key.at)));
                            }
                        }
                    };
                    quote! { #read #record }
                }
                (ty, oneof) => {
                    let kind = self.kind(ty, scope);
                    let value = quote!(r.field::<#kind>(key)?);
                    match oneof {
                        Some(i) => {
                            let variant = self.raw_variant(message, i, field, scope);
                            quote!(self.#name = ::core::option::Option::Some(#variant(#value));)
                        }
                        None if field.presence == Presence::Explicit => {
                            quote!(self.#name = ::core::option::Option::Some(#value);)
                        }
                        None => quote!(self.#name = #value;),
                    }
                }
            }
        }
    }

    /// What the validation loop does with one occurrence of `field`: the parse arm's reads,
    /// with nothing kept.
    fn check_arm(&self, field: &Field, scope: Scope) -> TokenStream {
        match &field.ty {
            FieldType::Map(map) => {
                let key = scalar_kind(map.key);
                let value = self.kind(&map.value, scope);
                quote!(r.map_entry::<#key, #value, true>(key, budget)?;)
            }
            ty if field.is_repeated() => {
                let kind = self.kind(ty, scope);
                quote!(r.repeated::<#kind, true>(key, budget)?;)
            }
            FieldType::Message(r) => {
                let view = self.view_type(r, scope);
                quote!(r.message::<#view, true>(key, budget)?;)
            }
            FieldType::Group(r) => {
                let view = self.view_type(r, scope);
                quote!(r.group_field::<#view, true>(key, budget)?;)
            }
            ty => {
                let kind = self.kind(ty, scope);
                quote!(r.field::<#kind>(key)?;)
            }
        }
    }

    /// `foo_view::KindRaw::Member`: the slot-enum variant of a oneof member.
    fn raw_variant(
        &self,
        message: &Message,
        oneof: usize,
        field: &Field,
        scope: Scope,
    ) -> TokenStream {
        let raw = strip_lifetime(self.oneof_path(message, &message.oneofs[oneof], scope, false));
        let variant = ident(&field.rust_name);
        quote!(#raw::#variant)
    }

    fn accessors(&self, field: &Field, scope: Scope) -> TokenStream {
        let name = ident(&field.rust_name);
        let number = field.number;
        let doc = field_doc(field);
        let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
        let has = format_ident!("has_{}", field.rust_name.trim_start_matches("r#"));
        if let FieldType::Map(map) = &field.ty {
            let key = scalar_kind(map.key);
            let value = self.kind(&map.value, scope);
            return quote! {
                #doc #deprecated
                pub fn #name(&self) -> ::protogen::view::MapView<'a, #key, #value> {
                    ::protogen::view::MapView::new(self.__source, #number, self.#name, Self::__MAPS)
                }
            };
        }
        if field.is_repeated() {
            let kind = self.kind(&field.ty, scope);
            return quote! {
                #doc #deprecated
                pub fn #name(&self) -> ::protogen::view::Repeated<'a, #kind> {
                    ::protogen::view::Repeated::new(self.__source, #number, self.#name, Self::__MAPS)
                }
            };
        }
        match &field.ty {
            FieldType::Message(r) | FieldType::Group(r) => {
                let view = self.view_type(r, scope);
                let group = matches!(field.ty, FieldType::Group(_));
                quote! {
                    #doc #deprecated
                    #[inline]
                    pub fn #name(&self) -> ::core::option::Option<#view> {
                        self.#name.view::<#view>(&self.__source, #number, #group, &Self::__MAPS)
                    }
                    #[doc = " Whether the field is set."]
                    #deprecated
                    pub fn #has(&self) -> bool {
                        self.#name.is_set()
                    }
                }
            }
            ty => {
                let (out, scalar) = match ty {
                    FieldType::Scalar(s) => (scalar_out(*s), Some(*s)),
                    _ => (quote!(i32), None),
                };
                let enum_default = match ty {
                    FieldType::Enum(r) if field.default.is_none() => Some(self.enum_default(r)),
                    _ => None,
                };
                let value = if field.presence == Presence::Explicit {
                    let explicit = default_tokens(field, scalar).or_else(|| {
                        enum_default
                            .filter(|d| *d != 0)
                            .map(|d| int_literal(i128::from(d)))
                    });
                    match explicit {
                        Some(default) => quote!(self.#name.unwrap_or(#default)),
                        None => quote!(self.#name.unwrap_or_default()),
                    }
                } else {
                    quote!(self.#name)
                };
                let has = (field.presence == Presence::Explicit).then(|| {
                    quote! {
                        #[doc = " Whether the field is set."]
                        #deprecated
                        pub fn #has(&self) -> bool {
                            self.#name.is_some()
                        }
                    }
                });
                let typed = match ty {
                    FieldType::Enum(r) => {
                        let typed =
                            format_ident!("{}_enum", field.rust_name.trim_start_matches("r#"));
                        let enum_ty = scope.type_ref(&r.rust_path, r.is_extern);
                        Some(quote! {
                            #[doc = " The value as the enum type; numbers the schema does not name are kept."]
                            #deprecated
                            pub fn #typed(&self) -> ::protogen::EnumValue<#enum_ty> {
                                #[allow(deprecated)]
                                ::protogen::EnumValue::from_raw(self.#name())
                            }
                        })
                    }
                    _ => None,
                };
                quote! {
                    #doc #deprecated
                    pub fn #name(&self) -> #out {
                        #value
                    }
                    #has
                    #typed
                }
            }
        }
    }

    fn oneof_accessors(&self, message: &Message, oneof: &Oneof, scope: Scope) -> TokenStream {
        let name = ident(&oneof.rust_field);
        let public = self.oneof_path(message, oneof, scope, true);
        let public_bare = strip_lifetime(public.clone());
        let raw = strip_lifetime(self.oneof_path(message, oneof, scope, false));
        let doc = doc_attr(&format!(
            "Which member of oneof `{}` is set, if any.",
            oneof.name
        ));
        let arms = oneof.fields.iter().map(|&i| {
            let field = &message.fields[i];
            let variant = ident(&field.rust_name);
            let number = field.number;
            match &field.ty {
                FieldType::Message(r) | FieldType::Group(r) => {
                    let view = self.view_type(r, scope);
                    let group = matches!(field.ty, FieldType::Group(_));
                    quote! {
                        #raw::#variant(slot) => #public_bare::#variant(
                            slot.view::<#view>(&self.__source, #number, #group, &Self::__MAPS)
                                .unwrap_or_default(),
                        )
                    }
                }
                _ => quote!(#raw::#variant(value) => #public_bare::#variant(value)),
            }
        });
        let has = oneof.fields.iter().map(|&i| {
            let field = &message.fields[i];
            let variant = ident(&field.rust_name);
            let has = format_ident!(
                "has_{}",
                crate::names::to_snake(&field.name).trim_start_matches("r#")
            );
            quote! {
                #[doc = " Whether this member of the oneof is the one set."]
                pub fn #has(&self) -> bool {
                    matches!(self.#name, ::core::option::Option::Some(#raw::#variant(_)))
                }
            }
        });
        // Without message members the slot holds the public enum itself: no conversion, which
        // was a second dispatch on the member (a jump table) on every read.
        let body = if has_message_member(message, oneof) {
            quote!(self.#name.map(|raw| match raw { #(#arms,)* }))
        } else {
            quote!(self.#name)
        };
        quote! {
            #doc
            #[inline]
            pub fn #name(&self) -> ::core::option::Option<#public> {
                #body
            }
            #(#has)*
        }
    }

    /// The public borrowed enum and the private slot enum of a oneof, in the message's view
    /// module.
    fn oneof_enums(&self, message: &Message, oneof: &Oneof, scope: Scope) -> TokenStream {
        let index = message
            .oneofs
            .iter()
            .position(|o| o.name == oneof.name)
            .unwrap();
        let (public, raw) = &self.names.oneofs[&(message.full_name.clone(), index)];
        let (public, raw) = (format_ident!("{public}"), format_ident!("{raw}"));
        let lifetime = borrows(message, oneof).then(|| quote!(<'a>));
        let doc = doc_attr(&format!(
            "The member set in oneof `{}` of `{}`, borrowed.",
            oneof.name,
            message.full_name.trim_start_matches('.')
        ));
        let owned_enum = scope.path(&oneof.rust_path);
        let mut public_variants = Vec::new();
        let mut raw_variants = Vec::new();
        let mut to_owned_arms = Vec::new();
        for &i in &oneof.fields {
            let field = &message.fields[i];
            let variant = ident(&field.rust_name);
            let field_doc = field_doc(field);
            let (public_ty, raw_ty) = match &field.ty {
                FieldType::Message(r) | FieldType::Group(r) => (
                    self.view_type(r, scope),
                    quote!(::protogen::view::MessageSlot<'a>),
                ),
                FieldType::Scalar(s) => (scalar_out(*s), scalar_out(*s)),
                FieldType::Enum(_) => (quote!(i32), quote!(i32)),
                FieldType::Map(_) => unreachable!("maps cannot be oneof members"),
            };
            let convert =
                Self::owned_value(field, &field.ty, quote!(value)).unwrap_or(quote!(value));
            let convert = if field.boxed {
                quote!(::prost::alloc::boxed::Box::new(#convert))
            } else {
                convert
            };
            public_variants.push(quote!(#field_doc #variant(#public_ty)));
            raw_variants.push(quote!(#variant(#raw_ty)));
            let is_empty = matches!(&field.ty, FieldType::Message(r) if r.rust_path == "()");
            let binding = if is_empty { quote!(_) } else { quote!(value) };
            to_owned_arms.push(quote!(Self::#variant(#binding) => #owned_enum::#variant(#convert)));
        }
        // The slot enum: a message member is held as where its payloads are, not as a view.
        let raw_enum = has_message_member(message, oneof).then(|| {
            quote! {
                #[doc(hidden)]
                #[derive(Clone, Copy, Debug)]
                pub enum #raw #lifetime {
                    #(#raw_variants,)*
                }
            }
        });
        quote! {
            #doc
            #[derive(Clone, Copy, Debug)]
            pub enum #public #lifetime {
                #(#public_variants,)*
            }

            impl #lifetime #public #lifetime {
                /// The owned prost oneof value.
                #[allow(deprecated, clippy::clone_on_copy)]
                pub fn to_owned(&self) -> #owned_enum {
                    match *self {
                        #(#to_owned_arms,)*
                    }
                }
            }

            #raw_enum
        }
    }

    /// Converts one view value (`value`, of the field's element type) to prost's owned type;
    /// `None` where the view's value already is prost's (numbers, bools, enum numbers).
    fn owned_value(field: &Field, ty: &FieldType, value: TokenStream) -> Option<TokenStream> {
        match ty {
            // `google.protobuf.Empty` is `()` in prost: nothing to convert.
            FieldType::Message(r) if r.rust_path == "()" => Some(quote!(())),
            FieldType::Message(_) | FieldType::Group(_) => {
                Some(quote!(::protogen::View::to_owned_message(&#value)))
            }
            _ => Self::conversion(field, ty).map(|f| quote!(#f(#value))),
        }
    }

    /// What to `.map(...)` view values with to get prost's: a function path, or a closure for
    /// messages (their `to_owned` takes a reference).
    fn mapper(field: &Field, ty: &FieldType) -> Option<TokenStream> {
        match ty {
            FieldType::Message(r) if r.rust_path == "()" => Some(quote!(|_| ())),
            FieldType::Message(_) | FieldType::Group(_) => {
                Some(quote!(|v| ::protogen::View::to_owned_message(&v)))
            }
            _ => Self::conversion(field, ty),
        }
    }

    fn conversion(field: &Field, ty: &FieldType) -> Option<TokenStream> {
        match ty {
            FieldType::Scalar(Scalar::String) => Some(quote!(::prost::alloc::string::String::from)),
            FieldType::Scalar(Scalar::Bytes) => Some(match field.bytes_repr {
                BytesRepr::Vec => quote!(<[u8]>::to_vec),
                BytesRepr::Bytes => quote!(::prost::bytes::Bytes::copy_from_slice),
            }),
            _ => None,
        }
    }

    fn to_owned(&self, message: &Message, scope: Scope) -> TokenStream {
        let owned = scope.path(&message.rust_path);
        let fields = message.plain_fields().map(|f| {
            let name = ident(&f.rust_name);
            let value = self.owned_field(f);
            quote!(#name: #value)
        });
        let oneofs = message.oneofs.iter().map(|o| {
            let name = ident(&o.rust_field);
            quote!(#name: self.#name().map(|value| value.to_owned()))
        });
        quote! {
            /// The owned prost message, equal to what prost decodes from the same bytes.
            #[allow(deprecated, clippy::clone_on_copy, clippy::needless_update)]
            pub fn to_owned(&self) -> #owned {
                #owned {
                    #(#fields,)*
                    #(#oneofs,)*
                }
            }
        }
    }

    fn owned_field(&self, field: &Field) -> TokenStream {
        let accessor = ident(&field.rust_name);
        if let FieldType::Map(map) = &field.ty {
            let MapType { key, value, .. } = map.as_ref();
            let key = Self::owned_value(field, &FieldType::Scalar(*key), quote!(k));
            let value = Self::owned_value(field, value, quote!(v));
            if key.is_none() && value.is_none() {
                return quote!(self.#accessor().iter().collect());
            }
            let key = key.unwrap_or(quote!(k));
            let value_binding = match map.value {
                FieldType::Message(ref r) if r.rust_path == "()" => quote!(_),
                _ => quote!(v),
            };
            let value = value.unwrap_or(quote!(v));
            return quote!(self.#accessor().iter().map(|(k, #value_binding)| (#key, #value)).collect());
        }
        if field.is_repeated() {
            return match Self::mapper(field, &field.ty) {
                Some(mapper) => quote!(self.#accessor().map(#mapper).collect()),
                None => quote!(self.#accessor().collect()),
            };
        }
        match &field.ty {
            FieldType::Message(_) | FieldType::Group(_) => {
                let mapper = Self::mapper(field, &field.ty).expect("messages convert");
                let mapper = if field.boxed {
                    let value = Self::owned_value(field, &field.ty, quote!(v));
                    quote!(|v| ::prost::alloc::boxed::Box::new(#value))
                } else {
                    mapper
                };
                if field.label == Label::Required {
                    quote!(self.#accessor().map(#mapper).unwrap_or_default())
                } else {
                    quote!(self.#accessor().map(#mapper))
                }
            }
            ty => {
                let optional =
                    field.presence == Presence::Explicit && field.label != Label::Required;
                match (optional, Self::mapper(field, ty)) {
                    (true, Some(mapper)) => quote!(self.#accessor.map(#mapper)),
                    (true, None) => quote!(self.#accessor),
                    (false, _) => Self::owned_value(field, ty, quote!(self.#accessor()))
                        .unwrap_or(quote!(self.#accessor())),
                }
            }
        }
    }
}

/// Whether a oneof has a message (or group) member, whose slot differs from its view.
fn has_message_member(message: &Message, oneof: &Oneof) -> bool {
    oneof.fields.iter().any(|&i| {
        matches!(
            message.fields[i].ty,
            FieldType::Message(_) | FieldType::Group(_)
        )
    })
}

/// Whether a oneof's enums hold borrowed data (strings, bytes, messages) and so take `'a`.
fn borrows(message: &Message, oneof: &Oneof) -> bool {
    oneof.fields.iter().any(|&i| {
        matches!(
            message.fields[i].ty,
            FieldType::Message(_)
                | FieldType::Group(_)
                | FieldType::Scalar(Scalar::String | Scalar::Bytes)
        )
    })
}

fn field_doc(field: &Field) -> TokenStream {
    let lines = field.comments.doc_lines();
    if lines.is_empty() {
        return doc_attr(&format!("Field `{}` ({}).", field.name, field.number));
    }
    let attrs = lines.iter().map(|l| doc_attr(l));
    quote!(#(#attrs)*)
}

/// `path<'a>` → `path`, for use in patterns and constructors.
fn strip_lifetime(tokens: TokenStream) -> TokenStream {
    let mut out: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    if let Some(pos) = out
        .iter()
        .rposition(|t| matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == '<'))
    {
        out.truncate(pos);
    }
    out.into_iter().collect()
}
