//! The error of view decoding.

use core::fmt;

/// Bytes that are not a valid encoding of the message: the same inputs prost rejects.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    /// Byte offset in the buffer handed to `decode`, or [`NO_OFFSET`]. Not an `Option<usize>`:
    /// at 16 bytes, the `Result<(), DecodeError>` of the decode loops comes back in two
    /// registers instead of through memory (5% fewer instructions decoding the benchmark's log
    /// records and traces; packing it into one word was slower still).
    offset: usize,
}

/// No buffer reaches this offset.
const NO_OFFSET: usize = usize::MAX;

/// What was wrong with the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// A varint longer than 10 bytes, overflowing 64 bits, or cut off by the end of the buffer.
    InvalidVarint,
    /// A field key above `u32::MAX`, with field number 0, or with wire type 6 or 7.
    InvalidKey,
    /// A known field arrived with a wire type its type cannot have.
    UnexpectedWireType,
    /// A length or fixed-width value runs past the end of its message.
    Truncated,
    /// A packed field or sub-message whose contents do not end exactly at its length.
    LengthMismatch,
    /// An end-group tag without its start, or for another field number.
    UnexpectedEndGroup,
    /// A `string` field holding bytes that are not UTF-8.
    InvalidUtf8,
    /// Messages nested deeper than the recursion limit.
    RecursionLimitReached,
    /// Messages nested so deep, under a recursion limit raised above the default, that the
    /// thread's stack would overflow.
    StackExhausted,
    /// A varint-delimited stream ending inside a length prefix or a message.
    TruncatedStream,
    /// A field of an extern type (a well-known type, an `extern_path` type) that prost rejected.
    Extern,
}

impl DecodeError {
    pub const fn new(kind: DecodeErrorKind) -> Self {
        DecodeError {
            kind,
            offset: NO_OFFSET,
        }
    }

    pub const fn at(kind: DecodeErrorKind, offset: usize) -> Self {
        DecodeError { kind, offset }
    }

    pub fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    pub fn offset(&self) -> Option<usize> {
        (self.offset != NO_OFFSET).then_some(self.offset)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind() {
            DecodeErrorKind::InvalidVarint => "invalid varint",
            DecodeErrorKind::InvalidKey => "invalid field key",
            DecodeErrorKind::UnexpectedWireType => "unexpected wire type for the field's type",
            DecodeErrorKind::Truncated => "field runs past the end of its message",
            DecodeErrorKind::LengthMismatch => "contents do not end at the declared length",
            DecodeErrorKind::UnexpectedEndGroup => "unexpected end-group tag",
            DecodeErrorKind::InvalidUtf8 => "string field is not valid UTF-8",
            DecodeErrorKind::RecursionLimitReached => "recursion limit reached",
            DecodeErrorKind::StackExhausted => "nested too deep for the thread's stack",
            DecodeErrorKind::TruncatedStream => "truncated length-delimited stream",
            DecodeErrorKind::Extern => "invalid value of an extern (well-known) message type",
        };
        write!(f, "failed to decode protobuf message: {what}")?;
        if let Some(offset) = self.offset() {
            write!(f, " at byte {offset}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("kind", &self.kind())
            .field("offset", &self.offset())
            .finish()
    }
}

impl core::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_fits_in_two_registers() {
        assert_eq!(size_of::<Result<(), DecodeError>>(), 16);
        let e = DecodeError::new(DecodeErrorKind::Truncated);
        assert_eq!(e.offset(), None);
        assert_eq!(
            format!("{e:?}"),
            "DecodeError { kind: Truncated, offset: None }"
        );
        let e = DecodeError::at(DecodeErrorKind::Truncated, 7);
        assert_eq!(e.offset(), Some(7));
        assert_eq!(
            e.to_string(),
            "failed to decode protobuf message: field runs past the end of its message at byte 7"
        );
    }
}
