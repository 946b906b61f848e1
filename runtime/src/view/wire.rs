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

impl Key {
    /// The key of a raw tag read at virtual offset `at` (not checked: see [`Reader::key`]).
    #[inline(always)]
    pub const fn from_tag(tag: u32, at: usize) -> Self {
        Key {
            number: tag >> 3,
            wire: (tag & 7) as u8,
            at,
        }
    }
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

    /// The next raw tag (field number and wire type as one integer) and its virtual offset, or
    /// `None` at the end of the chunk. Generated decode loops match on it; tags they do not
    /// expect go to [`Reader::other_tag`], which checks them as [`Reader::key`] does.
    #[inline(always)]
    pub fn tag(&mut self) -> Result<Option<(u32, usize)>, DecodeError> {
        if self.is_empty() {
            return Ok(None);
        }
        let at = self.position();
        match u32::try_from(self.varint()?) {
            Ok(tag) => Ok(Some((tag, at))),
            Err(_) => Err(DecodeError::at(K::InvalidKey, at)),
        }
    }

    /// A tag that no declared field expects: an invalid key, a declared field (`known`, sorted)
    /// with a wire type its type cannot have, or an unknown field, which is skipped.
    #[inline]
    pub fn other_tag(
        &mut self,
        tag: u32,
        at: usize,
        known: &[u32],
        budget: u32,
    ) -> Result<(), DecodeError> {
        let key = Key::from_tag(tag, at);
        if key.number == 0 || key.wire > 5 {
            return Err(DecodeError::at(K::InvalidKey, at));
        }
        if known.binary_search(&key.number).is_ok() {
            return Err(DecodeError::at(K::UnexpectedWireType, at));
        }
        self.detached(|r| r.skip(key, budget))
    }

    /// A varint. One-byte varints (every key and most lengths) take the inlined path.
    #[inline(always)]
    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        if let Some(&b) = self.buf.get(self.pos)
            && b < 0x80
        {
            self.pos += 1;
            return Ok(u64::from(b));
        }
        self.varint_multi()
    }

    /// Varints of two bytes or more (the decoding itself is out of line, in `decode_varint`:
    /// inlining even a two-byte path here made the decode loops slower under callgrind).
    #[inline(always)]
    fn varint_multi(&mut self) -> Result<u64, DecodeError> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        match decode_varint(rest) {
            Some((value, len)) => {
                self.pos += len;
                Ok(value)
            }
            None => Err(self.err(K::InvalidVarint)),
        }
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

    /// Runs an out-of-line reader operation on a copy of the reader, so that the caller's
    /// reader never has its address taken and stays in registers in the decode loops.
    #[inline(always)]
    pub fn detached<T>(&mut self, f: impl FnOnce(&mut Reader<'a>) -> T) -> T {
        let mut copy = *self;
        let out = f(&mut copy);
        *self = copy;
        out
    }

    /// Skips the value of a field, as prost's `skip_field` does: with a recursion budget, and
    /// with end-group keys matched to their start.
    #[inline]
    pub fn skip(&mut self, key: Key, budget: u32) -> Result<(), DecodeError> {
        if budget == 0 {
            return Err(DecodeError::at(K::RecursionLimitReached, key.at));
        }
        match key.wire {
            VARINT => self.varint().map(drop),
            I64 => self.take(8).map(drop),
            LEN => self.len_delimited().map(drop),
            I32 => self.take(4).map(drop),
            SGROUP => {
                super::check_stack(budget, key.at)?;
                self.detached(|r| r.group(key.number, budget - 1).map(drop))
            }
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

    /// A string field's value: the payload, checked to be UTF-8. The short-ASCII path is inlined
    /// into decode loops (so the reader stays in registers); the rest is out of line.
    #[inline(always)]
    pub fn str(&mut self) -> Result<&'a str, DecodeError> {
        let at = self.position();
        let bytes = self.len_delimited()?;
        let start = self.pos - bytes.len();
        if ascii_window::<u128>(self.buf, start, bytes.len()) == Some(true) {
            // SAFETY: `ascii_window` checked every byte of `buf[start..start + len]`, which is
            // `bytes`, to be below 0x80; ASCII is valid UTF-8.
            return Ok(unsafe { core::str::from_utf8_unchecked(bytes) });
        }
        str_slow(self.buf, start, bytes.len(), at)
    }
}

/// [`Reader::str`] for the strings the ASCII window does not decide: longer than 32 bytes, in a
/// chunk shorter than 16 bytes (small sub-messages: a key/value attribute, a oneof's string),
/// or not ASCII. In a chunk of 8 to 15 bytes, the window's check with 8-byte words.
#[inline(never)]
fn str_slow(buf: &[u8], start: usize, len: usize, at: usize) -> Result<&str, DecodeError> {
    let bytes = &buf[start..start + len];
    if ascii_window::<u64>(buf, start, len) == Some(true) {
        // SAFETY: `ascii_window` checked every byte of `buf[start..start + len]`, which
        // is `bytes`, to be below 0x80; ASCII is valid UTF-8.
        return Ok(unsafe { core::str::from_utf8_unchecked(bytes) });
    }
    utf8(bytes).ok_or(DecodeError::at(K::InvalidUtf8, at))
}

/// The next varint of a packed payload, advancing it. Varints of up to three bytes (enums,
/// counts, small deltas and ids: most packed values) are decoded inline from one four-byte
/// read; longer ones, and the payload's last bytes, by `decode_varint`.
#[inline(always)]
pub fn take_varint(buf: &mut &[u8]) -> Option<u64> {
    if let Some(bytes) = buf.first_chunk::<4>() {
        let word = u64::from(u32::from_le_bytes(*bytes));
        let len = if word & 0x80 == 0 {
            Some((word & 0x7f, 1))
        } else if word & 0x8000 == 0 {
            Some((word & 0x7f | (word >> 1) & 0x3f80, 2))
        } else if word & 0x80_0000 == 0 {
            Some((
                word & 0x7f | (word >> 1) & 0x3f80 | (word >> 2) & 0x1f_c000,
                3,
            ))
        } else {
            None
        };
        if let Some((value, len)) = len {
            *buf = &buf[len..];
            return Some(value);
        }
    }
    let (value, len) = decode_varint(buf)?;
    *buf = &buf[len..];
    Some(value)
}

/// A varint at the start of `bytes` and its length, with prost's overflow rule (a tenth byte
/// above 1 is invalid). Unrolled over a fixed array when ten bytes are available, so the hot
/// path has no bounds checks (prost's technique); near the end of a buffer, `varint_near_end`.
#[inline(never)]
pub fn decode_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let Some(b) = bytes.first_chunk::<10>() else {
        return varint_near_end(bytes);
    };
    let mut value = 0u64;
    macro_rules! step {
        ($i:literal) => {
            value |= u64::from(b[$i] & 0x7f) << (7 * $i);
            if b[$i] < 0x80 {
                return Some((value, $i + 1));
            }
        };
    }
    step!(0);
    step!(1);
    step!(2);
    step!(3);
    step!(4);
    step!(5);
    step!(6);
    step!(7);
    step!(8);
    (b[9] < 0x02).then_some((value | (u64::from(b[9]) << 63), 10))
}

/// A varint byte by byte: the last resort of `varint_near_end`.
fn varint_loop(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte < 0x80 {
            return Some((value, i + 1));
        }
    }
    None
}

/// A varint in the last nine bytes of a buffer (a sub-message ending in one, such as a oneof's
/// integer).
///
/// Hand-written: one of up to eight bytes is decoded from one word, read from two overlapping
/// halves, without a branch on its length (64-bit values are random in length, and a byte loop
/// mispredicts where it ends; measured on the trace benchmark's attributes). Buffers of fewer
/// than four bytes, and nine-byte varints, take the byte loop.
fn varint_near_end(bytes: &[u8]) -> Option<(u64, usize)> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = bytes.len();
    let word = if let Some(b) = bytes.first_chunk::<8>() {
        u64::from_le_bytes(*b)
    } else if n >= 4 {
        let half =
            |at: usize| u32::from_le_bytes(*bytes[at..].first_chunk::<4>().expect("4 bytes"));
        u64::from(half(0)) | u64::from(half(n - 4)) << (8 * (n - 4))
    } else {
        return varint_loop(bytes);
    };
    // The bytes that end a varint, among those present (the zeros past the buffer do not).
    let present = u64::MAX >> (8 * (8 - n.min(8)));
    let stops = !word & HIGH & present;
    if stops == 0 {
        return varint_loop(bytes);
    }
    let len = stops.trailing_zeros() as usize / 8 + 1;
    let mut x = word & (u64::MAX >> (64 - 8 * len)) & 0x7f7f_7f7f_7f7f_7f7f;
    // Close up the seven-bit groups: pairs, then quadruples, then the two halves.
    x = (x & 0x007f_007f_007f_007f) | (x >> 1 & 0x3f80_3f80_3f80_3f80);
    x = (x & 0x0000_3fff_0000_3fff) | (x >> 2 & 0x0fff_c000_0fff_c000);
    x = (x & 0x0000_0000_0fff_ffff) | (x >> 4 & 0x00ff_ffff_f000_0000);
    Some((x, len))
}

/// `bytes` as `&str` if they are UTF-8.
///
/// Hand-written fast path, kept because it measurably beats the library on the decode benchmark:
/// protobuf strings are short and mostly ASCII, and `core::str::from_utf8`'s per-call setup and
/// loops dominated the log-record decode under callgrind. Overlapping word reads check strings of
/// up to 16 bytes without a loop (fewer mispredicted branches); anything that is not pure ASCII
/// goes to `core::str::from_utf8`. The fuzz target `utf8` and the tests below compare it with
/// `core::str::from_utf8`.
#[inline]
pub fn utf8(bytes: &[u8]) -> Option<&str> {
    if is_ascii(bytes) {
        // SAFETY: `is_ascii` checked every byte of `bytes` to be below 0x80; ASCII is UTF-8.
        return Some(unsafe { core::str::from_utf8_unchecked(bytes) });
    }
    core::str::from_utf8(bytes).ok()
}

/// Whether `buf[start..start + len]` is ASCII for strings of up to two words (32 bytes with
/// `u128`, 16 with `u64`) in a chunk of at least one word, decided without a branch on the
/// string's length or place (`None` otherwise). Strings are short and random in length, so
/// branching on either mispredicts (twice per string: at decode and when re-read); this is the
/// hot path of `Reader::str` (with 16-byte words; 8-byte ones for chunks of 8 to 15 bytes).
///
/// Two windows of `buf` cover the string. The head window starts at the string (moved back to
/// fit in `buf`, then shifted so that the string's first byte is its lowest) and keeps the
/// string's first word at most; the tail window ends at the string's end and counts only for
/// strings longer than a word, whose last word it holds.
#[inline(always)]
fn ascii_window<W: Word>(buf: &[u8], start: usize, len: usize) -> Option<bool> {
    let end = start + len;
    if len > 2 * W::BYTES || buf.len() < W::BYTES || end > buf.len() {
        return None;
    }
    // Both windows are inside `buf` (`buf.len() >= W::BYTES`, `end <= buf.len()`); were one
    // not, it would read as all high bits, failing the check rather than passing unread bytes.
    let head_at = start.min(buf.len() - W::BYTES);
    // `start - head_at` is a whole word only for an empty string at the end, which
    // `first_bytes(0)` masks out whatever the (wrapped) shift leaves.
    let head = W::read(buf, head_at).shr_bytes(start - head_at) & W::first_bytes(len.min(W::BYTES));
    let tail = W::read(buf, end.max(W::BYTES) - W::BYTES) & W::all_if(len > W::BYTES);
    Some((head | tail) & W::HIGH == W::ZERO)
}

/// A word the ASCII windows are read into.
trait Word:
    Copy + PartialEq + core::ops::BitAnd<Output = Self> + core::ops::BitOr<Output = Self>
{
    const BYTES: usize;
    const ZERO: Self;
    /// The high bit of every byte.
    const HIGH: Self;
    /// The word at `buf[at..]`, or all bits set if it is not inside `buf`.
    fn read(buf: &[u8], at: usize) -> Self;
    /// Shifted right by `n` bytes (wrapping the shift for `n` of a whole word).
    fn shr_bytes(self, n: usize) -> Self;
    /// The low `n` bytes set (`n` at most a word).
    fn first_bytes(n: usize) -> Self;
    /// All bits if `b`, else none.
    fn all_if(b: bool) -> Self;
}

macro_rules! word {
    ($ty:ty, $bytes:literal, $first:expr) => {
        impl Word for $ty {
            const BYTES: usize = $bytes;
            const ZERO: Self = 0;
            const HIGH: Self = <$ty>::from_le_bytes([0x80; $bytes]);
            #[inline(always)]
            fn read(buf: &[u8], at: usize) -> Self {
                let bytes = buf.get(at..).and_then(|b| b.first_chunk::<$bytes>());
                <$ty>::from_le_bytes(bytes.copied().unwrap_or([0xff; $bytes]))
            }
            #[inline(always)]
            fn shr_bytes(self, n: usize) -> Self {
                self.wrapping_shr(8 * n as u32)
            }
            #[inline(always)]
            fn first_bytes(n: usize) -> Self {
                $first(n)
            }
            #[inline(always)]
            fn all_if(b: bool) -> Self {
                (0 as $ty).wrapping_sub(<$ty>::from(b))
            }
        }
    };
}

word!(u128, 16, |n: usize| FIRST_BYTES[n]);
word!(u64, 8, |n: usize| u64::MAX
    .checked_shr(8 * (8 - n) as u32)
    .unwrap_or(0));

/// `FIRST_BYTES[n]`: the low `n` bytes of a little-endian 16-byte word set.
static FIRST_BYTES: [u128; 17] = {
    let mut masks = [0u128; 17];
    let mut n = 0;
    while n < 16 {
        masks[n + 1] = masks[n] | 0xff << (8 * n);
        n += 1;
    }
    masks
};

/// Whether every byte is below 0x80, reading overlapping words so that short strings need no
/// loop: every byte of `bytes` is covered by at least one read.
#[inline]
fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH64: u64 = 0x8080_8080_8080_8080;
    const HIGH32: u32 = 0x8080_8080;
    let len = bytes.len();
    if len >= 8 {
        let word =
            |at: usize| u64::from_le_bytes(*bytes[at..].first_chunk::<8>().expect("8 bytes"));
        let mut high = word(len - 8);
        let mut at = 0;
        // Two words per step: long strings (log messages, URLs) take half the iterations.
        while at + 16 < len {
            high |= word(at) | word(at + 8);
            at += 16;
        }
        if at + 8 < len {
            high |= word(at);
        }
        high & HIGH64 == 0
    } else if len >= 4 {
        let word =
            |at: usize| u32::from_le_bytes(*bytes[at..].first_chunk::<4>().expect("4 bytes"));
        (word(0) | word(len - 4)) & HIGH32 == 0
    } else if len > 0 {
        (bytes[0] | bytes[len / 2] | bytes[len - 1]) < 0x80
    } else {
        true
    }
}

/// Number of varints in a packed payload, checking that it is a sequence of valid varints that
/// ends exactly at its end.
///
/// Hand-written (SWAR): terminating bytes are counted eight at a time, as one-per-byte lanes
/// summed word by word (a popcount is a dozen instructions on baseline x86-64) and added up
/// before a lane could overflow, while the run of continuation bytes is carried from word to
/// word; only a run that could make a varint of ten bytes or more (the ones that can be
/// invalid) sends the payload to the exact byte-by-byte check.
pub fn count_packed_varints(payload: &[u8], base: usize) -> Result<usize, DecodeError> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if payload.last().is_some_and(|&b| b >= 0x80) {
        return Err(DecodeError::at(K::LengthMismatch, base + payload.len()));
    }
    let mut chunks = payload.chunks_exact(8);
    let mut count = 0usize;
    // Terminating bytes per byte lane, for at most 255 words.
    let (mut lanes, mut words) = (0u64, 0u32);
    // Continuation bytes since the last terminating byte.
    let mut run = 0u32;
    // Counts the terminating bytes of one word; `false` if a run could make a ten-byte varint.
    let mut count_word = |word: u64| {
        let ends = !word & HIGH;
        if run + ends.trailing_zeros() / 8 >= 9 {
            return false;
        }
        lanes += ends >> 7;
        words += 1;
        if words == 255 {
            count += sum_lanes(lanes);
            (lanes, words) = (0, 0);
        }
        run = if ends != 0 {
            ends.leading_zeros() / 8
        } else {
            run + 8
        };
        true
    };
    for chunk in &mut chunks {
        if !count_word(u64::from_le_bytes(
            *chunk.first_chunk::<8>().expect("chunks of 8"),
        )) {
            return count_packed_varints_exactly(payload, base);
        }
    }
    // The last bytes as one more word, padded with continuation bytes (which count nothing:
    // the payload's last byte ends a varint), so that no branch depends on their values.
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = HIGH << (8 * rest.len());
        for (i, &b) in rest.iter().enumerate() {
            word |= u64::from(b) << (8 * i);
        }
        if !count_word(word) {
            return count_packed_varints_exactly(payload, base);
        }
    }
    Ok(count + sum_lanes(lanes))
}

/// The sum of the eight byte lanes of `lanes`.
#[inline]
fn sum_lanes(lanes: u64) -> usize {
    const LOW_BYTES: u64 = 0x00ff_00ff_00ff_00ff;
    let pairs = (lanes & LOW_BYTES) + ((lanes >> 8) & LOW_BYTES);
    (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize
}

fn count_packed_varints_exactly(payload: &[u8], base: usize) -> Result<usize, DecodeError> {
    let mut count = 0usize;
    let mut run = 0usize;
    for (i, &b) in payload.iter().enumerate() {
        run += 1;
        if b < 0x80 {
            if run >= 10 && (run > 10 || b > 1) {
                return Err(DecodeError::at(K::InvalidVarint, base + i));
            }
            count += 1;
            run = 0;
        }
    }
    if run != 0 {
        return Err(DecodeError::at(K::LengthMismatch, base + payload.len()));
    }
    Ok(count)
}

/// Number of fixed-width values in a packed payload of `width`-byte values.
pub fn count_packed_fixed(payload: &[u8], width: usize, base: usize) -> Result<usize, DecodeError> {
    if payload.len().is_multiple_of(width) {
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
    fn decode_varint_agrees_with_prost_at_every_length_and_cut() {
        fn prost_read(bytes: &[u8]) -> Option<(u64, usize)> {
            let mut buf = bytes;
            let value = prost::encoding::decode_varint(&mut buf).ok()?;
            Some((value, bytes.len() - buf.len()))
        }
        let mut encodings: Vec<Vec<u8>> = Vec::new();
        for bits in 0..=64u32 {
            for value in [
                (1u128 << bits).saturating_sub(1) as u64,
                (1u128 << bits).min(u128::from(u64::MAX)) as u64,
            ] {
                let mut e = Vec::new();
                prost::encoding::encode_varint(value, &mut e);
                encodings.push(e);
            }
        }
        // Over-long encodings (accepted), a tenth byte above 1 (rejected), eleven bytes.
        for len in 2..=11 {
            let mut e = vec![0x80u8; len - 1];
            e.push(0);
            encodings.push(e.clone());
            *e.last_mut().unwrap() = 0x02;
            encodings.push(e.clone());
            e[0] = 0xff;
            *e.last_mut().unwrap() = 0x01;
            encodings.push(e);
        }
        for e in &encodings {
            for tail in [&[][..], &[0x00], &[0x7f, 0x80, 0xff], &[0xff; 12]] {
                let mut bytes = e.clone();
                bytes.extend_from_slice(tail);
                for cut in 0..=bytes.len() {
                    let b = &bytes[..cut];
                    assert_eq!(decode_varint(b), prost_read(b), "{b:02x?}");
                }
            }
        }
    }

    #[test]
    fn packed_varints_of_every_length_agree_with_prost() {
        let mut values = vec![0u64, u64::MAX];
        for shift in 0..64 {
            let v = 1u64 << shift;
            values.extend([v - 1, v, v + 1]);
        }
        let mut packed = Vec::new();
        for &value in &values {
            prost::encoding::encode_varint(value, &mut packed);
        }
        let mut rest = &packed[..];
        let mut decoded = Vec::new();
        while let Some(value) = take_varint(&mut rest) {
            decoded.push(value);
        }
        assert_eq!(decoded, values);
        assert!(rest.is_empty());
        // Cut inside a varint: no value, whatever the length so far.
        for cut in [&[0x80][..], &[0xff, 0x80], &[0x80, 0x80, 0x80]] {
            assert_eq!(take_varint(&mut &cut[..]), None, "{cut:?}");
        }
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
    fn utf8_agrees_with_core() {
        let cases: &[&[u8]] = &[
            b"",
            b"a",
            b"abcdefgh",
            b"abcdefghi",
            "héllo wörld, 日本語 🦀".as_bytes(),
            b"abcdefg\xff",
            b"\xff",
            b"abcdefgh\xc3",
            b"\xed\xa0\x80",
            b"12345678\x80abcdefgh",
        ];
        for case in cases {
            assert_eq!(utf8(case), core::str::from_utf8(case).ok(), "{case:02x?}");
        }
        // The windowed check agrees with the plain one for every string placement in every
        // buffer up to 40 bytes, with a non-ASCII byte inside (either side of a 16-byte window's
        // edge too), just outside, or absent.
        for buf_len in 0..=40usize {
            for start in 0..=buf_len {
                for len in 0..=buf_len - start {
                    for bad in [
                        None,
                        Some(start.wrapping_sub(1)),
                        Some(start),
                        Some(start + len / 2),
                        Some(start + 7),
                        Some(start + 8),
                        Some(start + 15),
                        Some(start + 16),
                        Some(start + len.saturating_sub(1)),
                        Some(start + len),
                    ] {
                        let mut buf = vec![b'a'; buf_len];
                        if let Some(i) = bad.filter(|&i| i < buf_len) {
                            buf[i] = 0xc3;
                        }
                        let expected = is_ascii(&buf[start..start + len]);
                        if let Some(got) = ascii_window::<u128>(&buf, start, len) {
                            assert_eq!(
                                got, expected,
                                "buf {buf_len}, start {start}, len {len}, bad {bad:?}"
                            );
                        }
                        let short = ascii_window::<u64>(&buf, start, len);
                        let decided = buf_len >= 8 && len <= 16;
                        assert_eq!(
                            short,
                            decided.then_some(expected),
                            "short: buf {buf_len}, start {start}, len {len}, bad {bad:?}"
                        );
                    }
                }
            }
        }
        // A non-ASCII byte at every position of every length up to 24: each overlap case of
        // `is_ascii`.
        for len in 0..=24 {
            for at in 0..len {
                for byte in [0x80u8, 0xc3, 0xff] {
                    let mut s = vec![b'a'; len];
                    s[at] = byte;
                    assert!(!is_ascii(&s), "len {len}, at {at}");
                    assert_eq!(utf8(&s), core::str::from_utf8(&s).ok());
                }
            }
            assert!(is_ascii(&vec![b'z'; len]));
        }
        // Every single byte value, at every position of a 17-byte ASCII string.
        for byte in 0..=255u8 {
            for at in 0..17 {
                let mut s = *b"abcdefghijklmnopq";
                s[at] = byte;
                assert_eq!(utf8(&s), core::str::from_utf8(&s).ok());
            }
        }
    }

    #[test]
    fn packed_varint_counts_agree_with_the_exact_count() {
        let mut payload = Vec::new();
        for v in [0u64, 1, 127, 128, 300, 1 << 35, u64::MAX, 5, 1 << 56, 2] {
            let mut v = v;
            while v >= 0x80 {
                payload.push(v as u8 | 0x80);
                v >>= 7;
            }
            payload.push(v as u8);
        }
        for len in 0..=payload.len() {
            let p = &payload[..len];
            assert_eq!(
                count_packed_varints(p, 0),
                count_packed_varints_exactly(p, 0),
                "{p:02x?}"
            );
        }
        let eleven = [0xff; 11];
        assert!(count_packed_varints(&[eleven.as_slice(), &[1]].concat(), 0).is_err());
        // A ten-byte varint whose last byte overflows, at every alignment (found by the
        // differential fuzz test: it spans two words without filling either).
        let overflow = [0xdf, 0xa4, 0xed, 0x9c, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x41];
        let valid = [0xdf, 0xa4, 0xed, 0x9c, 0xf8, 0xff, 0xff, 0xff, 0xff, 0x01];
        for pad in 0..16 {
            let lead = vec![0x05; pad];
            let bad = [lead.as_slice(), &overflow, &[0x07]].concat();
            let good = [lead.as_slice(), &valid, &[0x07]].concat();
            assert!(count_packed_varints(&bad, 0).is_err(), "pad {pad}");
            assert_eq!(count_packed_varints(&good, 0), Ok(pad + 2), "pad {pad}");
        }
        // Long payloads, whose per-lane counts are added up on the way (every 255 words).
        for len in [2039, 2040, 2041, 4080, 5000] {
            let ones = vec![0x01; len];
            assert_eq!(
                count_packed_varints(&ones, 0),
                Ok(len),
                "{len} one-byte varints"
            );
            let pairs: Vec<u8> = [0x80, 0x01].repeat(len);
            assert_eq!(
                count_packed_varints(&pairs, 0),
                Ok(len),
                "{len} two-byte varints"
            );
        }
        // Random payloads: the fast count always agrees with the exact one.
        let mut seed = 0x1234_5678_u64;
        for _ in 0..20_000 {
            let len = (seed % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    if seed.is_multiple_of(3) {
                        seed as u8 & 0x7f
                    } else {
                        seed as u8 | 0x80
                    }
                })
                .collect();
            assert_eq!(
                count_packed_varints(&bytes, 0),
                count_packed_varints_exactly(&bytes, 0),
                "{bytes:02x?}"
            );
        }
    }

    #[test]
    fn packed_counts_check_their_payload() {
        assert_eq!(count_packed_varints(&[1, 0x80, 1, 3], 0), Ok(3));
        assert!(count_packed_varints(&[1, 0x80], 0).is_err());
        assert_eq!(count_packed_fixed(&[0; 8], 4, 0), Ok(2));
        assert!(count_packed_fixed(&[0; 7], 4, 0).is_err());
    }
}
