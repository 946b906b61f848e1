//! Shared by the view tests: the schemas' descriptors, random messages built from them, byte
//! mutations, and the comparison of a view with prost's decode of the same bytes.

#![allow(dead_code)]

use std::fmt::Debug;

use prost_reflect::{
    DescriptorPool, DynamicMessage, FieldDescriptor, Kind, MapKey, MessageDescriptor, Value,
};
use protogen::{MessageInfo, Owned, View};

pub fn pool() -> DescriptorPool {
    let fds = protox::compile(
        [
            "common/v1/money.proto",
            "shop/v1/order.proto",
            "legacy/v1/catalog.proto",
            "edge/v1/keywords.proto",
            "conformance/v1/all_types.proto",
        ],
        ["../schemas"],
    )
    .expect("schemas compile");
    DescriptorPool::from_file_descriptor_set(fds).unwrap()
}

/// A small deterministic generator (xorshift64*), so failures reproduce from their seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }
}

/// A random message of type `desc`, nested at most `depth` levels.
pub fn random_message(desc: &MessageDescriptor, rng: &mut Rng, depth: u32) -> DynamicMessage {
    let mut msg = DynamicMessage::new(desc.clone());
    for oneof in desc.oneofs().filter(|o| !o.is_synthetic()) {
        let members: Vec<_> = oneof.fields().collect();
        if !rng.chance(3) {
            let field = &members[rng.below(members.len() as u64) as usize];
            msg.set_field(field, random_value(field, &field.kind(), rng, depth));
        }
    }
    for field in desc.fields() {
        let in_oneof = field.containing_oneof().is_some_and(|o| !o.is_synthetic());
        if in_oneof || rng.chance(3) {
            continue;
        }
        let value = if field.is_map() {
            let Kind::Message(entry) = field.kind() else {
                unreachable!()
            };
            let (k, v) = (entry.map_entry_key_field(), entry.map_entry_value_field());
            let entries = (0..rng.below(4))
                .map(|_| {
                    let key = random_value(&k, &k.kind(), rng, depth);
                    (map_key(key), random_value(&v, &v.kind(), rng, depth))
                })
                .collect();
            Value::Map(entries)
        } else if field.is_list() {
            Value::List(
                (0..rng.below(5))
                    .map(|_| random_value(&field, &field.kind(), rng, depth))
                    .collect(),
            )
        } else {
            random_value(&field, &field.kind(), rng, depth)
        };
        msg.set_field(&field, value);
    }
    msg
}

fn map_key(value: Value) -> MapKey {
    match value {
        Value::Bool(v) => MapKey::Bool(v),
        Value::I32(v) => MapKey::I32(v),
        Value::I64(v) => MapKey::I64(v),
        Value::U32(v) => MapKey::U32(v),
        Value::U64(v) => MapKey::U64(v),
        Value::String(v) => MapKey::String(v),
        other => panic!("not a map key: {other:?}"),
    }
}

const STRINGS: &[&str] = &["", "a", "héllo", "日本語", "🦀 crab", "tab\there", "\u{0}"];

fn random_value(field: &FieldDescriptor, kind: &Kind, rng: &mut Rng, depth: u32) -> Value {
    let edge = |rng: &mut Rng, values: &[u64]| values[rng.below(values.len() as u64) as usize];
    let int = |rng: &mut Rng| {
        if rng.chance(2) {
            edge(rng, &[0, 1, u64::MAX, 1 << 31, 1 << 32, 127, 128, 300])
        } else {
            rng.next() >> rng.below(64)
        }
    };
    let float = |rng: &mut Rng| match rng.below(6) {
        0 => f64::INFINITY,
        1 => f64::NEG_INFINITY,
        2 => -0.0,
        _ => (rng.next() as i64 as f64) / 1024.0,
    };
    match kind {
        Kind::Bool => Value::Bool(rng.chance(2)),
        Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(int(rng) as i32),
        Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(int(rng) as i64),
        Kind::Uint32 | Kind::Fixed32 => Value::U32(int(rng) as u32),
        Kind::Uint64 | Kind::Fixed64 => Value::U64(int(rng)),
        Kind::Float => Value::F32(float(rng) as f32),
        Kind::Double => Value::F64(float(rng)),
        Kind::String => Value::String(
            STRINGS[rng.below(STRINGS.len() as u64) as usize].repeat(rng.below(3) as usize + 1),
        ),
        Kind::Bytes => Value::Bytes(
            (0..rng.below(6))
                .map(|_| rng.next() as u8)
                .collect::<Vec<_>>()
                .into(),
        ),
        Kind::Enum(e) => {
            let values: Vec<i32> = e.values().map(|v| v.number()).collect();
            if rng.chance(5) {
                Value::EnumNumber(rng.next() as i32)
            } else {
                Value::EnumNumber(values[rng.below(values.len() as u64) as usize])
            }
        }
        Kind::Message(m) => {
            let _ = field;
            if depth == 0 {
                Value::Message(DynamicMessage::new(m.clone()))
            } else {
                Value::Message(random_message(m, rng, depth - 1))
            }
        }
    }
}

/// Byte-level damage and splicing: every kind a fuzzer would try first. Whole encodings are
/// spliced at most `MAX_MERGED_CHUNKS` (4) times in all: past that, merges nested inside merges
/// are the views' one documented divergence (see `protogen::view::Source` and the test
/// `merges_past_the_inline_limit_keep_the_last_four_pieces`).
pub fn mutate(bytes: &[u8], other: &[u8], pieces: &mut usize, rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let at = |rng: &mut Rng, len: usize| rng.below(len as u64 + 1) as usize;
    match rng.below(7) {
        0 if !out.is_empty() => {
            let i = at(rng, out.len() - 1);
            out[i] = rng.next() as u8;
        }
        1 => out.truncate(at(rng, bytes.len())),
        2 => {
            let i = at(rng, out.len());
            let junk: Vec<u8> = (0..rng.below(4) + 1).map(|_| rng.next() as u8).collect();
            out.splice(i..i, junk);
        }
        // A valid concatenation: prost merges the two messages.
        3 | 6 if *pieces < protogen::view::MAX_MERGED_CHUNKS => {
            *pieces += 1;
            out.extend_from_slice(other);
        }
        4 => {
            let (a, b) = (at(rng, out.len()), at(rng, out.len()));
            let (a, b) = (a.min(b), a.max(b));
            let segment = out[a..b].to_vec();
            out.extend_from_slice(&segment);
        }
        _ if !out.is_empty() => {
            let i = at(rng, out.len() - 1);
            out[i] ^= 1 << rng.below(8);
        }
        _ => {}
    }
    out
}

/// How prost and a view agreed on some bytes: on a value (the default one, which proves little,
/// or another), or on refusing them. Tests count these, so that a comparison where both sides
/// trivially agree cannot pass for a meaningful one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agreement {
    Default,
    Value,
    Rejected,
}

/// Decodes `bytes` with prost and as a view: both accept or both reject, and when they accept,
/// the view's `to_owned()` equals prost's value.
pub fn agree<T>(bytes: &[u8]) -> Result<Agreement, String>
where
    T: Owned + MessageInfo + PartialEq + Debug,
{
    let owned = T::decode(bytes);
    let view = <T::View<'_> as View>::decode(bytes);
    match (owned, view) {
        (Ok(owned), Ok(view)) => {
            let from_view = view.to_owned_message();
            if from_view == owned || same_values::<T>(&from_view, &owned) {
                Ok(if owned == T::default() {
                    Agreement::Default
                } else {
                    Agreement::Value
                })
            } else {
                Err(format!(
                    "values differ for {bytes:02x?}\nprost: {owned:?}\nview:  {from_view:?}"
                ))
            }
        }
        (Err(_), Err(_)) => Ok(Agreement::Rejected),
        (Ok(owned), Err(err)) => Err(format!(
            "view rejects what prost accepts ({err}): {bytes:02x?}\n{owned:?}"
        )),
        (Err(err), Ok(_)) => Err(format!(
            "view accepts what prost rejects ({err}): {bytes:02x?}"
        )),
    }
}

/// Equality up to NaN payloads and map order: compare as dynamic messages, floats by bits.
fn same_values<T: MessageInfo + prost::Message>(a: &T, b: &T) -> bool {
    let desc = pool()
        .get_message_by_name(T::FULL_NAME)
        .expect("type in schemas");
    let decode =
        |m: &T| DynamicMessage::decode(desc.clone(), m.encode_to_vec().as_slice()).unwrap();
    same_message(&decode(a), &decode(b))
}

fn same_message(a: &DynamicMessage, b: &DynamicMessage) -> bool {
    let fa: Vec<_> = a.fields().collect();
    let fb: Vec<_> = b.fields().collect();
    fa.len() == fb.len()
        && fa
            .iter()
            .zip(&fb)
            .all(|((da, va), (db, vb))| da.number() == db.number() && same_value(va, vb))
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::F32(x), Value::F32(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        (Value::F64(x), Value::F64(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        (Value::Message(x), Value::Message(y)) => same_message(x, y),
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}
