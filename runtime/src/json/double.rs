//! Doubles as JSON numbers: the shortest decimal that reads back as the same double, in zmij's
//! notation (`12.5`, `1.0`, `0.001`, `1e+16`, `5e-324`), written straight into a writer's slot.
//!
//! Hand-written, because it measurably beats the library: the conversion to decimal is a port of
//! zmij's (<https://github.com/dtolnay/zmij>, MIT; itself a port of Victor Zverovich's
//! <https://github.com/vitaut/zmij>: Schubfach with Xiang JunBo's and yy's improvements), and its
//! text is zmij's byte for byte, but it is written in place. zmij writes into its own buffer,
//! moves the integer digits by a `memmove` call to make room for the point, and its text is
//! then copied into the slot; here the sixteen digits are made at once (SSE2 on x86-64, the
//! SWAR [`digits8`] elsewhere) and placed by stores from registers. On the JSON
//! benchmark's metric points (55 full-precision doubles each) this took bytes → JSON from 28,800
//! to 27,500 instructions per message and 7% less time. Tested against zmij itself: the tests
//! below and the `double` fuzz target.

use core::hint::select_unpredictable;

use super::write::{E8, SLOT, put_trimmed4};

/// A finite double's shortest decimal before it is written, as zmij's `to_decimal` leaves it:
/// `sig` (15 or 16 digits), and after it `last_digit` if `has_last_digit`, times
/// `10^exp`.
struct Decimal {
    sig: u64,
    exp: i32,
    last_digit: u64,
    has_last_digit: bool,
}

/// `sig` has its sixteenth digit from here (zmij's `threshold`).
const SIXTEEN_DIGITS: u64 = 1_000_000_000_000_000;
/// Bits of a double's significand, without the implicit bit.
const SIG_BITS: u32 = 52;
/// The exponent bias plus the significand's bits: `bits` of a double are `sig * 2^(raw -
/// EXP_OFFSET)`.
const EXP_OFFSET: i64 = 1075;
/// zmij's `ExpShiftTable::EXTRA_SHIFT`.
const EXTRA_SHIFT: u32 = 6;

/// Writes finite `v` at `out[at..]` (`at` at most 1) as zmij writes it; returns the end.
#[inline(always)]
pub(crate) fn put_double(out: &mut [u8; SLOT], at: usize, v: f64) -> usize {
    let bits = v.to_bits();
    out[at] = b'-';
    let at = at + (bits >> 63) as usize;
    let raw_exp = ((bits >> SIG_BITS) & 0x7ff) as i64;
    let sig = bits & ((1 << SIG_BITS) - 1);
    if raw_exp == 0 {
        return put_subnormal(out, at, sig);
    }
    put_decimal(out, at, to_decimal(sig | 1 << SIG_BITS, raw_exp, sig != 0))
}

/// [`put_double`] for zero and subnormals (out of line, so that the decimal of the common case
/// stays in registers).
#[cold]
fn put_subnormal(out: &mut [u8; SLOT], at: usize, sig: u64) -> usize {
    if sig == 0 {
        let at = at.min(SLOT - 3);
        out[at..at + 3].copy_from_slice(b"0.0");
        return at + 3;
    }
    put_decimal(out, at, subnormal(sig))
}

/// Writes `dec` at `out[at..]` (`at` at most 2); returns the end. Fixed notation for first
/// digits from 10^-5 to 10^15, as zmij (`1234e7` → `12340000000.0`, `12.34`, `0.001234`), else
/// exponential (`1.234e+33`).
#[inline(always)]
fn put_decimal(out: &mut [u8; SLOT], at: usize, dec: Decimal) -> usize {
    let at = at.min(2);
    let has_extra_digit = dec.sig >= SIXTEEN_DIGITS;
    // The power of ten of the first digit.
    let exp = dec.exp + 15 + i32::from(has_extra_digit);
    // Sixteen digits in two words, the first in the low byte: `sig` with its last digit when it
    // has fifteen digits, with a seventeenth digit after them when it has sixteen and a last.
    // (Selects, not branches: whether there is a last digit, or a sixteenth, is as good as
    // random from one double to the next.)
    let last = select_unpredictable(dec.has_last_digit, dec.last_digit, 0);
    let sixteen = select_unpredictable(has_extra_digit, dec.sig, dec.sig * 10 + last);
    let (digits, trimmed) = digits16(sixteen);
    // Without the trailing zeros, unless there is a last digit.
    let count = select_unpredictable(
        dec.has_last_digit,
        16 + usize::from(has_extra_digit),
        trimmed,
    );
    let digits = digits | u128::from_le_bytes([b'0'; 16]);
    let seventeenth = b'0' + last as u8;
    if (0..=15).contains(&exp) {
        let exp = exp as usize;
        put16(out, at, digits);
        if count <= exp + 1 {
            // An integer: its digits, the zeros `digits` has after them, then `.0`.
            out[at + exp + 1..at + exp + 3].copy_from_slice(b".0");
            at + exp + 3
        } else {
            put_point(out, at, digits, exp + 1, seventeenth);
            at + count + 1
        }
    } else if (-5..0).contains(&exp) {
        // `0.`, then `-exp - 1` zeros, then the digits.
        out[at..at + 8].copy_from_slice(b"0.000000");
        let start = at + 1 + exp.unsigned_abs() as usize;
        put16(out, start, digits);
        out[start + 16] = seventeenth;
        start + count
    } else {
        put16(out, at, digits);
        let end = if count > 1 {
            put_point(out, at, digits, 1, seventeenth);
            at + count + 1
        } else {
            at + 1
        };
        put_exponent(out, end, exp)
    }
}

/// The sixteen decimal digits of `x` (at least 10^15, below 10^16) as byte values 0-9, the
/// most significant in the lowest byte, and how many there are without the trailing zeros:
/// SSE2 on x86-64 (as zmij), halves, quarters, pairs and digits in lanes of one register.
/// Worth its `unsafe`: with [`digits16_swar`] instead, the port was slower than zmij itself
/// (metric points, bytes → JSON: 29,200 instructions per message and 8% more time than through
/// zmij; with SSE2, 27,500 and 5% less, `json_profile`, alternated runs).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn digits16(x: u64) -> (u128, usize) {
    use core::arch::x86_64::{
        __m128i, _mm_cmpgt_epi8, _mm_cvtsi128_si64, _mm_movemask_epi8, _mm_mul_epu32,
        _mm_mulhi_epu16, _mm_mullo_epi16, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi16,
        _mm_set1_epi32, _mm_setzero_si128, _mm_slli_epi16, _mm_slli_epi32, _mm_slli_epi64,
        _mm_srli_epi16, _mm_srli_epi64, _mm_srli_si128, _mm_sub_epi16, _mm_sub_epi64,
    };
    // SAFETY: SSE2 is part of x86-64 (every x86-64 CPU has it, and rustc enables it for every
    // x86-64 target); these intrinsics compute on values only, reading and writing no memory.
    // (They are `unsafe` only because this function is not itself marked as needing SSE2.)
    unsafe {
        // Halves of eight digits in 64-bit lanes, the first in the low lane.
        let v: __m128i = _mm_set_epi64x((x % E8) as i64, (x / E8) as i64);
        // Each half into quarters of four digits: quotient in the low 32 bits, remainder above.
        let q = _mm_srli_epi64(_mm_mul_epu32(v, _mm_set1_epi32(109_951_163)), 40);
        let r = _mm_sub_epi64(v, _mm_mul_epu32(q, _mm_set1_epi32(10_000)));
        let v = _mm_or_si128(q, _mm_slli_epi64(r, 32));
        // Each quarter (below 10^4) into hundreds and the rest, in 16-bit lanes: x / 100 is
        // (x * 5243) >> 19.
        let hundreds = _mm_srli_epi16(_mm_mulhi_epu16(v, _mm_set1_epi16(5243)), 3);
        let rest = _mm_sub_epi16(v, _mm_mullo_epi16(hundreds, _mm_set1_epi16(100)));
        let v = _mm_or_si128(hundreds, _mm_slli_epi32(rest, 16));
        // Each pair (below 100) into tens and ones, in bytes: (x << 8) - (10 * 256 - 1) * (x / 10)
        // is the tens in the low byte and the ones in the high one; x / 10 is (x * 6554) >> 16.
        let tens = _mm_mulhi_epu16(v, _mm_set1_epi16(6554));
        let v = _mm_sub_epi16(
            _mm_slli_epi16(v, 8),
            _mm_mullo_epi16(tens, _mm_set1_epi16(2559)),
        );
        let low = _mm_cvtsi128_si64(v) as u64;
        let high = _mm_cvtsi128_si64(_mm_srli_si128(v, 8)) as u64;
        // A bit per digit that is not zero; the first one is not.
        let nonzero = _mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_setzero_si128())) as u32;
        (
            u128::from(low) | u128::from(high) << 64,
            32 - nonzero.leading_zeros() as usize,
        )
    }
}

/// [`digits16`] elsewhere: the SWAR [`digits8`] on each half.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn digits16(x: u64) -> (u128, usize) {
    digits16_swar(x)
}

/// The eight decimal digits of `x` (below 10^8) as byte values 0-9, the most significant in the
/// lowest byte (the first in memory), SWAR: the number split in halves, quarters and digits in
/// parallel lanes of one word with multiply-shift divisions (exact for these ranges: by 100 via
/// 10486/2^20 below 10^4, by 10 via 103/2^10 below 100).
#[inline(always)]
fn digits8(x: u32) -> u64 {
    // Two 4-digit halves in 32-bit lanes (the first half in the low lane).
    let v = u64::from(x / 10_000) | u64::from(x % 10_000) << 32;
    // Each half into hundreds and the rest: four 2-digit values in 16-bit lanes.
    let hundreds = ((v * 10_486) >> 20) & 0x0000_007F_0000_007F;
    let v = hundreds | (v - hundreds * 100) << 16;
    // Each pair into tens and ones: eight digits in bytes.
    let tens = ((v * 103) >> 10) & 0x000F_000F_000F_000F;
    tens | (v - tens * 10) << 8
}

/// [`digits16`] with [`digits8`] on each half (tested against the SSE2 one on x86-64).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn digits16_swar(x: u64) -> (u128, usize) {
    let digits = u128::from(digits8((x / E8) as u32)) | u128::from(digits8((x % E8) as u32)) << 64;
    // The trailing zeros are the high zero bytes.
    (digits, 16 - digits.leading_zeros() as usize / 8)
}

/// Puts a point after the first `integer` digits (1 to 16) of `digits`, already stored at
/// `out[at..]`, by storing the rest of them again one byte on, with the seventeenth after them.
#[inline(always)]
fn put_point(out: &mut [u8; SLOT], at: usize, digits: u128, integer: usize, seventeenth: u8) {
    out[at + integer] = b'.';
    // (Two shifts: one of 128 bits would overflow.)
    let rest = (digits >> 4) >> (8 * integer - 4);
    // In two halves, without a branch on whether the second is needed (only when the rest has
    // more than eight digits): whether a double has eight integer digits or nine is as good as
    // random. When not needed, the second half lands after the number (moved back by `put8` if
    // it would leave the slot: it is then at byte 24, while the number ends by byte 19).
    put8(out, at + integer + 1, rest as u64);
    put8(out, at + integer + 9, (rest >> 64) as u64);
    out[at + 17] = seventeenth;
}

/// `e+16`, `e-7`, `e+308` at `out[at..]` (`at` at most 20); returns the end.
#[cold]
fn put_exponent(out: &mut [u8; SLOT], at: usize, exp: i32) -> usize {
    let at = at.min(20);
    out[at] = b'e';
    out[at + 1] = if exp < 0 { b'-' } else { b'+' };
    put_trimmed4(out, at + 2, exp.unsigned_abs())
}

/// Stores eight bytes at `out[at..]` (`at` at most [`SLOT`] - 8).
#[inline(always)]
fn put8(out: &mut [u8; SLOT], at: usize, bytes: u64) {
    let at = at.min(SLOT - 8);
    out[at..at + 8].copy_from_slice(&bytes.to_le_bytes());
}

/// Stores sixteen bytes at `out[at..]` (`at` at most [`SLOT`] - 16).
#[inline(always)]
fn put16(out: &mut [u8; SLOT], at: usize, bytes: u128) {
    let at = at.min(SLOT - 16);
    out[at..at + 16].copy_from_slice(&bytes.to_le_bytes());
}

/// A subnormal's decimal, normalized to zmij's sixteen or seventeen digits as zmij does.
fn subnormal(sig: u64) -> Decimal {
    let dec = to_decimal(sig, 1, true);
    let mut sig = dec.sig * 10
        + if dec.has_last_digit {
            dec.last_digit
        } else {
            0
        };
    let mut exp = dec.exp;
    while sig < SIXTEEN_DIGITS {
        sig *= 10;
        exp -= 1;
    }
    let last_digit = sig % 10;
    Decimal {
        sig: sig / 10,
        exp,
        last_digit,
        has_last_digit: last_digit != 0,
    }
}

/// zmij's `to_decimal` for doubles: the shortest decimal in the rounding interval of `bin_sig *
/// 2^(raw_exp - EXP_OFFSET)`, closest to it when several are; `regular` unless the significand
/// is a power of two (where the interval below is half as wide).
#[inline(always)]
fn to_decimal(bin_sig: u64, raw_exp: i64, regular: bool) -> Decimal {
    let bin_exp = (raw_exp - EXP_OFFSET) as i32;
    if !regular {
        return to_decimal_irregular(bin_sig, bin_exp);
    }
    let dec_exp = dec_exp(bin_exp, true);
    let shift = exp_shift(bin_exp, dec_exp + 1);
    let even = 1 - (bin_sig & 1);
    // Scaled by 10^(-dec_exp - 1) for the shorter candidate, the extra digit from the
    // fraction (Xiang JunBo's optimization, as zmij).
    let pow10 = pow10(-dec_exp - 1);
    let (p_hi, p_lo) = umul192_hi128(pow10, bin_sig << shift);
    let integral = p_hi >> EXTRA_SHIFT;
    let fractional = (p_hi << (64 - EXTRA_SHIFT)) | (p_lo >> EXTRA_SHIFT);
    let half_ulp = (pow10[0] >> (EXTRA_SHIFT + 1 - shift)) + even;
    let round_up = fractional.wrapping_add(half_ulp) < fractional;
    let round_down = half_ulp > fractional;
    // zmij's `biased_half`: (1 << 63) + 6, the 6 for boundary cases its verifier found.
    let mut digit = umul128_add_hi64(fractional, 10, (1 << 63) + 6);
    if fractional == 1 << 62 {
        // 2.5 rounds to 2.
        digit = 2;
    }
    Decimal {
        sig: integral + u64::from(round_up),
        exp: dec_exp,
        last_digit: digit,
        has_last_digit: !(round_up || round_down),
    }
}

/// [`to_decimal`] for a significand that is a power of two.
#[cold]
fn to_decimal_irregular(bin_sig: u64, bin_exp: i32) -> Decimal {
    let dec_exp = dec_exp(bin_exp, false);
    let shift = exp_shift(bin_exp, dec_exp + 1);
    let pow10 = pow10(-dec_exp - 1);
    let (p_hi, p_lo) = umul192_hi128(pow10, bin_sig << shift);
    let integral = p_hi >> EXTRA_SHIFT;
    let fractional = (p_hi << (64 - EXTRA_SHIFT)) | (p_lo >> EXTRA_SHIFT);
    let half_ulp = pow10[0] >> (EXTRA_SHIFT + 1 - shift);
    let round_up = half_ulp > u64::MAX - fractional;
    let round_down = (half_ulp >> 1) > fractional;
    let digit = umul128_add_hi64(fractional, 10, (1 << 63) - 1);
    let lowest = umul128_add_hi64(fractional.wrapping_sub(half_ulp >> 1), 10, !0);
    Decimal {
        sig: integral + u64::from(round_up),
        exp: dec_exp,
        last_digit: digit.max(lowest),
        has_last_digit: !(round_up || round_down),
    }
}

/// `floor(log10(2^bin_exp))` if `regular`, else `floor(log10(3/4 * 2^bin_exp))`.
#[inline(always)]
const fn dec_exp(bin_exp: i32, regular: bool) -> i32 {
    const LOG10_3_OVER_4_SIG: i32 = 131_072;
    const LOG10_2_SIG: i32 = 315_653;
    (bin_exp * LOG10_2_SIG - (!regular as i32) * LOG10_3_OVER_4_SIG) >> 20
}

/// The shift that puts the binary point at the same place after scaling by `10^-dec_exp`,
/// whatever the binary exponent (zmij's `compute_exp_shift` plus `EXTRA_SHIFT`).
#[inline(always)]
const fn exp_shift(bin_exp: i32, dec_exp: i32) -> u32 {
    const LOG2_POW10_SIG: i32 = 217_707;
    let pow10_bin_exp = (-dec_exp * LOG2_POW10_SIG) >> 16;
    (bin_exp + pow10_bin_exp + 1 + EXTRA_SHIFT as i32) as u32
}

/// The high 128 bits of the 192-bit product of `x` (high word first) and `y`.
#[inline(always)]
fn umul192_hi128(x: [u64; 2], y: u64) -> (u64, u64) {
    let p = u128::from(x[0]) * u128::from(y);
    let lo = (p as u64).wrapping_add(((u128::from(x[1]) * u128::from(y)) >> 64) as u64);
    ((p >> 64) as u64 + u64::from(lo < p as u64), lo)
}

/// `(x * y + c) >> 64`.
#[inline(always)]
fn umul128_add_hi64(x: u64, y: u64, c: u64) -> u64 {
    ((u128::from(x) * u128::from(y) + u128::from(c)) >> 64) as u64
}

/// The 128-bit significand of `10^e` rounded down, high word first (`e` from -293 to 324).
#[inline(always)]
fn pow10(e: i32) -> [u64; 2] {
    // (The `min` is a no-op that spares a bounds check.)
    POW10[((e + 293) as usize).min(POW10.len() - 1)]
}

/// zmij's table of powers of ten, made at compile time from its compressed form: 28 small
/// powers, 23 large ones, and one bit per entry correcting the rounding of their product
/// (Dougall Johnson's method).
static POW10: [[u64; 2]; 618] = {
    let mut table = [[0; 2]; 618];
    let mut i = 0;
    while i < table.len() {
        table[i] = pow10_entry(i as u32);
        i += 1;
    }
    table
};

#[rustfmt::skip]
const POW10_MINOR: [u64; 28] = [
    0x8000000000000000, 0xa000000000000000, 0xc800000000000000,
    0xfa00000000000000, 0x9c40000000000000, 0xc350000000000000,
    0xf424000000000000, 0x9896800000000000, 0xbebc200000000000,
    0xee6b280000000000, 0x9502f90000000000, 0xba43b74000000000,
    0xe8d4a51000000000, 0x9184e72a00000000, 0xb5e620f480000000,
    0xe35fa931a0000000, 0x8e1bc9bf04000000, 0xb1a2bc2ec5000000,
    0xde0b6b3a76400000, 0x8ac7230489e80000, 0xad78ebc5ac620000,
    0xd8d726b7177a8000, 0x878678326eac9000, 0xa968163f0a57b400,
    0xd3c21bcecceda100, 0x84595161401484a0, 0xa56fa5b99019a5c8,
    0xcecb8f27f4200f3a,
];

/// `10^-303`, `10^-275`, … `10^313` (a stride of 28), high word first.
#[rustfmt::skip]
const POW10_MAJOR: [[u64; 2]; 23] = [
    [0xaf8e5410288e1b6f, 0x07ecf0ae5ee44dda], [0xb1442798f49ffb4a, 0x99cd11cfdf41779d],
    [0xb2fe3f0b8599ef07, 0x861fa7e6dcb4aa15], [0xb4bca50b065abe63, 0x0fed077a756b53aa],
    [0xb67f6455292cbf08, 0x1a3bc84c17b1d543], [0xb84687c269ef3bfb, 0x3d5d514f40eea742],
    [0xba121a4650e4ddeb, 0x92f34d62616ce413], [0xbbe226efb628afea, 0x890489f70a55368c],
    [0xbdb6b8e905cb600f, 0x5400e987bbc1c921], [0xbf8fdb78849a5f96, 0xde98520472bdd034],
    [0xc16d9a0095928a27, 0x75b7053c0f178294], [0xc350000000000000, 0x0000000000000000],
    [0xc5371912364ce305, 0x6c28000000000000], [0xc722f0ef9d80aad6, 0x424d3ad2b7b97ef6],
    [0xc913936dd571c84c, 0x03bc3a19cd1e38ea], [0xcb090c8001ab551c, 0x5cadf5bfd3072cc6],
    [0xcd036837130890a1, 0x36dba887c37a8c10], [0xcf02b2c21207ef2e, 0x94f967e45e03f4bc],
    [0xd106f86e69d785c7, 0xe13336d701beba52], [0xd31045a8341ca07c, 0x1ede48111209a051],
    [0xd51ea6fa85785631, 0x552a74227f3ea566], [0xd732290fbacaf133, 0xa97c177947ad4096],
    [0xd94ad8b1c7380874, 0x18375281ae7822bc],
];

#[rustfmt::skip]
const POW10_FIXUPS: [u32; 20] = [
    0x0a4e363f, 0x00001840, 0x00006400, 0x24200040, 0x00000000,
    0x0c000000, 0x82c81380, 0x5e4ce01f, 0xd730f60f, 0x0000001b,
    0x00000000, 0xcdf7fffc, 0x6e8201d8, 0x40cd3fd1, 0xdb642501,
    0x00000d0d, 0x14042400, 0x53713840, 0x11781db4, 0x00000000,
];

/// Entry `i` of [`POW10`]: `10^(i - 293)`, a large power times a small one, normalized, less
/// its fixup bit.
const fn pow10_entry(i: u32) -> [u64; 2] {
    const STRIDE: u32 = POW10_MINOR.len() as u32;
    let m = POW10_MINOR[((i + 10) % STRIDE) as usize];
    let [h_hi, h_lo] = POW10_MAJOR[((i + 10) / STRIDE) as usize];
    let h1 = ((h_lo as u128 * m as u128) >> 64) as u64;
    let c0 = h_lo.wrapping_mul(m);
    let c1 = h1.wrapping_add(h_hi.wrapping_mul(m));
    let c2 = (c1 < h1) as u64 + ((h_hi as u128 * m as u128) >> 64) as u64;
    let [hi, lo] = if c2 >> 63 != 0 {
        [c2, c1]
    } else {
        [(c2 << 1) | (c1 >> 63), (c1 << 1) | (c0 >> 63)]
    };
    let fixup = (POW10_FIXUPS[(i >> 5) as usize] >> (i & 31)) & 1;
    [hi, lo - fixup as u64]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: f64) -> String {
        let mut out = [0; SLOT];
        let end = put_double(&mut out, 0, v);
        String::from_utf8(out[..end].to_vec()).expect("ASCII")
    }

    fn zmij(v: f64) -> String {
        zmij::Buffer::new().format_finite(v).to_owned()
    }

    #[test]
    fn each_notation_as_zmij_writes_it() {
        for (v, expected) in [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (12.34, "12.34"),
            (-12340000000.0, "-12340000000.0"),
            (9007199254740993.0, "9007199254740992.0"),
            (1e15 + 0.3, "1000000000000000.2"),
            (0.001234, "0.001234"),
            (1e-5, "0.00001"),
            (1.5e-6, "1.5e-6"),
            (1e16, "1e+16"),
            (-1.234e33, "-1.234e+33"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (0.1 + 0.2, "0.30000000000000004"),
            (46322811.71428572, "46322811.71428572"),
            // zmij's own hard cases: shorter candidates below and above, a single candidate,
            // and the boundary cases its verifier found (the `+ 6` of `biased_half`).
            (-4.932096661796888e-226, "-4.932096661796888e-226"),
            (3.439070283483335e+35, "3.439070283483335e+35"),
            (6.606854224493745e-17, "6.606854224493745e-17"),
            (6.079537928711555e+61, "6.079537928711555e+61"),
            (1.3588129002659584e-245, "1.3588129002659584e-245"),
            (2.9802322387695312e-08, "2.9802322387695312e-8"),
            (5.960464477539063e-08, "5.960464477539063e-8"),
            (1.3076622631878654e+65, "1.3076622631878654e+65"),
            (9.03725590277404e+159, "9.03725590277404e+159"),
            (9.03725590277404e+160, "9.03725590277404e+160"),
            (9.03725590277404e+161, "9.03725590277404e+161"),
            (9.03725590277404e+162, "9.03725590277404e+162"),
            (5.960464477539062e-07, "5.960464477539062e-7"),
            (-5942736479622170.0, "-5942736479622170.0"),
            (6.62607015e-34, "6.62607015e-34"),
        ] {
            assert_eq!(zmij(v), expected, "zmij itself");
            assert_eq!(text(v), expected);
        }
    }

    /// Every binary exponent, with significands at random and at the edges (powers of two,
    /// all ones, one ulp off), and subnormals: the same text as zmij.
    #[test]
    fn agrees_with_zmij() {
        let mut random = crate::json::xorshift();
        let mut checked = 0;
        for raw_exp in 0..0x7ff_u64 {
            let edges = [0, 1, 2, (1 << 52) - 1, (1 << 52) - 2, 1 << 51];
            let randoms: Vec<u64> = (0..200).map(|_| random() & ((1 << 52) - 1)).collect();
            for sig in edges.into_iter().chain(randoms) {
                for sign in [0, 1 << 63] {
                    let v = f64::from_bits(sign | raw_exp << 52 | sig);
                    assert_eq!(text(v), zmij(v), "{:#x}", v.to_bits());
                    checked += 1;
                }
            }
        }
        // Short decimals, which end in zeros and take the shorter candidate.
        for _ in 0..200_000 {
            let digits = random() % 10_000_000;
            let exp = (random() % 40) as i32 - 20;
            let v = digits as f64 * 10f64.powi(exp);
            assert_eq!(text(v), zmij(v), "{:#x}", v.to_bits());
            checked += 1;
        }
        assert!(checked > 1_000_000);
    }

    /// Both ways of making sixteen digits give each digit of the number, at every length.
    #[test]
    fn sixteen_digits_each_in_its_byte() {
        let mut x = 10u64.pow(15);
        for step in 0..2_000_000u64 {
            let text = format!("{x:016}");
            let expected: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
            let trimmed = text.trim_end_matches('0').len();
            for (digits, count) in [digits16(x), digits16_swar(x)] {
                assert_eq!(digits.to_le_bytes().to_vec(), expected, "{x}");
                assert_eq!(count, trimmed, "{x}");
            }
            // From 10^15 to 10^16, with ever more trailing zeros.
            let random = x.wrapping_mul(6364136223846793005).wrapping_add(step);
            let power = 10u64.pow((step % 16) as u32);
            x = (10u64.pow(15) + random % (9 * 10u64.pow(15))) / power * power;
        }
    }

    /// Every entry of the table of powers of ten is the exact `10^e`, normalized to 128 bits and
    /// rounded down: checked with plain big-integer arithmetic, not with the method that made it.
    #[test]
    fn the_powers_of_ten_are_exact() {
        for (i, &[hi, lo]) in POW10.iter().enumerate() {
            let e = i as i32 - 293;
            let t = Big(vec![lo, hi]);
            assert!(hi >> 63 == 1, "10^{e} is normalized");
            let ten = Big::power_of_ten(e.unsigned_abs());
            if e >= 0 {
                // `t` is the top 128 bits of 10^e (shifted up when it has fewer).
                let top = if ten.bits() >= 128 {
                    ten.shr(ten.bits() - 128)
                } else {
                    ten.shl(128 - ten.bits())
                };
                assert_eq!(top, t, "10^{e}");
            } else {
                // `t` is 2^n / 10^-e rounded down for some n: a power of two lies in
                // [t * 10^-e, (t + 1) * 10^-e).
                let low = t.mul(&ten);
                let high = low.add(&ten);
                let power = Big::one().shl(low.bits() - 1);
                let power = if power == low { power } else { power.shl(1) };
                assert!(low <= power && power < high, "10^{e}");
            }
        }
    }

    /// Unsigned big integers, 64-bit limbs, least significant first, no leading zero limbs.
    #[derive(Clone, Debug, PartialEq, Eq)]
    struct Big(Vec<u64>);

    impl Big {
        fn one() -> Big {
            Big(vec![1])
        }

        fn power_of_ten(n: u32) -> Big {
            let mut x = Big::one();
            for _ in 0..n {
                let mut carry = 0u128;
                for limb in &mut x.0 {
                    let p = u128::from(*limb) * 10 + carry;
                    *limb = p as u64;
                    carry = p >> 64;
                }
                if carry != 0 {
                    x.0.push(carry as u64);
                }
            }
            x
        }

        fn trim(mut self) -> Big {
            while self.0.len() > 1 && self.0.last() == Some(&0) {
                self.0.pop();
            }
            self
        }

        fn bits(&self) -> u32 {
            let top = *self.0.last().expect("a limb");
            self.0.len() as u32 * 64 - top.leading_zeros()
        }

        fn shl(&self, n: u32) -> Big {
            let mut limbs = vec![0; (n / 64) as usize];
            let mut carry = 0;
            for &limb in &self.0 {
                limbs.push(limb << (n % 64) | carry);
                carry = if n.is_multiple_of(64) {
                    0
                } else {
                    limb >> (64 - n % 64)
                };
            }
            limbs.push(carry);
            Big(limbs).trim()
        }

        fn shr(&self, n: u32) -> Big {
            let limbs = &self.0[((n / 64) as usize).min(self.0.len() - 1)..];
            let mut out = Vec::new();
            for (i, &limb) in limbs.iter().enumerate() {
                let next = limbs.get(i + 1).copied().unwrap_or(0);
                out.push(if n.is_multiple_of(64) {
                    limb
                } else {
                    limb >> (n % 64) | next << (64 - n % 64)
                });
            }
            Big(out).trim()
        }

        fn mul(&self, other: &Big) -> Big {
            let mut out = vec![0u64; self.0.len() + other.0.len()];
            for (i, &a) in self.0.iter().enumerate() {
                let mut carry = 0u128;
                for (j, &b) in other.0.iter().enumerate() {
                    let p = u128::from(a) * u128::from(b) + u128::from(out[i + j]) + carry;
                    out[i + j] = p as u64;
                    carry = p >> 64;
                }
                out[i + other.0.len()] = carry as u64;
            }
            Big(out).trim()
        }

        fn add(&self, other: &Big) -> Big {
            let mut out = Vec::new();
            let mut carry = 0u128;
            for i in 0..self.0.len().max(other.0.len()) + 1 {
                let s = u128::from(self.0.get(i).copied().unwrap_or(0))
                    + u128::from(other.0.get(i).copied().unwrap_or(0))
                    + carry;
                out.push(s as u64);
                carry = s >> 64;
            }
            Big(out).trim()
        }
    }

    impl PartialOrd for Big {
        fn partial_cmp(&self, other: &Big) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }

    impl Ord for Big {
        fn cmp(&self, other: &Big) -> std::cmp::Ordering {
            (self.0.len(), self.0.iter().rev().collect::<Vec<_>>())
                .cmp(&(other.0.len(), other.0.iter().rev().collect::<Vec<_>>()))
        }
    }
}
