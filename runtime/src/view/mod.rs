//! Borrowed, zero-copy views: what generated `FooView<'a>` types are made of.
//!
//! A view is decoded from `&'a [u8]` in one pass that validates the whole message tree exactly as
//! prost would (wire types, lengths, UTF-8, recursion limit) and records, for the message's own
//! fields, scalar values, borrowed strings and bytes, and where sub-messages and repeated fields
//! start. Reading a sub-message re-parses only its bytes; iterating a repeated field scans from its
//! first occurrence and stops after its last element. Nothing allocates.

mod delimited;
mod extern_view;
mod field;
pub mod kind;
mod map;
mod repeated;
mod source;
mod unknown;
// What generated code calls, not users (see ARCHITECTURE.md, "API boundaries"): public so that
// generated code in users' crates reaches it, hidden from the docs and the semver promise.
#[doc(hidden)]
pub mod wire;

pub use delimited::Delimited;
pub use extern_view::ExternView;
pub use map::{MapEntries, MapView, check_entry};
pub use repeated::Repeated;
pub use source::{MAX_MERGE_PATH, MAX_MERGED_CHUNKS};
#[doc(hidden)]
pub use source::{MessageSlot, RepeatedSlot, Source};
pub use unknown::{UnknownField, UnknownFields};

use crate::error::{DecodeError, DecodeErrorKind};

/// prost's recursion limit: messages nested deeper are rejected.
pub const DEFAULT_RECURSION_LIMIT: u32 = 100;

/// Options of a view decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeOptions {
    /// How deep messages (and groups, and map entries) may nest; prost's 100 by default.
    /// Above the default, the decode also stops with [`DecodeErrorKind::StackExhausted`] before
    /// the thread's stack would overflow. Whatever recurses over a message that deep afterwards
    /// (`to_owned`, JSON, validation) takes more stack per level than the decode did.
    pub recursion_limit: u32,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            recursion_limit: DEFAULT_RECURSION_LIMIT,
        }
    }
}

/// A borrowed view of a message, tied to its owned prost type.
pub trait View<'a>: Copy + Sized {
    /// The prost struct this is a view of.
    type Owned: prost::Message + Default;

    /// Decodes and validates `buf`, with prost's recursion limit.
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        Self::decode_with(buf, DecodeOptions::default())
    }

    /// Decodes and validates `buf`.
    fn decode_with(buf: &'a [u8], options: DecodeOptions) -> Result<Self, DecodeError>;

    /// The owned prost value: equal to `Self::Owned::decode(bytes)` for the same bytes.
    /// (Generated views also have it as the inherent method `to_owned`; the trait method has
    /// another name so generic code does not collide with `ToOwned`.)
    fn to_owned_message(&self) -> Self::Owned;

    /// A view of bytes that were validated when their root was decoded.
    #[doc(hidden)]
    fn from_source(src: Source<'a>) -> Self;

    /// [`View::from_source`] for one contiguous payload: the hot path of iterating a repeated
    /// message field.
    #[doc(hidden)]
    #[inline]
    fn from_flat(payload: &'a [u8]) -> Self {
        Self::from_source(Source::flat(payload))
    }

    /// Validates the payload of one occurrence of this message inside a message whose recursion
    /// budget is `budget`; `at` is the payload's offset, for errors.
    #[doc(hidden)]
    fn check(payload: &'a [u8], at: usize, budget: u32) -> Result<(), DecodeError>;
}

/// An owned prost type that has a view.
pub trait Owned: prost::Message + Default {
    type View<'a>: View<'a, Owned = Self>;

    /// Decodes a view of an encoding of `Self`.
    fn view(buf: &[u8]) -> Result<Self::View<'_>, DecodeError> {
        Self::View::decode(buf)
    }
}

/// The recursion check prost makes before entering a nested message; and, under a limit raised
/// above the default, a check of the stack left (see `stack.rs`).
#[doc(hidden)]
#[inline]
pub fn enter(budget: u32, at: usize) -> Result<u32, DecodeError> {
    check_stack(budget, at)?;
    budget
        .checked_sub(1)
        .ok_or(DecodeError::at(DecodeErrorKind::RecursionLimitReached, at))
}

/// Fails when the budget comes from a limit raised above the default and the stack is nearly
/// used up.
#[inline]
pub(crate) fn check_stack(budget: u32, at: usize) -> Result<(), DecodeError> {
    if budget > DEFAULT_RECURSION_LIMIT && crate::stack::nearly_exhausted() {
        return Err(DecodeError::at(DecodeErrorKind::StackExhausted, at));
    }
    Ok(())
}

/// An enum value as read from the wire: one the schema names, or a number it does not know
/// (open enums keep those; prost keeps them as the raw `i32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EnumValue<E> {
    Known(E),
    Unknown(i32),
}

impl<E: TryFrom<i32>> EnumValue<E> {
    pub fn from_raw(number: i32) -> Self {
        match E::try_from(number) {
            Ok(known) => EnumValue::Known(known),
            Err(_) => EnumValue::Unknown(number),
        }
    }
}

impl<E: Copy> EnumValue<E> {
    /// The named value, if the schema knows the number.
    pub fn known(self) -> Option<E> {
        match self {
            EnumValue::Known(e) => Some(e),
            EnumValue::Unknown(_) => None,
        }
    }
}
