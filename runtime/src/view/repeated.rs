//! Lazy iteration over a repeated field's elements, packed and unpacked alike.

use core::marker::PhantomData;

use super::kind::Kind;
use super::source::{RepeatedSlot, Source};
use super::wire::{LEN, Reader};

/// The elements of a repeated field, read as they are iterated; allocation-free.
/// `len()` is exact: it was counted when the message was decoded.
pub struct Repeated<'a, K: Kind<'a>> {
    source: Source<'a>,
    number: u32,
    maps: &'static [u32],
    remaining: usize,
    chunk_index: usize,
    reader: Reader<'a>,
    /// The rest of the packed payload being iterated.
    packed: &'a [u8],
    kind: PhantomData<K>,
}

impl<'a, K: Kind<'a>> Clone for Repeated<'a, K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<'a, K: Kind<'a>> Copy for Repeated<'a, K> {}

impl<'a, K: Kind<'a>> Repeated<'a, K> {
    /// The elements of field `number` recorded in `slot` while decoding `source`, a message
    /// whose map fields are `maps`.
    #[inline]
    #[doc(hidden)]
    pub fn new(source: Source<'a>, number: u32, slot: RepeatedSlot, maps: &'static [u32]) -> Self {
        let Some(buf) = source.as_flat() else {
            return Self::new_chunked(source, number, slot, maps);
        };
        // One slice (the common case), built from values alone: nothing here takes the
        // iterator's address, so it is assembled where `fold` or the caller's loop keeps it,
        // rather than built in one place and copied to another 32 bytes at a time (a
        // store-forwarding stall: see `fold`). Measured: metric points 17% faster.
        let (reader, remaining) = match buf.get(slot.first..) {
            Some(rest) if slot.count > 0 => (Reader::new(rest, slot.first), slot.count),
            _ => (Reader::new(&[], 0), 0),
        };
        Repeated {
            source: Source::flat(buf),
            number,
            maps,
            remaining,
            chunk_index: 0,
            reader,
            packed: &[],
            kind: PhantomData,
        }
    }

    /// [`Repeated::new`] for a merged source, out of line.
    #[inline(never)]
    fn new_chunked(
        source: Source<'a>,
        number: u32,
        slot: RepeatedSlot,
        maps: &'static [u32],
    ) -> Self {
        let mut this = Repeated {
            source,
            number,
            maps,
            remaining: slot.count,
            chunk_index: 0,
            reader: Reader::new(&[], 0),
            packed: &[],
            kind: PhantomData,
        };
        if slot.count > 0 {
            this.seek_chunks(slot.first);
        }
        this
    }

    /// Positions the reader at virtual offset `first` of a merged source.
    fn seek_chunks(&mut self, first: usize) {
        let mut index = 0;
        while let Some((chunk, at)) = self.source.chunk(index) {
            if first < at + chunk.len() {
                let skip = first.saturating_sub(at);
                self.reader = Reader::new(&chunk[skip..], at + skip);
                self.chunk_index = index;
                return;
            }
            index += 1;
        }
        self.remaining = 0;
    }

    fn next_chunk(&mut self) -> bool {
        self.chunk_index += 1;
        match self.source.chunk(self.chunk_index) {
            Some((chunk, at)) => {
                self.reader = Reader::new(chunk, at);
                true
            }
            None => false,
        }
    }

    /// Whether the field has no elements.
    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }

    fn stop(&mut self) -> Option<K::Out> {
        self.remaining = 0;
        None
    }
}

impl<'a, K: Kind<'a>> Iterator for Repeated<'a, K> {
    type Item = K::Out;

    #[inline]
    fn next(&mut self) -> Option<K::Out> {
        loop {
            if self.remaining == 0 {
                return None;
            }
            if !self.packed.is_empty() {
                self.remaining -= 1;
                return K::next_packed(&mut self.packed).or_else(|| self.stop());
            }
            let key = match self.reader.key() {
                Ok(Some(key)) => key,
                Ok(None) if self.next_chunk() => continue,
                _ => return self.stop(),
            };
            if key.number != self.number {
                if self.reader.skip_scanning(key, self.maps).is_err() {
                    return self.stop();
                }
                continue;
            }
            if K::PACKABLE && key.wire == LEN {
                match self.reader.len_delimited() {
                    Ok(payload) => self.packed = payload,
                    Err(_) => return self.stop(),
                }
                continue;
            }
            self.remaining -= 1;
            if K::IS_MESSAGE && K::WIRE == LEN {
                // Built in the return slot: `read`'s `Result`, turned into an `Option`, would
                // copy the view twice more (see `fold`).
                return match self.reader.len_delimited() {
                    Ok(payload) => Some(K::from_payload(payload)),
                    Err(_) => self.stop(),
                };
            }
            return K::read(&mut self.reader, self.number)
                .ok()
                .or_else(|| self.stop());
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }

    /// Drains packed payloads in a tight loop; `sum`, `for_each` and friends come through here.
    #[inline]
    fn fold<B, F: FnMut(B, K::Out) -> B>(mut self, init: B, mut f: F) -> B {
        let mut acc = init;
        if self.source.is_flat() && (K::PACKABLE || K::IS_MESSAGE && K::WIRE == LEN) {
            // Scalars and messages in one slice (every root's, and those of sub-messages written
            // once; strings measured faster through `next`): `next`'s loop, inlined, so that the
            // iterator is not passed to a call (which kept it in memory, copied there when it
            // was made); and message views built where `f` takes them, not moved through
            // `next`'s `Option`s. Such copies of a value just written field by field load it 16
            // bytes at a time and stall on store forwarding.
            loop {
                if K::PACKABLE && !self.packed.is_empty() {
                    let (folded, count) = K::fold_packed(self.packed, acc, &mut f);
                    acc = folded;
                    self.packed = &[];
                    self.remaining = self.remaining.saturating_sub(count);
                }
                if self.remaining == 0 {
                    return acc;
                }
                let Ok(Some(key)) = self.reader.key() else {
                    return acc;
                };
                if key.number != self.number {
                    if self.reader.skip_scanning(key, self.maps).is_err() {
                        return acc;
                    }
                    continue;
                }
                if K::PACKABLE && key.wire == LEN {
                    let Ok(payload) = self.reader.len_delimited() else {
                        return acc;
                    };
                    self.packed = payload;
                    continue;
                }
                self.remaining -= 1;
                if K::IS_MESSAGE && K::WIRE == LEN {
                    let Ok(payload) = self.reader.len_delimited() else {
                        return acc;
                    };
                    acc = f(acc, K::from_payload(payload));
                } else {
                    match K::read(&mut self.reader, self.number) {
                        Ok(value) => acc = f(acc, value),
                        Err(_) => return acc,
                    }
                }
            }
        }
        loop {
            if !self.packed.is_empty() {
                // A packed payload counts wholly toward `remaining`: drain it in one go.
                let (folded, count) = K::fold_packed(self.packed, acc, &mut f);
                acc = folded;
                self.packed = &[];
                self.remaining = self.remaining.saturating_sub(count);
            }
            match self.next() {
                Some(value) => acc = f(acc, value),
                None => return acc,
            }
        }
    }
}

impl<'a, K: Kind<'a>> ExactSizeIterator for Repeated<'a, K> {}

impl<'a, K: Kind<'a>> core::iter::FusedIterator for Repeated<'a, K> {}

impl<'a, K: Kind<'a>> core::fmt::Debug for Repeated<'a, K>
where
    K::Out: core::fmt::Debug,
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(*self).finish()
    }
}
