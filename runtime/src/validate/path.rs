//! Field paths built on the stack while validating, turned into data only for a violation.

use super::violation::{FieldPathElement, Subscript};

/// Where the value being checked is: a field of a message, below its parent's path, with an
/// optional subscript (list index or map key).
#[derive(Clone, Copy, Debug)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    name: &'a str,
    number: u32,
    key: Option<Key<'a>>,
    /// The violation is about a map key itself (protovalidate's `for_key`).
    for_key: bool,
}

/// A list index or a map key.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    Index(usize),
    Bool(bool),
    Int(i64),
    Uint(u64),
    Str(&'a str),
}

impl<'a> Path<'a> {
    #[inline]
    pub const fn field(parent: Option<&'a Path<'a>>, name: &'a str, number: u32) -> Self {
        Path {
            parent,
            name,
            number,
            key: None,
            for_key: false,
        }
    }

    /// The element `key` of this (repeated or map) field.
    #[inline]
    pub fn at(&self, key: Key<'a>) -> Path<'a> {
        Path {
            key: Some(key),
            ..*self
        }
    }

    /// The map key `key` itself, for violations of the `keys` rules.
    #[inline]
    pub fn key(&self, key: Key<'a>) -> Path<'a> {
        Path {
            key: Some(key),
            for_key: true,
            ..*self
        }
    }

    pub(super) fn elements(&self) -> (Vec<FieldPathElement>, bool) {
        let depth = std::iter::successors(Some(self), |p| p.parent).count();
        let mut elements = Vec::with_capacity(depth);
        let mut next = Some(self);
        while let Some(path) = next {
            elements.push(FieldPathElement {
                field_number: path.number,
                field_name: path.name.to_owned(),
                subscript: path.key.map(|key| match key {
                    Key::Index(i) => Subscript::Index(i as u64),
                    Key::Bool(b) => Subscript::Bool(b),
                    Key::Int(i) => Subscript::Int(i),
                    Key::Uint(u) => Subscript::Uint(u),
                    Key::Str(s) => Subscript::String(s.to_owned()),
                }),
            });
            next = path.parent;
        }
        elements.reverse();
        (elements, self.for_key)
    }
}

/// Map keys of every proto key type become a [`Key`].
pub trait MapKey {
    fn key(&self) -> Key<'_>;
}

macro_rules! map_key {
    ($($ty:ty => $variant:ident as $as:ty),*) => {$(
        impl MapKey for $ty {
            #[inline]
            fn key(&self) -> Key<'_> {
                Key::$variant(*self as $as)
            }
        }
    )*};
}

map_key!(bool => Bool as bool, i32 => Int as i64, i64 => Int as i64, u32 => Uint as u64, u64 => Uint as u64);

impl MapKey for String {
    #[inline]
    fn key(&self) -> Key<'_> {
        Key::Str(self)
    }
}

impl MapKey for str {
    #[inline]
    fn key(&self) -> Key<'_> {
        Key::Str(self)
    }
}

impl<T: MapKey + ?Sized> MapKey for &T {
    #[inline]
    fn key(&self) -> Key<'_> {
        (**self).key()
    }
}
