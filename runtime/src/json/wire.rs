//! Protobuf bytes → JSON in one pass over the wire, without building the owned message or a view
//! (hand-written: this is the fast path the benchmarks measure against prost decode + pbjson).
//!
//! Generated `transcode_fields` loop over a message's keys and call [`WireObject`]'s methods,
//! which read each value with the view decoder's wire kinds and write it with the JSON kinds.
//! The output is what the owned path writes (`prost::Message::decode` then
//! [`super::write_to_vec`]) up to the order of keys, for every input prost accepts; inputs prost
//! rejects are errors. Whatever prost would *merge* — a singular field or sub-message given twice,
//! a second oneof member, a repeated field whose elements are not contiguous, map entries that
//! are not exactly a key and a value, or a repeated key — makes the message fall back to the
//! owned path: it is decoded by prost and written from its owned value (its output so far is
//! dropped). Errors too: the owned path then gives the error (or, after prost's merging, the
//! JSON). `emit_defaults`, proto2 `required` fields and groups always take the owned path.

use prost::Message;

use crate::view::DEFAULT_RECURSION_LIMIT;
use crate::view::kind::Kind as WireKind;
use crate::view::wire::{self, Key, Reader};

use super::kind::Kind;
use super::view::{ViewKey, ViewKind};
use super::{EncodeError, EncodeOptions, JsonMessage, Writer};

/// A generated message's one-pass transcoding from protobuf bytes.
pub trait JsonWire: JsonMessage + Message + Default {
    /// Whether the message can be transcoded at all (no `required` fields, no groups, few
    /// enough fields for the slot bitmap).
    const TRANSCODABLE: bool;

    /// Reads every key of the message and writes its fields (see [`WireObject`]).
    fn transcode_fields(object: &mut WireObject<'_, '_>) -> Result<(), Fallback>;

    /// Writes the message from `bytes` where the one pass does not: prost's decode and the
    /// owned writer ([`owned_fallback`]), or, for messages that can hold extensions somewhere
    /// below (which prost drops), the view ([`view_fallback`](super::view_fallback)). `budget`
    /// is how far the message's own fields are from prost's recursion limit (100 at the root).
    #[inline]
    fn fallback(bytes: &[u8], w: &mut Writer, budget: u32) -> Result<(), EncodeError> {
        owned_fallback::<Self>(bytes, w, budget)
    }
}

/// A field's key as the transcoder writes it, quoted, escaped and followed by its colon by the
/// code generator, with the comma that separates it from the key before (dropped for the first
/// key of an object): `,"lineItems":` and `,"line_items":`. Constants, so that writing a key is
/// one copy instead of an escape scan of its name.
#[derive(Clone, Copy, Debug)]
pub struct WireKey {
    pub json: &'static [u8],
    pub proto: &'static [u8],
}

/// `oneof` argument of the field methods for fields outside any oneof.
pub const NO_ONEOF: usize = usize::MAX;

/// Slots of a message (fields, then oneofs) a transcode can track.
pub const MAX_SLOTS: usize = 256;

/// The transcode of a message cannot go on: bad bytes, a value JSON cannot hold, or something
/// prost would merge. The message is then written through the owned path, which decides.
/// (A unit error keeps every `Result` of the hot loop one byte.)
#[derive(Clone, Copy, Debug)]
pub struct Fallback;

impl From<EncodeError> for Fallback {
    fn from(_: EncodeError) -> Self {
        Fallback
    }
}

#[inline]
fn decode_error(_: crate::DecodeError) -> Fallback {
    Fallback
}

/// One message being transcoded: its reader, the writer, and what has been seen.
pub struct WireObject<'a, 'w> {
    r: Reader<'a>,
    w: &'w mut Writer,
    /// The message's recursion budget, as prost counts it: its own fields are read with it, a
    /// sub-message (or map entry) needs one more level.
    budget: u32,
    first: bool,
    /// Slots given so far (fields, then oneofs).
    seen: [u64; MAX_SLOTS / 64],
    /// Field number and closing byte of the array or map being written, if any.
    open: Option<(u32, u8)>,
    /// Where the open map run's keys start in the writer's key stack (see `Writer::map_keys`).
    map_base: usize,
    fallback: bool,
}

/// Entries of one map field a transcode checks for repeated keys; longer maps fall back.
const MAX_MAP_RUN: usize = 32;

/// Transcodes `bytes` as an `M` whose own fields have recursion budget `budget`, appending to
/// `w`.
pub(crate) fn transcode_message<M: JsonWire>(
    bytes: &[u8],
    w: &mut Writer,
    budget: u32,
) -> Result<(), EncodeError> {
    if one_pass::<M>(bytes, w, budget) {
        return Ok(());
    }
    fallback::<M>(bytes, w, budget)
}

/// A sub-message of a message whose budget is `parent`: as [`transcode_message`] one level
/// down, with an error as the parent's [`Fallback`] (the one-byte result keeps the hot path's
/// returns in registers). Past prost's recursion limit, an error.
#[inline(always)]
fn nested<M: JsonWire>(bytes: &[u8], w: &mut Writer, parent: u32) -> Result<(), Fallback> {
    let budget = parent.checked_sub(1).ok_or(Fallback)?;
    if one_pass::<M>(bytes, w, budget) {
        return Ok(());
    }
    fallback::<M>(bytes, w, budget).map_err(|_| Fallback)
}

/// The one-pass transcode of `bytes` as an `M`: `false`, with nothing written, when the message
/// must take the fallback path instead.
#[inline(always)]
fn one_pass<M: JsonWire>(bytes: &[u8], w: &mut Writer, budget: u32) -> bool {
    if !M::TRANSCODABLE || w.options().emit_defaults {
        return false;
    }
    let start = w.bytes().len();
    w.byte(b'{');
    let map_base = w.map_keys.len();
    let mut object = WireObject {
        r: Reader::new(bytes, 0),
        w,
        budget,
        first: true,
        seen: [0; MAX_SLOTS / 64],
        open: None,
        map_base,
        fallback: false,
    };
    // Any error (bad bytes, a value JSON cannot hold) is left to the owned path, which is the
    // reference: the bytes may still be valid once merged as prost merges them.
    let transcoded = M::transcode_fields(&mut object);
    if transcoded.is_ok() && !object.fallback {
        object.close_open();
        object.w.byte(b'}');
        object.w.map_keys.truncate(map_base);
        return true;
    }
    w.map_keys.truncate(map_base);
    w.truncate(start);
    false
}

/// The message's fallback path (counted, for [`transcodes_in_one_pass`]).
#[cold]
#[inline(never)]
fn fallback<M: JsonWire>(bytes: &[u8], w: &mut Writer, budget: u32) -> Result<(), EncodeError> {
    FALLBACKS.with(|f| f.set(f.get() + 1));
    M::fallback(bytes, w, budget)
}

/// Decodes `bytes` with prost, as deep as the message is (`budget`), and writes the owned
/// message: the reference, for whatever the one pass does not do.
pub fn owned_fallback<M: JsonWire>(
    bytes: &[u8],
    w: &mut Writer,
    budget: u32,
) -> Result<(), EncodeError> {
    let message = decode_at_depth::<M>(bytes, budget)
        .map_err(|e| EncodeError::new(format!("invalid protobuf: {e}")))?;
    w.message(&message)
}

/// prost's decode of a message whose own fields have recursion budget `budget` (100 at the
/// root): it fails where prost's decode of the whole tree would. prost has no way to start a
/// decode below its limit, so the payload is wrapped in `100 - budget` levels of a message whose
/// field 1 holds the next level (the last one the payload), and decoded from there. Only the
/// paths the one pass leaves to prost pay for it.
pub(crate) fn decode_at_depth<M: Message + Default>(
    bytes: &[u8],
    budget: u32,
) -> Result<M, prost::DecodeError> {
    let levels = DEFAULT_RECURSION_LIMIT.saturating_sub(budget);
    if levels == 0 {
        return M::decode(bytes);
    }
    // Each level is the key of field 1 (length-delimited) and the length of what follows,
    // built from the payload out, backwards.
    let mut prefix = Vec::with_capacity(levels as usize * 4);
    let mut len = bytes.len();
    for _ in 0..levels {
        let mut level = vec![0x0a];
        prost::encoding::encode_varint(len as u64, &mut level);
        len += level.len();
        prefix.extend(level.iter().rev());
    }
    prefix.reverse();
    let mut nest = Nest {
        levels: levels - 1,
        inner: M::default(),
    };
    nest.merge(bytes::Buf::chain(prefix.as_slice(), bytes))?;
    Ok(nest.inner)
}

/// One level of [`decode_at_depth`]'s wrapping: field 1 is the next level, or the payload.
#[derive(Debug)]
struct Nest<M> {
    /// Levels of wrapping still to enter before the payload.
    levels: u32,
    inner: M,
}

impl<M: Message> Message for Nest<M> {
    fn encode_raw(&self, _: &mut impl bytes::BufMut) {
        unreachable!("a decoding device, never encoded")
    }

    fn merge_field(
        &mut self,
        _tag: u32,
        wire_type: prost::encoding::WireType,
        buf: &mut impl bytes::Buf,
        ctx: prost::encoding::DecodeContext,
    ) -> Result<(), prost::DecodeError> {
        if self.levels > 0 {
            self.levels -= 1;
            prost::encoding::message::merge(wire_type, self, buf, ctx)
        } else {
            prost::encoding::message::merge(wire_type, &mut self.inner, buf, ctx)
        }
    }

    fn encoded_len(&self) -> usize {
        0
    }

    fn clear(&mut self) {
        self.inner.clear();
    }
}

impl<'a> WireObject<'a, '_> {
    /// The next key, or `None` at the end (or once the message falls back).
    #[inline]
    pub fn next_key(&mut self) -> Result<Option<Key>, Fallback> {
        if self.fallback {
            return Ok(None);
        }
        let key = self.r.key().map_err(decode_error)?;
        if let Some(key) = key
            && let Some((number, close)) = self.open
            && number != key.number
        {
            self.w.byte(close);
            self.open = None;
        }
        Ok(key)
    }

    /// The next field's tag (`number << 3 | wire type`, as on the wire), or `None` at the end
    /// (or once the message falls back). Not checked further: generated arms match valid tags
    /// only, and [`other`](Self::other) checks the rest, so the usual key costs one byte test.
    #[inline(always)]
    pub fn next_tag(&mut self) -> Result<Option<u32>, Fallback> {
        if self.fallback || self.r.is_empty() {
            return Ok(None);
        }
        let raw = self.r.varint().map_err(decode_error)?;
        let tag = u32::try_from(raw).map_err(|_| Fallback)?;
        if let Some((number, close)) = self.open
            && number != tag >> 3
        {
            self.w.byte(close);
            self.open = None;
        }
        Ok(Some(tag))
    }

    /// The key of a tag a generated arm matched (so a valid one). Its offset is not kept: in
    /// the transcoder, errors only ever mean falling back.
    #[inline(always)]
    pub fn tag_key(tag: u32) -> Key {
        Key {
            number: tag >> 3,
            wire: (tag & 7) as u8,
            at: 0,
        }
    }

    /// A tag no generated arm took: invalid, or a known field (`known`) with a wire type its
    /// type never has — prost's errors, left to the owned path — or an unknown field, skipped
    /// as prost skips it.
    #[inline(never)]
    pub fn other(&mut self, tag: u32, known: bool) -> Result<(), Fallback> {
        let key = Self::tag_key(tag);
        if key.number == 0 || key.wire > 5 || known {
            return Err(Fallback);
        }
        self.skip(key)
    }

    #[inline]
    fn close_open(&mut self) {
        if let Some((_, close)) = self.open.take() {
            self.w.byte(close);
        }
    }

    /// Marks `slot` seen; `false` (and fallback) when it was.
    #[inline]
    fn mark(&mut self, slot: usize) -> bool {
        let (word, bit) = (slot / 64, 1u64 << (slot % 64));
        if self.seen[word] & bit != 0 {
            self.fallback = true;
            return false;
        }
        self.seen[word] |= bit;
        true
    }

    #[inline]
    fn mark_field(&mut self, slot: usize, oneof: usize) -> bool {
        self.mark(slot) && (oneof == NO_ONEOF || self.mark(oneof))
    }

    /// Writes a field's key: the pre-escaped constant, without its comma if it comes first.
    #[inline(always)]
    fn key_out(&mut self, name: WireKey) {
        // Four copies of constant length once inlined in a generated arm (so no `memcpy` call),
        // where choosing the slice first would make one copy of variable length.
        match (self.w.options().use_proto_names, self.first) {
            (false, false) => self.w.raw(name.json),
            (false, true) => self.w.raw(&name.json[1..]),
            (true, false) => self.w.raw(name.proto),
            (true, true) => self.w.raw(&name.proto[1..]),
        }
        self.first = false;
    }

    /// An unknown field: skipped as prost skips it.
    #[inline]
    pub fn skip(&mut self, key: Key) -> Result<(), Fallback> {
        self.r.skip(key, self.budget).map_err(decode_error)
    }

    fn expect(&self, key: Key, wire: u8) -> Result<(), Fallback> {
        self.r.expect(key, wire).map_err(decode_error)
    }

    /// The payload of a length-delimited field whose key has been read.
    #[inline(always)]
    fn payload(&mut self, key: Key) -> Result<&'a [u8], Fallback> {
        self.expect(key, wire::LEN)?;
        self.r.len_delimited().map_err(decode_error)
    }

    /// A singular scalar, string, bytes or enum field: read as `W`, written as `J`. `explicit`:
    /// the field has presence (written even at its default).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub fn scalar<W: WireKind<'a>, J: ViewKind<'a, View = W::Out>>(
        &mut self,
        key: Key,
        slot: usize,
        oneof: usize,
        explicit: bool,
        name: WireKey,
    ) -> Result<(), Fallback> {
        self.expect(key, W::WIRE)?;
        let value = W::read(&mut self.r, key.number).map_err(decode_error)?;
        if !self.mark_field(slot, oneof) {
            return Ok(());
        }
        if !explicit && oneof == NO_ONEOF && J::is_default(&value) {
            return Ok(());
        }
        self.key_out(name);
        Ok(J::write_view(value, self.w)?)
    }

    /// A singular string field (or oneof member): checked for UTF-8 as it is written.
    #[inline(always)]
    pub fn string(
        &mut self,
        key: Key,
        slot: usize,
        oneof: usize,
        explicit: bool,
        name: WireKey,
    ) -> Result<(), Fallback> {
        let bytes = self.payload(key)?;
        if !self.mark_field(slot, oneof) {
            return Ok(());
        }
        if !explicit && oneof == NO_ONEOF && bytes.is_empty() {
            return Ok(());
        }
        self.key_out(name);
        self.w.utf8_str(bytes).ok_or(Fallback)
    }

    /// A singular message field (or oneof member) of type `M`.
    #[inline(always)]
    pub fn message<M: JsonWire>(
        &mut self,
        key: Key,
        slot: usize,
        oneof: usize,
        name: WireKey,
    ) -> Result<(), Fallback> {
        let payload = self.payload(key)?;
        if !self.mark_field(slot, oneof) {
            return Ok(());
        }
        self.key_out(name);
        nested::<M>(payload, self.w, self.budget)
    }

    /// A singular field of a well-known type (wrappers included), kind `J`, read through prost.
    #[inline]
    pub fn well_known<J: Kind>(
        &mut self,
        key: Key,
        slot: usize,
        oneof: usize,
        name: WireKey,
    ) -> Result<(), Fallback>
    where
        J::Value: Message + Default,
    {
        let payload = self.payload(key)?;
        if !self.mark_field(slot, oneof) {
            return Ok(());
        }
        let value = decode_well_known::<J>(payload, self.budget)?;
        self.key_out(name);
        Ok(J::write(&value, self.w)?)
    }

    /// Opens (or continues) the array of repeated field `key.number`; `false` if the field's
    /// elements are not contiguous (fallback).
    #[inline]
    fn open_array(&mut self, key: Key, slot: usize, name: WireKey, close: u8) -> bool {
        let continuing = self.open.is_some_and(|(n, _)| n == key.number);
        if continuing {
            self.w.byte(b',');
            return true;
        }
        self.open_new(key, slot, name, close)
    }

    /// Opens the array (or map) of a field's first element.
    #[inline]
    fn open_new(&mut self, key: Key, slot: usize, name: WireKey, close: u8) -> bool {
        if !self.mark(slot) {
            return false;
        }
        self.key_out(name);
        self.w.byte(if close == b']' { b'[' } else { b'{' });
        self.open = Some((key.number, close));
        true
    }

    /// A repeated scalar, string, bytes or enum field, packed or not.
    pub fn repeated<W: WireKind<'a>, J: ViewKind<'a, View = W::Out>>(
        &mut self,
        key: Key,
        slot: usize,
        name: WireKey,
    ) -> Result<(), Fallback> {
        if W::PACKABLE && key.wire == wire::LEN {
            let mut packed = self.r.len_delimited().map_err(decode_error)?;
            if packed.is_empty() {
                // An empty packed run adds nothing.
                return Ok(());
            }
            if !self.open_array(key, slot, name, b']') {
                return Ok(());
            }
            if J::SLOTTED {
                return packed_slots::<W, J>(packed, self.w);
            }
            let mut comma = false;
            while !packed.is_empty() {
                let Some(value) = W::next_packed(&mut packed) else {
                    return Err(Fallback);
                };
                J::write_element(value, self.w, comma)?;
                comma = true;
            }
            return Ok(());
        }
        self.expect(key, W::WIRE)?;
        let value = W::read(&mut self.r, key.number).map_err(decode_error)?;
        if !self.open_array(key, slot, name, b']') {
            return Ok(());
        }
        Ok(J::write_view(value, self.w)?)
    }

    /// A repeated string field.
    #[inline(always)]
    pub fn repeated_string(
        &mut self,
        key: Key,
        slot: usize,
        name: WireKey,
    ) -> Result<(), Fallback> {
        let bytes = self.payload(key)?;
        if !self.open_array(key, slot, name, b']') {
            return Ok(());
        }
        self.w.utf8_str(bytes).ok_or(Fallback)
    }

    /// A repeated message field.
    #[inline(always)]
    pub fn repeated_message<M: JsonWire>(
        &mut self,
        key: Key,
        slot: usize,
        name: WireKey,
    ) -> Result<(), Fallback> {
        let payload = self.payload(key)?;
        if !self.open_array(key, slot, name, b']') {
            return Ok(());
        }
        nested::<M>(payload, self.w, self.budget)
    }

    /// A repeated field of a well-known type.
    pub fn repeated_well_known<J: Kind>(
        &mut self,
        key: Key,
        slot: usize,
        name: WireKey,
    ) -> Result<(), Fallback>
    where
        J::Value: Message + Default,
    {
        let payload = self.payload(key)?;
        let value = decode_well_known::<J>(payload, self.budget)?;
        if !self.open_array(key, slot, name, b']') {
            return Ok(());
        }
        Ok(J::write(&value, self.w)?)
    }

    /// One entry of a map field whose values are scalars, strings, bytes or enums. An entry is
    /// its key and its value, each at most once and in either order (a missing one is its
    /// default, as prost reads it); anything else in it, or a key the open run already had, or a
    /// run longer than 32 entries, falls back.
    pub fn map_entry<KW, KJ, VW, VJ>(
        &mut self,
        key: Key,
        slot: usize,
        name: WireKey,
    ) -> Result<(), Fallback>
    where
        KW: WireKind<'a>,
        KJ: ViewKey<'a, View = KW::Out>,
        VW: WireKind<'a>,
        VJ: ViewKind<'a, View = VW::Out>,
    {
        let Some((map_key, value)) = self.entry::<KW>(VW::WIRE)? else {
            return Ok(());
        };
        let value = match value {
            Some(mut r) => VW::read(&mut r, 2).map_err(decode_error)?,
            None => VW::default_out(),
        };
        if self.entry_key::<KJ>(key, slot, name, map_key) {
            VJ::write_view(value, self.w)?;
        }
        Ok(())
    }

    /// One entry of a map field whose values are messages.
    pub fn map_message_entry<KW, KJ, M>(
        &mut self,
        key: Key,
        slot: usize,
        name: WireKey,
    ) -> Result<(), Fallback>
    where
        KW: WireKind<'a>,
        KJ: ViewKey<'a, View = KW::Out>,
        M: JsonWire,
    {
        let Some((map_key, value)) = self.entry::<KW>(wire::LEN)? else {
            return Ok(());
        };
        let payload = value_payload(value)?;
        if self.entry_key::<KJ>(key, slot, name, map_key) {
            // The entry is a level of its own to prost (`entry` checked there is room for it).
            nested::<M>(payload, self.w, self.budget - 1)?;
        }
        Ok(())
    }

    /// One entry of a map field whose values are of a well-known type.
    pub fn map_well_known_entry<KW, KJ, J>(
        &mut self,
        key: Key,
        slot: usize,
        name: WireKey,
    ) -> Result<(), Fallback>
    where
        KW: WireKind<'a>,
        KJ: ViewKey<'a, View = KW::Out>,
        J: Kind,
        J::Value: Message + Default,
    {
        let Some((map_key, value)) = self.entry::<KW>(wire::LEN)? else {
            return Ok(());
        };
        let payload = value_payload(value)?;
        let value = decode_well_known::<J>(payload, self.budget - 1)?;
        if self.entry_key::<KJ>(key, slot, name, map_key) {
            J::write(&value, self.w)?;
        }
        Ok(())
    }

    /// Reads a map entry: its key (or the default) and a reader at its value, if it has one.
    /// `None` (with fallback) for an entry that is not exactly a key and a value.
    #[allow(clippy::type_complexity)]
    fn entry<KW: WireKind<'a>>(
        &mut self,
        value_wire: u8,
    ) -> Result<Option<(KW::Out, Option<Reader<'a>>)>, Fallback> {
        // prost reads map entries as length-delimited whatever the wire type says, as a
        // message: a level of recursion.
        if self.budget == 0 {
            return Err(Fallback);
        }
        let payload = self.r.len_delimited().map_err(decode_error)?;
        let mut r = Reader::new(payload, 0);
        let (mut map_key, mut value) = (None, None);
        while let Some(k) = r.key().map_err(decode_error)? {
            match k.number {
                1 if map_key.is_none() && k.wire == KW::WIRE => {
                    map_key = Some(KW::read(&mut r, 1).map_err(decode_error)?);
                }
                2 if value.is_none() && k.wire == value_wire => {
                    value = Some(r);
                    r.skip(k, self.budget).map_err(decode_error)?;
                }
                _ => {
                    self.fallback = true;
                    return Ok(None);
                }
            }
        }
        Ok(Some((map_key.unwrap_or_else(KW::default_out), value)))
    }

    /// Writes a map entry's key (opening the map if needed); `false` (with fallback) when the
    /// open run already had the key or is too long.
    fn entry_key<KJ: ViewKey<'a>>(
        &mut self,
        key: Key,
        slot: usize,
        name: WireKey,
        map_key: KJ::View,
    ) -> bool {
        let continuing = self.open.is_some_and(|(n, _)| n == key.number);
        if !continuing {
            self.w.map_keys.truncate(self.map_base);
        }
        let run = self.w.map_keys.len() - self.map_base;
        if run == MAX_MAP_RUN || !self.open_array(key, slot, name, b'}') {
            self.fallback = true;
            return false;
        }
        // Keys are compared as written: the JSON text of a key is canonical.
        let start = self.w.bytes().len();
        KJ::write_key(map_key, self.w);
        let end = self.w.bytes().len();
        let out = self.w.bytes();
        let written = &out[start..end];
        let repeated = self.w.map_keys[self.map_base..]
            .iter()
            .any(|&(s, e)| &out[s..e] == written);
        if repeated {
            self.fallback = true;
            return false;
        }
        self.w.map_keys.push((start, end));
        self.w.byte(b':');
        true
    }
}

/// The numbers of a packed payload, written in batches of slots (see `Writer::slots`).
#[inline(always)]
fn packed_slots<'a, W: WireKind<'a>, J: ViewKind<'a, View = W::Out>>(
    mut packed: &'a [u8],
    w: &mut Writer,
) -> Result<(), Fallback> {
    let mut comma = false;
    while !packed.is_empty() {
        w.slots(|slots| {
            while !slots.full() && !packed.is_empty() {
                let value = W::next_packed(&mut packed).ok_or(Fallback)?;
                slots.put(|out| J::put_slot(value, out, comma));
                comma = true;
            }
            Ok::<(), Fallback>(())
        })?;
    }
    Ok(())
}

/// The payload of a map entry's length-delimited value (empty when the entry has none).
fn value_payload(value: Option<Reader<'_>>) -> Result<&[u8], Fallback> {
    match value {
        Some(mut r) => r.len_delimited().map_err(decode_error),
        None => Ok(&[]),
    }
}

/// Decodes with prost the payload of a well-known type held by a message whose budget is
/// `parent`, counting its depth where it matters: types that nest (`Struct`, `Value`), and any
/// at the last level (where prost refuses even an unknown field).
fn decode_well_known<J: Kind>(payload: &[u8], parent: u32) -> Result<J::Value, EncodeError>
where
    J::Value: Message + Default,
{
    let decoded = match parent.checked_sub(1) {
        None => {
            return Err(EncodeError::new(
                "invalid protobuf: recursion limit reached".to_owned(),
            ));
        }
        Some(budget) if J::RECURSIVE || budget == 0 => decode_at_depth(payload, budget),
        Some(_) => J::Value::decode(payload),
    };
    decoded.map_err(|e| EncodeError::new(format!("invalid protobuf: {e}")))
}

/// Whether `bytes` transcode without falling back to the owned path anywhere (for tests).
#[doc(hidden)]
pub fn transcodes_in_one_pass<M: JsonWire>(bytes: &[u8], options: &EncodeOptions) -> bool {
    FALLBACKS.with(|f| f.set(0));
    let ok = bytes_to_vec::<M>(bytes, options).is_ok();
    ok && FALLBACKS.with(|f| f.get()) == 0
}

thread_local! {
    /// Fallbacks to the owned path on this thread (read by [`transcodes_in_one_pass`]).
    static FALLBACKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The JSON of the protobuf encoding of an `M`, written in one pass over `bytes` (see the module
/// documentation): the same JSON as decoding with prost and writing the owned message.
pub fn bytes_to_vec<M: JsonWire>(
    bytes: &[u8],
    options: &EncodeOptions,
) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer::new(*options);
    transcode_message::<M>(bytes, &mut w, DEFAULT_RECURSION_LIMIT)?;
    Ok(w.into_bytes())
}

/// Appends the JSON of the protobuf encoding of an `M` to `out`; on error `out` is unchanged.
pub fn bytes_write_to_vec<M: JsonWire>(
    bytes: &[u8],
    options: &EncodeOptions,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let start = out.len();
    let mut w = Writer::with_buffer(*options, std::mem::take(out));
    let result = transcode_message::<M>(bytes, &mut w, DEFAULT_RECURSION_LIMIT);
    *out = w.into_bytes();
    if result.is_err() {
        out.truncate(start);
    }
    result
}
