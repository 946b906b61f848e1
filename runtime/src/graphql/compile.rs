//! From a document to a [`Plan`]: apollo-compiler parses and validates (every error at once, with
//! line and column), coerces the variables as the spec says; then the spec's CollectFields runs
//! once per selection set, with `@skip`/`@include` decided and fragments expanded, and what is left
//! is a flat list of selections per object type: the only thing execution reads.

use std::collections::HashMap;
use std::sync::Arc;

use apollo_compiler::Node;
use apollo_compiler::executable::{ExecutableDocument, Field, Operation, Selection, SelectionSet};
use apollo_compiler::parser::SourceSpan;
use apollo_compiler::response::JsonMap;
use apollo_compiler::schema::{ComponentName, ExtendedType, Name};
use apollo_compiler::validation::{DiagnosticList, Valid};

use super::error::{GraphqlError, RequestErrors, SchemaError};
use super::plan::{Plan, Sel, SelKind, Set, Sub};

/// The line comments that carry each object type's proto field names (FieldMask paths) in the
/// SDL protogen writes: `# proto: shop_v1_Order id customer_id status …`, `-` for a field that is
/// no proto field.
pub(crate) const PROTO_NAMES: &str = "# proto: ";

/// A GraphQL schema, parsed once: the SDL protogen generates (`GRAPHQL_SCHEMA`), or any SDL
/// whose object types the resolvers answer.
#[derive(Clone, Debug)]
pub struct Schema {
    inner: apollo_compiler::Schema,
    proto_names: Arc<HashMap<String, Vec<String>>>,
}

impl Schema {
    /// Parses `sdl` (validated with its root, by [`Schema::with_root`]). apollo-compiler 1.x does not define `@oneOf` (graphql-js 16.9+
    /// and the spec do): it is declared here when the SDL uses it without declaring it.
    pub fn new(sdl: &str) -> Result<Schema, SchemaError> {
        let mut source = String::new();
        if sdl.contains("@oneOf") && !sdl.contains("directive @oneOf") {
            source.push_str("directive @oneOf on INPUT_OBJECT\n");
        }
        // Line numbers of errors must stay those of `sdl`: the declaration is on a line of its
        // own before it, so the error lines are shifted back below.
        let shift = source.lines().count();
        source.push_str(sdl);
        // Validated with a root, in `with_root`: a schema of types only has no query type yet.
        let inner = apollo_compiler::Schema::parse(&source, "schema.graphql")
            .map_err(|with| SchemaError(diagnostics(&with.errors, shift)))?;
        let proto_names = sdl
            .lines()
            .filter_map(|l| l.strip_prefix(PROTO_NAMES))
            .filter_map(|l| {
                let mut words = l.split(' ');
                let ty = words.next()?.to_owned();
                Some((ty, words.map(str::to_owned).collect()))
            })
            .collect();
        Ok(Schema {
            inner,
            proto_names: Arc::new(proto_names),
        })
    }

    /// The schema with `root` as its query type: documents are validated and executed against a
    /// value of that type (a message or a view).
    pub fn with_root(&self, root: &str) -> Result<RootSchema, SchemaError> {
        let mut schema = self.inner.clone();
        if schema.get_object(root).is_none() {
            return Err(SchemaError(vec![GraphqlError::new(format!(
                "`{root}` is not an object type of the schema"
            ))]));
        }
        let name =
            Name::new(root).map_err(|e| SchemaError(vec![GraphqlError::new(e.to_string())]))?;
        schema.schema_definition.make_mut().query = Some(ComponentName::from(name));
        let schema = schema
            .validate()
            .map_err(|with| SchemaError(diagnostics(&with.errors, 0)))?;
        Ok(RootSchema {
            schema: Arc::new(schema),
            root: root.to_owned(),
            proto_names: self.proto_names.clone(),
        })
    }
}

/// A schema with its query root type chosen (see [`Schema::with_root`]).
#[derive(Clone, Debug)]
pub struct RootSchema {
    schema: Arc<Valid<apollo_compiler::Schema>>,
    root: String,
    proto_names: Arc<HashMap<String, Vec<String>>>,
}

impl RootSchema {
    /// The query root type's name.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Parses and validates an executable document: every error the spec's validation finds,
    /// each with its line and column.
    pub fn document(&self, text: &str) -> Result<Document, RequestErrors> {
        let document = ExecutableDocument::parse_and_validate(&self.schema, text, "query.graphql")
            .map_err(|with| RequestErrors(diagnostics(&with.errors, 0)))?;
        for operation in document.operations.iter() {
            if !operation.is_query() {
                return Err(RequestErrors::one(
                    GraphqlError::new(format!(
                        "only queries are answered from a message, not a {}",
                        operation.operation_type
                    ))
                    .at(location(&document, operation.location())),
                ));
            }
        }
        Ok(Document {
            schema: self.clone(),
            document,
        })
    }

    /// A document with one operation and no variables, planned: the usual query of a gateway.
    pub fn query(&self, text: &str) -> Result<Plan, RequestErrors> {
        self.document(text)?.plan(None, &serde_json::Map::new())
    }
}

/// A valid executable document (see [`RootSchema::document`]).
#[derive(Clone, Debug)]
pub struct Document {
    schema: RootSchema,
    document: Valid<ExecutableDocument>,
}

impl Document {
    /// The plan of one operation (the only one when `operation` is `None`) with `variables`
    /// coerced to their declared types (defaults applied, every mismatch an error).
    pub fn plan(
        &self,
        operation: Option<&str>,
        variables: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Plan, RequestErrors> {
        let document = &self.document;
        let op = document
            .operations
            .get(operation)
            .map_err(|e| RequestErrors::one(GraphqlError::new(e.message().to_string())))?;
        let values: JsonMap = variables
            .iter()
            .map(|(k, v)| (k.as_str().into(), v.clone().into()))
            .collect();
        let coerced =
            apollo_compiler::request::coerce_variable_values(&self.schema.schema, op, &values)
                .map_err(|e| {
                    RequestErrors::one(
                        GraphqlError::new(e.message().to_string())
                            .at(location(document, e.location())),
                    )
                })?;
        let mut planner = Planner {
            schema: &self.schema.schema,
            document,
            variables: &coerced,
            plan: Plan::default(),
        };
        let root = planner.set(&self.schema.root, &[&op.selection_set], None)?;
        let mut plan = planner.plan;
        plan.root = root;
        plan.proto_names = self.schema.proto_names.clone();
        plan.root_type = self.schema.root.clone();
        Ok(plan)
    }

    /// The operations of the document, by name (`None` for an anonymous one).
    pub fn operations(&self) -> impl Iterator<Item = (Option<&str>, &Operation)> {
        self.document
            .operations
            .iter()
            .map(|op| (op.name.as_ref().map(|n| n.as_str()), op.as_ref()))
    }
}

struct Planner<'a> {
    schema: &'a Valid<apollo_compiler::Schema>,
    document: &'a Valid<ExecutableDocument>,
    variables: &'a JsonMap,
    plan: Plan,
}

/// A response key and the field nodes merged under it, in the order CollectFields finds them.
type Grouped<'a> = Vec<(&'a str, Vec<&'a Node<Field>>)>;

impl<'a> Planner<'a> {
    /// The selection set of `ty` made of `sets` merged (one field's occurrences); `member`: the
    /// first virtual field index of a union member's wrapper type (see [`Sub::Union`]).
    fn set(
        &mut self,
        ty: &str,
        sets: &[&'a SelectionSet],
        member: Option<u32>,
    ) -> Result<u32, RequestErrors> {
        let mut grouped: Grouped<'a> = Vec::new();
        for set in sets {
            let mut visited = Vec::new();
            self.collect(ty, set, &mut visited, &mut grouped);
        }
        let object = self
            .schema
            .get_object(ty)
            .expect("validated selections are on object types");
        let mut sels = Vec::with_capacity(grouped.len());
        for (key, fields) in grouped {
            let first = fields[0];
            let location = location(self.document, first.location());
            if first.name == "__typename" {
                sels.push(Sel::new(key, SelKind::Typename(ty.into()), location));
                continue;
            }
            let index = object
                .fields
                .get_index_of(&first.name)
                .expect("validated fields exist") as u32;
            let index = member.unwrap_or(index);
            let field_type = &first.definition.ty;
            let inner = field_type.inner_named_type().as_str();
            let subsets: Vec<&'a SelectionSet> = fields.iter().map(|f| &f.selection_set).collect();
            let sub = match self.schema.types.get(inner) {
                Some(ExtendedType::Object(_)) => Sub::Object(self.set(inner, &subsets, None)?),
                Some(ExtendedType::Union(union)) => {
                    let first_member = self.member_base(object, index);
                    let mut members = Vec::new();
                    for (m, name) in union.members.iter().enumerate() {
                        let virtual_index = first_member + m as u32;
                        members.push(self.set(name, &subsets, Some(virtual_index))?);
                    }
                    let start = self.plan.members.len() as u32;
                    self.plan.members.extend(members);
                    Sub::Union {
                        start,
                        end: self.plan.members.len() as u32,
                    }
                }
                _ => Sub::Leaf,
            };
            let mut sel = Sel::new(key, SelKind::Field { index, sub }, location);
            sel.nullable = !field_type.is_non_null();
            sel.items_nullable = match field_type {
                apollo_compiler::schema::Type::List(item)
                | apollo_compiler::schema::Type::NonNullList(item) => !item.is_non_null(),
                _ => false,
            };
            sel.coordinate = format!("{}.{}", ty, first.name).into();
            sel.inner_type = inner.into();
            sels.push(sel);
        }
        let start = self.plan.sels.len() as u32;
        self.plan.sels.extend(sels);
        self.plan.sets.push(Set {
            start,
            end: self.plan.sels.len() as u32,
        });
        Ok(self.plan.sets.len() as u32 - 1)
    }

    /// The virtual field index of the first member of the union field `index` of `object`:
    /// members are numbered after the object's fields, union after union, in field order (the
    /// `protogen::graphql::Object` impls number them the same way).
    fn member_base(&self, object: &apollo_compiler::schema::ObjectType, index: u32) -> u32 {
        let mut next = object.fields.len() as u32;
        for (i, field) in object.fields.values().enumerate() {
            if i as u32 == index {
                return next;
            }
            if let Some(ExtendedType::Union(u)) = self.schema.types.get(field.ty.inner_named_type())
            {
                next += u.members.len() as u32;
            }
        }
        next
    }

    /// The spec's CollectFields: fields by response key, `@skip`/`@include` applied, fragment
    /// spreads (each once) and inline fragments whose type condition applies expanded in place.
    fn collect(
        &self,
        ty: &str,
        set: &'a SelectionSet,
        visited: &mut Vec<&'a str>,
        out: &mut Grouped<'a>,
    ) {
        for selection in &set.selections {
            if !self.included(selection.directives()) {
                continue;
            }
            match selection {
                Selection::Field(field) => {
                    let key = field.response_key().as_str();
                    match out.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, fields)) => fields.push(field),
                        None => out.push((key, vec![field])),
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.fragment_name.as_str();
                    if visited.contains(&name) {
                        continue;
                    }
                    visited.push(name);
                    let fragment = &self.document.fragments[name];
                    if self.applies(ty, fragment.type_condition()) {
                        self.collect(ty, &fragment.selection_set, visited, out);
                    }
                }
                Selection::InlineFragment(inline) => {
                    let applies = match &inline.type_condition {
                        Some(condition) => self.applies(ty, condition),
                        None => true,
                    };
                    if applies {
                        self.collect(ty, &inline.selection_set, visited, out);
                    }
                }
            }
        }
    }

    /// DoesFragmentTypeApply: the object type itself, or a union it is a member of.
    fn applies(&self, ty: &str, condition: &str) -> bool {
        ty == condition || self.schema.is_subtype(condition, ty)
    }

    /// `@skip(if:)` and `@include(if:)`, literal or from a (coerced) variable.
    fn included(&self, directives: &apollo_compiler::executable::DirectiveList) -> bool {
        let condition = |name: &str| {
            let directive = directives.get(name)?;
            let value = directive.specified_argument_by_name("if")?;
            match value.as_ref() {
                apollo_compiler::ast::Value::Boolean(b) => Some(*b),
                apollo_compiler::ast::Value::Variable(v) => {
                    self.variables.get(v.as_str()).and_then(|v| v.as_bool())
                }
                _ => None,
            }
        };
        condition("skip") != Some(true) && condition("include") != Some(false)
    }
}

fn location(document: &ExecutableDocument, span: Option<SourceSpan>) -> Option<(usize, usize)> {
    let at = span?.line_column(&document.sources)?;
    Some((at.line, at.column))
}

/// apollo-compiler's diagnostics as GraphQL errors; `shift`: lines added before the user's text.
fn diagnostics(list: &DiagnosticList, shift: usize) -> Vec<GraphqlError> {
    list.iter()
        .map(|d| {
            let json = d.to_json();
            GraphqlError {
                message: json.message,
                locations: json
                    .locations
                    .iter()
                    .map(|l| (l.line.saturating_sub(shift).max(1), l.column))
                    .collect(),
                path: Vec::new(),
            }
        })
        .collect()
}
