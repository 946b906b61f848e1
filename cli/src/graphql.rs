//! `protogen sdl`: the GraphQL schema of `.proto` files and tenant schemas, as the `graphql` pass
//! writes it to `schema.graphql`; `protogen project`: a query answered from one message on stdin,
//! by the runtime's executor over the message as prost-reflect decodes it.

use std::path::PathBuf;

use clap::Args;
use prost_reflect::{
    DynamicMessage, FieldDescriptor, Kind, MessageDescriptor, ReflectMessage, Value,
};
use protogen::graphql::{
    Empty, Entry, List, Obj, Object, Out, Resolved, Schema, Value as GraphqlValue,
};
use protogen_build::Builder;

#[derive(Args)]
pub struct SdlArgs {
    /// Include directory that imports and inputs resolve against; repeatable, searched in order.
    #[arg(short = 'I', long = "include", value_name = "DIR", required = true)]
    includes: Vec<PathBuf>,

    /// .proto files, or directories searched recursively for them; tenant schemas (.json files).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// A tenant schema, or a directory searched recursively for them; repeatable.
    #[arg(long = "tenant", value_name = "PATH")]
    tenants: Vec<PathBuf>,

    /// Prepended to every GraphQL type name made from a proto name.
    #[arg(long, value_name = "PREFIX", default_value = "")]
    prefix: String,

    /// Skip CEL validation rules with a warning instead of failing.
    #[arg(long)]
    skip_cel: bool,

    /// Turn a protogen pass off (`validate`: rules are not read, so no field is non-null because
    /// a rule requires it); repeatable.
    #[arg(long = "disable-pass", value_name = "PASS")]
    disabled_passes: Vec<protogen_build::Pass>,
}

/// Prints the SDL on stdout.
pub fn sdl(args: SdlArgs) -> Result<(), String> {
    let mut builder = Builder::new();
    builder
        .includes(&args.includes)
        .emit_rerun_if_changed(false)
        .graphql_prefix(args.prefix)
        // Lock files are read, not required: numbers do not show in the SDL.
        .tenant_locks(protogen_build::TenantLocks::Warn);
    if args.skip_cel {
        builder.skip_cel_rules();
    }
    for pass in args.disabled_passes {
        builder.pass(pass, false);
    }
    let protos = crate::add_tenants(&mut builder, &args.files, &args.tenants);
    let sdl = builder
        .graphql_schema(&protos)
        .map_err(|e| format!("{e:?}"))?;
    print!("{sdl}");
    Ok(())
}

#[derive(Args)]
pub struct ProjectArgs {
    /// Include directory that imports and inputs resolve against; repeatable, searched in order.
    #[arg(short = 'I', long = "include", value_name = "DIR", required = true)]
    includes: Vec<PathBuf>,

    /// .proto files, or directories searched recursively for them.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,

    /// The message type read on stdin, the query's root: `shop.v1.Order`.
    #[arg(long = "type", value_name = "FULL.NAME")]
    type_name: String,

    /// The query (a GraphQL document with one operation, or name it with --operation).
    #[arg(long, value_name = "Q.graphql")]
    query: PathBuf,

    /// The operation to run, when the document has several.
    #[arg(long, value_name = "NAME")]
    operation: Option<String>,

    /// The query's variables: a JSON object.
    #[arg(long, value_name = "V.json")]
    variables: Option<PathBuf>,

    /// The message on stdin is proto3 JSON instead of binary protobuf.
    #[arg(long)]
    json: bool,
}

/// Answers a query from one message read on stdin, as the runtime answers it from generated
/// types: the message, decoded with prost-reflect, is the root value.
pub fn project(args: ProjectArgs) -> Result<(), String> {
    let mut builder = Builder::new();
    builder
        .includes(&args.includes)
        .emit_rerun_if_changed(false);
    let (sdl, pool) = builder
        .graphql_schema_and_pool(&args.files)
        .map_err(|e| e.to_string())?;
    let name = args.type_name.trim_start_matches('.');
    let desc = pool
        .get_message_by_name(name)
        .ok_or_else(|| format!("no message type `{name}` in the given files"))?;
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let query = read(&args.query)?;
    let variables = match &args.variables {
        Some(path) => match serde_json::from_str::<serde_json::Value>(&read(path)?) {
            Ok(serde_json::Value::Object(map)) => map,
            Ok(_) => {
                return Err(format!(
                    "{}: the variables must be a JSON object",
                    path.display()
                ));
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        },
        None => serde_json::Map::new(),
    };
    let mut input = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut input)
        .map_err(|e| format!("stdin: {e}"))?;
    let message = if args.json {
        let text =
            String::from_utf8(input).map_err(|_| "stdin: the JSON is not UTF-8".to_owned())?;
        let mut de = serde_json::Deserializer::from_str(&text);
        DynamicMessage::deserialize(desc.clone(), &mut de)
            .and_then(|m| de.end().map(|()| m))
            .map_err(|e| format!("stdin: invalid proto3 JSON for {name}: {e}"))?
    } else {
        DynamicMessage::decode(desc.clone(), input.as_slice())
            .map_err(|e| format!("stdin: invalid protobuf for {name}: {e}"))?
    };
    let schema = Schema::new(&sdl).map_err(|e| e.to_string())?;
    let root = schema
        .with_root(&protogen_build::graphql_type_name(
            &Default::default(),
            name,
        ))
        .map_err(|e| e.to_string())?;
    let plan = root
        .document(&query)
        .and_then(|d| d.plan(args.operation.as_deref(), &variables))
        .map_err(|e| format!("{}: {e}", args.query.display()))?;
    println!("{}", plan.to_string(&Dynamic(&message)));
    Ok(())
}

/// A message decoded by prost-reflect as a GraphQL object: fields numbered as the SDL lists them
/// (declaration order, a oneof where its first member is, then the oneofs' members).
struct Dynamic<'a>(&'a DynamicMessage);

enum Slot {
    Field(FieldDescriptor),
    Oneof(Vec<FieldDescriptor>),
    Placeholder,
}

fn slots(desc: &MessageDescriptor) -> (Vec<Slot>, Vec<FieldDescriptor>) {
    let mut slots = Vec::new();
    let mut members = Vec::new();
    for field in desc.fields() {
        match field.containing_oneof().filter(|o| !o.is_synthetic()) {
            None => slots.push(Slot::Field(field)),
            Some(oneof)
                if oneof
                    .fields()
                    .next()
                    .is_some_and(|f| f.number() == field.number()) =>
            {
                slots.push(Slot::Oneof(oneof.fields().collect()));
            }
            Some(_) => {}
        }
    }
    if slots.is_empty() {
        slots.push(Slot::Placeholder);
    }
    for slot in &slots {
        if let Slot::Oneof(fields) = slot {
            members.extend(fields.iter().cloned());
        }
    }
    (slots, members)
}

impl Object for Dynamic<'_> {
    fn resolve(&self, field: u32, out: Out<'_, '_>) -> Resolved {
        let (slots, members) = slots(&self.0.descriptor());
        let field = field as usize;
        let Some(slot) = slots.get(field) else {
            return match members.get(field - slots.len()) {
                Some(member) if self.0.has_field(member) => {
                    out.value(Dyn(self.0.get_field(member).into_owned(), member.kind()))
                }
                _ => out.null(),
            };
        };
        match slot {
            Slot::Placeholder => out.null(),
            Slot::Oneof(fields) => {
                let set = fields.iter().position(|f| self.0.has_field(f));
                out.union(self, set)
            }
            Slot::Field(f) if f.is_map() => {
                let Kind::Message(entry) = f.kind() else {
                    unreachable!("a map's entry")
                };
                let (key, value) = (
                    entry.map_entry_key_field().kind(),
                    entry.map_entry_value_field().kind(),
                );
                let map = self.0.get_field(f);
                let entries: Vec<_> = map
                    .as_map()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| {
                        Obj(Entry(
                            Dyn(Value::from(k.clone()), key.clone()),
                            Dyn(v.clone(), value.clone()),
                        ))
                    })
                    .collect();
                out.value(List(entries.into_iter()))
            }
            Slot::Field(f) if f.is_list() => {
                let list = self.0.get_field(f);
                let items: Vec<_> = list
                    .as_list()
                    .into_iter()
                    .flatten()
                    .map(|v| Dyn(v.clone(), f.kind()))
                    .collect();
                out.value(List(items.into_iter()))
            }
            Slot::Field(f) if f.supports_presence() && !self.0.has_field(f) => out.null(),
            Slot::Field(f) => out.value(Dyn(self.0.get_field(f).into_owned(), f.kind())),
        }
    }
}

/// One value of a dynamic message, with its kind.
#[derive(Clone)]
struct Dyn(Value, Kind);

impl GraphqlValue for Dyn {
    fn write(self, out: Out<'_, '_>) -> Resolved {
        match (self.0, self.1) {
            (Value::Bool(v), _) => out.value(v),
            (Value::I32(v), _) => out.value(v),
            (Value::I64(v), _) => out.value(v),
            (Value::U32(v), _) => out.value(v),
            (Value::U64(v), _) => out.value(v),
            (Value::F32(v), _) => out.value(v),
            (Value::F64(v), _) => out.value(v),
            (Value::String(v), _) => out.value(v.as_str()),
            (Value::Bytes(v), _) => out.value(&v[..]),
            (Value::EnumNumber(_), Kind::Enum(e))
                if e.full_name() == "google.protobuf.NullValue" =>
            {
                out.value(None::<bool>)
            }
            (Value::EnumNumber(n), Kind::Enum(e)) => match e.get_value(n) {
                Some(v) => out.value(v.name()),
                None => out.error(format!(
                    "Enum \"{}\" cannot represent value: {n}",
                    e.full_name()
                )),
            },
            (Value::Message(m), _) => well_known(m, out),
            (other, _) => out.error(format!("unexpected value {other:?}")),
        }
    }
}

/// A message value: a well-known type in its GraphQL form, any other message as an object.
fn well_known(m: DynamicMessage, out: Out<'_, '_>) -> Resolved {
    let desc = m.descriptor();
    let wrapped = || m.get_field_by_name("value").map(|v| v.into_owned());
    match desc.full_name() {
        "google.protobuf.Empty" => out.value(Obj(Empty)),
        "google.protobuf.BoolValue"
        | "google.protobuf.Int32Value"
        | "google.protobuf.Int64Value"
        | "google.protobuf.UInt32Value"
        | "google.protobuf.UInt64Value"
        | "google.protobuf.FloatValue"
        | "google.protobuf.DoubleValue"
        | "google.protobuf.StringValue"
        | "google.protobuf.BytesValue" => {
            let field = desc.get_field_by_name("value").expect("a wrapper's value");
            out.value(Dyn(
                wrapped().unwrap_or_else(|| Value::default_value_for_field(&field)),
                field.kind(),
            ))
        }
        "google.protobuf.Timestamp"
        | "google.protobuf.Duration"
        | "google.protobuf.FieldMask"
        | "google.protobuf.Struct"
        | "google.protobuf.Value"
        | "google.protobuf.ListValue"
        | "google.protobuf.Any" => {
            // prost-reflect's proto3 JSON of the well-known type.
            match serde_json::to_string(&m) {
                Ok(json) => out.raw_json(&json),
                Err(e) => out.error(e.to_string()),
            }
        }
        _ => out.value(Obj(Dynamic(&m))),
    }
}
