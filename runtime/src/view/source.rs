//! Where a view's bytes are: one contiguous slice, or — for a singular sub-message that occurs
//! several times, which protobuf merges — the concatenation of every occurrence's payload.
//!
//! Merging two encodings of a message is the same as decoding their concatenation, so a merged
//! sub-message is described without copying as "field N's payloads within the parent's bytes".
//! Such merges nest (a duplicated field inside a duplicated field); a [`Source`] records up to
//! [`MAX_MERGE_DEPTH`] levels inline. Beyond that, the outermost merged levels fall back to the
//! last occurrence only: a documented limit that no encoder produces and only hand-crafted bytes
//! reach.

use super::wire::{LEN, Reader, SGROUP};

/// How many nested levels of merged sub-messages a [`Source`] describes exactly.
pub const MAX_MERGE_DEPTH: usize = 2;

const GROUP_BIT: u32 = 1 << 31;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Step {
    /// Field number; the top bit marks a group.
    field: u32,
    /// Virtual offset, within the parent's concatenation, of the first occurrence to merge.
    start: u32,
    /// The parent's map field numbers, to skip its fields as prost reads them.
    maps: &'static &'static [u32],
}

const NO_STEP: Step = Step {
    field: 0,
    start: 0,
    maps: &(&[] as &[u32]),
};

/// The bytes a view reads: see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source<'a> {
    buf: &'a [u8],
    depth: u8,
    steps: [Step; MAX_MERGE_DEPTH],
}

impl<'a> Source<'a> {
    /// One contiguous encoding.
    #[inline]
    pub const fn flat(buf: &'a [u8]) -> Self {
        Source {
            buf,
            depth: 0,
            steps: [NO_STEP; MAX_MERGE_DEPTH],
        }
    }

    /// Whether the bytes are one slice (the common case, and every root).
    #[inline]
    pub fn is_flat(&self) -> bool {
        self.depth == 0
    }

    /// The one slice, if the bytes are one slice.
    #[inline]
    pub fn as_flat(&self) -> Option<&'a [u8]> {
        (self.depth == 0).then_some(self.buf)
    }

    /// The merged payloads of field `number` occurring from virtual offset `first` on, in a
    /// message whose map fields are `maps`.
    pub fn merged(
        &self,
        number: u32,
        group: bool,
        first: usize,
        last: &'a [u8],
        maps: &'static &'static [u32],
    ) -> Source<'a> {
        let field = number | if group { GROUP_BIT } else { 0 };
        if self.depth == 0 {
            // Slice from the first occurrence: the step's offset is then 0.
            let buf = self.buf.get(first..).unwrap_or_default();
            let mut steps = self.steps;
            steps[0] = Step {
                field,
                start: 0,
                maps,
            };
            return Source {
                buf,
                depth: 1,
                steps,
            };
        }
        match (
            usize::from(self.depth) < MAX_MERGE_DEPTH,
            u32::try_from(first),
        ) {
            (true, Ok(start)) => {
                let mut next = *self;
                next.steps[usize::from(self.depth)] = Step { field, start, maps };
                next.depth += 1;
                next
            }
            // Past the inline limit: the last occurrence alone (see the module docs).
            _ => Source::flat(last),
        }
    }

    /// Calls `f(chunk, virtual_offset)` for each contiguous chunk, in order, until it returns
    /// `false`.
    #[inline]
    pub fn for_each_chunk(&self, mut f: impl FnMut(&'a [u8], usize) -> bool) {
        if self.depth == 0 {
            f(self.buf, 0);
        } else {
            walk(self.buf, &self.steps[..usize::from(self.depth)], &mut f);
        }
    }

    /// The `index`-th chunk and its virtual offset.
    #[inline]
    pub fn chunk(&self, index: usize) -> Option<(&'a [u8], usize)> {
        if self.depth == 0 {
            return (index == 0).then_some((self.buf, 0));
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

/// Walks the chunks of `buf` merged through `steps`. Bytes reaching here were validated when the
/// root was decoded, so a malformed field can only mean a bug: the walk stops there.
fn walk<'a>(buf: &'a [u8], steps: &[Step], f: &mut dyn FnMut(&'a [u8], usize) -> bool) -> bool {
    let Some((last, parents)) = steps.split_last() else {
        return f(buf, 0);
    };
    let number = last.field & !GROUP_BIT;
    let group = last.field & GROUP_BIT != 0;
    let mut out = 0usize;
    walk(buf, parents, &mut |chunk, base| {
        let mut reader = Reader::new(chunk, base);
        while let Ok(Some(key)) = reader.key() {
            let wanted = key.number == number && key.at >= last.start as usize;
            let payload = match (wanted, key.wire) {
                (true, LEN) if !group => reader.len_delimited(),
                (true, SGROUP) if group => reader.group(number, u32::MAX),
                _ => match reader.skip_scanning(key, last.maps) {
                    Ok(()) => continue,
                    Err(_) => return true,
                },
            };
            let Ok(payload) = payload else { return true };
            if !f(payload, out) {
                return false;
            }
            out += payload.len();
        }
        true
    })
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
        let merged = Source::flat(&buf).merged(1, false, 0, &buf[8..], &(&[] as &[u32]));
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
        let none: &'static &'static [u32] = &(&[] as &[u32]);
        let outer = Source::flat(&buf).merged(1, false, 0, &buf[7..], none);
        let inner = outer.merged(3, false, 0, &buf[9..], none);
        assert_eq!(chunks(&inner), vec![(b"x".to_vec(), 0), (b"y".to_vec(), 1)]);
    }
}
