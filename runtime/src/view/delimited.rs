//! Varint-length-delimited message streams (`writeDelimitedTo` files, socket buffers).

use core::marker::PhantomData;

use super::wire::Reader;
use super::{DecodeOptions, View};
use crate::error::{DecodeError, DecodeErrorKind};

/// Views of the messages in a buffer of varint-length-prefixed messages. A length prefix or a
/// message cut off by the end of the buffer is an error naming its offset, after which the
/// iterator ends.
pub struct Delimited<'a, V> {
    buf: &'a [u8],
    pos: usize,
    options: DecodeOptions,
    view: PhantomData<V>,
}

impl<'a, V: View<'a>> Delimited<'a, V> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self::with_options(buf, DecodeOptions::default())
    }

    pub fn with_options(buf: &'a [u8], options: DecodeOptions) -> Self {
        Delimited {
            buf,
            pos: 0,
            options,
            view: PhantomData,
        }
    }

    /// Byte offset of the next message's length prefix.
    pub fn offset(&self) -> usize {
        self.pos
    }
}

impl<'a, V: View<'a>> Iterator for Delimited<'a, V> {
    type Item = Result<V, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.buf.get(self.pos..).filter(|r| !r.is_empty())?;
        let start = self.pos;
        let truncated = DecodeError::at(DecodeErrorKind::TruncatedStream, start);
        let mut reader = Reader::new(rest, 0);
        let body = reader
            .len_delimited()
            .map_err(|_| truncated)
            .map(|body| (body, reader.position()));
        let (body, consumed) = match body {
            Ok(ok) => ok,
            Err(err) => {
                self.pos = self.buf.len();
                return Some(Err(err));
            }
        };
        self.pos += consumed;
        Some(V::decode_with(body, self.options))
    }
}
