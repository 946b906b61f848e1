//! Fields whose message type protogen does not generate (the well-known types, `extern_path`
//! types): read through prost.

use core::marker::PhantomData;

use super::source::Source;
use super::{DecodeOptions, View};
use crate::error::{DecodeError, DecodeErrorKind};

/// A view of a message whose type lives outside the generated code. Its bytes are validated by
/// prost when the root is decoded (prost's decode of `Timestamp`, `Duration`, wrappers and
/// `Empty` does not allocate; of `Struct`, `Any`, `FieldMask` it does), and
/// [`View::to_owned_message`] decodes them with prost.
pub struct ExternView<'a, T> {
    source: Source<'a>,
    owned: PhantomData<fn() -> T>,
}

impl<T> Clone for ExternView<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ExternView<'_, T> {}

impl<T> core::fmt::Debug for ExternView<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExternView").finish_non_exhaustive()
    }
}

impl<'a, T: prost::Message + Default> ExternView<'a, T> {
    /// The encoded bytes, one chunk per occurrence of the field (usually one).
    pub fn for_each_chunk(&self, mut f: impl FnMut(&'a [u8])) {
        self.source.for_each_chunk(|chunk, _| {
            f(chunk);
            true
        });
    }
}

impl<'a, T: prost::Message + Default> View<'a> for ExternView<'a, T> {
    type Owned = T;

    fn decode_with(buf: &'a [u8], _options: DecodeOptions) -> Result<Self, DecodeError> {
        T::decode(buf).map_err(|_| DecodeError::new(DecodeErrorKind::Extern))?;
        Ok(Self::from_source(Source::flat(buf)))
    }

    fn to_owned_message(&self) -> T {
        let mut owned = T::default();
        self.source
            .for_each_chunk(|chunk, _| owned.merge(chunk).is_ok());
        owned
    }

    fn from_source(source: Source<'a>) -> Self {
        ExternView {
            source,
            owned: PhantomData,
        }
    }

    fn check(payload: &'a [u8], at: usize, budget: u32) -> Result<(), DecodeError> {
        super::enter(budget, at)?;
        T::decode(payload)
            .map(drop)
            .map_err(|_| DecodeError::at(DecodeErrorKind::Extern, at))
    }
}

impl<T> Default for ExternView<'_, T> {
    /// The view of an empty message.
    fn default() -> Self {
        ExternView {
            source: Source::flat(&[]),
            owned: PhantomData,
        }
    }
}
