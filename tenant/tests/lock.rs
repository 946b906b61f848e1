//! Lock files over many regenerations: random sequences of adds, removes, reorders, renames
//! (with `renamed_from`), re-adds and explicit numbers never renumber a field and never reuse a
//! number; an explicit number is refused only when it is in use or reserved.

use std::collections::HashMap;

use proptest::prelude::*;
use prost::Message as _;
use protogen_tenant::{Lock, compile};

#[derive(Clone, Debug)]
enum Op {
    /// Add a new field (a fresh name) at this position.
    Add(usize),
    Remove(usize),
    Swap(usize, usize),
    /// Rename the field at this position, with the `renamed_from` hint.
    Rename(usize),
    /// Add back a field removed earlier, under its old name.
    ReAdd(usize),
    /// Add a new field with an explicit number (refused if the number is taken or reserved).
    AddExplicit(usize, i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => any::<usize>().prop_map(Op::Add),
        2 => any::<usize>().prop_map(Op::Remove),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Swap(a, b)),
        1 => any::<usize>().prop_map(Op::Rename),
        1 => any::<usize>().prop_map(Op::ReAdd),
        1 => (any::<usize>(), 1i64..40).prop_map(|(at, n)| Op::AddExplicit(at, n)),
    ]
}

/// A present field: its name, the name it was renamed from in this generation, and the
/// identity it has had since it was (re-)added.
#[derive(Clone, Debug)]
struct Field {
    name: String,
    renamed_from: Option<String>,
    identity: usize,
    /// An explicit `number`, kept in every later document.
    number: Option<i64>,
}

fn document(fields: &[Field]) -> String {
    let fields: Vec<String> = fields
        .iter()
        .map(|f| {
            let number = f
                .number
                .map(|n| format!(r#", "number": {n}"#))
                .unwrap_or_default();
            match &f.renamed_from {
                Some(old) => format!(
                    r#"{{"name": "{}", "type": "string", "renamed_from": "{old}"{number}}}"#,
                    f.name
                ),
                None => format!(r#"{{"name": "{}", "type": "int64"{number}}}"#, f.name),
            }
        })
        .collect();
    format!(
        r#"{{"schema_id": "evolving", "fields": [{}]}}"#,
        fields.join(", ")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn numbers_never_move_and_are_never_reused(ops in proptest::collection::vec(op(), 1..40)) {
        let mut fields: Vec<Field> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        let mut fresh = 0usize;
        let mut identities = 0usize;
        let mut lock: Option<Lock> = None;
        // Which identity a number was first given to, and each identity's number.
        let mut owner: HashMap<i64, usize> = HashMap::new();
        let mut number_of: HashMap<usize, i64> = HashMap::new();

        for op in ops {
            for f in &mut fields {
                f.renamed_from = None;
            }
            let before = (fields.clone(), removed.clone());
            match op {
                Op::Add(at) => {
                    fresh += 1;
                    identities += 1;
                    let at = at % (fields.len() + 1);
                    fields.insert(at, Field { name: format!("f{fresh}"), renamed_from: None, identity: identities, number: None });
                }
                Op::Remove(i) if !fields.is_empty() => {
                    let f = fields.remove(i % fields.len());
                    removed.push(f.name);
                }
                Op::Swap(a, b) if !fields.is_empty() => {
                    let n = fields.len();
                    fields.swap(a % n, b % n);
                }
                Op::Rename(i) if !fields.is_empty() => {
                    fresh += 1;
                    let n = fields.len();
                    let f = &mut fields[i % n];
                    f.renamed_from = Some(std::mem::replace(&mut f.name, format!("f{fresh}")));
                }
                Op::ReAdd(i) if !removed.is_empty() => {
                    let name = removed.remove(i % removed.len());
                    if !fields.iter().any(|f| f.name == name) {
                        identities += 1;
                        let at = i % (fields.len() + 1);
                        fields.insert(at, Field { name, renamed_from: None, identity: identities, number: None });
                    }
                }
                Op::AddExplicit(at, n) => {
                    fresh += 1;
                    identities += 1;
                    let at = at % (fields.len() + 1);
                    fields.insert(at, Field { name: format!("f{fresh}"), renamed_from: None, identity: identities, number: Some(n) });
                }
                _ => {}
            }
            let source = document(&fields);
            let compiled = match compile(&source, "evolving.json", lock.as_ref()) {
                Ok(compiled) => compiled,
                Err(errors) => {
                    // Only an explicit number may be refused: one that is in use or reserved.
                    let Op::AddExplicit(_, n) = op else {
                        panic!("{errors}\n{source}");
                    };
                    let table = &lock.as_ref().expect("a lock").messages["Evolving"];
                    prop_assert!(
                        owner.contains_key(&n) || table.reserved.iter().any(|r| r.number == n),
                        "{} refused: {}", n, errors
                    );
                    (fields, removed) = before;
                    continue;
                }
            };
            let table = &compiled.lock.messages["Evolving"];
            for f in &fields {
                let n = table.numbers[&f.name];
                // Never renumbered: an identity keeps its number through reorders and renames.
                if let Some(&before) = number_of.get(&f.identity) {
                    prop_assert_eq!(n, before, "{} was renumbered", f.name);
                }
                // Never reused: a number belongs to one identity forever.
                let first = *owner.entry(n).or_insert(f.identity);
                prop_assert_eq!(first, f.identity, "number {} reused for {}", n, f.name);
                number_of.insert(f.identity, n);
                prop_assert!(!table.reserved.iter().any(|r| r.number == n));
            }
            // Every number handed out and no longer in use is reserved.
            for (&n, _) in owner.iter() {
                if !table.numbers.values().any(|&m| m == n) {
                    prop_assert!(table.reserved.iter().any(|r| r.number == n), "{} not reserved", n);
                }
            }
            // The descriptor reserves what the lock reserves.
            let message = &compiled.file.message_type[0];
            prop_assert_eq!(message.reserved_range.len(), table.reserved.len());
            // The lock written and read back is the same lock; the same input and lock give the
            // same bytes; and the lock is now current.
            let text = compiled.lock.to_json();
            prop_assert_eq!(&Lock::parse(&text).unwrap(), &compiled.lock);
            let again = compile(&source, "evolving.json", Some(&compiled.lock)).unwrap();
            prop_assert_eq!(&again.lock, &compiled.lock);
            prop_assert!(again.changes.is_empty(), "{:?}", again.changes);
            let replay = compile(&source, "evolving.json", lock.as_ref()).unwrap();
            prop_assert_eq!(replay.file.encode_to_vec(), compiled.file.encode_to_vec());
            prop_assert_eq!(replay.lock.to_json(), text);
            for f in &fields {
                if let Some(n) = f.number {
                    prop_assert_eq!(table.numbers[&f.name], n, "explicit number of {}", f.name);
                }
            }
            lock = Some(compiled.lock);
        }
    }
}

#[test]
fn lock_file_text_is_stable() {
    let compiled = compile(
        r#"{"schema_id": "s", "fields": [{"name": "b", "type": "string"}, {"name": "a", "type": "string", "number": 10}],
           "enums": [{"name": "E", "values": ["X"]}]}"#,
        "s.json",
        None,
    )
    .unwrap();
    assert_eq!(
        compiled.lock.to_json(),
        r#"{
  "lock_version": 1,
  "messages": {
    "S": {
      "fields": {
        "b": 1,
        "a": 10
      },
      "reserved": [],
      "next": 11
    }
  },
  "enums": {
    "E": {
      "values": {
        "X": 1
      },
      "reserved": [],
      "next": 2
    }
  }
}
"#
    );
}
