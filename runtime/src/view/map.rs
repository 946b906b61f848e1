//! Map fields: an iterator of borrowed entries and a last-one-wins lookup.

use core::marker::PhantomData;

use super::kind::Kind;
use super::source::{MessageSlot, RepeatedSlot, Source};
use super::wire::{Key, Reader};
use crate::error::DecodeError;

/// A map field of a view. Entries are read from the wire as iterated; a key that occurs several
/// times is yielded each time, and [`MapView::get`] returns its last value, as prost keeps.
pub struct MapView<'a, K: Kind<'a>, V: Kind<'a>> {
    source: Source<'a>,
    number: u32,
    slot: RepeatedSlot,
    maps: &'static [u32],
    kinds: PhantomData<(K, V)>,
}

impl<'a, K: Kind<'a>, V: Kind<'a>> Clone for MapView<'a, K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<'a, K: Kind<'a>, V: Kind<'a>> Copy for MapView<'a, K, V> {}

impl<'a, K: Kind<'a>, V: Kind<'a>> MapView<'a, K, V> {
    /// The map field `number` recorded in `slot` while decoding `source`, a message whose map
    /// fields are `maps`.
    #[inline]
    #[doc(hidden)]
    pub fn new(source: Source<'a>, number: u32, slot: RepeatedSlot, maps: &'static [u32]) -> Self {
        MapView {
            source,
            number,
            slot,
            maps,
            kinds: PhantomData,
        }
    }

    /// Every entry on the wire, in order, duplicates included.
    pub fn iter(&self) -> MapEntries<'a, K, V> {
        MapEntries {
            entries: super::Repeated::new(self.source, self.number, self.slot, self.maps),
            kinds: PhantomData,
        }
    }

    /// Entries on the wire (a key written twice counts twice).
    pub fn entry_count(&self) -> usize {
        self.slot.count
    }

    pub fn is_empty(&self) -> bool {
        self.slot.count == 0
    }

    /// The value of the last entry with this key (`map.get("k")`, `map.get(7)`).
    pub fn get<Q>(&self, key: Q) -> Option<V::Out>
    where
        K::Out: PartialEq<Q>,
    {
        self.iter()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|(_, v)| v)
    }
}

impl<'a, K: Kind<'a>, V: Kind<'a>> IntoIterator for MapView<'a, K, V> {
    type Item = (K::Out, V::Out);
    type IntoIter = MapEntries<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over a map's entries.
pub struct MapEntries<'a, K: Kind<'a>, V: Kind<'a>> {
    entries: super::Repeated<'a, super::kind::Bytes>,
    kinds: PhantomData<(K, V)>,
}

impl<'a, K: Kind<'a>, V: Kind<'a>> Iterator for MapEntries<'a, K, V> {
    type Item = (K::Out, V::Out);

    fn next(&mut self) -> Option<Self::Item> {
        let entry = self.entries.next()?;
        Some(read_entry::<K, V>(entry))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl<'a, K: Kind<'a>, V: Kind<'a>> ExactSizeIterator for MapEntries<'a, K, V> {}

/// An entry's key and value; absent ones are their defaults, a message value written twice in
/// one entry is merged, as prost does.
fn read_entry<'a, K: Kind<'a>, V: Kind<'a>>(entry: &'a [u8]) -> (K::Out, V::Out) {
    let mut key = K::default_out();
    let mut value = V::default_out();
    let mut slot = MessageSlot::default();
    let mut r = Reader::new(entry, 0);
    while let Ok(Some(k)) = r.key() {
        let read = match k.number {
            1 => K::read(&mut r, 1).map(|v| key = v),
            2 if V::IS_MESSAGE => r.len_delimited().map(|p| slot.record(p, k.at)),
            2 => V::read(&mut r, 2).map(|v| value = v),
            _ => r.skip(k, u32::MAX),
        };
        if read.is_err() {
            break;
        }
    }
    if V::IS_MESSAGE {
        value = match slot.source(&Source::flat(entry), 2, false, &(&[] as &[u32])) {
            Some(src) => V::from_source(src),
            None => V::from_source(Source::flat(&[])),
        };
    }
    (key, value)
}

/// Validates one map entry at decode time as prost's map merge does: the entry counts as one
/// level of nesting, keys and values must have their wire types. `budget` is the recursion
/// budget of the message holding the map. Like prost, the entry is read as length-delimited
/// whatever the wire type of its key says.
#[doc(hidden)]
pub fn check_entry<'a, K: Kind<'a>, V: Kind<'a>>(
    r: &mut Reader<'a>,
    key: Key,
    budget: u32,
) -> Result<(), DecodeError> {
    let payload = r.len_delimited()?;
    let inner = super::enter(budget, key.at)?;
    let mut entry = Reader::new(payload, r.position() - payload.len());
    while let Some(k) = entry.key()? {
        match k.number {
            1 => K::check_single(&mut entry, k, inner)?,
            2 => V::check_single(&mut entry, k, inner)?,
            _ => entry.skip(k, inner)?,
        }
    }
    Ok(())
}
