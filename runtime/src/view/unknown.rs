//! Fields a view's schema does not know, as raw byte spans.

use super::source::Source;
use super::wire::Reader;

/// One unknown field: its number, wire type and complete encoding (key included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownField<'a> {
    pub number: u32,
    pub wire_type: u8,
    pub bytes: &'a [u8],
}

/// Iterator over the fields of a message that its schema does not declare.
#[derive(Clone, Copy)]
pub struct UnknownFields<'a> {
    source: Source<'a>,
    known: &'static [u32],
    maps: &'static [u32],
    chunk_index: usize,
    chunk: &'a [u8],
    /// Virtual offset of `chunk[0]`.
    chunk_at: usize,
    reader: Reader<'a>,
}

impl<'a> UnknownFields<'a> {
    /// `known` are the declared field numbers, sorted; `maps` the map fields among them.
    #[doc(hidden)]
    pub fn new(source: Source<'a>, known: &'static [u32], maps: &'static [u32]) -> Self {
        let (chunk, at) = source.chunk(0).unwrap_or((&[], 0));
        UnknownFields {
            source,
            known,
            maps,
            chunk_index: 0,
            chunk,
            chunk_at: at,
            reader: Reader::new(chunk, at),
        }
    }
}

impl<'a> Iterator for UnknownFields<'a> {
    type Item = UnknownField<'a>;

    fn next(&mut self) -> Option<UnknownField<'a>> {
        loop {
            let key = match self.reader.key() {
                Ok(Some(key)) => key,
                Ok(None) => {
                    self.chunk_index += 1;
                    let (chunk, at) = self.source.chunk(self.chunk_index)?;
                    self.chunk = chunk;
                    self.chunk_at = at;
                    self.reader = Reader::new(chunk, at);
                    continue;
                }
                Err(_) => return None,
            };
            self.reader.skip_scanning(key, self.maps).ok()?;
            if self.known.binary_search(&key.number).is_err() {
                let span = key.at - self.chunk_at..self.reader.position() - self.chunk_at;
                let bytes = &self.chunk[span];
                return Some(UnknownField {
                    number: key.number,
                    wire_type: key.wire,
                    bytes,
                });
            }
        }
    }
}
