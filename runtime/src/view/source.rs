//! Where a view's bytes are: one contiguous slice, or — for a singular sub-message that occurs
//! several times, which protobuf merges — the concatenation of every occurrence's payload.
//!
//! Merging two encodings of a message is the same as decoding their concatenation, so a merged
//! sub-message is described without copying, as a path from a region of the buffer: "field A's
//! payloads in this region, then field B's payloads in those, …". Up to [`MAX_MERGE_PATH`] levels
//! of merging nested in merging are described exactly, whatever the number of occurrences. Below
//! that, a merged sub-message inside a path that long keeps the list of its payloads inline, up to
//! [`MAX_MERGED_CHUNKS`]; past that many, only the last ones: the one documented divergence from
//! prost, which needs a message merged four levels deep with a sub-message written five times.

use super::View;
use super::wire::{LEN, Reader, SGROUP};

/// Levels of merging nested in merging that a [`Source`] describes exactly. Fuzzing builds
/// (`--cfg protogen_deep_merge`) raise it, so that the fuzzer reports other differences than
/// this documented limit, which runs of repeated bytes reach easily.
#[cfg(not(protogen_deep_merge))]
pub const MAX_MERGE_PATH: usize = 3;
#[cfg(protogen_deep_merge)]
pub const MAX_MERGE_PATH: usize = 32;

/// How many payloads a sub-message merged deeper than [`MAX_MERGE_PATH`] keeps inline.
pub const MAX_MERGED_CHUNKS: usize = 4;

const NO_MAPS: &&[u32] = &(&[] as &[u32]);

/// The bytes a view reads: see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source<'a>(Repr<'a>);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repr<'a> {
    Flat(&'a [u8]),
    /// The payloads reached from `region` through `steps[..len]`.
    Path {
        region: &'a [u8],
        steps: [Step; MAX_MERGE_PATH],
        len: u8,
    },
    Chunks {
        chunks: [&'a [u8]; MAX_MERGED_CHUNKS],
        len: u8,
    },
}

/// One level of a merge path: the payloads of `field` (a group if `GROUP_BIT` is set) found from
/// virtual offset `from` on, in a message whose map fields are `maps` (prost reads map entries
/// whatever their wire type says, so scans must too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Step {
    field: u32,
    from: u32,
    maps: &'static &'static [u32],
}

const GROUP_BIT: u32 = 1 << 31;

const NO_STEP: Step = Step {
    field: 0,
    from: 0,
    maps: NO_MAPS,
};

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
        maps: &'static &'static [u32],
    ) -> Source<'a> {
        let field = number | if group { GROUP_BIT } else { 0 };
        match self.0 {
            Repr::Flat(buf) => {
                let mut steps = [NO_STEP; MAX_MERGE_PATH];
                steps[0] = Step {
                    field,
                    from: 0,
                    maps,
                };
                return Source(Repr::Path {
                    region: buf.get(first..).unwrap_or_default(),
                    steps,
                    len: 1,
                });
            }
            Repr::Path { region, steps, len } if usize::from(len) < MAX_MERGE_PATH => {
                if let Ok(from) = u32::try_from(first) {
                    let mut steps = steps;
                    steps[usize::from(len)] = Step { field, from, maps };
                    return Source(Repr::Path {
                        region,
                        steps,
                        len: len + 1,
                    });
                }
            }
            _ => {}
        }
        self.collect(field, first, last, maps)
    }

    /// Past the exact path: the payloads themselves, the last `MAX_MERGED_CHUNKS` of them.
    fn collect(
        &self,
        field: u32,
        first: usize,
        last: &'a [u8],
        maps: &'static &'static [u32],
    ) -> Source<'a> {
        let step = Step {
            field,
            from: 0,
            maps,
        };
        let mut chunks: [&'a [u8]; MAX_MERGED_CHUNKS] = [&[]; MAX_MERGED_CHUNKS];
        let mut len = 0usize;
        self.for_each_chunk(|chunk, at| {
            scan(chunk, at, step, first, &mut |payload| {
                if len == MAX_MERGED_CHUNKS {
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
    /// `false`. Virtual offsets count the bytes of the chunks before.
    #[inline]
    pub fn for_each_chunk(&self, mut f: impl FnMut(&'a [u8], usize) -> bool) {
        match self.0 {
            Repr::Flat(buf) => {
                f(buf, 0);
            }
            Repr::Path { region, steps, len } => {
                walk(region, &steps[..usize::from(len)], &mut f);
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

/// Walks the payloads reached from `region` through `steps`, with their virtual offsets.
fn walk<'a>(region: &'a [u8], steps: &[Step], f: &mut dyn FnMut(&'a [u8], usize) -> bool) -> bool {
    let Some((step, parents)) = steps.split_last() else {
        return f(region, 0);
    };
    let mut out = 0usize;
    walk(region, parents, &mut |chunk, base| {
        scan(chunk, base, *step, step.from as usize, &mut |payload| {
            let go_on = f(payload, out);
            out += payload.len();
            go_on
        })
    })
}

/// Calls `f` with the payload of each occurrence of `step.field` in `chunk` (whose first byte is
/// at virtual offset `base`) whose key is at or after virtual offset `from`. Bytes reaching here
/// were validated when their root was decoded, so a malformed field can only mean a bug: the scan
/// stops there. Returns `false` if `f` asked to stop.
fn scan<'a>(
    chunk: &'a [u8],
    base: usize,
    step: Step,
    from: usize,
    f: &mut dyn FnMut(&'a [u8]) -> bool,
) -> bool {
    let number = step.field & !GROUP_BIT;
    let group = step.field & GROUP_BIT != 0;
    let mut reader = Reader::new(chunk, base);
    while let Ok(Some(key)) = reader.key() {
        let wanted = key.number == number && key.at >= from;
        let payload = match (wanted, key.wire) {
            (true, LEN) if !group => reader.len_delimited(),
            (true, SGROUP) if group => reader.group(number, u32::MAX),
            _ => match reader.skip_scanning(key, step.maps) {
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
        maps: &'static &'static [u32],
    ) -> Option<Source<'a>> {
        match self.count {
            0 => None,
            1 => Some(Source::flat(self.last)),
            _ => Some(parent.merged(number, group, self.first, self.last, maps)),
        }
    }

    /// The field's value as a view: [`MessageSlot::source`], with one payload (the common case)
    /// read directly.
    #[inline]
    pub fn view<V: View<'a>>(
        &self,
        parent: &Source<'a>,
        number: u32,
        group: bool,
        maps: &'static &'static [u32],
    ) -> Option<V> {
        match self.count {
            0 => None,
            1 => Some(V::from_flat(self.last)),
            _ => Some(V::from_source(
                parent.merged(number, group, self.first, self.last, maps),
            )),
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
        let merged = Source::flat(&buf).merged(1, false, 0, &buf[8..], NO_MAPS);
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
        let outer = Source::flat(&buf).merged(1, false, 0, &buf[7..], NO_MAPS);
        let inner = outer.merged(3, false, 0, &buf[9..], NO_MAPS);
        assert_eq!(chunks(&inner), vec![(b"x".to_vec(), 0), (b"y".to_vec(), 1)]);
        let innermost = inner.merged(5, false, 0, &[], NO_MAPS);
        assert!(
            chunks(&innermost).is_empty(),
            "no occurrence: an empty message"
        );
    }
}
