//! Marker types for how a proto type is read from the wire, so that repeated fields and maps are
//! one generic iterator each.

use super::View;
use super::source::Source;
use super::wire::{self, Key, Reader};
use crate::error::DecodeError;

/// How values of one proto type are read.
pub trait Kind<'a> {
    /// What a view hands out for a value: `i32`, `&'a str`, a sub-view, …
    type Out: Copy;
    /// The wire type of one value (`LEN` for strings, bytes and messages).
    const WIRE: u8;
    /// Scalars that may also come packed in one `LEN` field.
    const PACKABLE: bool;
    /// The default value, for map entries without a key or value.
    fn default_out() -> Self::Out;
    /// Reads one value of field `number` whose key has been read and whose wire type is `WIRE`.
    fn read(r: &mut Reader<'a>, number: u32) -> Result<Self::Out, DecodeError>;
    /// Folds every value of a packed payload (only called when `PACKABLE`); returns the
    /// accumulator and how many values there were.
    #[inline]
    fn fold_packed<B>(
        mut packed: &'a [u8],
        init: B,
        mut f: impl FnMut(B, Self::Out) -> B,
    ) -> (B, usize) {
        let (mut acc, mut count) = (init, 0);
        while let Some(value) = Self::next_packed(&mut packed) {
            acc = f(acc, value);
            count += 1;
        }
        (acc, count)
    }
    /// Reads the next value of a packed payload (only called when `PACKABLE`), advancing it.
    #[inline]
    fn next_packed(packed: &mut &'a [u8]) -> Option<Self::Out> {
        let mut r = Reader::new(packed, 0);
        let value = Self::read(&mut r, 0).ok()?;
        *packed = &packed[r.position()..];
        Some(value)
    }
    /// Message kinds: values are merged across occurrences instead of the last one winning.
    const IS_MESSAGE: bool = false;
    /// A message value from its (possibly merged) bytes; only called when `IS_MESSAGE`.
    fn from_source(_src: Source<'a>) -> Self::Out {
        Self::default_out()
    }
    /// A length-delimited message value from its payload; only called when `IS_MESSAGE`.
    #[inline]
    fn from_payload(_payload: &'a [u8]) -> Self::Out {
        Self::default_out()
    }
    /// Reads and validates one value of a singular field, map key or map value at decode time,
    /// prost's way: the wire type must be `WIRE` and the value must decode. `budget` is the
    /// recursion budget of the message holding the field.
    #[inline]
    fn check_single(r: &mut Reader<'a>, key: Key, _budget: u32) -> Result<(), DecodeError> {
        r.expect(key, Self::WIRE)?;
        Self::read(r, key.number).map(drop)
    }
    /// Like [`Kind::check_single`] for one occurrence of a repeated field, which may be packed;
    /// returns the number of values it holds.
    #[inline]
    fn check_repeated(r: &mut Reader<'a>, key: Key, budget: u32) -> Result<usize, DecodeError> {
        if Self::PACKABLE && key.wire == wire::LEN {
            return packed_count::<Self>(r);
        }
        Self::check_single(r, key, budget).map(|()| 1)
    }
}

fn packed_count<'a, K: Kind<'a> + ?Sized>(r: &mut Reader<'a>) -> Result<usize, DecodeError> {
    let payload = r.len_delimited()?;
    let base = r.position() - payload.len();
    match K::WIRE {
        wire::I32 => wire::count_packed_fixed(payload, 4, base),
        wire::I64 => wire::count_packed_fixed(payload, 8, base),
        _ => wire::count_packed_varints(payload, base),
    }
}

macro_rules! varint_kind {
    ($(#[$doc:meta])* $name:ident, $out:ty, |$v:ident| $convert:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub struct $name;

        impl<'a> Kind<'a> for $name {
            type Out = $out;
            const WIRE: u8 = wire::VARINT;
            const PACKABLE: bool = true;
            #[inline]
            fn default_out() -> $out {
                Default::default()
            }
            #[inline]
            fn read(r: &mut Reader<'a>, _number: u32) -> Result<$out, DecodeError> {
                let $v = r.varint()?;
                Ok($convert)
            }
            #[inline(always)]
            fn next_packed(packed: &mut &'a [u8]) -> Option<$out> {
                let $v = wire::take_varint(packed)?;
                Some($convert)
            }
        }
    };
}

varint_kind!(
    /// `int32` and enums: the varint truncated to 32 bits, as prost does.
    Int32, i32, |v| v as i32
);
varint_kind!(Int64, i64, |v| v as i64);

/// An enum field: the number as prost keeps it (`int32` on the wire). `DEFAULT` is what prost
/// fills in for a map entry without a value: the enum's first value.
#[derive(Clone, Copy, Debug)]
pub struct Enum<const DEFAULT: i32>;

impl<'a, const DEFAULT: i32> Kind<'a> for Enum<DEFAULT> {
    type Out = i32;
    const WIRE: u8 = wire::VARINT;
    const PACKABLE: bool = true;
    #[inline]
    fn default_out() -> i32 {
        DEFAULT
    }
    #[inline]
    fn read(r: &mut Reader<'a>, number: u32) -> Result<i32, DecodeError> {
        Int32::read(r, number)
    }
    #[inline(always)]
    fn next_packed(packed: &mut &'a [u8]) -> Option<i32> {
        Int32::next_packed(packed)
    }
}
varint_kind!(Uint32, u32, |v| v as u32);
varint_kind!(Uint64, u64, |v| v);
varint_kind!(Sint32, i32, |v| {
    let v = v as u32;
    ((v >> 1) as i32) ^ (-((v & 1) as i32))
});
varint_kind!(Sint64, i64, |v| ((v >> 1) as i64) ^ (-((v & 1) as i64)));
varint_kind!(Bool, bool, |v| v != 0);

macro_rules! fixed_kind {
    ($name:ident, $out:ty, $carrier:ty, $wire:expr, $read:ident, |$v:ident| $convert:expr) => {
        #[derive(Clone, Copy, Debug)]
        pub struct $name;

        impl<'a> Kind<'a> for $name {
            type Out = $out;
            const WIRE: u8 = $wire;
            const PACKABLE: bool = true;
            #[inline]
            fn default_out() -> $out {
                Default::default()
            }
            #[inline]
            fn read(r: &mut Reader<'a>, _number: u32) -> Result<$out, DecodeError> {
                let $v: $carrier = r.$read()?;
                Ok($convert)
            }
            #[inline]
            fn fold_packed<B>(
                packed: &'a [u8],
                init: B,
                mut f: impl FnMut(B, $out) -> B,
            ) -> (B, usize) {
                const WIDTH: usize = core::mem::size_of::<$carrier>();
                let chunks = packed.chunks_exact(WIDTH);
                let count = chunks.len();
                let acc = chunks.fold(init, |acc, bytes| {
                    let $v = <$carrier>::from_le_bytes(
                        *bytes.first_chunk::<WIDTH>().expect("WIDTH bytes"),
                    );
                    f(acc, $convert)
                });
                (acc, count)
            }
            #[inline(always)]
            fn next_packed(packed: &mut &'a [u8]) -> Option<$out> {
                const WIDTH: usize = core::mem::size_of::<$carrier>();
                let (bytes, rest) = packed.split_first_chunk::<WIDTH>()?;
                *packed = rest;
                let $v = <$carrier>::from_le_bytes(*bytes);
                Some($convert)
            }
        }
    };
}

fixed_kind!(Fixed32, u32, u32, wire::I32, fixed32, |v| v);
fixed_kind!(Fixed64, u64, u64, wire::I64, fixed64, |v| v);
fixed_kind!(Sfixed32, i32, u32, wire::I32, fixed32, |v| v as i32);
fixed_kind!(Sfixed64, i64, u64, wire::I64, fixed64, |v| v as i64);
fixed_kind!(Float, f32, u32, wire::I32, fixed32, |v| f32::from_bits(v));
fixed_kind!(Double, f64, u64, wire::I64, fixed64, |v| f64::from_bits(v));

/// `string`: UTF-8 checked.
#[derive(Clone, Copy, Debug)]
pub struct Str;

impl<'a> Kind<'a> for Str {
    type Out = &'a str;
    const WIRE: u8 = wire::LEN;
    const PACKABLE: bool = false;
    #[inline]
    fn default_out() -> &'a str {
        ""
    }
    // Always inlined: `Reader::str`'s fast path is meant to sit in the decode loop; left to
    // LLVM, this was outlined once `str_slow` took four arguments (log records 7% slower).
    #[inline(always)]
    fn read(r: &mut Reader<'a>, _number: u32) -> Result<&'a str, DecodeError> {
        r.str()
    }
}

/// `bytes`.
#[derive(Clone, Copy, Debug)]
pub struct Bytes;

impl<'a> Kind<'a> for Bytes {
    type Out = &'a [u8];
    const WIRE: u8 = wire::LEN;
    const PACKABLE: bool = false;
    #[inline]
    fn default_out() -> &'a [u8] {
        &[]
    }
    #[inline]
    fn read(r: &mut Reader<'a>, _number: u32) -> Result<&'a [u8], DecodeError> {
        r.len_delimited()
    }
}

/// A message type, read as its view `V`.
#[derive(Clone, Copy, Debug)]
pub struct Message<V>(core::marker::PhantomData<V>);

impl<'a, V: View<'a>> Kind<'a> for Message<V> {
    type Out = V;
    const WIRE: u8 = wire::LEN;
    const PACKABLE: bool = false;
    #[inline]
    fn default_out() -> V {
        V::from_source(Source::flat(&[]))
    }
    #[inline]
    fn read(r: &mut Reader<'a>, _number: u32) -> Result<V, DecodeError> {
        r.len_delimited().map(V::from_flat)
    }
    const IS_MESSAGE: bool = true;
    // Always inlined, with the generated `from_flat`: the element's view is then built where
    // `fold`'s closure takes it, not returned through memory and copied (see `Repeated::fold`).
    #[inline(always)]
    fn from_payload(payload: &'a [u8]) -> V {
        V::from_flat(payload)
    }
    #[inline]
    fn from_source(src: Source<'a>) -> V {
        V::from_source(src)
    }
    #[inline]
    fn check_single(r: &mut Reader<'a>, key: Key, budget: u32) -> Result<(), DecodeError> {
        r.expect(key, wire::LEN)?;
        let payload = r.len_delimited()?;
        V::check(payload, r.position() - payload.len(), budget)
    }
}

/// A proto2 group, read as its view `V`: the fields between a start-group and the matching
/// end-group key.
#[derive(Clone, Copy, Debug)]
pub struct Group<V>(core::marker::PhantomData<V>);

impl<'a, V: View<'a>> Kind<'a> for Group<V> {
    type Out = V;
    const WIRE: u8 = wire::SGROUP;
    const PACKABLE: bool = false;
    const IS_MESSAGE: bool = true;
    #[inline]
    fn default_out() -> V {
        V::from_source(Source::flat(&[]))
    }
    #[inline]
    fn from_source(src: Source<'a>) -> V {
        V::from_source(src)
    }
    #[inline]
    fn read(r: &mut Reader<'a>, number: u32) -> Result<V, DecodeError> {
        r.group(number, u32::MAX).map(V::from_flat)
    }
    fn check_single(r: &mut Reader<'a>, key: Key, budget: u32) -> Result<(), DecodeError> {
        r.expect(key, wire::SGROUP)?;
        let inner = super::enter(budget, key.at)?;
        let body = r.group(key.number, inner)?;
        V::check(body, r.position() - body.len(), budget)
    }
}
