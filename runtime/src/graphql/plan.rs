//! A planned query: per object type, the flat list of what to write, in response order. Built
//! once by [`Document::plan`](super::Document::plan); executing it only reads it.

use std::collections::HashMap;
use std::sync::Arc;

/// A query ready to run: fragments expanded, `@skip`/`@include` decided, response keys
/// pre-written. Answering it (see [`Plan::write`]) allocates nothing but the output.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub(crate) sels: Vec<Sel>,
    /// Selection sets: ranges of `sels`.
    pub(crate) sets: Vec<Set>,
    /// For each union field, the selection set of each member (in the union's member order).
    pub(crate) members: Vec<u32>,
    pub(crate) root: u32,
    pub(crate) root_type: String,
    pub(crate) proto_names: Arc<HashMap<String, Vec<String>>>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Set {
    pub start: u32,
    pub end: u32,
}

/// One response key of a selection set.
#[derive(Clone, Debug)]
pub(crate) struct Sel {
    /// The response key (alias or field name), for error paths.
    pub name: Box<str>,
    /// `,"key":`, written from the second byte for the first key of an object.
    pub key: Box<[u8]>,
    pub kind: SelKind,
    pub nullable: bool,
    pub items_nullable: bool,
    /// `Type.field`, for errors.
    pub coordinate: Box<str>,
    /// The field's named type (`shop_v1_Status`), for errors.
    pub inner_type: Box<str>,
    pub location: Option<(usize, usize)>,
}

#[derive(Clone, Debug)]
pub(crate) enum SelKind {
    /// `__typename`: the object type's name.
    Typename(Box<str>),
    /// The field at this index of the object type (its position in the SDL; union members have
    /// virtual indices after the fields, see `Object`).
    Field { index: u32, sub: Sub },
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Sub {
    /// A scalar or enum.
    Leaf,
    /// An object type's selection set.
    Object(u32),
    /// A union: `members[start..end]`, one set per member type.
    Union { start: u32, end: u32 },
}

impl Sel {
    pub(crate) fn new(key: &str, kind: SelKind, location: Option<(usize, usize)>) -> Sel {
        let mut bytes = Vec::with_capacity(key.len() + 4);
        bytes.extend_from_slice(b",\"");
        bytes.extend_from_slice(key.as_bytes());
        bytes.extend_from_slice(b"\":");
        Sel {
            name: key.into(),
            key: bytes.into(),
            kind,
            nullable: true,
            items_nullable: true,
            coordinate: Box::default(),
            inner_type: Box::default(),
            location,
        }
    }
}

impl Plan {
    /// The name of the query root type.
    pub fn root_type(&self) -> &str {
        &self.root_type
    }

    pub(crate) fn set(&self, set: u32) -> &[Sel] {
        let Set { start, end } = self.sets[set as usize];
        &self.sels[start as usize..end as usize]
    }

    /// The `google.protobuf.FieldMask` paths of the selection: every selected field as a path of
    /// proto field names, sub-messages' fields below their field (`items.sku`), a oneof's
    /// members by their own names, a map or well-known type as a whole. Paths are sorted and
    /// each appears once; a path covers its sub-paths, as FieldMask semantics say. Fields the
    /// schema gives no proto name (when the SDL is not protogen's) use their GraphQL name.
    pub fn field_mask_paths(&self) -> Vec<String> {
        let mut paths = Vec::new();
        self.mask(self.root, &self.root_type, "", false, &mut paths);
        paths.sort();
        paths.dedup();
        // A path also selected as a whole covers its sub-paths.
        let mut kept: Vec<String> = Vec::new();
        for path in paths {
            if !kept
                .last()
                .is_some_and(|k| path.starts_with(k.as_str()) && path[k.len()..].starts_with('.'))
            {
                kept.push(path);
            }
        }
        kept
    }

    /// The paths below `prefix` of the fields selected in `set` (of object type `ty`); `member`:
    /// the set is a oneof member's wrapper type, whose one field is the member.
    fn mask(&self, set: u32, ty: &str, prefix: &str, member: bool, out: &mut Vec<String>) {
        let names = self.proto_names.get(ty);
        for sel in self.set(set) {
            let SelKind::Field { index, sub } = &sel.kind else {
                continue;
            };
            // A oneof: its members are fields of this message.
            if let Sub::Union { start, end } = sub {
                for &set in &self.members[*start as usize..*end as usize] {
                    self.mask_member(set, prefix, out);
                }
                continue;
            }
            let index = if member { 0 } else { *index as usize };
            let graphql_name = sel.coordinate.rsplit('.').next().unwrap_or_default();
            let proto = match names.and_then(|n| n.get(index)) {
                // The placeholder field of a message without fields.
                Some(name) if name == "-" => continue,
                Some(name) => name.as_str(),
                None => graphql_name,
            };
            let path = if prefix.is_empty() {
                proto.to_owned()
            } else {
                format!("{prefix}.{proto}")
            };
            let before = out.len();
            match sub {
                Sub::Leaf => {}
                // A message's fields; not a map's entries (no proto names: the map is a whole).
                Sub::Object(child) if self.proto_names.contains_key(&*sel.inner_type) => {
                    self.mask(*child, &sel.inner_type, &path, false, out)
                }
                Sub::Object(_) | Sub::Union { .. } => {}
            }
            if out.len() == before {
                out.push(path);
            }
        }
    }
}

impl Plan {
    /// A oneof member's selection set: its fields' paths, or, when only its `__typename` is
    /// selected, the member itself (telling which member is set takes reading it).
    fn mask_member(&self, set: u32, prefix: &str, out: &mut Vec<String>) {
        let sels = self.set(set);
        let mut wrapper = sels.iter().map(|s| match &s.kind {
            SelKind::Typename(ty) => &**ty,
            SelKind::Field { .. } => s.coordinate.rsplit_once('.').map_or("", |(t, _)| t),
        });
        let Some(wrapper) = wrapper.next_back() else {
            return;
        };
        let before = out.len();
        self.mask(set, wrapper, prefix, true, out);
        if out.len() == before
            && let Some(name) = self.proto_names.get(wrapper).and_then(|n| n.first())
        {
            out.push(if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            });
        }
    }
}
