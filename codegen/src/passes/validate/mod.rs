//! The `validate` pass: `impl protogen::Validate` for every message (and its view, when the
//! view pass runs), compiled from each message's check plan (`protogen_rules::plan`, the same
//! data the tenant checker interprets) to straight-line Rust.
//!
//! The plan says what is checked and in what order: message `oneof` rules, required oneofs,
//! then fields by number; per field `required`, `ignore`, and the checks on its value, items,
//! keys or values. This pass says how, for each [`Mode`]: each field becomes one block that binds
//! the value (owned field or view accessor), applies presence as prost's struct or the view can
//! tell it, calls one `protogen::validate::check` function per planned check with the rule's
//! constants, then recurses into message values.
//!
//! `access.rs` knows how a value is reached in each [`Mode`]; `rules.rs` turns planned checks
//! into calls on a bound value.

mod access;
mod rules;

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use protogen_rules::plan::{
    self, Body, Check, FieldInput, FieldPlan, MessagePlan, OneofInput, Shape, Step, ValueKind,
    ValuePlan,
};

use super::view::ViewNames;
use crate::model::{Enum, Field, FieldType, Label, Message, Model, Package, Presence};
use crate::rust::path_tokens;
use access::Mode;

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
        for step in &self.plan(message).steps {
            match step {
                Step::MessageOneof {
                    fields,
                    names,
                    required,
                } => {
                    let set = fields
                        .iter()
                        .map(|&i| access::is_set(self, message, &message.fields[i], mode));
                    out.extend(quote! {
                        ::protogen::validate::check::message_oneof(
                            ctx, parent, &[#(#names),*], &[#(#set),*], #required,
                        );
                    });
                }
                Step::OneofRequired { oneof, name } => {
                    let is_none = access::oneof_is_none(self, message, *oneof, mode);
                    out.extend(quote! {
                        if #is_none {
                            ::protogen::validate::check::oneof_required(ctx, parent, #name);
                        }
                    });
                }
                Step::Field(plan) => {
                    let code = self.field(message, plan, mode);
                    if !code.is_empty() {
                        out.extend(quote! {
                            if ctx.done() { return; }
                            #code
                        });
                    }
                }
            }
        }
        out
    }

    /// The message's check plan (the same data the tenant checker interprets).
    fn plan(&self, message: &Message) -> MessagePlan {
        let fields: Vec<FieldInput<'_>> = message
            .fields
            .iter()
            .map(|f| {
                let (shape, ty) = match &f.ty {
                    FieldType::Map(map) => (Shape::Map(map.key), &map.value),
                    ty if f.label == Label::Repeated => (Shape::Repeated, ty),
                    ty => (Shape::Single, ty),
                };
                FieldInput {
                    name: &f.name,
                    number: f.number,
                    shape,
                    kind: self.value_kind(ty),
                    explicit_presence: f.presence == Presence::Explicit,
                    rules: &f.rules,
                }
            })
            .collect();
        let oneofs: Vec<OneofInput<'_>> = message
            .oneofs
            .iter()
            .map(|o| OneofInput {
                name: &o.name,
                rules: &o.rules,
            })
            .collect();
        plan::message(&fields, &oneofs, &message.rules)
    }

    /// One field's block, or nothing when its plan checks nothing.
    fn field(&self, message: &Message, plan: &FieldPlan, mode: Mode) -> TokenStream {
        if plan.is_empty() {
            return TokenStream::new();
        }
        let field = &message.fields[plan.field];
        let body = match &plan.body {
            Body::Single(value) => self.singular_field(message, field, plan, value, mode),
            Body::Repeated { checks, items } => {
                self.repeated_field(message, field, plan, checks, items.as_ref(), mode)
            }
            Body::Map {
                checks,
                keys,
                values,
            } => self.map_field(message, field, plan, checks, [keys, values], mode),
        };
        if body.is_empty() {
            return body;
        }
        let (name, number) = (&plan.name, plan.number);
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
        plan: &FieldPlan,
        value: &ValuePlan,
        mode: Mode,
    ) -> TokenStream {
        let kind = &value.kind;
        let checks = self.value_checks(value);
        let bind = access::bind(kind, mode);
        let singular = access::singular(self, message, field, mode);
        // A value that is always there though its field has presence (a proto2 `required`
        // scalar in prost's struct) is set, whatever it holds.
        let can_be_unset = field.presence == Presence::Implicit
            || matches!(singular, access::Singular::Optional { .. });
        let required = (plan.required && can_be_unset)
            .then(|| quote!(::protogen::validate::check::required(ctx, &path);));
        if checks.is_empty() && required.is_none() {
            return TokenStream::new();
        }
        match singular {
            access::Singular::Present(value) => {
                let zero = access::is_zero(kind);
                let guarded = match (required, plan.ignore_zero) {
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
        plan: &FieldPlan,
        checks: &[Check],
        items: Option<&ValuePlan>,
        mode: Mode,
    ) -> TokenStream {
        let list = access::list(message, field, mode);
        let kind = self.value_kind(&field.ty);
        let (own, own_uses_len) = rules::collection(checks, &kind, mode);
        let iter = match mode {
            Mode::Owned => quote!(list.iter()),
            Mode::View => quote!(list),
        };
        let each = items.map(|items| {
            let bind = access::bind(&items.kind, mode);
            let skip_zero = items.skip_zero.then(|| {
                let zero = access::is_zero(&items.kind);
                quote!(if #zero { continue; })
            });
            let item_checks = self.value_checks(items);
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
        self.guard_collection(plan, collection, quote!(#own #each))
    }

    fn map_field(
        &self,
        message: &Message,
        field: &Field,
        plan: &FieldPlan,
        checks: &[Check],
        [keys, values]: [&Option<ValuePlan>; 2],
        mode: Mode,
    ) -> TokenStream {
        let map_expr = access::list(message, field, mode);
        let (own, _) = rules::collection(checks, &ValueKind::Opaque, mode);
        let guarded = |value: &ValuePlan| {
            let checks = self.value_checks(value);
            match value.skip_zero {
                true => {
                    let nonzero = access::is_nonzero(&value.kind);
                    quote!(if #nonzero { #checks })
                }
                false => checks,
            }
        };
        let each = (keys.is_some() || values.is_some()).then(|| {
            let key_kind = ValueKind::Scalar(match &field.ty {
                FieldType::Map(map) => map.key,
                _ => unreachable!("a map field"),
            });
            let bind_key = access::bind_as(&key_kind, mode, quote!(key), quote!(k));
            let key_checks = keys.as_ref().map(|keys| {
                let checks = guarded(keys);
                quote! {
                    {
                        let path = path.key(::protogen::validate::MapKey::key(&k));
                        let v = k;
                        #checks
                    }
                }
            });
            let value_checks = values.as_ref().map(|values| {
                let bind_value = access::bind(&values.kind, mode);
                let checks = guarded(values);
                quote! {
                    {
                        let path = path.at(::protogen::validate::MapKey::key(&k));
                        #bind_value
                        #checks
                    }
                }
            });
            let value = if value_checks.is_some() {
                quote!(value)
            } else {
                quote!(_)
            };
            quote! {
                for (key, #value) in list.iter() {
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
        self.guard_collection(plan, collection, quote!(#own #each))
    }

    /// `required` and `ignore` for a repeated field or map: both look only at emptiness.
    fn guard_collection(
        &self,
        plan: &FieldPlan,
        collection: Collection,
        checks: TokenStream,
    ) -> TokenStream {
        let (required, ignore_zero) = (plan.required, plan.ignore_zero);
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

    /// The checks on one bound value `v` (at `path`), and the descent into a message value.
    fn value_checks(&self, value: &ValuePlan) -> TokenStream {
        let mut out = rules::checks(&value.checks, &value.kind);
        if value.recurse {
            out.extend(quote! {
                ::protogen::Validate::validate_into(&v, ctx, ::core::option::Option::Some(&path));
            });
        }
        out
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
