//! JSON straight from wire bytes: generated views (`FooView<'a>`) write their fields through
//! their accessors into a [`Writer`], without building the owned message. Scalars, strings, bytes,
//! sub-messages, repeated fields and maps are read from the validated bytes as they are written;
//! only well-known types go through their (small) prost values.

use crate::view::{ExternView, Owned, View};

use super::kind::{self, Kind};
use super::write::SLOT;
use super::{EncodeError, EncodeOptions, JsonEnum, Writer, wkt};

/// The JSON of a view's message: implemented by the `json-view` pass for every owned message with
/// a view.
pub trait JsonViewFields: Owned {
    fn write_view_fields(
        view: &Self::View<'_>,
        object: &mut ViewObject<'_>,
    ) -> Result<(), EncodeError>;
}

/// How a view hands out values of one JSON kind.
pub trait ViewKind<'a> {
    /// The accessor's type: `i32`, `&'a str`, a sub-view, an `ExternView`.
    type View;
    fn is_default(value: &Self::View) -> bool;
    fn write_view(value: Self::View, w: &mut Writer) -> Result<(), EncodeError>;
    /// Writes an element of an array, after a comma if `comma` (see [`Kind::write_element`]).
    #[inline]
    fn write_element(value: Self::View, w: &mut Writer, comma: bool) -> Result<(), EncodeError> {
        if comma {
            w.byte(b',');
        }
        Self::write_view(value, w)
    }
    /// Numbers, written in batches in arrays (see [`Kind::SLOTTED`]).
    const SLOTTED: bool = false;
    /// Writes `[,]value` at the start of `out`, returns its length; only called when `SLOTTED`.
    fn put_slot(_value: Self::View, _out: &mut [u8; SLOT], _comma: bool) -> usize {
        unreachable!("only numbers are written in slots")
    }
}

/// Kinds of map keys.
pub trait ViewKey<'a>: ViewKind<'a> {
    fn write_key(value: Self::View, w: &mut Writer);
}

macro_rules! copy_view_kind {
    ($($kind:ty),*) => {$(
        impl<'a> ViewKind<'a> for $kind {
            type View = <$kind as Kind>::Value;

            #[inline]
            fn is_default(v: &Self::View) -> bool {
                <$kind as Kind>::is_default(v)
            }

            #[inline(always)]
            fn write_view(v: Self::View, w: &mut Writer) -> Result<(), EncodeError> {
                <$kind as Kind>::write(&v, w)
            }

            #[inline]
            fn write_element(v: Self::View, w: &mut Writer, comma: bool) -> Result<(), EncodeError> {
                <$kind as Kind>::write_element(&v, w, comma)
            }

            const SLOTTED: bool = <$kind as Kind>::SLOTTED;

            #[inline(always)]
            fn put_slot(v: Self::View, out: &mut [u8; SLOT], comma: bool) -> usize {
                <$kind as Kind>::put_slot(&v, out, comma)
            }
        }
    )*};
}

copy_view_kind!(
    kind::I32,
    kind::U32,
    kind::I64,
    kind::U64,
    kind::F32,
    kind::F64,
    kind::Bool,
    wkt::NullValue
);

macro_rules! int_view_key {
    ($($kind:ty),*) => {$(
        impl<'a> ViewKey<'a> for $kind {
            #[inline]
            fn write_key(v: Self::View, w: &mut Writer) {
                w.quoted_int(v);
            }
        }
    )*};
}

int_view_key!(kind::I32, kind::U32, kind::I64, kind::U64);

impl<'a> ViewKey<'a> for kind::Bool {
    fn write_key(v: bool, w: &mut Writer) {
        <kind::Bool as kind::KeyKind>::write_key(&v, w);
    }
}

impl<'a, E: JsonEnum> ViewKind<'a> for kind::Enum<E> {
    type View = i32;

    #[inline]
    fn is_default(v: &i32) -> bool {
        *v == 0
    }

    #[inline]
    fn write_view(v: i32, w: &mut Writer) -> Result<(), EncodeError> {
        <kind::Enum<E> as Kind>::write(&v, w)
    }
}

impl<'a> ViewKind<'a> for kind::Str {
    type View = &'a str;

    #[inline]
    fn is_default(v: &&'a str) -> bool {
        v.is_empty()
    }

    #[inline]
    fn write_view(v: &'a str, w: &mut Writer) -> Result<(), EncodeError> {
        w.str(v);
        Ok(())
    }
}

impl<'a> ViewKey<'a> for kind::Str {
    #[inline]
    fn write_key(v: &'a str, w: &mut Writer) {
        w.str(v);
    }
}

macro_rules! bytes_view_kind {
    ($($kind:ty),*) => {$(
        impl<'a> ViewKind<'a> for $kind {
            type View = &'a [u8];

            #[inline]
            fn is_default(v: &&'a [u8]) -> bool {
                v.is_empty()
            }

            #[inline]
            fn write_view(v: &'a [u8], w: &mut Writer) -> Result<(), EncodeError> {
                w.base64(v);
                Ok(())
            }
        }
    )*};
}

bytes_view_kind!(kind::Bytes, kind::BytesBuf);

impl<'a, M: JsonViewFields + 'a> ViewKind<'a> for kind::Msg<M> {
    type View = M::View<'a>;

    fn is_default(_: &Self::View) -> bool {
        false
    }

    #[inline]
    fn write_view(v: Self::View, w: &mut Writer) -> Result<(), EncodeError> {
        write_view_message::<M>(&v, w)
    }
}

fn write_view_message<M: JsonViewFields>(
    view: &M::View<'_>,
    w: &mut Writer,
) -> Result<(), EncodeError> {
    w.byte(b'{');
    let mut object = ViewObject { w, first: true };
    M::write_view_fields(view, &mut object)?;
    w.byte(b'}');
    Ok(())
}

/// A well-known type (or wrapper, [`Wrapped`]) in a view: its prost value is decoded to write it
/// (no allocation for Timestamp, Duration, wrappers of numbers and Empty).
macro_rules! extern_view_kind {
    ($($kind:ty),*) => {$(
        impl<'a> ViewKind<'a> for $kind {
            type View = ExternView<'a, <$kind as Kind>::Value>;

            fn is_default(_: &Self::View) -> bool {
                false
            }

            fn write_view(v: Self::View, w: &mut Writer) -> Result<(), EncodeError> {
                <$kind as Kind>::write(&v.to_owned_message(), w)
            }
        }
    )*};
}

extern_view_kind!(
    wkt::Timestamp,
    wkt::Duration,
    wkt::FieldMask,
    wkt::Struct,
    wkt::Value,
    wkt::ListValue,
    wkt::Empty
);

impl<'a, L: super::AnyLookup> ViewKind<'a> for super::Any<L> {
    type View = ExternView<'a, prost_types::Any>;

    fn is_default(_: &Self::View) -> bool {
        false
    }

    fn write_view(v: Self::View, w: &mut Writer) -> Result<(), EncodeError> {
        <super::Any<L> as Kind>::write(&v.to_owned_message(), w)
    }
}

/// A wrapper type (`google.protobuf.Int32Value`…) in a view: the scalar kind `K`, read through
/// prost's wrapper decoding.
pub struct Wrapped<K>(core::marker::PhantomData<K>);

impl<'a, K: Kind> ViewKind<'a> for Wrapped<K>
where
    K::Value: prost::Message + Default,
{
    type View = ExternView<'a, K::Value>;

    fn is_default(_: &Self::View) -> bool {
        false
    }

    fn write_view(v: Self::View, w: &mut Writer) -> Result<(), EncodeError> {
        K::write(&v.to_owned_message(), w)
    }
}

/// The object of a view being written: what generated `write_view_fields` calls.
pub struct ViewObject<'w> {
    w: &'w mut Writer,
    first: bool,
}

impl ViewObject<'_> {
    #[inline]
    fn key(&mut self, json_name: &str, proto_name: &str) -> &mut Writer {
        self.w.field_key(self.first, json_name, proto_name);
        self.first = false;
        self.w
    }

    #[inline]
    fn emit_defaults(&self) -> bool {
        self.w.options().emit_defaults
    }

    /// A field without presence, skipped at its default unless `emit_defaults`.
    #[inline]
    pub fn field<'a, K: ViewKind<'a>>(
        &mut self,
        json_name: &str,
        proto_name: &str,
        value: K::View,
    ) -> Result<(), EncodeError> {
        if K::is_default(&value) && !self.emit_defaults() {
            return Ok(());
        }
        K::write_view(value, self.key(json_name, proto_name))
    }

    /// A set field with presence, or a oneof member.
    #[inline]
    pub fn present<'a, K: ViewKind<'a>>(
        &mut self,
        json_name: &str,
        proto_name: &str,
        value: K::View,
    ) -> Result<(), EncodeError> {
        K::write_view(value, self.key(json_name, proto_name))
    }

    /// A field with presence, written when set.
    #[inline]
    pub fn optional<'a, K: ViewKind<'a>>(
        &mut self,
        json_name: &str,
        proto_name: &str,
        value: Option<K::View>,
    ) -> Result<(), EncodeError> {
        match value {
            Some(v) => self.present::<K>(json_name, proto_name, v),
            None => Ok(()),
        }
    }

    /// A repeated field.
    #[inline]
    pub fn repeated<'a, K: ViewKind<'a>, I: ExactSizeIterator<Item = K::View>>(
        &mut self,
        json_name: &str,
        proto_name: &str,
        values: I,
    ) -> Result<(), EncodeError> {
        if values.len() == 0 && !self.emit_defaults() {
            return Ok(());
        }
        let w = self.key(json_name, proto_name);
        w.byte(b'[');
        if K::SLOTTED {
            write_slots::<K>(values, w);
        } else {
            for (i, v) in values.enumerate() {
                K::write_element(v, w, i > 0)?;
            }
        }
        w.byte(b']');
        Ok(())
    }

    /// A map field.
    #[inline]
    pub fn map<'a, KK: ViewKey<'a>, VK: ViewKind<'a>, I>(
        &mut self,
        json_name: &str,
        proto_name: &str,
        entries: I,
    ) -> Result<(), EncodeError>
    where
        I: IntoIterator<Item = (KK::View, VK::View)>,
        I::IntoIter: ExactSizeIterator,
    {
        let entries = entries.into_iter();
        if entries.len() == 0 && !self.emit_defaults() {
            return Ok(());
        }
        let w = self.key(json_name, proto_name);
        w.byte(b'{');
        for (i, (k, v)) in entries.enumerate() {
            if i > 0 {
                w.byte(b',');
            }
            KK::write_key(k, w);
            w.byte(b':');
            VK::write_view(v, w)?;
        }
        w.byte(b'}');
        Ok(())
    }
}

/// The numbers of a repeated field, written in batches of slots (see `Writer::slots`).
#[inline(always)]
fn write_slots<'a, K: ViewKind<'a>>(mut values: impl Iterator<Item = K::View>, w: &mut Writer) {
    let mut comma = false;
    let mut more = true;
    while more {
        w.slots(|slots| {
            while !slots.full() {
                let Some(v) = values.next() else {
                    more = false;
                    return;
                };
                slots.put(|out| K::put_slot(v, out, comma));
                comma = true;
            }
        });
    }
}

/// The JSON of a view, written from its bytes.
pub fn view_to_vec<'a, V>(view: &V, options: &EncodeOptions) -> Result<Vec<u8>, EncodeError>
where
    V: View<'a>,
    V::Owned: JsonViewFields + Owned<View<'a> = V>,
{
    let mut w = Writer::new(*options);
    write_view_message::<V::Owned>(view, &mut w)?;
    Ok(w.into_bytes())
}

/// Appends the JSON of a view to `out`.
pub fn view_write_to_vec<'a, V>(
    view: &V,
    options: &EncodeOptions,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError>
where
    V: View<'a>,
    V::Owned: JsonViewFields + Owned<View<'a> = V>,
{
    let mut w = Writer::with_buffer(*options, std::mem::take(out));
    let result = write_view_message::<V::Owned>(view, &mut w);
    *out = w.into_bytes();
    result
}

/// Writes the JSON of a view to `out`.
pub fn view_to_writer<'a, V, W: std::io::Write>(
    view: &V,
    options: &EncodeOptions,
    mut out: W,
) -> Result<(), EncodeError>
where
    V: View<'a>,
    V::Owned: JsonViewFields + Owned<View<'a> = V>,
{
    let bytes = view_to_vec(view, options)?;
    out.write_all(&bytes).map_err(EncodeError::io)
}
