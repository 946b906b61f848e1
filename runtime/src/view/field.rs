//! One known field of a message being decoded: what generated `__parse_chunk` calls, one line
//! per field. `DEEP` is true while decoding a root (every nested message is validated) and false
//! when re-reading bytes that were validated already.

use super::kind::Kind;
use super::wire::{Key, Reader};
use super::{View, enter};
use crate::error::DecodeError;

impl<'a> Reader<'a> {
    /// A singular scalar, string, bytes or enum value, with its wire type checked.
    #[inline]
    pub fn field<K: Kind<'a>>(&mut self, key: Key) -> Result<K::Out, DecodeError> {
        self.expect(key, K::WIRE)?;
        K::read(self, key.number)
    }

    /// One occurrence of a repeated field (packed or not); returns how many values it holds.
    #[inline]
    pub fn repeated<K: Kind<'a>, const DEEP: bool>(
        &mut self,
        key: Key,
        budget: u32,
    ) -> Result<usize, DecodeError> {
        if DEEP || !K::IS_MESSAGE {
            return self.detached(|r| K::check_repeated(r, key, budget));
        }
        // Re-reading validated bytes: count the element, do not parse it (that happens when
        // the iterator reaches it).
        self.expect(key, K::WIRE)?;
        if K::WIRE == super::wire::SGROUP {
            self.detached(|r| r.group(key.number, u32::MAX))?;
        } else {
            self.len_delimited()?;
        }
        Ok(1)
    }

    /// The payload of a singular message field, validated as a `V` when `DEEP`.
    #[inline]
    pub fn message<V: View<'a>, const DEEP: bool>(
        &mut self,
        key: Key,
        budget: u32,
    ) -> Result<&'a [u8], DecodeError> {
        self.expect(key, super::wire::LEN)?;
        let payload = self.len_delimited()?;
        if DEEP {
            V::check(payload, self.position() - payload.len(), budget)?;
        }
        Ok(payload)
    }

    /// The body of a singular group field, validated as a `V` when `DEEP`.
    #[inline]
    pub fn group_field<V: View<'a>, const DEEP: bool>(
        &mut self,
        key: Key,
        budget: u32,
    ) -> Result<&'a [u8], DecodeError> {
        self.expect(key, super::wire::SGROUP)?;
        if !DEEP {
            return self.detached(|r| r.group(key.number, u32::MAX));
        }
        let inner = enter(budget, key.at)?;
        let body = self.detached(|r| r.group(key.number, inner))?;
        V::check(body, key.at, budget)?;
        Ok(body)
    }

    /// One map entry, validated when `DEEP`. Like prost, it is read as length-delimited
    /// whatever the wire type of its key says.
    #[inline]
    pub fn map_entry<K: Kind<'a>, V: Kind<'a>, const DEEP: bool>(
        &mut self,
        key: Key,
        budget: u32,
    ) -> Result<(), DecodeError> {
        if DEEP {
            self.detached(|r| super::map::check_entry::<K, V>(r, key, budget))
        } else {
            self.len_delimited().map(drop)
        }
    }
}
