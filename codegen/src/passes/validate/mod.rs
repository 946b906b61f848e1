//! The `validate` pass: `impl protogen::Validate` for every message (and its view, when the
//! view pass runs), compiled from the rule model (`protogen_rules`) to straight-line Rust.
//!
//! Each field becomes one block: bind the value (owned field or view accessor), apply
//! protovalidate's presence and `ignore` semantics, call one `protogen::validate::check`
//! function per rule with the rule's constants, then recurse into message values. Order follows
//! protovalidate: message `oneof` rules, required oneofs, then fields (in the model's order: by
//! number; protovalidate goes by declaration, which differs only for fields declared out of order).
//!
//! `access.rs` knows how a value is reached in each [`Mode`]; `rules.rs` turns one field's rules
//! into checks on a bound value.

mod access;
mod rules;

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::view::ViewNames;
use crate::model::{Enum, Field, FieldType, Label, Message, Model, Package, Presence};
use crate::rust::path_tokens;
use access::{Mode, ValueKind};
use protogen_rules::{Ignore, TypeRules};

pub(super) fn package(model: &Model, package: &Package, views: bool) -> TokenStream {
    let generator = Gen::new(model, views);
    let mut out = TokenStream::new();
    for message in package.all_messages() {
        out.extend(generator.message(message, Mode::Owned));
        if views {
            out.extend(generator.message(message, Mode::View));
        }
    }
    out
}

struct Gen<'m> {
    enums: HashMap<&'m str, &'m Enum>,
    /// Messages (full names) with a rule somewhere in them or below them; the others validate
    /// trivially, and fields of their type are not visited.
    checked: HashSet<String>,
    /// Generated (not extern) messages, by full name.
    generated: HashSet<&'m str>,
    names: Option<ViewNames>,
}

impl<'m> Gen<'m> {
    fn new(model: &'m Model, views: bool) -> Self {
        let enums = model
            .packages
            .iter()
            .flat_map(|p| p.all_enums())
            .map(|e| (e.full_name.as_str(), e))
            .collect();
        let generated = model
            .messages()
            .map(|(_, m)| m.full_name.as_str())
            .collect();
        Gen {
            enums,
            checked: checked_messages(model),
            generated,
            names: views.then(|| ViewNames::new(model)),
        }
    }

    fn message(&self, message: &Message, mode: Mode) -> TokenStream {
        let ty = match mode {
            Mode::Owned => path_tokens(&message.rust_path),
            Mode::View => {
                let path = path_tokens(&self.view_names().views[&message.full_name]);
                quote!(#path<'_>)
            }
        };
        let body = if self.checked.contains(&message.full_name) {
            self.body(message, mode)
        } else {
            TokenStream::new()
        };
        let (ctx, parent) = if body.is_empty() {
            (quote!(_ctx), quote!(_parent))
        } else {
            (quote!(ctx), quote!(parent))
        };
        // Rules on a deprecated field read it: that must not warn in the user's crate.
        let allow = (!body.is_empty() && message.fields.iter().any(|f| f.deprecated))
            .then(|| quote!(#[allow(deprecated)]));
        quote! {
            impl ::protogen::Validate for #ty {
                #allow
                fn validate_into(
                    &self,
                    #ctx: &mut ::protogen::validate::Ctx,
                    #parent: ::core::option::Option<&::protogen::validate::Path<'_>>,
                ) {
                    #body
                }
            }
        }
    }

    fn view_names(&self) -> &ViewNames {
        self.names.as_ref().expect("views are generated")
    }

    fn body(&self, message: &Message, mode: Mode) -> TokenStream {
        let mut out = TokenStream::new();
        let in_message_oneof: HashSet<&str> = message
            .rules
            .oneofs
            .iter()
            .flat_map(|o| o.fields.iter().map(String::as_str))
            .collect();
        for rule in &message.rules.oneofs {
            out.extend(self.message_oneof(message, mode, &rule.fields, rule.required));
        }
        for (i, oneof) in message.oneofs.iter().enumerate() {
            if oneof.rules.required {
                let name = &oneof.name;
                let is_none = access::oneof_is_none(self, message, i, mode);
                out.extend(quote! {
                    if #is_none {
                        ::protogen::validate::check::oneof_required(ctx, parent, #name);
                    }
                });
            }
        }
        for field in &message.fields {
            let code = self.field(
                message,
                field,
                mode,
                in_message_oneof.contains(field.name.as_str()),
            );
            if !code.is_empty() {
                out.extend(quote! {
                    if ctx.done() { return; }
                    #code
                });
            }
        }
        out
    }

    fn message_oneof(
        &self,
        message: &Message,
        mode: Mode,
        names: &[String],
        required: bool,
    ) -> TokenStream {
        let set = names.iter().map(|name| {
            let field = message
                .fields
                .iter()
                .find(|f| &f.name == name)
                .expect("checked");
            access::is_set(self, message, field, mode)
        });
        quote! {
            ::protogen::validate::check::message_oneof(
                ctx, parent, &[#(#names),*], &[#(#set),*], #required,
            );
        }
    }

    /// One field's block, or nothing when it has no rules and nothing below it to check.
    fn field(
        &self,
        message: &Message,
        field: &Field,
        mode: Mode,
        in_message_oneof: bool,
    ) -> TokenStream {
        let rules = &field.rules;
        if rules.ignore == Ignore::Always {
            return TokenStream::new();
        }
        let kind = match &field.ty {
            FieldType::Map(_) => ValueKind::Opaque,
            ty => self.value_kind(ty),
        };
        let recurse = self.recurses(&kind);
        let map_recurse = match &field.ty {
            FieldType::Map(map) => self.recurses(&self.value_kind(&map.value)),
            _ => false,
        };
        if rules.is_empty() && !recurse && !map_recurse {
            return TokenStream::new();
        }
        let name = &field.name;
        let number = field.number;
        // For fields with presence, "zero" is "unset", which is skipped anyway.
        let ignore_zero = field.presence == Presence::Implicit
            && (rules.ignore == Ignore::IfZeroValue
                || (in_message_oneof && rules.ignore == Ignore::Unspecified));
        let body = if let FieldType::Map(map) = &field.ty {
            self.map_field(message, field, map, mode, ignore_zero)
        } else if field.label == Label::Repeated {
            self.repeated_field(message, field, &kind, mode, ignore_zero)
        } else {
            self.singular_field(message, field, &kind, mode, ignore_zero)
        };
        if body.is_empty() {
            return body;
        }
        quote! {
            {
                let path = ::protogen::validate::Path::field(parent, #name, #number);
                #body
            }
        }
    }

    fn singular_field(
        &self,
        message: &Message,
        field: &Field,
        kind: &ValueKind,
        mode: Mode,
        ignore_zero: bool,
    ) -> TokenStream {
        let rules = &field.rules;
        let checks = self.value_checks(kind, rules.ty.as_ref(), "", mode);
        let bind = access::bind(kind, mode);
        let singular = access::singular(self, message, field, mode);
        // A value that is always there though its field has presence (a proto2 `required`
        // scalar in prost's struct) is set, whatever it holds.
        let can_be_unset = field.presence == Presence::Implicit
            || matches!(singular, access::Singular::Optional { .. });
        let required = (rules.required && can_be_unset)
            .then(|| quote!(::protogen::validate::check::required(ctx, &path);));
        if checks.is_empty() && required.is_none() {
            return TokenStream::new();
        }
        match singular {
            access::Singular::Present(value) => {
                let zero = access::is_zero(kind);
                let guarded = match (required, ignore_zero) {
                    (Some(required), _) if checks.is_empty() => quote!(if #zero { #required }),
                    (Some(required), _) => quote!(if #zero { #required } else { #checks }),
                    (None, true) => {
                        let nonzero = access::is_nonzero(kind);
                        quote!(if #nonzero { #checks })
                    }
                    (None, false) => checks,
                };
                quote! {
                    let value = #value;
                    #bind
                    #guarded
                }
            }
            access::Singular::Optional { scrutinee, variant } if checks.is_empty() => {
                let pattern = access::set_pattern(&variant, quote!(_));
                quote!(if !matches!(#scrutinee, #pattern) { #required })
            }
            access::Singular::Optional { scrutinee, variant } => {
                let pattern = access::set_pattern(&variant, quote!(value));
                match required {
                    Some(required) => quote! {
                        match #scrutinee {
                            #pattern => {
                                #bind
                                #checks
                            }
                            _ => { #required }
                        }
                    },
                    None => quote! {
                        if let #pattern = #scrutinee {
                            #bind
                            #checks
                        }
                    },
                }
            }
        }
    }

    fn repeated_field(
        &self,
        message: &Message,
        field: &Field,
        kind: &ValueKind,
        mode: Mode,
        ignore_zero: bool,
    ) -> TokenStream {
        let list = access::list(message, field, mode);
        let ((own, own_uses_len), items) = match &field.rules.ty {
            Some(TypeRules::Repeated(r)) => (rules::repeated(r, kind, mode), r.items.as_deref()),
            _ => ((TokenStream::new(), false), None),
        };
        let bind = access::bind(kind, mode);
        let item_checks = self.value_checks(
            kind,
            items.and_then(|i| i.ty.as_ref()),
            "repeated.items.",
            mode,
        );
        let skip_zero = items
            .is_some_and(|i| i.ignore == Ignore::IfZeroValue)
            .then(|| {
                let zero = access::is_zero(kind);
                quote!(if #zero { continue; })
            });
        let skip_all = items.is_some_and(|i| i.ignore == Ignore::Always);
        let iter = match mode {
            Mode::Owned => quote!(list.iter()),
            Mode::View => quote!(list),
        };
        let each = (!item_checks.is_empty() && !skip_all).then(|| {
            quote! {
                for (i, value) in #iter.enumerate() {
                    if ctx.done() { return; }
                    let path = path.at(::protogen::validate::Key::Index(i));
                    #bind
                    #skip_zero
                    #item_checks
                }
            }
        });
        let collection = Collection {
            list,
            len: quote!(list.len()),
            uses_len: own_uses_len,
        };
        self.guard_collection(field, ignore_zero, collection, quote!(#own #each))
    }

    fn map_field(
        &self,
        message: &Message,
        field: &Field,
        map: &crate::model::MapType,
        mode: Mode,
        ignore_zero: bool,
    ) -> TokenStream {
        let map_expr = access::list(message, field, mode);
        let key_kind = ValueKind::Scalar(map.key);
        let value_kind = self.value_kind(&map.value);
        let (own, keys, values) = match &field.rules.ty {
            Some(TypeRules::Map(m)) => (rules::map(m), m.keys.as_deref(), m.values.as_deref()),
            _ => (TokenStream::new(), None, None),
        };
        let key_checks = self.value_checks(
            &key_kind,
            keys.and_then(|k| k.ty.as_ref()),
            "map.keys.",
            mode,
        );
        let value_checks = self.value_checks(
            &value_kind,
            values.and_then(|v| v.ty.as_ref()),
            "map.values.",
            mode,
        );
        let skip =
            |r: Option<&protogen_rules::FieldRules>| r.is_some_and(|r| r.ignore == Ignore::Always);
        let key_checks = if skip(keys) {
            TokenStream::new()
        } else {
            key_checks
        };
        let value_checks = if skip(values) {
            TokenStream::new()
        } else {
            value_checks
        };
        let each = (!key_checks.is_empty() || !value_checks.is_empty()).then(|| {
            let bind_key = access::bind_as(&key_kind, mode, quote!(key), quote!(k));
            let bind_value = access::bind(&value_kind, mode);
            let skip_zero = |rules: Option<&protogen_rules::FieldRules>, kind: &ValueKind| {
                rules
                    .is_some_and(|r| r.ignore == Ignore::IfZeroValue)
                    .then(|| {
                        let nonzero = access::is_nonzero(kind);
                        quote!(#nonzero)
                    })
            };
            let key_guard = skip_zero(keys, &key_kind);
            let value_guard = skip_zero(values, &value_kind);
            let guarded = |checks: TokenStream, guard: Option<TokenStream>| match guard {
                Some(nonzero) => quote!(if #nonzero { #checks }),
                None => checks,
            };
            let key_checks = (!key_checks.is_empty()).then(|| {
                let checks = guarded(key_checks, key_guard);
                quote! {
                    {
                        let path = path.key(::protogen::validate::MapKey::key(&k));
                        let v = k;
                        #checks
                    }
                }
            });
            let value_checks = (!value_checks.is_empty()).then(|| {
                let checks = guarded(value_checks, value_guard);
                quote! {
                    {
                        let path = path.at(::protogen::validate::MapKey::key(&k));
                        #bind_value
                        #checks
                    }
                }
            });
            let iter = quote!(list.iter());
            let value = if value_checks.is_some() {
                quote!(value)
            } else {
                quote!(_)
            };
            quote! {
                for (key, #value) in #iter {
                    if ctx.done() { return; }
                    #bind_key
                    #key_checks
                    #value_checks
                }
            }
        });
        let len = match mode {
            Mode::Owned => quote!(list.len()),
            Mode::View => quote!(list.entry_count()),
        };
        let collection = Collection {
            list: map_expr,
            uses_len: !own.is_empty(),
            len,
        };
        self.guard_collection(field, ignore_zero, collection, quote!(#own #each))
    }

    /// `required` and `ignore` for a repeated field or map: both look only at emptiness.
    fn guard_collection(
        &self,
        field: &Field,
        ignore_zero: bool,
        collection: Collection,
        checks: TokenStream,
    ) -> TokenStream {
        let required = field.rules.required;
        if checks.is_empty() && !required {
            return TokenStream::new();
        }
        let guarded = match (required, ignore_zero, checks.is_empty()) {
            (true, _, true) => quote! {
                if len == 0 {
                    ::protogen::validate::check::required(ctx, &path);
                }
            },
            (true, _, false) => quote! {
                if len == 0 {
                    ::protogen::validate::check::required(ctx, &path);
                } else { #checks }
            },
            (false, true, _) => quote!(if len != 0 { #checks }),
            (false, false, _) => checks,
        };
        let Collection {
            list,
            len,
            uses_len,
        } = collection;
        let len = (uses_len || required || ignore_zero).then(|| quote!(let len = #len;));
        quote! {
            let list = #list;
            #len
            #guarded
        }
    }

    /// The checks on one bound value `v` (at `path`), and the recursion into a message value.
    fn value_checks(
        &self,
        kind: &ValueKind,
        rules: Option<&TypeRules>,
        prefix: &str,
        mode: Mode,
    ) -> TokenStream {
        let mut out = rules
            .map(|r| rules::checks(self, kind, r, prefix))
            .unwrap_or_default();
        if self.recurses(kind) {
            let _ = mode;
            out.extend(quote! {
                ::protogen::Validate::validate_into(&v, ctx, ::core::option::Option::Some(&path));
            });
        }
        out
    }

    fn recurses(&self, kind: &ValueKind) -> bool {
        matches!(kind, ValueKind::Message(name) if self.checked.contains(name))
    }

    fn value_kind(&self, ty: &FieldType) -> ValueKind {
        access::value_kind(self, ty)
    }
}

/// A repeated field or map being checked: how to reach it, its length, and whether its own
/// rules (`min_items`, …) read the length.
struct Collection {
    list: TokenStream,
    len: TokenStream,
    uses_len: bool,
}

/// Messages that need checking: a rule on them, or on a message reachable through their fields.
fn checked_messages(model: &Model) -> HashSet<String> {
    let messages: HashMap<&str, &Message> = model
        .messages()
        .map(|(_, m)| (m.full_name.as_str(), m))
        .collect();
    let has_own_rules = |m: &Message| {
        !m.rules.oneofs.is_empty()
            || m.oneofs.iter().any(|o| o.rules.required)
            || m.fields.iter().any(|f| !f.rules.is_empty())
    };
    let mut checked: HashSet<String> = messages
        .values()
        .filter(|m| has_own_rules(m))
        .map(|m| m.full_name.clone())
        .collect();
    loop {
        let before = checked.len();
        for m in messages.values() {
            if checked.contains(&m.full_name) {
                continue;
            }
            let refers = m.fields.iter().any(|f| {
                let ty = match &f.ty {
                    FieldType::Map(map) => &map.value,
                    ty => ty,
                };
                matches!(ty, FieldType::Message(r) | FieldType::Group(r) if checked.contains(&r.full_name))
            });
            if refers {
                checked.insert(m.full_name.clone());
            }
        }
        if checked.len() == before {
            return checked;
        }
    }
}
