//! Building the [`Model`] from a compiled descriptor pool.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use prost_reflect::{
    DescriptorPool, EnumDescriptor, FieldDescriptor, FileDescriptor, Kind, MessageDescriptor,
    OneofDescriptor, Value,
};

mod protovalidate;
mod rules;

use super::source::SourceIndex;
use super::*;
use crate::names::{self, ExternPaths};
use protogen_rules::RuleSet;

/// The prost-build settings that change the Rust types the model describes.
#[derive(Clone, Debug, Default)]
pub struct ModelOptions {
    /// `(proto path, rust path)` pairs, as `prost_build::Config::extern_path`.
    pub extern_paths: Vec<(String, String)>,
    /// As `prost_build::Config::compile_well_known_types`.
    pub compile_well_known_types: bool,
    /// Field selectors whose `bytes` are `bytes::Bytes`.
    pub bytes: Vec<String>,
    /// Field selectors whose maps are `BTreeMap`.
    pub btree_map: Vec<String>,
    /// Field selectors that are boxed on top of the recursive ones.
    pub boxed: Vec<String>,
    /// Validation rules from outside the `.proto` files (tenant schemas).
    pub rules: RuleSet,
    /// What to do with CEL rules, which protogen does not compile yet.
    pub cel: CelPolicy,
    /// prost-style path selectors (`.pkg.Msg`, `.pkg.Msg.field`, `.pkg`) of elements whose
    /// validation rules are ignored: not read, not checked, not generated.
    pub skip_rules: Vec<String>,
}

/// CEL rules (`cel`, `cel_expression`, predefined rules) cannot be compiled yet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CelPolicy {
    /// Fail the build, naming the field or message.
    #[default]
    Reject,
    /// Skip only the CEL rules, with a warning ([`Model::warnings`]).
    Skip,
}

/// A schema the model cannot represent faithfully, located in its `.proto`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    pub location: Option<Location>,
    pub message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for BuildError {}

impl Model {
    /// Builds the model of `files` (names as in the pool; their imports need not be listed).
    pub fn build(
        pool: &DescriptorPool,
        files: &[&str],
        options: &ModelOptions,
    ) -> Result<Model, BuildError> {
        let builder = Builder {
            extern_paths: ExternPaths::new(&options.extern_paths, options.compile_well_known_types),
            options,
            recursion: RecursionGraph::new(pool),
            warnings: RefCell::new(Vec::new()),
        };
        let mut packages: BTreeMap<String, Package> = BTreeMap::new();
        for name in files {
            let file = pool.get_file_by_name(name).ok_or_else(|| BuildError {
                location: None,
                message: format!("file '{name}' is not in the descriptor pool"),
            })?;
            let package = packages
                .entry(file.package_name().to_owned())
                .or_insert_with(|| Package {
                    name: file.package_name().to_owned(),
                    module: names::package_module(file.package_name()),
                    file_name: names::package_file_name(file.package_name()),
                    files: Vec::new(),
                    messages: Vec::new(),
                    enums: Vec::new(),
                });
            builder.add_file(package, &file)?;
        }
        Ok(Model {
            packages: packages.into_values().collect(),
            warnings: builder.warnings.into_inner(),
        })
    }
}

struct Builder<'a> {
    extern_paths: ExternPaths,
    options: &'a ModelOptions,
    recursion: RecursionGraph,
    warnings: RefCell<Vec<BuildError>>,
}

impl Builder<'_> {
    fn add_file(&self, package: &mut Package, file: &FileDescriptor) -> Result<(), BuildError> {
        let source = SourceIndex::new(file.file_descriptor_proto());
        package.files.push(file.name().to_owned());
        for message in file.messages() {
            if let Some(message) = self.message(&source, &message, &[])? {
                package.messages.push(message);
            }
        }
        for enum_ in file.enums() {
            if let Some(enum_) = self.enum_(&source, &enum_, &[])? {
                package.enums.push(enum_);
            }
        }
        Ok(())
    }

    fn is_extern(&self, full_name: &str) -> bool {
        self.extern_paths
            .resolve(&format!(".{full_name}"))
            .is_some()
    }

    fn message(
        &self,
        source: &SourceIndex,
        desc: &MessageDescriptor,
        modules: &[String],
    ) -> Result<Option<Message>, BuildError> {
        if desc.is_map_entry() || self.is_extern(desc.full_name()) {
            return Ok(None);
        }
        let rust_name = names::to_upper_camel(desc.name());
        let inner_modules: Vec<String> = modules
            .iter()
            .cloned()
            .chain([names::to_snake(desc.name())])
            .collect();
        let oneofs: Vec<OneofDescriptor> = desc.oneofs().filter(|o| !o.is_synthetic()).collect();
        let mut fields = Vec::new();
        for field in desc.fields() {
            fields.push(self.field(source, desc, &field, &oneofs)?);
        }
        let mut messages = Vec::new();
        for child in desc.child_messages() {
            messages.extend(self.message(source, &child, &inner_modules)?);
        }
        let mut enums = Vec::new();
        for child in desc.child_enums() {
            enums.extend(self.enum_(source, &child, &inner_modules)?);
        }
        let oneofs = oneofs
            .iter()
            .map(|o| self.oneof(source, desc, o, &inner_modules, &fields))
            .collect::<Result<_, _>>()?;
        let rules = self.message_rules(source, desc, &fields)?;
        Ok(Some(Message {
            name: desc.name().to_owned(),
            full_name: format!(".{}", desc.full_name()),
            rust_path: modules.iter().cloned().chain([rust_name]).collect(),
            syntax: syntax_of(&desc.parent_file()),
            fields,
            oneofs,
            messages,
            enums,
            comments: source.comments(desc.path()),
            location: source.location(desc.path()),
            deprecated: is_deprecated(&desc.options()),
            options: desc.options(),
            rules,
        }))
    }

    fn oneof(
        &self,
        source: &SourceIndex,
        parent: &MessageDescriptor,
        desc: &OneofDescriptor,
        modules: &[String],
        fields: &[Field],
    ) -> Result<Oneof, BuildError> {
        // prost appends `OneOf` when a nested type already has the enum's name.
        let type_name = names::to_upper_camel(desc.name());
        let conflict = parent
            .child_messages()
            .map(|m| m.name().to_owned())
            .chain(parent.child_enums().map(|e| e.name().to_owned()))
            .any(|n| names::to_upper_camel(&n) == type_name);
        let type_name = if conflict {
            format!("{type_name}OneOf")
        } else {
            type_name
        };
        Ok(Oneof {
            name: desc.name().to_owned(),
            rust_field: names::to_snake(desc.name()),
            rust_path: modules.iter().cloned().chain([type_name]).collect(),
            fields: fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.oneof.is_some_and(|i| i == desc_index(parent, desc)))
                .map(|(i, _)| i)
                .collect(),
            comments: source.comments(desc.path()),
            location: source.location(desc.path()),
            options: desc.options(),
            rules: self.oneof_rules(desc),
        })
    }

    fn field(
        &self,
        source: &SourceIndex,
        parent: &MessageDescriptor,
        desc: &FieldDescriptor,
        real_oneofs: &[OneofDescriptor],
    ) -> Result<Field, BuildError> {
        let proto = desc.field_descriptor_proto();
        let location = source.location(desc.path());
        let oneof = desc
            .containing_oneof()
            .filter(|o| !o.is_synthetic())
            .map(|o| desc_index(parent, &o));
        debug_assert!(oneof.is_none_or(|i| i < real_oneofs.len()));
        let fq_message = format!(".{}", parent.full_name());
        let package = parent.package_name();
        let ty = if desc.is_map() {
            let entry = match desc.kind() {
                Kind::Message(entry) => entry,
                _ => unreachable!("map fields are messages"),
            };
            let key = match self.element_type(package, &entry.map_entry_key_field()) {
                FieldType::Scalar(s) => s,
                other => {
                    return Err(BuildError {
                        location,
                        message: format!("map key of type {other:?} is not a scalar"),
                    });
                }
            };
            FieldType::Map(Box::new(MapType {
                key,
                value: self.element_type(package, &entry.map_entry_value_field()),
                btree: names::path_selected(&self.options.btree_map, &fq_message, desc.name()),
            }))
        } else {
            self.element_type(package, desc)
        };
        let label = if desc.is_list() || desc.is_map() {
            Label::Repeated
        } else if desc.is_required() {
            Label::Required
        } else {
            Label::Optional
        };
        let presence = if desc.supports_presence() {
            Presence::Explicit
        } else {
            Presence::Implicit
        };
        let rust_name = if oneof.is_some() {
            names::to_upper_camel(desc.name())
        } else {
            names::to_snake(desc.name())
        };
        let boxed = label != Label::Repeated
            && (matches!(ty, FieldType::Message(_) | FieldType::Group(_))
                && self
                    .recursion
                    .reaches(desc_type_name(desc), parent.full_name())
                || names::path_selected(&self.options.boxed, &fq_message, desc.name()));
        let rules = self.field_rules(desc, &ty, location.as_ref())?;
        Ok(Field {
            rules,
            name: desc.name().to_owned(),
            json_name: desc.json_name().to_owned(),
            rust_name,
            number: desc.number(),
            default: proto
                .default_value
                .is_some()
                .then(|| default_value(desc))
                .flatten(),
            ty,
            label,
            presence,
            packed: desc.is_packed(),
            oneof,
            boxed,
            bytes_repr: if names::path_selected(&self.options.bytes, &fq_message, desc.name()) {
                BytesRepr::Bytes
            } else {
                BytesRepr::Vec
            },
            deprecated: is_deprecated(&desc.options()),
            comments: source.comments(desc.path()),
            location,
            options: desc.options(),
        })
    }

    fn element_type(&self, package: &str, desc: &FieldDescriptor) -> FieldType {
        let type_ref = |full_name: &str| {
            let fq = format!(".{full_name}");
            TypeRef {
                rust_path: names::resolve_type_path(&self.extern_paths, package, &fq),
                is_extern: self.extern_paths.resolve(&fq).is_some(),
                full_name: fq,
            }
        };
        match desc.kind() {
            Kind::Message(m) if desc.is_group() => FieldType::Group(type_ref(m.full_name())),
            Kind::Message(m) => FieldType::Message(type_ref(m.full_name())),
            Kind::Enum(e) => FieldType::Enum(type_ref(e.full_name())),
            Kind::Double => FieldType::Scalar(Scalar::Double),
            Kind::Float => FieldType::Scalar(Scalar::Float),
            Kind::Int32 => FieldType::Scalar(Scalar::Int32),
            Kind::Int64 => FieldType::Scalar(Scalar::Int64),
            Kind::Uint32 => FieldType::Scalar(Scalar::Uint32),
            Kind::Uint64 => FieldType::Scalar(Scalar::Uint64),
            Kind::Sint32 => FieldType::Scalar(Scalar::Sint32),
            Kind::Sint64 => FieldType::Scalar(Scalar::Sint64),
            Kind::Fixed32 => FieldType::Scalar(Scalar::Fixed32),
            Kind::Fixed64 => FieldType::Scalar(Scalar::Fixed64),
            Kind::Sfixed32 => FieldType::Scalar(Scalar::Sfixed32),
            Kind::Sfixed64 => FieldType::Scalar(Scalar::Sfixed64),
            Kind::Bool => FieldType::Scalar(Scalar::Bool),
            Kind::String => FieldType::Scalar(Scalar::String),
            Kind::Bytes => FieldType::Scalar(Scalar::Bytes),
        }
    }

    fn enum_(
        &self,
        source: &SourceIndex,
        desc: &EnumDescriptor,
        modules: &[String],
    ) -> Result<Option<Enum>, BuildError> {
        if self.is_extern(desc.full_name()) {
            return Ok(None);
        }
        let rust_name = names::to_upper_camel(desc.name());
        let mut seen_numbers = HashSet::new();
        let mut seen_variants: HashMap<String, String> = HashMap::new();
        let mut values = Vec::new();
        // Declaration order (prost-reflect's `values()` is in number order): prost-build keeps
        // the first declared name of a number, so that is the one that is not an alias.
        let declared = desc
            .enum_descriptor_proto()
            .value
            .iter()
            .filter_map(|v| desc.get_value_by_name(v.name()));
        for value in declared {
            let variant =
                names::strip_enum_prefix(&rust_name, &names::to_upper_camel(value.name()));
            let alias = !seen_numbers.insert(value.number());
            if !alias {
                // prost-build panics on this; we report it where it was written instead.
                if let Some(first) = seen_variants.insert(variant.clone(), value.name().to_owned())
                {
                    return Err(BuildError {
                        location: source.location(value.path()),
                        message: format!(
                            "enum values `{first}` and `{}` of `{}` both become the Rust variant `{variant}`",
                            value.name(),
                            desc.full_name()
                        ),
                    });
                }
            }
            values.push(EnumValue {
                name: value.name().to_owned(),
                number: value.number(),
                rust_name: variant,
                alias,
                comments: source.comments(value.path()),
                deprecated: is_deprecated(&value.options()),
            });
        }
        Ok(Some(Enum {
            name: desc.name().to_owned(),
            full_name: format!(".{}", desc.full_name()),
            rust_path: modules.iter().cloned().chain([rust_name]).collect(),
            closed: syntax_of(&desc.parent_file()) == Syntax::Proto2,
            values,
            comments: source.comments(desc.path()),
            location: source.location(desc.path()),
            deprecated: is_deprecated(&desc.options()),
        }))
    }
}

/// The `deprecated` option, read from the options as protox compiled them (the plain descriptor
/// protos can lack them).
fn is_deprecated(options: &prost_reflect::DynamicMessage) -> bool {
    options
        .get_field_by_name("deprecated")
        .is_some_and(|v| v.as_bool() == Some(true))
}

fn syntax_of(file: &FileDescriptor) -> Syntax {
    match file.syntax() {
        prost_reflect::Syntax::Proto2 => Syntax::Proto2,
        _ => Syntax::Proto3,
    }
}

/// Index of a real oneof among the message's real oneofs (synthetic ones come last in
/// descriptors, so the declaration index is the same).
fn desc_index(parent: &MessageDescriptor, oneof: &OneofDescriptor) -> usize {
    parent
        .oneofs()
        .filter(|o| !o.is_synthetic())
        .position(|o| o.name() == oneof.name())
        .unwrap_or_default()
}

fn desc_type_name(desc: &FieldDescriptor) -> &str {
    desc.field_descriptor_proto()
        .type_name()
        .trim_start_matches('.')
}

fn default_value(desc: &FieldDescriptor) -> Option<DefaultValue> {
    Some(match desc.default_value() {
        Value::Bool(v) => DefaultValue::Bool(v),
        Value::I32(v) => DefaultValue::I64(v.into()),
        Value::I64(v) => DefaultValue::I64(v),
        Value::U32(v) => DefaultValue::U64(v.into()),
        Value::U64(v) => DefaultValue::U64(v),
        Value::F32(v) => DefaultValue::F64(v.into()),
        Value::F64(v) => DefaultValue::F64(v),
        Value::String(v) => DefaultValue::String(v),
        Value::Bytes(v) => DefaultValue::Bytes(v.to_vec()),
        Value::EnumNumber(number) => {
            let Kind::Enum(e) = desc.kind() else {
                return None;
            };
            let value = e.get_value(number)?;
            let enum_name = names::to_upper_camel(e.name());
            DefaultValue::Enum {
                number,
                variant: names::strip_enum_prefix(&enum_name, &names::to_upper_camel(value.name())),
            }
        }
        Value::Message(_) | Value::List(_) | Value::Map(_) => return None,
    })
}

/// Which messages reach which through singular message fields: prost boxes a field whose type
/// reaches back to the message holding it.
struct RecursionGraph {
    edges: HashMap<String, Vec<String>>,
}

impl RecursionGraph {
    fn new(pool: &DescriptorPool) -> Self {
        let mut edges: HashMap<String, Vec<String>> = HashMap::new();
        for message in pool.all_messages() {
            let targets = message
                .fields()
                .filter(|f| !f.is_list() && !f.is_map() && !f.is_group())
                .filter_map(|f| match f.kind() {
                    Kind::Message(m) => Some(m.full_name().to_owned()),
                    _ => None,
                })
                .collect();
            edges.insert(message.full_name().to_owned(), targets);
        }
        RecursionGraph { edges }
    }

    /// Whether `to` is reachable from `from` (a message reaches itself).
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = HashSet::new();
        let mut stack = vec![from];
        while let Some(next) = stack.pop() {
            if next == to {
                return true;
            }
            if seen.insert(next) {
                stack.extend(
                    self.edges
                        .get(next)
                        .into_iter()
                        .flatten()
                        .map(String::as_str),
                );
            }
        }
        false
    }
}
