//! Executing a [`Plan`] against a value: the projection, protogen's own product (hand-written).
//!
//! Generated `Object` impls (the `graphql` pass) hand the value of a field, by its index, to an
//! [`Out`]; the executor writes it with the JSON writer (one home for how a value is written:
//! 64-bit integers as strings, bytes as base64, well-known types in their proto3 JSON form) into
//! the response, object by object in selection order. Errors follow the spec: a field error is
//! recorded with its path, and the value becomes `null` at the nearest nullable position, the
//! bytes written for it cut back. Nothing is allocated but the output (and the errors, if any).

use crate::json::kind::Kind;
use crate::json::{EncodeOptions, JsonEnum, ViewKind, Writer};

use super::error::{GraphqlError, PathSegment, write_errors};
use super::plan::{Plan, Sel, SelKind, Sub};

/// A value whose fields a query can select: implemented by the `graphql` pass for every message
/// and its view. `field` is the field's position in the object type of the SDL; a oneof's
/// members come after the fields, numbered on (see [`Out::union`]).
pub trait Object {
    fn resolve(&self, field: u32, out: Out<'_, '_>) -> Resolved;
}

impl<T: Object + ?Sized> Object for &T {
    #[inline]
    fn resolve(&self, field: u32, out: Out<'_, '_>) -> Resolved {
        (**self).resolve(field, out)
    }
}

/// prost boxes recursive fields.
impl<T: Object + ?Sized> Object for Box<T> {
    #[inline]
    fn resolve(&self, field: u32, out: Out<'_, '_>) -> Resolved {
        (**self).resolve(field, out)
    }
}

/// A message type that has a GraphQL object type: its name (the query root of a projection).
pub trait GraphqlType {
    const GRAPHQL_TYPE: &'static str;
}

/// `Err(Null)`: a field error made the value null; it is recorded, and the null goes up to the
/// nearest nullable position.
pub type Resolved = Result<(), Null>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Null;

/// A response key or list index on the way from the root, on the stack (an error turns it into
/// a path; nothing else reads it).
#[derive(Clone, Copy)]
pub struct Path<'a> {
    segment: Segment<'a>,
    parent: Option<&'a Path<'a>>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl Path<'_> {
    const ROOT: Path<'static> = Path {
        segment: Segment::Root,
        parent: None,
    };

    fn segments(&self) -> Vec<PathSegment> {
        let mut out = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            match p.segment {
                Segment::Root => {}
                Segment::Key(k) => out.push(PathSegment::Key(k.to_owned())),
                Segment::Index(i) => out.push(PathSegment::Index(i)),
            }
            at = p.parent;
        }
        out.reverse();
        out
    }
}

/// One execution: the plan, the response being written, the errors so far.
pub(crate) struct Exec<'p> {
    plan: &'p Plan,
    w: Writer,
    errors: Vec<GraphqlError>,
}

/// Where a resolver writes a field's value: the selection it answers and the path to it.
pub struct Out<'e, 'p> {
    exec: &'e mut Exec<'p>,
    sel: &'p Sel,
    path: &'e Path<'e>,
    /// Whether `null` may be written here (the field's type, or its list's item type).
    nullable: bool,
}

impl<'e, 'p> Out<'e, 'p> {
    /// Writes `value` (a scalar, [`Enum`], [`Obj`], [`List`], `Option` of those…).
    #[inline]
    pub fn value<V: Value>(self, value: V) -> Resolved {
        value.write(self)
    }

    /// A oneof: `member` is the index of the set member in the union (`None`: unset). The member's
    /// wrapper object is answered by `parent`, whose field `first + member` is the member's
    /// value (the plan knows `first`).
    pub fn union<O: Object + ?Sized>(self, parent: &O, member: Option<usize>) -> Resolved {
        let Some(member) = member else {
            return self.null();
        };
        let SelKind::Field {
            sub: Sub::Union { start, .. },
            ..
        } = self.sel.kind
        else {
            unreachable!("a oneof's selection is a union's")
        };
        let plan = self.exec.plan;
        let set = plan.members[start as usize + member];
        object(self.exec, parent, set, self.path)
    }

    /// `null`, or the spec's error for a null in a non-null position.
    #[inline]
    pub fn null(self) -> Resolved {
        if self.nullable {
            self.exec.w.null();
            return Ok(());
        }
        let message = format!(
            "Cannot return null for non-nullable field {}.",
            self.sel.coordinate
        );
        self.error(message)
    }

    /// JSON text written as it is: for values whose JSON another implementation writes (the CLI's
    /// dynamic messages). The text must be one JSON value.
    pub fn raw_json(mut self, json: &str) -> Resolved {
        self.writer().raw(json.as_bytes());
        Ok(())
    }

    /// Records a field error at this position; the value is null.
    #[cold]
    pub fn error(self, message: impl Into<String>) -> Resolved {
        let mut error = GraphqlError::new(message).at(self.sel.location);
        error.path = self.path.segments();
        self.exec.errors.push(error);
        Err(Null)
    }

    #[inline]
    fn writer(&mut self) -> &mut Writer {
        &mut self.exec.w
    }

    fn sub(&self) -> Sub {
        match self.sel.kind {
            SelKind::Field { sub, .. } => sub,
            SelKind::Typename(_) => Sub::Leaf,
        }
    }
}

/// Writes the selection set `set` of an object.
fn object<O: Object + ?Sized>(
    exec: &mut Exec<'_>,
    value: &O,
    set: u32,
    path: &Path<'_>,
) -> Resolved {
    let plan = exec.plan;
    exec.w.byte(b'{');
    for (i, sel) in plan.set(set).iter().enumerate() {
        exec.w.raw(if i == 0 { &sel.key[1..] } else { &sel.key });
        match &sel.kind {
            SelKind::Typename(name) => exec.w.str(name),
            SelKind::Field { index, .. } => {
                let mark = exec.w.bytes().len();
                let path = Path {
                    segment: Segment::Key(&sel.name),
                    parent: Some(path),
                };
                let out = Out {
                    exec: &mut *exec,
                    sel,
                    path: &path,
                    nullable: sel.nullable,
                };
                if value.resolve(*index, out).is_err() {
                    if !sel.nullable {
                        return Err(Null);
                    }
                    exec.w.truncate(mark);
                    exec.w.null();
                }
            }
        }
    }
    exec.w.byte(b'}');
    Ok(())
}

/// What a resolver can write (see [`Out::value`]).
pub trait Value {
    fn write(self, out: Out<'_, '_>) -> Resolved;
}

impl<V: Value> Value for Option<V> {
    #[inline]
    fn write(self, out: Out<'_, '_>) -> Resolved {
        match self {
            Some(v) => v.write(out),
            None => out.null(),
        }
    }
}

impl Value for &str {
    #[inline]
    fn write(self, mut out: Out<'_, '_>) -> Resolved {
        out.writer().str(self);
        Ok(())
    }
}

/// `bytes`: base64.
impl Value for &[u8] {
    #[inline]
    fn write(self, mut out: Out<'_, '_>) -> Resolved {
        out.writer().base64(self);
        Ok(())
    }
}

/// A string a view decoded (a `StringValue` wrapper).
impl Value for String {
    #[inline]
    fn write(self, out: Out<'_, '_>) -> Resolved {
        self.as_str().write(out)
    }
}

/// Bytes a view decoded (a `BytesValue` wrapper).
impl Value for Vec<u8> {
    #[inline]
    fn write(self, out: Out<'_, '_>) -> Resolved {
        self.as_slice().write(out)
    }
}

impl Value for bytes::Bytes {
    #[inline]
    fn write(self, out: Out<'_, '_>) -> Resolved {
        (&self[..]).write(out)
    }
}

impl Value for bool {
    #[inline]
    fn write(self, mut out: Out<'_, '_>) -> Resolved {
        out.writer().bool(self);
        Ok(())
    }
}

/// `Int`, and `UInt32` (a JSON number too).
macro_rules! number_value {
    ($($ty:ty),*) => {$(
        impl Value for $ty {
            #[inline]
            fn write(self, mut out: Out<'_, '_>) -> Resolved {
                out.writer().int(self);
                Ok(())
            }
        }
    )*};
}

number_value!(i32, u32);

/// `Int64`, `UInt64`: decimal strings, as proto3 JSON writes them.
macro_rules! string_number_value {
    ($($ty:ty),*) => {$(
        impl Value for $ty {
            #[inline]
            fn write(self, mut out: Out<'_, '_>) -> Resolved {
                out.writer().quoted_int(self);
                Ok(())
            }
        }
    )*};
}

string_number_value!(i64, u64);

/// `Float`: NaN and the infinities are no GraphQL Float, so they are field errors (never invalid
/// JSON, never a string in a Float).
impl Value for f64 {
    #[inline]
    fn write(self, mut out: Out<'_, '_>) -> Resolved {
        if !self.is_finite() {
            return non_finite(out, self);
        }
        out.writer().f64(self);
        Ok(())
    }
}

impl Value for f32 {
    #[inline]
    fn write(self, mut out: Out<'_, '_>) -> Resolved {
        if !self.is_finite() {
            return non_finite(out, f64::from(self));
        }
        out.writer().f32(self);
        Ok(())
    }
}

#[cold]
fn non_finite(out: Out<'_, '_>, v: f64) -> Resolved {
    let v = match (v.is_nan(), v > 0.0) {
        (true, _) => "NaN",
        (false, true) => "Infinity",
        (false, false) => "-Infinity",
    };
    out.error(format!("Float cannot represent non numeric value: {v}"))
}

/// An enum value by number: its name, or a field error when the number has none (an open enum
/// holding an unknown number); never a wrong name.
pub struct Enum<E>(pub i32, pub core::marker::PhantomData<E>);

impl<E> Clone for Enum<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Enum<E> {}

impl<E> Enum<E> {
    #[inline]
    pub fn new(number: i32) -> Self {
        Enum(number, core::marker::PhantomData)
    }
}

impl<E: JsonEnum> Value for Enum<E> {
    #[inline]
    fn write(self, mut out: Out<'_, '_>) -> Resolved {
        match E::json_name(self.0) {
            Some(name) => {
                out.writer().str(name);
                Ok(())
            }
            None => {
                let message = format!(
                    "Enum \"{}\" cannot represent value: {}",
                    out.sel.inner_type, self.0
                );
                out.error(message)
            }
        }
    }
}

/// An object: its selection set.
#[derive(Clone, Copy)]
pub struct Obj<O>(pub O);

impl<O: Object> Value for Obj<O> {
    #[inline]
    fn write(self, out: Out<'_, '_>) -> Resolved {
        let Sub::Object(set) = out.sub() else {
            unreachable!("an object field's selection has a selection set")
        };
        object(out.exec, &self.0, set, out.path)
    }
}

/// A list: every item, a field error in a non-null item nulling the list.
pub struct List<I>(pub I);

impl<I: Iterator<Item: Value>> Value for List<I> {
    #[inline]
    fn write(self, out: Out<'_, '_>) -> Resolved {
        let Out {
            exec,
            sel,
            path,
            nullable: _,
        } = out;
        exec.w.byte(b'[');
        for (i, item) in self.0.enumerate() {
            if i > 0 {
                exec.w.byte(b',');
            }
            let mark = exec.w.bytes().len();
            let path = Path {
                segment: Segment::Index(i),
                parent: Some(path),
            };
            let out = Out {
                exec: &mut *exec,
                sel,
                path: &path,
                nullable: sel.items_nullable,
            };
            if item.write(out).is_err() {
                if !sel.items_nullable {
                    return Err(Null);
                }
                exec.w.truncate(mark);
                exec.w.null();
            }
        }
        exec.w.byte(b']');
        Ok(())
    }
}

/// A map entry: an object whose fields are `key` (0) and `value` (1).
#[derive(Clone, Copy)]
pub struct Entry<K, V>(pub K, pub V);

impl<K: Value + Clone, V: Value + Clone> Object for Entry<K, V> {
    #[inline]
    fn resolve(&self, field: u32, out: Out<'_, '_>) -> Resolved {
        match field {
            0 => self.0.clone().write(out),
            _ => self.1.clone().write(out),
        }
    }
}

/// A well-known type (or anything else) written by its proto3 JSON kind: Timestamp, Duration,
/// FieldMask, Struct, Value, ListValue, Any.
pub struct Json<'a, K: Kind>(pub &'a K::Value);

impl<K: Kind> Clone for Json<'_, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: Kind> Copy for Json<'_, K> {}

impl<K: Kind> Value for Json<'_, K> {
    #[inline]
    fn write(self, mut out: Out<'_, '_>) -> Resolved {
        match K::write(self.0, out.writer()) {
            Ok(()) => Ok(()),
            Err(e) => out.error(e.to_string()),
        }
    }
}

/// [`Json`] for a view's value.
pub struct JsonView<'a, K: ViewKind<'a>>(pub K::View);

impl<'a, K: ViewKind<'a>> Clone for JsonView<'a, K>
where
    K::View: Clone,
{
    fn clone(&self) -> Self {
        JsonView(self.0.clone())
    }
}

impl<'a, K: ViewKind<'a>> Value for JsonView<'a, K> {
    #[inline]
    fn write(self, mut out: Out<'_, '_>) -> Resolved {
        match K::write_view(self.0, out.writer()) {
            Ok(()) => Ok(()),
            Err(e) => out.error(e.to_string()),
        }
    }
}

/// `google.protobuf.Empty` (prost's `()`), and messages without fields: only the placeholder
/// field `_`, always null.
#[derive(Clone, Copy, Debug, Default)]
pub struct Empty;

impl Object for Empty {
    #[inline]
    fn resolve(&self, _field: u32, out: Out<'_, '_>) -> Resolved {
        out.null()
    }
}

impl Plan {
    /// Appends the response to `out`: `{"data":…}`, then `"errors":[…]` when a field failed
    /// (NaN in a Float, an enum number without a name, null in a non-null field), each error with
    /// its path and location.
    pub fn write<O: Object + ?Sized>(&self, root: &O, out: &mut Vec<u8>) {
        let mut exec = Exec {
            plan: self,
            w: Writer::with_buffer(EncodeOptions::default(), std::mem::take(out)),
            errors: Vec::new(),
        };
        exec.w.raw(b"{\"data\":");
        let mark = exec.w.bytes().len();
        if object(&mut exec, root, self.root, &Path::ROOT).is_err() {
            exec.w.truncate(mark);
            exec.w.null();
        }
        if !exec.errors.is_empty() {
            exec.w.raw(b",\"errors\":");
            write_errors(&exec.errors, &mut exec.w);
        }
        exec.w.byte(b'}');
        *out = exec.w.into_bytes();
    }

    /// The response as a `String` (see [`Plan::write`]).
    pub fn to_string<O: Object + ?Sized>(&self, root: &O) -> String {
        let mut out = Vec::new();
        self.write(root, &mut out);
        String::from_utf8(out).expect("the JSON writer writes UTF-8")
    }

    /// Appends the response for the message encoded in `bytes` (of type `M`), read through its
    /// view: only the selected fields are read. Bytes that do not decode are a `DecodeError`,
    /// with nothing written.
    pub fn write_bytes<M>(&self, bytes: &[u8], out: &mut Vec<u8>) -> Result<(), crate::DecodeError>
    where
        M: crate::Owned,
        for<'a> M::View<'a>: Object,
    {
        let view = M::view(bytes)?;
        self.write(&view, out);
        Ok(())
    }
}
