//! The validation rules of each field, oneof and message: from the tenant [`RuleSet`] when it
//! names the element, else from the `(buf.validate.*)` options; checked against the field's type.

use prost_reflect::{FieldDescriptor, MessageDescriptor, OneofDescriptor};

use protogen_rules::{self as rules, FieldRules, MessageRules, OneofRules, Target, ValueType};

use super::protovalidate::{read_field, read_message, read_oneof};
use super::{BuildError, Builder, CelPolicy};
use crate::model::source::SourceIndex;
use crate::model::{Field, FieldType, Location};

impl Builder<'_> {
    pub(super) fn field_rules(
        &self,
        desc: &FieldDescriptor,
        ty: &FieldType,
        location: Option<&Location>,
    ) -> Result<FieldRules, BuildError> {
        let full_name = format!(".{}", desc.full_name());
        let parent = format!(".{}", desc.parent_message().full_name());
        if crate::names::path_selected(&self.options.skip_rules, &parent, desc.name()) {
            return Ok(FieldRules::default());
        }
        let mut rules = match self.options.rules.fields.get(&full_name) {
            Some(rules) => rules.clone(),
            None => read_field(&desc.options()).unwrap_or_default(),
        };
        let what = format!("field `{}`", desc.full_name());
        self.cel(&what, location, collect_cel(&mut rules))?;
        let target = match ty {
            FieldType::Map(map) => Target::Map(map.key, value_type(&map.value)),
            ty if desc.is_list() => Target::Repeated(value_type(ty)),
            ty => Target::Single(value_type(ty)),
        };
        match rules::check_field(&rules, target).into_iter().next() {
            Some(error) => Err(BuildError {
                location: location.cloned(),
                message: format!("invalid validation rules on {what}: {error}"),
            }),
            None => Ok(rules),
        }
    }

    pub(super) fn oneof_rules(&self, desc: &OneofDescriptor) -> OneofRules {
        let full_name = format!(".{}", desc.full_name());
        let parent = format!(".{}", desc.parent_message().full_name());
        if crate::names::path_selected(&self.options.skip_rules, &parent, desc.name()) {
            return OneofRules::default();
        }
        match self.options.rules.oneofs.get(&full_name) {
            Some(rules) => rules.clone(),
            None => read_oneof(&desc.options()),
        }
    }

    pub(super) fn message_rules(
        &self,
        source: &SourceIndex,
        desc: &MessageDescriptor,
        fields: &[Field],
    ) -> Result<MessageRules, BuildError> {
        let full_name = format!(".{}", desc.full_name());
        let (scope, name) = full_name.rsplit_once('.').expect("a full name has a dot");
        if crate::names::path_selected(&self.options.skip_rules, scope, name) {
            return Ok(MessageRules::default());
        }
        let mut rules = match self.options.rules.messages.get(&full_name) {
            Some(rules) => rules.clone(),
            None => read_message(&desc.options()),
        };
        let location = source.location(desc.path());
        let what = format!("message `{}`", desc.full_name());
        self.cel(&what, location.as_ref(), std::mem::take(&mut rules.cel))?;
        for oneof in &rules.oneofs {
            if let Some(error) = check_message_oneof(&oneof.fields, fields) {
                return Err(BuildError {
                    location,
                    message: format!("invalid `oneof` rule on {what}: {error}"),
                });
            }
        }
        Ok(rules)
    }

    /// Applies the [`CelPolicy`] to the CEL rules found on one element.
    fn cel(
        &self,
        what: &str,
        location: Option<&Location>,
        expressions: Vec<String>,
    ) -> Result<(), BuildError> {
        let Some(first) = expressions.first() else {
            return Ok(());
        };
        let error = BuildError {
            location: location.cloned(),
            message: format!(
                "{what} has a CEL rule (`{first}`), and protogen does not support CEL rules yet"
            ),
        };
        match self.options.cel {
            CelPolicy::Reject => Err(BuildError {
                message: format!(
                    "{}; skip them with a warning with `Builder::skip_cel_rules()` (CLI: --skip-cel)",
                    error.message
                ),
                ..error
            }),
            CelPolicy::Skip => {
                self.warnings.borrow_mut().push(BuildError {
                    message: format!("{}: skipped", error.message),
                    ..error
                });
                Ok(())
            }
        }
    }
}

/// A field's element type as the rule model describes it.
fn value_type(ty: &FieldType) -> ValueType<'_> {
    match ty {
        FieldType::Scalar(s) => ValueType::Scalar(*s),
        FieldType::Enum(r) => ValueType::Enum(&r.full_name),
        FieldType::Message(r) | FieldType::Group(r) => ValueType::Message(&r.full_name),
        // A map's value is never a map.
        FieldType::Map(_) => unreachable!("maps are not map values"),
    }
}

/// Takes the CEL expressions out of a field's rules, those of its items, keys and values too.
fn collect_cel(rules: &mut FieldRules) -> Vec<String> {
    let mut out = std::mem::take(&mut rules.cel);
    match &mut rules.ty {
        Some(rules::TypeRules::Repeated(r)) => {
            if let Some(items) = &mut r.items {
                out.extend(collect_cel(items));
            }
        }
        Some(rules::TypeRules::Map(m)) => {
            for nested in [&mut m.keys, &mut m.values].into_iter().flatten() {
                out.extend(collect_cel(nested));
            }
        }
        _ => {}
    }
    out
}

fn check_message_oneof(names: &[String], fields: &[Field]) -> Option<String> {
    if names.is_empty() {
        return Some("it names no fields".into());
    }
    for (i, name) in names.iter().enumerate() {
        if !fields.iter().any(|f| &f.name == name) {
            return Some(format!("there is no field `{name}`"));
        }
        if names[..i].contains(name) {
            return Some(format!("field `{name}` is named twice"));
        }
    }
    None
}
