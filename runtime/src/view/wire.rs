//! Reading the protobuf wire format from a byte slice, with prost's acceptance rules.
//!
//! Hand-written because it is the product: the views' decoder. Every read is bounds-checked and
//! returns an error rather than panicking; nothing allocates.

use crate::error::{DecodeError, DecodeErrorKind as K};

pub const VARINT: u8 = 0;
pub const I64: u8 = 1;
pub const LEN: u8 = 2;
pub const SGROUP: u8 = 3;
pub const EGROUP: u8 = 4;
pub const I32: u8 = 5;

/// A cursor over one contiguous chunk of a message.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Offset of `buf[0]` in the source's virtual concatenation (see [`super::Source`]).
    base: usize,
}

/// A decoded field key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub number: u32,
    pub wire: u8,
    /// Virtual offset of the key's first byte.
    pub at: usize,
}

impl<'a> Reader<'a> {
    #[inline]
    pub fn new(buf: &'a [u8], base: usize) -> Self {
        Reader { buf, pos: 0, base }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    #[inline]
    pub fn position(&self) -> usize {
        self.base + self.pos
    }

    #[inline]
    fn err(&self, kind: K) -> DecodeError {
        DecodeError::at(kind, self.base + self.pos)
    }

    /// The next field key, or `None` at the end of the chunk.
    #[inline]
    pub fn key(&mut self) -> Result<Option<Key>, DecodeError> {
        if self.is_empty() {
            return Ok(None);
        }
        let at = self.position();
        let raw = self.varint()?;
        if raw > u64::from(u32::MAX) {
            return Err(DecodeError::at(K::InvalidKey, at));
        }
        let wire = (raw & 7) as u8;
        let number = (raw as u32) >> 3;
        if number == 0 || wire > 5 {
            return Err(DecodeError::at(K::InvalidKey, at));
        }
        Ok(Some(Key { number, wire, at }))
    }

    #[inline]
    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        match rest.first() {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Ok(u64::from(b))
            }
            _ => self.varint_slow(rest),
        }
    }

    #[inline(never)]
    fn varint_slow(&mut self, rest: &[u8]) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for (i, &b) in rest.iter().take(10).enumerate() {
            if i == 9 && b > 1 {
                return Err(self.err(K::InvalidVarint));
            }
            value |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                self.pos += i + 1;
                return Ok(value);
            }
        }
        Err(self.err(K::InvalidVarint))
    }

    #[inline]
    pub fn fixed32(&mut self) -> Result<u32, DecodeError> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    #[inline]
    pub fn fixed64(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }

    #[inline]
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        match end {
            Some(end) => {
                let bytes = &self.buf[self.pos..end];
                self.pos = end;
                Ok(bytes)
            }
            None => Err(self.err(K::Truncated)),
        }
    }

    /// The payload of a length-delimited field whose key has been read.
    #[inline]
    pub fn len_delimited(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.varint()?;
        let len = usize::try_from(len).map_err(|_| self.err(K::Truncated))?;
        self.take(len)
    }

    /// Checks the wire type of a known field.
    #[inline]
    pub fn expect(&self, key: Key, wire: u8) -> Result<(), DecodeError> {
        if key.wire == wire {
            Ok(())
        } else {
            Err(DecodeError::at(K::UnexpectedWireType, key.at))
        }
    }

    /// The body of a group whose start key has been read, without its end-group key.
    /// `budget` is the recursion budget of the message holding the group.
    pub fn group(&mut self, number: u32, budget: u32) -> Result<&'a [u8], DecodeError> {
        let start = self.pos;
        loop {
            let Some(key) = self.key()? else {
                return Err(self.err(K::InvalidVarint));
            };
            if key.wire == EGROUP {
                if key.number != number {
                    return Err(DecodeError::at(K::UnexpectedEndGroup, key.at));
                }
                let end = key.at - self.base;
                return Ok(&self.buf[start..end]);
            }
            self.skip(key, budget)?;
        }
    }

    /// Skips the value of a field, as prost's `skip_field` does: with a recursion budget, and
    /// with end-group keys matched to their start.
    pub fn skip(&mut self, key: Key, budget: u32) -> Result<(), DecodeError> {
        if budget == 0 {
            return Err(DecodeError::at(K::RecursionLimitReached, key.at));
        }
        match key.wire {
            VARINT => self.varint().map(drop),
            I64 => self.take(8).map(drop),
            LEN => self.len_delimited().map(drop),
            I32 => self.take(4).map(drop),
            SGROUP => self.group(key.number, budget - 1).map(drop),
            _ => Err(DecodeError::at(K::UnexpectedEndGroup, key.at)),
        }
    }

    /// Skips a field while scanning bytes that were validated: `maps` are the message's map
    /// field numbers, whose entries prost reads as length-delimited whatever their wire type.
    #[inline]
    pub fn skip_scanning(&mut self, key: Key, maps: &[u32]) -> Result<(), DecodeError> {
        if !maps.is_empty() && maps.contains(&key.number) {
            self.len_delimited().map(drop)
        } else {
            self.skip(key, u32::MAX)
        }
    }

    /// A string field's value: the payload, checked to be UTF-8.
    #[inline]
    pub fn str(&mut self) -> Result<&'a str, DecodeError> {
        let at = self.position();
        let bytes = self.len_delimited()?;
        core::str::from_utf8(bytes).map_err(|_| DecodeError::at(K::InvalidUtf8, at))
    }
}

/// Number of varints in a packed payload, checking that it is a sequence of valid varints that
/// ends exactly at its end.
pub fn count_packed_varints(payload: &[u8], base: usize) -> Result<usize, DecodeError> {
    let ends = payload.iter().filter(|&&b| b < 0x80).count();
    if payload.last().is_some_and(|&b| b >= 0x80) {
        return Err(DecodeError::at(K::LengthMismatch, base + payload.len()));
    }
    // Only varints longer than 10 bytes or overflowing need a closer look; they are rare, so
    // check just the runs that could be.
    let mut run = 0usize;
    for (i, &b) in payload.iter().enumerate() {
        run += 1;
        if b < 0x80 {
            if run > 10 || (run == 10 && b > 1) {
                return Err(DecodeError::at(K::InvalidVarint, base + i));
            }
            run = 0;
        }
    }
    Ok(ends)
}

/// Number of fixed-width values in a packed payload of `width`-byte values.
pub fn count_packed_fixed(payload: &[u8], width: usize, base: usize) -> Result<usize, DecodeError> {
    if payload.len() % width == 0 {
        Ok(payload.len() / width)
    } else {
        Err(DecodeError::at(K::LengthMismatch, base + payload.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_follow_prost() {
        let read = |b: &[u8]| Reader::new(b, 0).varint();
        assert_eq!(read(&[0x01]), Ok(1));
        assert_eq!(read(&[0xac, 0x02]), Ok(300));
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(read(&max), Ok(u64::MAX));
        let overflow = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(read(&overflow).unwrap_err().kind(), K::InvalidVarint);
        assert_eq!(read(&[0x80]).unwrap_err().kind(), K::InvalidVarint);
        assert_eq!(read(&[]).unwrap_err().kind(), K::InvalidVarint);
    }

    #[test]
    fn keys_reject_field_zero_and_wire_types_6_and_7() {
        let key = |b: &[u8]| Reader::new(b, 0).key();
        assert_eq!(key(&[0x08]).unwrap().unwrap().number, 1);
        assert_eq!(key(&[0x00]).unwrap_err().kind(), K::InvalidKey);
        assert_eq!(key(&[0x0e]).unwrap_err().kind(), K::InvalidKey);
        assert_eq!(key(&[0x0f]).unwrap_err().kind(), K::InvalidKey);
        assert_eq!(key(&[]).unwrap(), None);
    }

    #[test]
    fn groups_must_end_with_their_own_number() {
        // Field 1 group containing field 2 varint 5, then end group 1.
        let mut ok = Reader::new(&[0x10, 0x05, 0x0c], 0);
        assert_eq!(ok.group(1, 100).unwrap(), &[0x10, 0x05]);
        let mut wrong = Reader::new(&[0x14], 0);
        assert_eq!(
            wrong.group(1, 100).unwrap_err().kind(),
            K::UnexpectedEndGroup
        );
        let mut open = Reader::new(&[0x10, 0x05], 0);
        assert!(open.group(1, 100).is_err());
    }

    #[test]
    fn packed_counts_check_their_payload() {
        assert_eq!(count_packed_varints(&[1, 0x80, 1, 3], 0), Ok(3));
        assert!(count_packed_varints(&[1, 0x80], 0).is_err());
        assert_eq!(count_packed_fixed(&[0; 8], 4, 0), Ok(2));
        assert!(count_packed_fixed(&[0; 7], 4, 0).is_err());
    }
}
