//! The schema as the checks read it: compiled `FileDescriptorProto`s with their source info,
//! indexed by the names buf pairs elements by (files by path; messages, enums and services by
//! full name; fields by number; methods by name).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use prost::Message as _;
use prost_types::source_code_info::Location;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    MethodDescriptorProto, OneofDescriptorProto, ServiceDescriptorProto,
};

use crate::span::Span;

/// A compiled module: every file the compiler produced (imports included, so types resolve) and
/// which of them are checked (the module's own files).
#[derive(Clone, Debug, Default)]
pub struct Image {
    files: Vec<FileDescriptorProto>,
    targets: Vec<bool>,
    /// Source text of files, by name, where known: spans are made to match protoc's with it.
    sources: BTreeMap<String, String>,
    /// Per file, the files declaring the custom options it sets (`(google.api.http)` ->
    /// `google/api/annotations.proto`): `prost_types` drops custom options, so they are read
    /// from the encoded set. `None` when the image was not made from one.
    option_files: Option<Vec<BTreeSet<String>>>,
}

impl Image {
    /// Files in dependency order; those named in `targets` are checked, the others only resolve
    /// types.
    pub fn new(files: Vec<FileDescriptorProto>, targets: &[impl AsRef<str>]) -> Self {
        let targets = files
            .iter()
            .map(|f| targets.iter().any(|t| t.as_ref() == f.name()))
            .collect();
        Image {
            files,
            targets,
            sources: BTreeMap::new(),
            option_files: None,
        }
    }

    /// Adds a file's source text. protox places the span of a field's `default` and
    /// `json_name` on the value alone where protoc spans `default = 5`; with the text, findings
    /// there get protoc's (and buf's) columns.
    pub fn with_source(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.sources.insert(name.into(), text.into());
        self
    }

    /// Every file is checked.
    pub fn all(files: Vec<FileDescriptorProto>) -> Self {
        let targets = vec![true; files.len()];
        Image {
            files,
            targets,
            sources: BTreeMap::new(),
            option_files: None,
        }
    }

    /// Checks only the files named (the others resolve types and imports).
    pub fn with_targets(mut self, targets: &[impl AsRef<str>]) -> Self {
        self.targets = self
            .files
            .iter()
            .map(|f| targets.iter().any(|t| t.as_ref() == f.name()))
            .collect();
        self
    }

    /// A serialized `FileDescriptorSet` (`buf build -o image.binpb`, `protoc
    /// --descriptor_set_out --include_source_info`): every file in it is checked.
    /// Custom options are read from the bytes too (for `IMPORT_USED`), when every import is in
    /// the set.
    pub fn from_descriptor_set(bytes: &[u8]) -> Result<Self, prost::DecodeError> {
        let set = prost_types::FileDescriptorSet::decode(bytes)?;
        let mut image = Image::all(set.file);
        if let Ok(pool) = prost_reflect::DescriptorPool::decode(bytes) {
            let by_name: BTreeMap<String, BTreeSet<String>> = pool
                .files()
                .map(|f| (f.name().to_owned(), crate::options::files_of_options(&f)))
                .collect();
            image.option_files = Some(
                image
                    .files
                    .iter()
                    .map(|f| by_name.get(f.name()).cloned().unwrap_or_default())
                    .collect(),
            );
        }
        Ok(image)
    }

    /// The files declaring the custom options a file sets, if known.
    pub(crate) fn option_files(&self, name: &str) -> Option<&BTreeSet<String>> {
        let i = self.files.iter().position(|f| f.name() == name)?;
        self.option_files.as_ref()?.get(i)
    }

    /// The checked files, in the order given.
    pub fn files(&self) -> impl Iterator<Item = &FileDescriptorProto> {
        self.files
            .iter()
            .zip(&self.targets)
            .filter(|(_, t)| **t)
            .map(|(f, _)| f)
    }

    /// Every file, imports included.
    pub fn all_files(&self) -> &[FileDescriptorProto] {
        &self.files
    }

    /// The checked files as a `FileDescriptorSet`, for storing.
    pub fn to_descriptor_set(&self) -> Vec<u8> {
        prost_types::FileDescriptorSet {
            file: self.files.clone(),
        }
        .encode_to_vec()
    }
}

/// Descriptor field numbers used in source paths.
pub(crate) mod tag {
    /// An element's name, in every descriptor that has one.
    pub const NAME: i32 = 1;
    pub const FILE_PACKAGE: i32 = 2;
    pub const FILE_DEPENDENCY: i32 = 3;
    pub const FILE_MESSAGE: i32 = 4;
    pub const FILE_ENUM: i32 = 5;
    pub const FILE_SERVICE: i32 = 6;
    pub const FILE_EXTENSION: i32 = 7;
    pub const FILE_OPTIONS: i32 = 8;
    pub const FILE_SYNTAX: i32 = 12;
    pub const MESSAGE_FIELD: i32 = 2;
    pub const MESSAGE_NESTED: i32 = 3;
    pub const MESSAGE_ENUM: i32 = 4;
    pub const MESSAGE_EXTENSION: i32 = 6;
    pub const MESSAGE_OPTIONS: i32 = 7;
    pub const MESSAGE_ONEOF: i32 = 8;
    pub const FIELD_NAME: i32 = 1;
    pub const FIELD_TYPE: i32 = 5;
    pub const FIELD_TYPE_NAME: i32 = 6;
    pub const FIELD_DEFAULT: i32 = 7;
    pub const FIELD_OPTIONS: i32 = 8;
    pub const FIELD_JSON_NAME: i32 = 10;
    pub const ENUM_VALUE: i32 = 2;
    pub const ENUM_OPTIONS: i32 = 3;
    pub const VALUE_NUMBER: i32 = 2;
    pub const SERVICE_METHOD: i32 = 2;
    pub const METHOD_INPUT: i32 = 2;
    pub const METHOD_OUTPUT: i32 = 3;
    pub const METHOD_OPTIONS: i32 = 4;
}

/// One file with its locations indexed by source path.
pub(crate) struct File<'a> {
    pub proto: &'a FileDescriptorProto,
    locations: HashMap<&'a [i32], &'a Location>,
    /// The source text, split in lines, when the image has it.
    lines: Option<Vec<&'a str>>,
}

impl<'a> File<'a> {
    fn new(proto: &'a FileDescriptorProto, source: Option<&'a String>) -> Self {
        let locations = proto
            .source_code_info
            .iter()
            .flat_map(|info| &info.location)
            .map(|loc| (loc.path.as_slice(), loc))
            .collect();
        File {
            proto,
            locations,
            lines: source.map(|s| s.split('\n').collect()),
        }
    }

    pub fn name(&self) -> &'a str {
        self.proto.name()
    }

    pub fn span(&self, path: &[i32]) -> Option<Span> {
        let span = self
            .locations
            .get(path)
            .and_then(|l| Span::from_proto(&l.span))?;
        match path.last() {
            Some(&tag::FIELD_DEFAULT) => Some(self.with_option_name(span, "default")),
            Some(&tag::FIELD_JSON_NAME) => Some(self.with_option_name(span, "json_name")),
            _ => Some(span),
        }
    }

    /// Moves the start of an option value's span back over `name =` when the text has it
    /// there, as protoc spans pseudo-options.
    fn with_option_name(&self, span: Span, name: &str) -> Span {
        let Some(line) = self
            .lines
            .as_ref()
            .and_then(|l| l.get(span.start_line as usize - 1))
        else {
            return span;
        };
        let Some(before) = line.get(..span.start_column as usize - 1) else {
            return span;
        };
        let Some(rest) = before.trim_end().strip_suffix('=') else {
            return span;
        };
        let Some(rest) = rest.trim_end().strip_suffix(name) else {
            return span;
        };
        Span {
            start_column: rest.len() as u32 + 1,
            ..span
        }
    }

    pub fn location(&self, path: &[i32]) -> Option<&'a Location> {
        self.locations.get(path).copied()
    }

    pub fn syntax(&self) -> Syntax {
        match self.proto.syntax() {
            "proto3" => Syntax::Proto3,
            "editions" => Syntax::Editions,
            _ => Syntax::Proto2,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    Proto2,
    Proto3,
    Editions,
}

impl Syntax {
    pub fn name(self) -> &'static str {
        match self {
            Syntax::Proto2 => "proto2",
            Syntax::Proto3 => "proto3",
            Syntax::Editions => "editions",
        }
    }
}

/// Where an element is: the index of its file in [`Index::files`] and its source path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Loc {
    pub file: usize,
    pub path: Vec<i32>,
}

impl Loc {
    pub fn child(&self, tags: &[i32]) -> Loc {
        let mut path = self.path.clone();
        path.extend_from_slice(tags);
        Loc {
            file: self.file,
            path,
        }
    }
}

pub(crate) struct Message<'a> {
    pub loc: Loc,
    pub proto: &'a DescriptorProto,
    /// `pkg.Outer.Inner`, no leading dot.
    pub full_name: String,
    /// `Outer.Inner`.
    pub nested_name: String,
}

impl Message<'_> {
    pub fn name(&self) -> &str {
        self.proto.name()
    }

    pub fn is_map_entry(&self) -> bool {
        self.proto
            .options
            .as_ref()
            .is_some_and(|o| o.map_entry.unwrap_or(false))
    }

    pub fn field_loc(&self, index: usize) -> Loc {
        self.loc.child(&[tag::MESSAGE_FIELD, index as i32])
    }
}

pub(crate) struct Enum<'a> {
    pub loc: Loc,
    pub proto: &'a EnumDescriptorProto,
    pub nested_name: String,
}

impl Enum<'_> {
    pub fn name(&self) -> &str {
        self.proto.name()
    }
}

pub(crate) struct Service<'a> {
    pub loc: Loc,
    pub proto: &'a ServiceDescriptorProto,
}

/// A field of a message, or an extension.
#[derive(Clone)]
pub(crate) struct Field<'a> {
    pub loc: Loc,
    pub proto: &'a FieldDescriptorProto,
    /// The message declaring it (for an extension, the scope it is declared in, if any).
    pub parent: Option<&'a DescriptorProto>,
    /// `pkg.Msg.field` or, for an extension, `pkg.Scope.ext`.
    pub full_name: String,
    pub syntax: Syntax,
}

impl<'a> Field<'a> {
    pub fn is_extension(&self) -> bool {
        self.proto.extendee.is_some()
    }

    pub fn number(&self) -> i32 {
        self.proto.number()
    }

    pub fn name(&self) -> &'a str {
        self.proto.name()
    }

    pub fn oneof(&self) -> Option<&'a OneofDescriptorProto> {
        let index = self.proto.oneof_index? as usize;
        self.parent?.oneof_decl.get(index)
    }

    /// The real oneof the field belongs to (proto3 `optional`'s synthetic oneof is presence).
    pub fn real_oneof(&self) -> Option<&'a OneofDescriptorProto> {
        if self.proto.proto3_optional() {
            return None;
        }
        self.oneof()
    }
}

pub(crate) struct Method<'a> {
    pub loc: Loc,
    pub proto: &'a MethodDescriptorProto,
}

/// The checked files of an image, indexed.
pub(crate) struct Index<'a> {
    pub files: Vec<File<'a>>,
    pub file_by_name: BTreeMap<&'a str, usize>,
    pub messages: BTreeMap<String, Message<'a>>,
    pub enums: BTreeMap<String, Enum<'a>>,
    pub services: BTreeMap<String, Service<'a>>,
    /// Extensions, `extendee full name -> number -> field`.
    pub extensions: BTreeMap<String, BTreeMap<i32, Field<'a>>>,
    /// Messages and enums of every file (imports too), by full name: what a type name means.
    types: HashMap<String, TypeDef<'a>>,
}

#[derive(Clone, Copy)]
pub(crate) enum TypeDef<'a> {
    Message(&'a DescriptorProto),
    Enum(&'a EnumDescriptorProto),
}

/// Where declarations are being read: the full and nested name of the enclosing message (or the
/// package), and the file's syntax.
struct Scope<'s> {
    full: &'s str,
    nested: &'s str,
    syntax: Syntax,
}

impl<'a> Index<'a> {
    pub fn new(image: &'a Image) -> Self {
        let mut index = Index {
            files: Vec::new(),
            file_by_name: BTreeMap::new(),
            messages: BTreeMap::new(),
            enums: BTreeMap::new(),
            services: BTreeMap::new(),
            extensions: BTreeMap::new(),
            types: HashMap::new(),
        };
        for file in &image.files {
            add_types(
                &mut index.types,
                file.package(),
                &file.message_type,
                &file.enum_type,
            );
        }
        for file in image.files() {
            let n = index.files.len();
            index.file_by_name.insert(file.name(), n);
            index
                .files
                .push(File::new(file, image.sources.get(file.name())));
            index.add_file(n, file);
        }
        index
    }

    fn add_file(&mut self, n: usize, file: &'a FileDescriptorProto) {
        let package = file.package();
        let root = Loc {
            file: n,
            path: Vec::new(),
        };
        let scope = Scope {
            full: package,
            nested: "",
            syntax: self.files[n].syntax(),
        };
        for (i, e) in file.enum_type.iter().enumerate() {
            self.add_enum(root.child(&[tag::FILE_ENUM, i as i32]), e, &scope);
        }
        for (i, m) in file.message_type.iter().enumerate() {
            self.add_message(root.child(&[tag::FILE_MESSAGE, i as i32]), m, &scope);
        }
        for (i, s) in file.service.iter().enumerate() {
            let loc = root.child(&[tag::FILE_SERVICE, i as i32]);
            let service = Service { loc, proto: s };
            self.services.insert(join(package, s.name()), service);
        }
        for (i, ext) in file.extension.iter().enumerate() {
            let loc = root.child(&[tag::FILE_EXTENSION, i as i32]);
            self.add_extension(loc, ext, None, &scope);
        }
    }

    fn add_enum(&mut self, loc: Loc, proto: &'a EnumDescriptorProto, scope: &Scope<'_>) {
        let nested_name = join(scope.nested, proto.name());
        let e = Enum {
            loc,
            proto,
            nested_name,
        };
        self.enums.insert(join(scope.full, proto.name()), e);
    }

    fn add_message(&mut self, loc: Loc, proto: &'a DescriptorProto, scope: &Scope<'_>) {
        let full_name = join(scope.full, proto.name());
        let nested_name = join(scope.nested, proto.name());
        let inner = Scope {
            full: &full_name,
            nested: &nested_name,
            syntax: scope.syntax,
        };
        for (i, e) in proto.enum_type.iter().enumerate() {
            self.add_enum(loc.child(&[tag::MESSAGE_ENUM, i as i32]), e, &inner);
        }
        for (i, m) in proto.nested_type.iter().enumerate() {
            self.add_message(loc.child(&[tag::MESSAGE_NESTED, i as i32]), m, &inner);
        }
        for (i, ext) in proto.extension.iter().enumerate() {
            let ext_loc = loc.child(&[tag::MESSAGE_EXTENSION, i as i32]);
            self.add_extension(ext_loc, ext, Some(proto), &inner);
        }
        let message = Message {
            loc,
            proto,
            full_name: full_name.clone(),
            nested_name,
        };
        self.messages.insert(full_name, message);
    }

    fn add_extension(
        &mut self,
        loc: Loc,
        proto: &'a FieldDescriptorProto,
        parent: Option<&'a DescriptorProto>,
        scope: &Scope<'_>,
    ) {
        let extendee = proto.extendee().trim_start_matches('.').to_owned();
        let field = Field {
            loc,
            proto,
            parent,
            full_name: join(scope.full, proto.name()),
            syntax: scope.syntax,
        };
        self.extensions
            .entry(extendee)
            .or_default()
            .insert(proto.number(), field);
    }

    /// The fields of a message, by number.
    pub fn fields(&self, message: &Message<'a>) -> BTreeMap<i32, Field<'a>> {
        let syntax = self.files[message.loc.file].syntax();
        message
            .proto
            .field
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    f.number(),
                    Field {
                        loc: message.field_loc(i),
                        proto: f,
                        parent: Some(message.proto),
                        full_name: join(&message.full_name, f.name()),
                        syntax,
                    },
                )
            })
            .collect()
    }

    pub fn methods(&self, service: &Service<'a>) -> BTreeMap<&'a str, Method<'a>> {
        service
            .proto
            .method
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    m.name(),
                    Method {
                        loc: service.loc.child(&[tag::SERVICE_METHOD, i as i32]),
                        proto: m,
                    },
                )
            })
            .collect()
    }

    /// What a type name (`.pkg.Msg`) refers to, looked up in every file of the image.
    pub fn type_def(&self, type_name: &str) -> Option<TypeDef<'a>> {
        self.types.get(type_name.trim_start_matches('.')).copied()
    }

    pub fn file(&self, loc: &Loc) -> &File<'a> {
        &self.files[loc.file]
    }

    /// The span of an element. Map entries have no source info; as buf does, anything in one
    /// is placed at the `map<…>` type of the field that declares it.
    pub fn span(&self, loc: &Loc) -> Option<Span> {
        let file = &self.files[loc.file];
        file.span(&loc.path)
            .or_else(|| file.span(&map_entry_owner(file.proto, &loc.path)?))
    }

    pub fn has_location(&self, loc: &Loc) -> bool {
        let file = &self.files[loc.file];
        file.location(&loc.path).is_some() || map_entry_owner(file.proto, &loc.path).is_some()
    }
}

/// If `path` leads into a map entry message, the path of the type of the field declaring it.
fn map_entry_owner(file: &FileDescriptorProto, path: &[i32]) -> Option<Vec<i32>> {
    let [tag::FILE_MESSAGE, first, rest @ ..] = path else {
        return None;
    };
    let mut message = file.message_type.get(usize::try_from(*first).ok()?)?;
    let mut prefix = vec![tag::FILE_MESSAGE, *first];
    let mut rest = rest;
    while let [tag::MESSAGE_NESTED, n, tail @ ..] = rest {
        let nested = message.nested_type.get(usize::try_from(*n).ok()?)?;
        if nested.options.as_ref().is_some_and(|o| o.map_entry()) {
            let field = message.field.iter().position(|f| {
                f.type_name().rsplit('.').next() == Some(nested.name())
                    && f.label() == prost_types::field_descriptor_proto::Label::Repeated
            })?;
            prefix.extend([tag::MESSAGE_FIELD, field as i32, tag::FIELD_TYPE_NAME]);
            return Some(prefix);
        }
        prefix.extend([tag::MESSAGE_NESTED, *n]);
        message = nested;
        rest = tail;
    }
    None
}

/// Every message and enum of a file (nested ones too) by full name.
fn add_types<'a>(
    types: &mut HashMap<String, TypeDef<'a>>,
    scope: &str,
    messages: &'a [DescriptorProto],
    enums: &'a [EnumDescriptorProto],
) {
    for e in enums {
        types.insert(join(scope, e.name()), TypeDef::Enum(e));
    }
    for m in messages {
        let name = join(scope, m.name());
        add_types(types, &name, &m.nested_type, &m.enum_type);
        types.insert(name, TypeDef::Message(m));
    }
}

/// `scope.name`, or `name` in the root scope.
pub(crate) fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}
