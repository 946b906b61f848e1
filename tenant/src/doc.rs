//! The tenant schema document, read from the span-keeping JSON tree. Every problem is collected
//! (with its JSON pointer and byte offset) instead of stopping at the first.

use crate::json::{Member, Node, Value, pointer_token};

/// One problem in a document: where (pointer and byte offset) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub pointer: String,
    pub offset: usize,
    pub message: String,
}

/// A place in the document: JSON pointer and byte offset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct At {
    pub pointer: String,
    pub offset: usize,
}

impl At {
    pub fn diag(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            pointer: self.pointer.clone(),
            offset: self.offset,
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub at: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub tenant: Option<Spanned<String>>,
    pub schema_id: Spanned<String>,
    pub package: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub description: Option<String>,
    pub strict: bool,
    /// The entity named by `name` (or `schema_id`) whose fields are the top-level `fields`.
    pub root: Option<MessageDef>,
    pub messages: Vec<MessageDef>,
    pub enums: Vec<EnumDef>,
    pub at: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MessageDef {
    pub name: Spanned<String>,
    pub description: Option<String>,
    /// `None`: the document's `strict`.
    pub strict: Option<bool>,
    pub deprecated: bool,
    pub fields: Vec<FieldDef>,
    pub messages: Vec<MessageDef>,
    pub enums: Vec<EnumDef>,
    pub at: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    pub name: Spanned<String>,
    pub ty: Spanned<TypeExpr>,
    pub number: Option<Spanned<i64>>,
    pub renamed_from: Option<Spanned<String>>,
    pub required: bool,
    pub default: Option<Node>,
    pub default_at: At,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Constraint keys with their values, interpreted once the type is resolved.
    pub constraints: Vec<Constraint>,
    pub at: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    pub key: String,
    pub value: Node,
    /// Where the value is (pointer to the member).
    pub at: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    pub name: Spanned<String>,
    pub description: Option<String>,
    pub values: Vec<EnumValueDef>,
    pub at: At,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumValueDef {
    pub name: Spanned<String>,
    pub number: Option<Spanned<i64>>,
    pub renamed_from: Option<Spanned<String>>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub at: At,
}

/// A field's type as written: `int32`, `Address`, `list<string>`, `map<string, Tier>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// A scalar, `timestamp`, `duration`, or a reference to a message or enum.
    Named(String),
    List(String),
    Map(String, String),
}

/// The constraint keys, for "unknown key" messages and the JSON Schema of the format.
pub const CONSTRAINT_KEYS: &[&str] = &[
    "min",
    "max",
    "exclusive_min",
    "exclusive_max",
    "min_len",
    "max_len",
    "len",
    "pattern",
    "format",
    "prefix",
    "suffix",
    "contains",
    "in",
    "not_in",
    "min_items",
    "max_items",
    "unique",
    "items",
    "min_pairs",
    "max_pairs",
    "keys",
    "values",
    "past",
    "future",
    "within",
];

const DOCUMENT_KEYS: &[&str] = &[
    "$schema",
    "tenant",
    "schema_id",
    "package",
    "version",
    "name",
    "description",
    "strict",
    "deprecated",
    "fields",
    "messages",
    "enums",
];
const MESSAGE_KEYS: &[&str] = &[
    "name",
    "description",
    "strict",
    "deprecated",
    "fields",
    "messages",
    "enums",
];
const FIELD_KEYS: &[&str] = &[
    "name",
    "type",
    "number",
    "renamed_from",
    "required",
    "default",
    "description",
    "deprecated",
];
const ENUM_KEYS: &[&str] = &["name", "description", "values"];
const ENUM_VALUE_KEYS: &[&str] = &[
    "name",
    "number",
    "renamed_from",
    "description",
    "deprecated",
];

/// The members of one object, each claimed at most once; unclaimed ones are unknown keys.
struct Object<'a> {
    members: &'a [Member],
    at: At,
    claimed: Vec<bool>,
}

impl<'a> Object<'a> {
    fn new(node: &'a Node, at: &At, what: &str, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        let Value::Object(members) = &node.value else {
            diags.push(at.diag(format!(
                "expected {what} (a JSON object), found {}",
                node.value.kind()
            )));
            return None;
        };
        for (i, member) in members.iter().enumerate() {
            if members[..i].iter().any(|m| m.key == member.key) {
                diags.push(member_at(at, member).diag(format!("duplicate key `{}`", member.key)));
            }
        }
        Some(Object {
            members,
            at: at.clone(),
            claimed: vec![false; members.len()],
        })
    }

    fn get(&mut self, key: &str) -> Option<(&'a Node, At)> {
        let index = self.members.iter().position(|m| m.key == key)?;
        self.claimed[index] = true;
        let member = &self.members[index];
        Some((&member.value, value_at(&self.at, member)))
    }

    fn string(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        let (node, at) = self.get(key)?;
        match &node.value {
            Value::String(s) => Some(Spanned {
                value: s.clone(),
                at,
            }),
            other => {
                diags.push(at.diag(format!("`{key}` must be a string, found {}", other.kind())));
                None
            }
        }
    }

    fn bool(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<bool> {
        let (node, at) = self.get(key)?;
        match &node.value {
            Value::Bool(b) => Some(*b),
            other => {
                diags.push(at.diag(format!(
                    "`{key}` must be true or false, found {}",
                    other.kind()
                )));
                None
            }
        }
    }

    fn integer(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<i64>> {
        let (node, at) = self.get(key)?;
        match integer(node) {
            Some(value) => Some(Spanned { value, at }),
            None => {
                diags.push(at.diag(format!(
                    "`{key}` must be an integer, found {}",
                    describe(node)
                )));
                None
            }
        }
    }

    fn array(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<(&'a Node, At)> {
        let Some((node, at)) = self.get(key) else {
            return Vec::new();
        };
        match &node.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    (
                        item,
                        At {
                            pointer: format!("{}/{i}", at.pointer),
                            offset: item.offset,
                        },
                    )
                })
                .collect(),
            other => {
                diags.push(at.diag(format!("`{key}` must be an array, found {}", other.kind())));
                Vec::new()
            }
        }
    }

    /// Reports every member not claimed, naming the keys that are known here.
    fn finish(self, what: &str, known: &[&str], diags: &mut Vec<Diagnostic>) {
        for (member, claimed) in self.members.iter().zip(&self.claimed) {
            // A duplicate of a known key was reported as a duplicate already.
            if !claimed && !known.contains(&member.key.as_str()) {
                diags.push(member_at(&self.at, member).diag(format!(
                    "unknown key `{}` in {what} (known keys: {})",
                    member.key,
                    known.join(", ")
                )));
            }
        }
    }
}

fn value_at(parent: &At, member: &Member) -> At {
    At {
        pointer: format!("{}/{}", parent.pointer, pointer_token(&member.key)),
        offset: member.value.offset,
    }
}

fn member_at(parent: &At, member: &Member) -> At {
    At {
        pointer: format!("{}/{}", parent.pointer, pointer_token(&member.key)),
        offset: member.key_offset,
    }
}

/// An integer written without fraction or exponent.
pub fn integer(node: &Node) -> Option<i64> {
    match &node.value {
        Value::Number(n) => n.parse().ok(),
        _ => None,
    }
}

/// `"a string"`, `a number (1.5)`, for messages.
pub fn describe(node: &Node) -> String {
    match &node.value {
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", crate::json::quote(s)),
        other => other.kind().to_owned(),
    }
}

/// Reads a whole document; `None` only when the top level is not an object.
pub fn read(root: &Node, diags: &mut Vec<Diagnostic>) -> Option<Document> {
    let at = At {
        pointer: String::new(),
        offset: root.offset,
    };
    let mut obj = Object::new(root, &at, "a tenant schema", diags)?;
    let tenant = obj.string("tenant", diags);
    let schema_id = obj.string("schema_id", diags);
    if schema_id.is_none() && obj.get("schema_id").is_none() {
        diags.push(at.diag("missing `schema_id`: every tenant schema is named"));
    }
    let package = obj.string("package", diags);
    let version = obj.string("version", diags);
    let name = obj.string("name", diags);
    let description = obj.string("description", diags).map(|s| s.value);
    let strict = obj.bool("strict", diags).unwrap_or(false);
    let deprecated = obj.bool("deprecated", diags).unwrap_or(false);
    obj.get("$schema");
    let has_fields = obj.members.iter().any(|m| m.key == "fields");
    let fields = read_fields(&mut obj, diags);
    let messages = read_messages(&mut obj, diags);
    let enums = read_enums(&mut obj, diags);
    obj.finish("a tenant schema", DOCUMENT_KEYS, diags);
    let schema_id = schema_id.unwrap_or(Spanned {
        value: String::new(),
        at: at.clone(),
    });
    if !has_fields && messages.is_empty() {
        diags.push(at.diag("a tenant schema needs `fields` (one entity) or `messages`"));
    }
    let root = has_fields.then(|| MessageDef {
        name: name.unwrap_or_else(|| Spanned {
            value: upper_camel(&schema_id.value),
            at: schema_id.at.clone(),
        }),
        description: description.clone(),
        strict: None,
        deprecated,
        fields,
        messages: Vec::new(),
        enums: Vec::new(),
        at: at.clone(),
    });
    Some(Document {
        tenant,
        schema_id,
        package,
        version,
        description,
        strict,
        root,
        messages,
        enums,
        at,
    })
}

fn read_fields(obj: &mut Object<'_>, diags: &mut Vec<Diagnostic>) -> Vec<FieldDef> {
    obj.array("fields", diags)
        .into_iter()
        .filter_map(|(node, at)| read_field(node, at, diags))
        .collect()
}

fn read_messages(obj: &mut Object<'_>, diags: &mut Vec<Diagnostic>) -> Vec<MessageDef> {
    obj.array("messages", diags)
        .into_iter()
        .filter_map(|(node, at)| read_message(node, at, diags))
        .collect()
}

fn read_enums(obj: &mut Object<'_>, diags: &mut Vec<Diagnostic>) -> Vec<EnumDef> {
    obj.array("enums", diags)
        .into_iter()
        .filter_map(|(node, at)| read_enum(node, at, diags))
        .collect()
}

fn required_string(
    obj: &mut Object<'_>,
    key: &str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Spanned<String> {
    let present = obj.members.iter().any(|m| m.key == key);
    match obj.string(key, diags) {
        Some(s) => s,
        None => {
            if !present {
                diags.push(obj.at.diag(format!("{what} needs a `{key}`")));
            }
            Spanned {
                value: String::new(),
                at: obj.at.clone(),
            }
        }
    }
}

fn read_message(node: &Node, at: At, diags: &mut Vec<Diagnostic>) -> Option<MessageDef> {
    let mut obj = Object::new(node, &at, "a message", diags)?;
    let name = required_string(&mut obj, "name", "a message", diags);
    let description = obj.string("description", diags).map(|s| s.value);
    let strict = obj.bool("strict", diags);
    let deprecated = obj.bool("deprecated", diags).unwrap_or(false);
    let fields = read_fields(&mut obj, diags);
    let messages = read_messages(&mut obj, diags);
    let enums = read_enums(&mut obj, diags);
    obj.finish("a message", MESSAGE_KEYS, diags);
    Some(MessageDef {
        name,
        description,
        strict,
        deprecated,
        fields,
        messages,
        enums,
        at,
    })
}

fn read_field(node: &Node, at: At, diags: &mut Vec<Diagnostic>) -> Option<FieldDef> {
    let mut obj = Object::new(node, &at, "a field", diags)?;
    let name = required_string(&mut obj, "name", "a field", diags);
    let ty_text = required_string(&mut obj, "type", "a field", diags);
    let ty = match parse_type(&ty_text.value) {
        Ok(ty) => ty,
        Err(message) => {
            if !ty_text.value.is_empty() {
                diags.push(ty_text.at.diag(message));
            }
            TypeExpr::Named(String::new())
        }
    };
    let number = obj.integer("number", diags);
    let renamed_from = obj.string("renamed_from", diags);
    let required = obj.bool("required", diags).unwrap_or(false);
    let (default, default_at) = match obj.get("default") {
        Some((node, at)) => (Some(node.clone()), at),
        None => (None, At::default()),
    };
    let description = obj.string("description", diags).map(|s| s.value);
    let deprecated = obj.bool("deprecated", diags).unwrap_or(false);
    let constraints = constraints(&mut obj);
    obj.finish("a field", &[FIELD_KEYS, CONSTRAINT_KEYS].concat(), diags);
    Some(FieldDef {
        name,
        ty: Spanned {
            value: ty,
            at: ty_text.at,
        },
        number,
        renamed_from,
        required,
        default,
        default_at,
        description,
        deprecated,
        constraints,
        at,
    })
}

/// Claims every constraint key of an object (a field, or `items`/`keys`/`values`).
fn constraints(obj: &mut Object<'_>) -> Vec<Constraint> {
    let mut out = Vec::new();
    for key in CONSTRAINT_KEYS {
        if let Some((node, at)) = obj.get(key) {
            out.push(Constraint {
                key: (*key).to_owned(),
                value: node.clone(),
                at,
            });
        }
    }
    out
}

/// Reads the constraint object under `items`, `keys` or `values`.
pub fn nested_constraints(
    node: &Node,
    at: &At,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<Constraint>> {
    let mut obj = Object::new(node, at, "constraints", diags)?;
    let out = constraints(&mut obj);
    obj.finish("constraints", CONSTRAINT_KEYS, diags);
    Some(out)
}

fn read_enum(node: &Node, at: At, diags: &mut Vec<Diagnostic>) -> Option<EnumDef> {
    let mut obj = Object::new(node, &at, "an enum", diags)?;
    let name = required_string(&mut obj, "name", "an enum", diags);
    let description = obj.string("description", diags).map(|s| s.value);
    let present = obj.members.iter().any(|m| m.key == "values");
    let values: Vec<EnumValueDef> = obj
        .array("values", diags)
        .into_iter()
        .filter_map(|(node, at)| read_enum_value(node, at, diags))
        .collect();
    if !present {
        diags.push(at.diag("an enum needs `values`"));
    }
    obj.finish("an enum", ENUM_KEYS, diags);
    Some(EnumDef {
        name,
        description,
        values,
        at,
    })
}

fn read_enum_value(node: &Node, at: At, diags: &mut Vec<Diagnostic>) -> Option<EnumValueDef> {
    if let Value::String(name) = &node.value {
        return Some(EnumValueDef {
            name: Spanned {
                value: name.clone(),
                at: at.clone(),
            },
            number: None,
            renamed_from: None,
            description: None,
            deprecated: false,
            at,
        });
    }
    let mut obj = Object::new(node, &at, "an enum value (a name or an object)", diags)?;
    let name = required_string(&mut obj, "name", "an enum value", diags);
    let number = obj.integer("number", diags);
    let renamed_from = obj.string("renamed_from", diags);
    let description = obj.string("description", diags).map(|s| s.value);
    let deprecated = obj.bool("deprecated", diags).unwrap_or(false);
    obj.finish("an enum value", ENUM_VALUE_KEYS, diags);
    Some(EnumValueDef {
        name,
        number,
        renamed_from,
        description,
        deprecated,
        at,
    })
}

/// Parses `int32`, `Address`, `Order.Line`, `list<string>`, `map<string, Tier>`.
pub fn parse_type(text: &str) -> Result<TypeExpr, String> {
    let t = text.trim();
    let bad = || {
        format!(
            "cannot read the type `{text}`: expected a type name (`int32`, `string`, `Address`), \
             `list<T>` or `map<K, V>`"
        )
    };
    let is_name = |s: &str| {
        !s.is_empty()
            && s.split('.').all(|part| {
                part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
    };
    if let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
        let inner = inner.trim();
        if inner.starts_with("list<") || inner.starts_with("map<") {
            return Err(format!(
                "`{text}`: a list's items cannot be lists or maps (wrap them in a message)"
            ));
        }
        return if is_name(inner) {
            Ok(TypeExpr::List(inner.to_owned()))
        } else {
            Err(bad())
        };
    }
    if let Some(inner) = t.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
        let Some((key, value)) = inner.split_once(',') else {
            return Err(bad());
        };
        let (key, value) = (key.trim(), value.trim());
        if value.starts_with("list<") || value.starts_with("map<") {
            return Err(format!(
                "`{text}`: a map's values cannot be lists or maps (wrap them in a message)"
            ));
        }
        return if is_name(key) && is_name(value) {
            Ok(TypeExpr::Map(key.to_owned(), value.to_owned()))
        } else {
            Err(bad())
        };
    }
    if is_name(t) {
        Ok(TypeExpr::Named(t.to_owned()))
    } else {
        Err(bad())
    }
}

/// `user_v2` → `UserV2` (protoc's rule for map entry names too).
pub fn upper_camel(s: &str) -> String {
    camel(s, true)
}

/// Underscores dropped and the letter after each capitalised; the first one too if `upper`.
pub fn camel(s: &str, upper: bool) -> String {
    let mut out = String::new();
    let mut next_upper = upper;
    for c in s.chars() {
        if c == '_' {
            next_upper = true;
        } else if next_upper {
            out.extend(c.to_uppercase());
            next_upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON Schema of the format (`schemas/tenant-schema.schema.json`) lists exactly the
    /// keys this reader knows.
    #[test]
    fn the_json_schema_of_the_format_matches_the_reader() {
        let text = include_str!("../../schemas/tenant-schema.schema.json");
        let schema: serde_json::Value = serde_json::from_str(text).unwrap();
        let keys = |v: &serde_json::Value| -> Vec<String> {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let sorted = |k: &[&str]| -> Vec<String> {
            let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        let defs = &schema["$defs"];
        assert_eq!(keys(&schema["properties"]), sorted(DOCUMENT_KEYS));
        assert_eq!(keys(&defs["message"]["properties"]), sorted(MESSAGE_KEYS));
        assert_eq!(
            keys(&defs["field"]["properties"]),
            sorted(&[FIELD_KEYS, CONSTRAINT_KEYS].concat())
        );
        assert_eq!(
            keys(&defs["constraints"]["properties"]),
            sorted(CONSTRAINT_KEYS)
        );
        assert_eq!(keys(&defs["enum"]["properties"]), sorted(ENUM_KEYS));
        assert_eq!(
            keys(&defs["enum"]["properties"]["values"]["items"]["oneOf"][1]["properties"]),
            sorted(ENUM_VALUE_KEYS)
        );
    }
}
