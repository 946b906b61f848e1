//! Where a view's bytes are: one contiguous slice, or — for a singular sub-message that occurs
//! several times, which protobuf merges — the concatenation of every occurrence's payload.
//!
//! Merging two encodings of a message is the same as decoding their concatenation, so a merged
//! sub-message is described without copying: as "field N's payloads within this region" when its
//! parent is one slice (exact, however many occurrences), or as the list of those payloads when
//! the parent is itself merged. That list holds up to [`MAX_MERGED_CHUNKS`] payloads inline,
//! which covers the concatenation of that many encodings at every depth (concatenating encodings
//! of a recursive message merges at every level). Beyond that, only the last
//! [`MAX_MERGED_CHUNKS`] occurrences of a field inside an already merged parent are kept: the one
//! documented divergence from prost, reached only by splicing five or more encodings.

use super::wire::{LEN, Reader, SGROUP};

/// How many payloads a sub-message merged inside a merged parent keeps inline.
pub const MAX_MERGED_CHUNKS: usize = 4;

/// The bytes a view reads: see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source<'a>(Repr<'a>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repr<'a> {
    Flat(&'a [u8]),
    /// The payloads of field `field` (a group when `group`) in `region`, a message whose map
    /// fields are `maps` (prost reads map entries whatever their wire type says).
    Field {
        region: &'a [u8],
        field: u32,
        group: bool,
        maps: &'static [u32],
    },
    Chunks {
        chunks: [&'a [u8]; MAX_MERGED_CHUNKS],
        len: u8,
    },
}

impl<'a> Source<'a> {
    /// One contiguous encoding.
    #[inline]
    pub const fn flat(buf: &'a [u8]) -> Self {
        Source(Repr::Flat(buf))
    }

    /// Whether the bytes are one slice (the common case, and every root).
    #[inline]
    pub fn is_flat(&self) -> bool {
        matches!(self.0, Repr::Flat(_))
    }

    /// The one slice, if the bytes are one slice.
    #[inline]
    pub fn as_flat(&self) -> Option<&'a [u8]> {
        match self.0 {
            Repr::Flat(buf) => Some(buf),
            _ => None,
        }
    }

    /// The merged payloads of field `number` occurring from virtual offset `first` on, in this
    /// message, whose map fields are `maps`. `last` is the last occurrence's payload.
    pub fn merged(
        &self,
        number: u32,
        group: bool,
        first: usize,
        last: &'a [u8],
        maps: &'static [u32],
    ) -> Source<'a> {
        if let Repr::Flat(buf) = self.0 {
            return Source(Repr::Field {
                region: buf.get(first..).unwrap_or_default(),
                field: number,
                group,
                maps,
            });
        }
        let mut chunks: [&'a [u8]; MAX_MERGED_CHUNKS] = [&[]; MAX_MERGED_CHUNKS];
        let mut len = 0usize;
        self.for_each_chunk(|chunk, at| {
            scan_field(chunk, at, number, group, maps, first, &mut |payload| {
                if len == MAX_MERGED_CHUNKS {
                    // Past the inline limit (see the module docs): keep the latest ones.
                    chunks.rotate_left(1);
                    len -= 1;
                }
                chunks[len] = payload;
                len += 1;
                true
            })
        });
        match len {
            0 => Source::flat(last),
            _ => Source(Repr::Chunks {
                chunks,
                len: len as u8,
            }),
        }
    }

    /// Calls `f(chunk, virtual_offset)` for each contiguous chunk, in order, until it returns
    /// `false`. Virtual offsets count bytes of the chunks before.
    #[inline]
    pub fn for_each_chunk(&self, mut f: impl FnMut(&'a [u8], usize) -> bool) {
        match self.0 {
            Repr::Flat(buf) => {
                f(buf, 0);
            }
            Repr::Field {
                region,
                field,
                group,
                maps,
            } => {
                let mut at = 0;
                scan_field(region, 0, field, group, maps, 0, &mut |payload| {
                    let go_on = f(payload, at);
                    at += payload.len();
                    go_on
                });
            }
            Repr::Chunks { chunks, len } => {
                let mut at = 0;
                for chunk in &chunks[..usize::from(len)] {
                    if !f(chunk, at) {
                        return;
                    }
                    at += chunk.len();
                }
            }
        }
    }

    /// The `index`-th chunk and its virtual offset.
    #[inline]
    pub fn chunk(&self, index: usize) -> Option<(&'a [u8], usize)> {
        if let Repr::Flat(buf) = self.0 {
            return (index == 0).then_some((buf, 0));
        }
        let mut seen = 0;
        let mut found = None;
        self.for_each_chunk(|chunk, at| {
            if seen == index {
                found = Some((chunk, at));
                return false;
            }
            seen += 1;
            true
        });
        found
    }
}

/// Calls `f` with the payload of each occurrence of field `number` in `chunk` (whose first byte
/// is at virtual offset `base`) whose key is at or after virtual offset `from`. Bytes reaching
/// here were validated when their root was decoded, so a malformed field can only mean a bug: the
/// scan stops there. Returns `false` if `f` asked to stop.
fn scan_field<'a>(
    chunk: &'a [u8],
    base: usize,
    number: u32,
    group: bool,
    maps: &[u32],
    from: usize,
    f: &mut dyn FnMut(&'a [u8]) -> bool,
) -> bool {
    let mut reader = Reader::new(chunk, base);
    while let Ok(Some(key)) = reader.key() {
        let wanted = key.number == number && key.at >= from;
        let payload = match (wanted, key.wire) {
            (true, LEN) if !group => reader.len_delimited(),
            (true, SGROUP) if group => reader.group(number, u32::MAX),
            _ => match reader.skip_scanning(key, maps) {
                Ok(()) => continue,
                Err(_) => return true,
            },
        };
        let Ok(payload) = payload else { return true };
        if !f(payload) {
            return false;
        }
    }
    true
}

/// Where a singular sub-message field was seen while decoding its parent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MessageSlot<'a> {
    /// Payload of the last occurrence.
    pub last: &'a [u8],
    /// Virtual offset of the first occurrence's key.
    pub first: usize,
    pub count: u32,
}

impl<'a> MessageSlot<'a> {
    #[inline]
    pub fn record(&mut self, payload: &'a [u8], at: usize) {
        if self.count == 0 {
            self.first = at;
        }
        self.count += 1;
        self.last = payload;
    }

    /// The slot after one more occurrence.
    #[inline]
    #[must_use]
    pub fn with(mut self, payload: &'a [u8], at: usize) -> Self {
        self.record(payload, at);
        self
    }

    #[inline]
    pub fn is_set(&self) -> bool {
        self.count > 0
    }

    /// The bytes of the field's value: its one payload, or all of them merged. `maps` are the
    /// parent's map field numbers.
    #[inline]
    pub fn source(
        &self,
        parent: &Source<'a>,
        number: u32,
        group: bool,
        maps: &'static [u32],
    ) -> Option<Source<'a>> {
        match self.count {
            0 => None,
            1 => Some(Source::flat(self.last)),
            _ => Some(parent.merged(number, group, self.first, self.last, maps)),
        }
    }
}

/// Where a repeated or map field's elements start, and how many there are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RepeatedSlot {
    /// Virtual offset of the first occurrence's key.
    pub first: usize,
    pub count: usize,
}

impl RepeatedSlot {
    #[inline]
    pub fn record(&mut self, at: usize, elements: usize) {
        if self.count == 0 {
            self.first = at;
        }
        self.count += elements;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(source: &Source<'_>) -> Vec<(Vec<u8>, usize)> {
        let mut out = Vec::new();
        source.for_each_chunk(|c, at| {
            out.push((c.to_vec(), at));
            true
        });
        out
    }

    #[test]
    fn merged_sources_yield_each_occurrence_in_order() {
        // field 1 "ab", field 2 varint, field 1 "c"
        let buf = [0x0a, 2, b'a', b'b', 0x10, 7, 0x0a, 1, b'c'];
        let merged = Source::flat(&buf).merged(1, false, 0, &buf[8..], &[]);
        assert_eq!(
            chunks(&merged),
            vec![(b"ab".to_vec(), 0), (b"c".to_vec(), 2)]
        );
        assert_eq!(merged.chunk(1), Some((&b"c"[..], 2)));
        assert_eq!(merged.chunk(2), None);
    }

    #[test]
    fn nested_merges_walk_through_every_level() {
        // Outer field 1 twice; each holds inner field 3 with one byte payload.
        let buf = [0x0a, 3, 0x1a, 1, b'x', 0x0a, 3, 0x1a, 1, b'y'];
        let outer = Source::flat(&buf).merged(1, false, 0, &buf[7..], &[]);
        let inner = outer.merged(3, false, 0, &buf[9..], &[]);
        assert_eq!(chunks(&inner), vec![(b"x".to_vec(), 0), (b"y".to_vec(), 1)]);
        let innermost = inner.merged(5, false, 0, &[], &[]);
        assert_eq!(
            chunks(&innermost),
            vec![(Vec::new(), 0)],
            "no occurrence: the last payload"
        );
    }
}
