//! The JSON writer. Hand-written rather than serde_json's `Serializer`: writing straight into a
//! `Vec<u8>` with the proto3 forms (quoted 64-bit integers, base64, enum names) produced in place,
//! without the intermediate strings a serde-based encoder allocates for them, is the point of
//! protogen's JSON (see the README's benchmarks). Strings are escaped like serde_json does.

use super::kind::Kind;
use super::{EncodeError, EncodeOptions, JsonMessage};

/// Receives the fields of a message; implemented by [`Writer`]'s object writer and by the serde
/// adapter behind the generated `Serialize` impls.
pub trait FieldSink {
    type Error;

    /// The options in force (the serde adapter's are the canonical ones).
    fn options(&self) -> &EncodeOptions;

    /// A field without presence: skipped at its default value unless `emit_defaults` is set.
    #[inline]
    fn field<K: Kind>(
        &mut self,
        json_name: &'static str,
        proto_name: &'static str,
        value: &K::Value,
    ) -> Result<(), Self::Error> {
        if K::is_default(value) && !self.options().emit_defaults {
            return Ok(());
        }
        self.present::<K>(json_name, proto_name, value)
    }

    /// A field with presence that is set (or a oneof member): always written.
    fn present<K: Kind>(
        &mut self,
        json_name: &'static str,
        proto_name: &'static str,
        value: &K::Value,
    ) -> Result<(), Self::Error>;

    /// An `Option` field with presence: written when set.
    #[inline]
    fn optional<K: Kind>(
        &mut self,
        json_name: &'static str,
        proto_name: &'static str,
        value: &Option<K::Value>,
    ) -> Result<(), Self::Error> {
        match value {
            Some(v) => self.present::<K>(json_name, proto_name, v),
            None => Ok(()),
        }
    }
}

/// A JSON writer into a `Vec<u8>`, with the options the values are written with.
#[derive(Debug)]
pub struct Writer {
    buf: Vec<u8>,
    options: EncodeOptions,
    /// Where the keys of the maps being transcoded from bytes were written (see `wire.rs`):
    /// one stack for every nested message of a call, allocated only for maps.
    pub(crate) map_keys: Vec<(usize, usize)>,
}

static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The standard base64 alphabet.
const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// How many leading bytes of `bytes` need no escaping: the index of the first control character,
/// `"` or `\\`, or the length, eight bytes at a time (the tests of [`special_bytes`], kept
/// inline here: this body is inlined in the encoder and the decoder, where the shared helper
/// measured slower). The decoder's string scan uses it too.
#[inline]
pub(crate) fn clean_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    for chunk in bytes.chunks_exact(8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        let control = x.wrapping_sub(ONES * 0x20) & !x;
        let q = x ^ (ONES * b'"' as u64);
        let quote = q.wrapping_sub(ONES) & !q;
        let b = x ^ (ONES * b'\\' as u64);
        let backslash = b.wrapping_sub(ONES) & !b;
        let found = (control | quote | backslash) & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    if i < bytes.len() && i >= 8 {
        // The last partial word, as the (overlapping) last eight bytes: those before `i` are
        // clean, so the lowest flagged byte is at or after `i`.
        let start = bytes.len() - 8;
        let x = u64::from_le_bytes(bytes[start..].try_into().expect("eight bytes"));
        let control = x.wrapping_sub(ONES * 0x20) & !x;
        let q = x ^ (ONES * b'"' as u64);
        let quote = q.wrapping_sub(ONES) & !q;
        let b = x ^ (ONES * b'\\' as u64);
        let backslash = b.wrapping_sub(ONES) & !b;
        let found = (control | quote | backslash) & HIGH;
        return if found == 0 {
            bytes.len()
        } else {
            start + (found.trailing_zeros() / 8) as usize
        };
    }
    match bytes[i..].iter().position(|&b| ESCAPE[b as usize] != 0) {
        Some(p) => i + p,
        None => bytes.len(),
    }
}

/// The index of the first byte of `bytes` that needs escaping or is not ASCII, or the length:
/// one scan that both checks a wire string's UTF-8 (ASCII is) and finds its escapes.
#[inline]
pub(crate) fn clean_ascii_prefix(bytes: &[u8]) -> usize {
    special_prefix::<true>(bytes)
}

/// The high bit of each byte of `x` that is a control character, `"` or `\\` (or, with `ASCII`,
/// at or above 0x80), by the `has_less`/`has_zero` tests of "Bit Twiddling Hacks". Only the
/// lowest flagged byte is exact: a borrow only starts at a byte that really matches, and can
/// wrongly flag the bytes above it only.
#[inline(always)]
fn special_bytes<const ASCII: bool>(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let control = x.wrapping_sub(ONES * 0x20) & !x;
    let q = x ^ (ONES * b'"' as u64);
    let quote = q.wrapping_sub(ONES) & !q;
    let b = x ^ (ONES * b'\\' as u64);
    let backslash = b.wrapping_sub(ONES) & !b;
    let high = if ASCII { x } else { 0 };
    (control | quote | backslash | high) & HIGH
}

/// The first special byte (see [`special_bytes`]) of `bytes`, or the length. Eight bytes at a
/// time, the last partial word as the overlapping last eight bytes, strings of 4-7 bytes as two
/// overlapping four-byte reads: no byte loop except below four bytes.
#[inline(always)]
fn special_prefix<const ASCII: bool>(bytes: &[u8]) -> usize {
    let len = bytes.len();
    if len < 8 {
        if let (Some(lo), Some(hi)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
            // Bytes 0-3, then bytes len-4..len (overlapping) in the high half.
            let x = u64::from(u32::from_le_bytes(*lo)) | u64::from(u32::from_le_bytes(*hi)) << 32;
            let found = special_bytes::<ASCII>(x);
            if found == 0 {
                return len;
            }
            let byte = (found.trailing_zeros() / 8) as usize;
            // (`byte` is 4-7 in the high half, `len` at least 4: no underflow.)
            return if byte < 4 { byte } else { len + byte - 8 };
        }
        return bytes
            .iter()
            .position(|&b| ESCAPE[b as usize] != 0 || (ASCII && b >= 0x80))
            .unwrap_or(len);
    }
    let mut i = 0;
    for chunk in bytes.chunks_exact(8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        let found = special_bytes::<ASCII>(x);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    if i == len {
        return len;
    }
    last_word::<ASCII>(bytes)
}

/// The first special byte of `bytes` (at least eight long) when all but the last partial word
/// are clean: the last partial word is read as the (overlapping) last eight bytes, so the
/// lowest flagged byte is the first special one.
#[inline(always)]
fn last_word<const ASCII: bool>(bytes: &[u8]) -> usize {
    let start = bytes.len() - 8;
    let x = u64::from_le_bytes(*bytes[start..].first_chunk::<8>().expect("eight bytes"));
    let found = special_bytes::<ASCII>(x);
    if found == 0 {
        bytes.len()
    } else {
        start + (found.trailing_zeros() / 8) as usize
    }
}

/// Integers the writer formats: a sign and a magnitude.
pub trait Decimal: Copy {
    fn split(self) -> (bool, u64);
}

macro_rules! decimal {
    ($($ty:ty),*) => {$(
        impl Decimal for $ty {
            #[inline(always)]
            #[allow(unused_comparisons)]
            fn split(self) -> (bool, u64) {
                (self < 0, self.unsigned_abs() as u64)
            }
        }
    )*};
}

decimal!(i32, i64);

impl Decimal for u32 {
    #[inline(always)]
    fn split(self) -> (bool, u64) {
        (false, u64::from(self))
    }
}

impl Decimal for u64 {
    #[inline(always)]
    fn split(self) -> (bool, u64) {
        (false, self)
    }
}

/// `00` to `99` in ASCII, the first digit in the low byte (see [`ascii4`]); 128 entries, so that
/// an index masked to 7 bits needs no bounds check.
static PAIRS: [u16; 128] = {
    let mut t = [0u16; 128];
    let mut i = 0;
    while i < 100 {
        t[i] = u16::from_le_bytes([b'0' + (i / 10) as u8, b'0' + (i % 10) as u8]);
        i += 1;
    }
    t
};

pub(super) const E8: u64 = 100_000_000;

/// Up to [`BATCH`] numbers of an array being written into the writer's buffer (see
/// [`Writer::slots`]): each is written into its [`SLOT`] bytes after the previous one, with no
/// capacity check and no length stored in the `Vec` until the batch ends.
pub struct Slots<'a> {
    room: &'a mut [u8; BATCH * SLOT],
    at: usize,
    count: usize,
}

impl Slots<'_> {
    /// Whether the batch has had its [`BATCH`] numbers.
    #[inline(always)]
    pub fn full(&self) -> bool {
        self.count == BATCH
    }

    /// Writes one number through `put` (see [`Writer::slot`]); only while not [`full`](Self::full).
    #[inline(always)]
    pub fn put(&mut self, put: impl FnOnce(&mut [u8; SLOT]) -> usize) {
        debug_assert!(!self.full());
        // While not full, `at` is at most `(BATCH - 1) * SLOT`: the `min` tells the compiler,
        // so the slot has no bounds check.
        let at = self.at.min((BATCH - 1) * SLOT);
        let Some(out) = self.room[at..].first_chunk_mut::<SLOT>() else {
            unreachable!("a slot fits after `at`")
        };
        self.at = at + put(out);
        self.count += 1;
    }
}

/// Numbers of an array written per [`Writer::slots`] call: the zeroed batch is 256 bytes, a few
/// stores.
pub const BATCH: usize = 8;

/// Room for one number with its punctuation (see [`Writer::slot`]): a comma, quotes, a sign and
/// 20 digits, or a comma and zmij's longest text (25 bytes; a double's fixed-size stores reach
/// 30, see `double.rs`).
pub const SLOT: usize = 32;

/// Writes `[,]["][-]digits["]` (the quotes when `QUOTED`) at the start of `out`; returns its
/// length. The punctuation is stored unconditionally and kept or overwritten by where the next
/// piece starts, so the only branches are on the number's size.
#[inline(always)]
pub(crate) fn put_int<const QUOTED: bool>(
    out: &mut [u8; SLOT],
    comma: bool,
    negative: bool,
    magnitude: u64,
) -> usize {
    out[0] = b',';
    let mut at = usize::from(comma);
    if QUOTED {
        out[at] = b'"';
        at += 1;
    }
    out[at] = b'-';
    at += usize::from(negative);
    // Long numbers (timestamps) first: testing them last made the trace benchmark 4% slower.
    at = if magnitude >= E8 {
        put_long(out, at, magnitude)
    } else if magnitude < 10_000 {
        put_trimmed4(out, at, magnitude as u32)
    } else {
        put_trimmed(out, at, magnitude as u32)
    };
    if QUOTED {
        out[at] = b'"';
        at += 1;
    }
    at
}

/// Nine digits or more (at `out[at..]`, `at` at most 3): two or three blocks. Kept out of line:
/// numbers below 10^8 are most of them, timestamps aside.
#[inline(never)]
fn put_long(out: &mut [u8; SLOT], at: usize, v: u64) -> usize {
    let at = at.min(3);
    if v < E8 * E8 {
        let high = (v / E8) as u32;
        let at = if high < 10_000 {
            put_trimmed4(out, at, high)
        } else {
            put_trimmed(out, at, high)
        };
        put_full(out, at, (v % E8) as u32)
    } else {
        // The top is below 1845 (2^64 has 20 digits): four digits at most.
        let (top, rest) = (v / (E8 * E8), v % (E8 * E8));
        let at = put_trimmed4(out, at, top as u32);
        let at = put_full(out, at, (rest / E8) as u32);
        put_full(out, at, (rest % E8) as u32)
    }
}

/// `x` (below 10^4) without leading zeros at `out[at..]` (`at` at most 24); returns its end.
/// Counts, ids, deltas are mostly this small: half the work of [`put_trimmed`].
#[inline(always)]
pub(super) fn put_trimmed4(out: &mut [u8; SLOT], at: usize, x: u32) -> usize {
    let skip = usize::from(x < 1000) + usize::from(x < 100) + usize::from(x < 10);
    put_word(out, at, u64::from(ascii4(x) >> (8 * skip)));
    at + 4 - skip
}

/// `x` (below 10^8) without leading zeros at `out[at..]` (`at` at most 19); returns its end. One
/// eight-byte store, of which the digits are kept.
#[inline(always)]
fn put_trimmed(out: &mut [u8; SLOT], at: usize, x: u32) -> usize {
    debug_assert!((10_000..E8 as u32).contains(&x));
    let skip = usize::from(x < 10_000_000) + usize::from(x < 1_000_000) + usize::from(x < 100_000);
    put_word(out, at, ascii8(x) >> (8 * skip));
    at + 8 - skip
}

/// `x` (below 10^8) as exactly eight digits at `out[at..]`; returns their end.
#[inline(always)]
fn put_full(out: &mut [u8; SLOT], at: usize, x: u32) -> usize {
    put_word(out, at, ascii8(x));
    at + 8
}

/// The four digits of `x` (below 10^4) in ASCII, the first in the low byte: two pairs from a
/// table. Hand-written: 64-bit integers are decimal strings in proto3 JSON, and integers are
/// among the most frequent values. (Fewer instructions make the digits in parallel lanes of a
/// word, SWAR, as `double.rs` does where it has no SSE2, but through a longer chain of
/// multiplications; with the pairs, arrays of numbers are written 3-5% faster, more of them in
/// flight at once: metric points and traces, bytes → JSON.)
#[inline(always)]
fn ascii4(x: u32) -> u32 {
    let high = (x * 5243) >> 19;
    let low = x - high * 100;
    u32::from(PAIRS[high as usize & 127]) | u32::from(PAIRS[low as usize & 127]) << 16
}

/// The eight digits of `x` (below 10^8) in ASCII, the first in the low byte.
#[inline(always)]
fn ascii8(x: u32) -> u64 {
    u64::from(ascii4(x / 10_000)) | u64::from(ascii4(x % 10_000)) << 32
}

#[inline(always)]
fn put_word(out: &mut [u8; SLOT], at: usize, word: u64) {
    // `at` is at most 19 wherever it is called (see `put_int`); the `min` makes that plain to
    // the compiler, so the store has no bounds check (and the `min` folds away).
    let at = at.min(SLOT - 8);
    out[at..at + 8].copy_from_slice(&word.to_le_bytes());
}

/// The magnitude of `v` if it is an integer below 2^53 (`-0.0` too): then its shortest
/// round-trip digits are its integer digits, which zmij writes as `123.0`. Hand-written: such
/// doubles (counts, bucket bounds, sizes) are common, and their digits are what [`put_int`]
/// writes, at a quarter of zmij's cost. (Shortest: every integer in reach of `v`'s rounding
/// interval, half an ulp of at most 1 wide, is `v` itself, and a decimal with fewer significant
/// digits would be a multiple of a power of ten that `v` is not, at least 1 away.)
#[inline(always)]
fn small_integer(v: f64) -> Option<u64> {
    // From the bits: a float-to-integer conversion and back costs three times as much
    // (saturation and NaN checks).
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let significand = bits & ((1 << 52) - 1) | 1 << 52;
    if (0..53).contains(&exponent) {
        // 1 <= |v| < 2^53: an integer if the bits below the binary point are zero.
        let fraction = 52 - exponent;
        let integer = significand & ((1 << fraction) - 1) == 0;
        integer.then_some(significand >> fraction)
    } else {
        // Zero (either sign), or outside the range.
        (bits << 1 == 0).then_some(0)
    }
}

/// Writes `.0` at `out[at..]` (`at` at most 19: a comma, a sign and 16 digits); returns its end.
#[inline(always)]
fn put_point_zero(out: &mut [u8; SLOT], at: usize) -> usize {
    let at = at.min(SLOT - 2);
    out[at..at + 2].copy_from_slice(b".0");
    at + 2
}

/// `|v|` in thousandths if `v` (not an integer) is below 2^50 / 1000 and is the double nearest to
/// a decimal of at most three decimals: then that decimal, without its trailing zeros, is what
/// zmij writes. Hand-written: such doubles (histogram bounds like 0.25 or 2.5, prices) are
/// common, and this costs a multiplication and a division, a third of zmij's work (doubles
/// with all their digits skip it: see [`surely_long`]). (Shortest and closest: `v`'s rounding
/// interval is under 1/4000 wide, so no decimal with fewer decimals, nor another with as many,
/// is in it.)
#[inline(always)]
fn thousandths(v: f64) -> Option<u64> {
    const LIMIT: f64 = (1u64 << 50) as f64;
    let magnitude = v.abs();
    let scaled = magnitude * 1000.0;
    // (Not below the limit: too large, infinite or NaN.)
    let Some(core::cmp::Ordering::Less) = scaled.partial_cmp(&LIMIT) else {
        return None;
    };
    // Within 1/4 of the candidate (see above), so rounding half up finds it; the division
    // (correctly rounded, of exact operands) says whether the decimal reads back as `v`.
    // (Through `i64`: its conversions are single instructions, `u64`'s are not.)
    let m = (scaled + 0.5) as i64;
    (m as f64 / 1000.0 == magnitude).then_some(m as u64)
}

/// Whether `v` is finite and surely neither an integer nor a [`thousandths`] decimal, by a test
/// that costs a few instructions where those two cost about fifty: a double with all its
/// digits (a mean, a ratio) then goes straight to [`put_double`](super::double::put_double).
/// (Only a matter of speed: `put_double` writes any finite double right.)
#[inline(always)]
fn surely_long(v: f64) -> bool {
    // Added and taken away again, rounds a number below 2^51 to an integer.
    const ROUND: f64 = (3u64 << 51) as f64;
    let scaled = v.abs() * 1000.0;
    let off = (scaled - ((scaled + ROUND) - ROUND)).abs();
    // Times 1000, an integer or a decimal with at most three decimals is within about
    // `scaled * 2^-52` of `scaled` (half an ulp of `v`, times 1000, plus the product's
    // rounding); twice that for slack. Others are off by up to 1/2; below 10^9, all but one in
    // a thousand by more than this. (False for infinities and NaN: `off` is NaN.)
    off > scaled * (2.0 * f64::EPSILON)
}

/// Writes `[,][-]int.frac` for `m` thousandths (not a multiple of 1000), the fraction without
/// its trailing zeros; returns the length.
#[inline(always)]
fn put_thousandths(out: &mut [u8; SLOT], comma: bool, negative: bool, m: u64) -> usize {
    // At most 13 integer digits: `at` is at most 15 after them.
    let at = put_int::<false>(out, comma, negative, m / 1000).min(SLOT - 5);
    // The three decimals, the first in the low byte; the fourth byte is zero.
    let decimals = ascii4((m % 1000) as u32) >> 8;
    // Without the trailing zeros (the last nonzero byte of the digits' values).
    let kept = 4 - (decimals - 0x30_3030).leading_zeros() as usize / 8;
    out[at] = b'.';
    out[at + 1..at + 5].copy_from_slice(&decimals.to_le_bytes());
    at + 1 + kept
}

/// Writes `[,]` and a double at the start of `out`; returns the length. zmij's text, by the
/// cheapest way that gives it: integers and short decimals from their digits, the rest by
/// [`put_double`](super::double::put_double), straight there when [`surely_long`].
#[inline(always)]
pub(crate) fn put_f64(out: &mut [u8; SLOT], comma: bool, v: f64) -> usize {
    if surely_long(v) {
        out[0] = b',';
        super::double::put_double(out, usize::from(comma), v)
    } else if let Some(magnitude) = small_integer(v) {
        let at = put_int::<false>(out, comma, v.is_sign_negative(), magnitude);
        put_point_zero(out, at)
    } else if let Some(m) = thousandths(v) {
        put_thousandths(out, comma, v.is_sign_negative(), m)
    } else if v.is_finite() {
        out[0] = b',';
        super::double::put_double(out, usize::from(comma), v)
    } else {
        put_non_finite(out, comma, v.is_nan(), v > 0.0)
    }
}

/// Writes `[,]` and a float at the start of `out`; returns the length.
#[inline(always)]
pub(crate) fn put_f32(out: &mut [u8; SLOT], comma: bool, v: f32) -> usize {
    if v.is_finite() {
        put_text(out, comma, zmij::Buffer::new().format_finite(v).as_bytes())
    } else {
        put_non_finite(out, comma, v.is_nan(), v > 0.0)
    }
}

/// Writes `[,]` and `text` (zmij's, at most 24 bytes: its buffer's size) at the start of `out`,
/// copied by [`copy_short`]: its length varies from number to number, so a plain copy is a
/// `memcpy` call.
#[inline(always)]
fn put_text(out: &mut [u8; SLOT], comma: bool, text: &[u8]) -> usize {
    out[0] = b',';
    let at = usize::from(comma);
    // (A no-op for zmij's text; it makes the room plain to the compiler.)
    let text = &text[..text.len().min(SLOT - 1)];
    copy_short(&mut out[at..], text);
    at + text.len()
}

#[cold]
fn put_non_finite(out: &mut [u8; SLOT], comma: bool, nan: bool, positive: bool) -> usize {
    let text: &[u8] = match (nan, positive) {
        (true, _) => b"\"NaN\"",
        (false, true) => b"\"Infinity\"",
        (false, false) => b"\"-Infinity\"",
    };
    put_text(out, comma, text)
}

/// Copies `src` (at most 64 bytes) to the start of `dst`: two overlapping copies of fixed size
/// (32, 16, 8, 4 or 2 bytes), where a copy of variable length is a `memcpy` call.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    let Some(dst) = dst.get_mut(..n) else {
        unreachable!("callers leave room for `src`")
    };
    if n > 64 {
        dst.copy_from_slice(src);
    } else if let (Some(head), Some(tail)) = (src.first_chunk::<32>(), src.last_chunk::<32>()) {
        dst[..32].copy_from_slice(head);
        dst[n - 32..].copy_from_slice(tail);
    } else if let (Some(head), Some(tail)) = (src.first_chunk::<16>(), src.last_chunk::<16>()) {
        dst[..16].copy_from_slice(head);
        dst[n - 16..].copy_from_slice(tail);
    } else if let (Some(head), Some(tail)) = (src.first_chunk::<8>(), src.last_chunk::<8>()) {
        dst[..8].copy_from_slice(head);
        dst[n - 8..].copy_from_slice(tail);
    } else if let (Some(head), Some(tail)) = (src.first_chunk::<4>(), src.last_chunk::<4>()) {
        dst[..4].copy_from_slice(head);
        dst[n - 4..].copy_from_slice(tail);
    } else if let (Some(head), Some(tail)) = (src.first_chunk::<2>(), src.last_chunk::<2>()) {
        dst[..2].copy_from_slice(head);
        dst[n - 2..].copy_from_slice(tail);
    } else if let (Some(d), Some(&b)) = (dst.first_mut(), src.first()) {
        *d = b;
    }
}

impl Writer {
    pub fn new(options: EncodeOptions) -> Self {
        Writer::with_buffer(options, Vec::with_capacity(256))
    }

    /// A writer appending to `buf`.
    pub fn with_buffer(options: EncodeOptions, buf: Vec<u8>) -> Self {
        Writer {
            buf,
            options,
            map_keys: Vec::new(),
        }
    }

    pub fn options(&self) -> &EncodeOptions {
        &self.options
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Overwrites the byte at `at` (written before).
    pub(crate) fn replace(&mut self, at: usize, b: u8) {
        self.buf[at] = b;
    }

    /// Drops what was written after the first `len` bytes.
    pub fn truncate(&mut self, len: usize) {
        self.buf.truncate(len);
    }

    /// Writes a message as an object (or, for well-known types, its special form).
    #[inline]
    pub fn message<M: JsonMessage>(&mut self, message: &M) -> Result<(), EncodeError> {
        self.buf.push(b'{');
        self.fields(message, true)?;
        self.buf.push(b'}');
        Ok(())
    }

    /// Writes `message`'s fields into an object opened by the caller; `first` when nothing has been
    /// written in it yet.
    #[inline]
    pub fn fields<M: JsonMessage>(&mut self, message: &M, first: bool) -> Result<(), EncodeError> {
        let mut sink = ObjectWriter { w: self, first };
        message.write_fields(&mut sink)
    }

    #[inline]
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    /// A quoted, escaped string.
    #[inline]
    pub fn str(&mut self, s: &str) {
        self.buf.reserve(s.len() + 2);
        self.buf.push(b'"');
        self.escaped(s.as_bytes());
        self.buf.push(b'"');
    }

    /// A quoted, escaped string from bytes that must be UTF-8 (a protobuf string on the wire);
    /// `None`, with nothing written, when they are not. ASCII without escapes, the usual case,
    /// is found by one scan that does both checks.
    #[inline(always)]
    pub fn utf8_str(&mut self, bytes: &[u8]) -> Option<()> {
        if clean_ascii_prefix(bytes) != bytes.len() {
            return self.utf8_str_slow(bytes);
        }
        // No `reserve` first: each append checks the capacity all the same.
        self.buf.push(b'"');
        self.buf.extend_from_slice(bytes);
        self.buf.push(b'"');
        Some(())
    }

    #[inline(never)]
    fn utf8_str_slow(&mut self, bytes: &[u8]) -> Option<()> {
        self.str(core::str::from_utf8(bytes).ok()?);
        Some(())
    }

    #[inline]
    fn escaped(&mut self, bytes: &[u8]) {
        // Most strings need no escape: skip eight bytes at a time while none of them is a control
        // character, `"` or `\\` (exact word tests: `has_less`/`has_zero` of "Bit Twiddling
        // Hacks"), then copy the clean prefix in one go.
        let clean = clean_prefix(bytes);
        if clean == bytes.len() {
            self.buf.extend_from_slice(bytes);
            return;
        }
        self.escaped_from(bytes, clean);
    }

    #[cold]
    #[inline(never)]
    fn escaped_from(&mut self, bytes: &[u8], clean: usize) {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate().skip(clean) {
            let esc = ESCAPE[b as usize];
            if esc == 0 {
                continue;
            }
            self.buf.extend_from_slice(&bytes[start..i]);
            if esc == b'u' {
                self.buf.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xf) as usize],
                ]);
            } else {
                self.buf.extend_from_slice(&[b'\\', esc]);
            }
            start = i + 1;
        }
        self.buf.extend_from_slice(&bytes[start..]);
    }

    #[inline]
    pub fn bool(&mut self, v: bool) {
        self.raw(if v { b"true" } else { b"false" });
    }

    #[inline]
    pub fn null(&mut self) {
        self.raw(b"null");
    }

    #[inline]
    pub fn int<I: Decimal>(&mut self, v: I) {
        self.int_element(false, v);
    }

    /// A 64-bit integer: a decimal string, as proto3 JSON writes them.
    #[inline]
    pub fn quoted_int<I: Decimal>(&mut self, v: I) {
        self.quoted_int_element(false, v);
    }

    /// An integer as a JSON number, after a comma if `comma` (an element of an array).
    #[inline(always)]
    pub fn int_element<I: Decimal>(&mut self, comma: bool, v: I) {
        let (negative, magnitude) = v.split();
        let start = self.buf.len();
        let kept = put_int::<false>(self.slot(), comma, negative, magnitude);
        self.buf.truncate(start + kept);
    }

    /// An integer as a decimal string, after a comma if `comma`.
    #[inline(always)]
    pub fn quoted_int_element<I: Decimal>(&mut self, comma: bool, v: I) {
        let (negative, magnitude) = v.split();
        let start = self.buf.len();
        let kept = put_int::<true>(self.slot(), comma, negative, magnitude);
        self.buf.truncate(start + kept);
    }

    /// Appends a zeroed slot for a number to be written into, then cut back to its length (the
    /// callers truncate). Hand-written: a number with its comma, quotes and sign is then one
    /// capacity check and a few stores into a fixed-size array (no bounds checks, no `memcpy`
    /// call), where pushing it piece by piece checks the capacity and stores the length at every
    /// piece. (Not a closure-taking helper: LLVM stopped inlining the closures.)
    #[inline(always)]
    fn slot(&mut self) -> &mut [u8; SLOT] {
        self.buf.extend_from_slice(&[0; SLOT]);
        let Some((_, out)) = self.buf.split_last_chunk_mut::<SLOT>() else {
            unreachable!("SLOT bytes were just appended")
        };
        out
    }

    /// A double: shortest round-trip digits (zmij's text, as serde_json's), or
    /// `"NaN"`/`"Infinity"`/`"-Infinity"`.
    #[inline]
    pub fn f64(&mut self, v: f64) {
        self.f64_element(false, v);
    }

    /// A float: shortest digits that round-trip as an `f32`.
    #[inline]
    pub fn f32(&mut self, v: f32) {
        self.f32_element(false, v);
    }

    /// A double after a comma if `comma`.
    #[inline(always)]
    pub fn f64_element(&mut self, comma: bool, v: f64) {
        let start = self.buf.len();
        let kept = put_f64(self.slot(), comma, v);
        self.buf.truncate(start + kept);
    }

    /// A float after a comma if `comma`.
    #[inline(always)]
    pub fn f32_element(&mut self, comma: bool, v: f32) {
        let start = self.buf.len();
        let kept = put_f32(self.slot(), comma, v);
        self.buf.truncate(start + kept);
    }

    /// Writes numbers into [`BATCH`] slots at once (see [`Slots`]), for arrays of numbers: one
    /// capacity check and one length update per batch instead of per number.
    #[inline(always)]
    pub(crate) fn slots<R>(&mut self, fill: impl FnOnce(&mut Slots<'_>) -> R) -> R {
        let start = self.buf.len();
        self.buf.extend_from_slice(&[0; BATCH * SLOT]);
        let Some((_, room)) = self.buf.split_last_chunk_mut::<{ BATCH * SLOT }>() else {
            unreachable!("the batch was just appended")
        };
        let mut slots = Slots {
            room,
            at: 0,
            count: 0,
        };
        let result = fill(&mut slots);
        let kept = slots.at;
        self.buf.truncate(start + kept);
        result
    }

    /// Bytes as a quoted standard base64 string with padding: three bytes to four characters by
    /// table, written into space sized up front (no per-character capacity checks).
    pub fn base64(&mut self, bytes: &[u8]) {
        let start = self.buf.len();
        let len = bytes.len().div_ceil(3) * 4;
        self.buf.resize(start + len + 2, b'"');
        let out = &mut self.buf[start + 1..start + 1 + len];
        let chunks = bytes.chunks_exact(3);
        let rest = chunks.remainder();
        let full = chunks.len() * 4;
        let (body, tail) = out.split_at_mut(full);
        for (o, c) in body.chunks_exact_mut(4).zip(chunks) {
            let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
            o[0] = BASE64[(n >> 18) as usize];
            o[1] = BASE64[(n >> 12 & 63) as usize];
            o[2] = BASE64[(n >> 6 & 63) as usize];
            o[3] = BASE64[(n & 63) as usize];
        }
        match (rest, tail) {
            ([a], [o0, o1, o2, o3]) => {
                *o0 = BASE64[(a >> 2) as usize];
                *o1 = BASE64[((a & 3) << 4) as usize];
                *o2 = b'=';
                *o3 = b'=';
            }
            ([a, b], [o0, o1, o2, o3]) => {
                *o0 = BASE64[(a >> 2) as usize];
                *o1 = BASE64[((a & 3) << 4 | b >> 4) as usize];
                *o2 = BASE64[((b & 15) << 2) as usize];
                *o3 = b'=';
            }
            _ => {}
        }
    }

    /// A field's key, its JSON name or its proto name as the options say, and its colon, with
    /// the comma before it unless `first`.
    #[inline]
    pub fn field_key(&mut self, first: bool, json_name: &str, proto_name: &str) {
        let name = if self.options.use_proto_names {
            proto_name
        } else {
            json_name
        };
        self.key(first, name);
    }

    /// An object key and its colon, with the comma before it unless `first`.
    #[inline]
    pub fn key(&mut self, first: bool, key: &str) {
        if !first {
            self.buf.push(b',');
        }
        self.str(key);
        self.buf.push(b':');
    }
}

struct ObjectWriter<'w> {
    w: &'w mut Writer,
    first: bool,
}

impl FieldSink for ObjectWriter<'_> {
    type Error = EncodeError;

    fn options(&self) -> &EncodeOptions {
        &self.w.options
    }

    #[inline]
    fn present<K: Kind>(
        &mut self,
        json_name: &'static str,
        proto_name: &'static str,
        value: &K::Value,
    ) -> Result<(), EncodeError> {
        self.w.field_key(self.first, json_name, proto_name);
        self.first = false;
        K::write(value, self.w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_prefix_finds_the_first_byte_to_escape() {
        let naive = |b: &[u8]| {
            b.iter()
                .position(|&c| ESCAPE[c as usize] != 0)
                .unwrap_or(b.len())
        };
        let mut next = crate::json::xorshift();
        // Mostly ordinary bytes, with specials and bytes next to them (0x1f, 0x21, 0x5b, 0x5d,
        // 0x80+) sprinkled in, at every alignment and length.
        const SPECIAL: &[u8] = &[
            0, 0x1f, 0x20, 0x21, b'"', b'\\', 0x5b, 0x5d, 0x7f, 0x80, 0xa0, 0xff,
        ];
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| match next() % 8 {
                    0 => SPECIAL[(next() % SPECIAL.len() as u64) as usize],
                    _ => b'a' + (next() % 26) as u8,
                })
                .collect();
            assert_eq!(clean_prefix(&bytes), naive(&bytes), "{bytes:?}");
            let naive_ascii = bytes
                .iter()
                .position(|&c| ESCAPE[c as usize] != 0 || c >= 0x80)
                .unwrap_or(bytes.len());
            assert_eq!(clean_ascii_prefix(&bytes), naive_ascii, "{bytes:?}");
        }
    }

    #[test]
    fn integers_are_written_like_itoa() {
        let mut next = crate::json::xorshift();
        let mut values = vec![0, 1, 9, 10, 99, 100, u64::MAX, u64::MAX - 1, 1 << 63];
        for p in 0..20 {
            let p = 10u64.pow(p);
            values.extend([p - 1, p, p + 1]);
        }
        for _ in 0..200_000 {
            let r = next();
            values.push(r >> (r % 64));
        }
        for v in values {
            let mut w = Writer::new(EncodeOptions::default());
            w.int(v);
            w.quoted_int(v);
            w.int(v as i64);
            w.quoted_int(v as i64);
            w.int(v as u32);
            w.int(v as i32);
            w.int_element(true, v as i64);
            w.quoted_int_element(true, v as i64);
            let expected = format!(
                "{v}\"{v}\"{}\"{}\"{}{},{},\"{}\"",
                v as i64, v as i64, v as u32, v as i32, v as i64, v as i64
            );
            assert_eq!(String::from_utf8(w.into_bytes()).unwrap(), expected);
        }
        let mut w = Writer::new(EncodeOptions::default());
        w.int(i64::MIN);
        w.int(i32::MIN);
        assert_eq!(
            w.into_bytes(),
            format!("{}{}", i64::MIN, i32::MIN).as_bytes()
        );
    }

    #[test]
    fn floats_are_written_like_zmij() {
        let mut next = crate::json::xorshift();
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            2.5,
            0.001,
            0.0005,
            0.0015,
            1125899906842.623,
            1125899906842.625,
            1e15,
            1e16,
            1e300,
            5e-324,
            f64::MAX,
        ];
        for p in 0..64 {
            let p = (1u64 << p) as f64;
            values.extend([p - 1.0, p, p + 1.0, -p, p + 0.5, p * 10.0]);
        }
        for _ in 0..200_000 {
            let r = next();
            // Random bits, and integers and halves of every size.
            values.push(f64::from_bits(r));
            values.push((r >> (r % 64)) as f64);
            values.push((r >> (r % 64)) as f64 / 2.0);
            values.push(-((r >> (r % 64)) as f64));
            // Decimals with one to four decimals, of every size.
            let d = [10.0, 100.0, 1000.0, 10000.0][(r % 4) as usize];
            values.push((r >> (r % 64)) as f64 / d);
            values.push(-((r >> (r % 55)) as f64 / d));
        }
        for v in values {
            let mut w = Writer::new(EncodeOptions::default());
            w.f64(v);
            w.f64_element(true, v);
            w.f32(v as f32);
            w.f32_element(true, v as f32);
            let text = |v: f64| match (v.is_nan(), v.is_finite(), v > 0.0) {
                (true, _, _) => "\"NaN\"".to_owned(),
                (_, true, _) => zmij::Buffer::new().format_finite(v).to_owned(),
                (_, _, true) => "\"Infinity\"".to_owned(),
                _ => "\"-Infinity\"".to_owned(),
            };
            let f32_text = |v: f32| {
                if v.is_finite() {
                    zmij::Buffer::new().format_finite(v).to_owned()
                } else {
                    text(f64::from(v))
                }
            };
            let expected = format!(
                "{},{}{},{}",
                text(v),
                text(v),
                f32_text(v as f32),
                f32_text(v as f32)
            );
            assert_eq!(
                String::from_utf8(w.into_bytes()).unwrap(),
                expected,
                "{v:?}"
            );
        }
    }

    #[test]
    fn only_long_doubles_skip_the_short_paths() {
        let mut next = crate::json::xorshift();
        let mut long = 0;
        for _ in 0..1_000_000 {
            let r = next();
            // The nearest double to a decimal of at most three decimals, below 2^40 (so its
            // thousandths are below 2^50), and an integer below 2^53.
            let short = (r >> (14 + r % 50)) as f64 / 1000.0;
            assert!(!surely_long(short), "{short:?}");
            assert!(!surely_long(-short), "{short:?}");
            let integer = (r >> (11 + r % 53)) as f64;
            assert!(!surely_long(integer), "{integer:?}");
            // A double below 2 * 10^9 with all its digits.
            let full = f64::from_bits(r >> 12 | 0x3ff0_0000_0000_0000) * (r % 1_000_000_000) as f64;
            long += usize::from(surely_long(full));
        }
        assert!(long > 998_000, "{long}");
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(!surely_long(v));
        }
    }

    #[test]
    fn batches_of_slots_write_what_single_numbers_write() {
        let mut next = crate::json::xorshift();
        for len in 0..40 {
            let values: Vec<i64> = (0..len).map(|_| next() as i64 >> (next() % 64)).collect();
            let doubles: Vec<f64> = values.iter().map(|&v| v as f64 / 4.0).collect();
            let mut batched = Writer::new(EncodeOptions::default());
            for (b, batch) in values.chunks(BATCH).enumerate() {
                batched.slots(|slots| {
                    for (i, &v) in batch.iter().enumerate() {
                        let (negative, magnitude) = v.split();
                        slots.put(|out| put_int::<true>(out, b > 0 || i > 0, negative, magnitude));
                    }
                });
            }
            for (b, batch) in doubles.chunks(BATCH).enumerate() {
                batched.slots(|slots| {
                    for (i, &v) in batch.iter().enumerate() {
                        slots.put(|out| put_f64(out, b > 0 || i > 0, v));
                    }
                });
            }
            let mut single = Writer::new(EncodeOptions::default());
            for (i, &v) in values.iter().enumerate() {
                single.quoted_int_element(i > 0, v);
            }
            for (i, &v) in doubles.iter().enumerate() {
                single.f64_element(i > 0, v);
            }
            assert_eq!(batched.into_bytes(), single.into_bytes());
        }
    }

    #[test]
    fn base64_is_written_like_the_base64_crate() {
        use base64::Engine;
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..200usize {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let mut w = Writer::new(EncodeOptions::default());
            w.raw(b"x");
            w.base64(&bytes);
            let expected = format!(
                "x\"{}\"",
                base64::engine::general_purpose::STANDARD.encode(&bytes)
            );
            assert_eq!(String::from_utf8(w.into_bytes()).unwrap(), expected);
        }
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for s in [
            "",
            "plain",
            "a\"b",
            "back\\slash",
            "\u{0}\u{1f}\n\t\r\u{8}\u{c}",
            "é日本🦀",
            "x\u{7f}y",
        ] {
            let mut w = Writer::new(EncodeOptions::default());
            w.str(s);
            assert_eq!(
                String::from_utf8(w.into_bytes()).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }
}
