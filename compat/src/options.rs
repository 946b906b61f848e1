//! Custom options a file sets, read with prost-reflect (prost-types drops them): which files
//! declare the extensions used, so that an import used only for its options counts as used.

use std::collections::BTreeSet;

use prost_reflect::{DynamicMessage, FileDescriptor, Value};

/// The names of the files declaring every custom option set anywhere in `file`.
pub(crate) fn files_of_options(file: &FileDescriptor) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |options: &DynamicMessage| collect(options, &mut out);
    add(&file.options());
    for message in file
        .messages()
        .flat_map(|m| std::iter::once(m.clone()).chain(nested(&m)))
    {
        add(&message.options());
        for field in message.fields() {
            add(&field.options());
        }
        for oneof in message.oneofs() {
            add(&oneof.options());
        }
        for e in message.child_enums() {
            add(&e.options());
            for v in e.values() {
                add(&v.options());
            }
        }
        for ext in message.child_extensions() {
            add(&ext.options());
        }
    }
    for e in file.enums() {
        add(&e.options());
        for v in e.values() {
            add(&v.options());
        }
    }
    for service in file.services() {
        add(&service.options());
        for method in service.methods() {
            add(&method.options());
        }
    }
    for ext in file.extensions() {
        add(&ext.options());
    }
    out
}

fn nested(message: &prost_reflect::MessageDescriptor) -> Vec<prost_reflect::MessageDescriptor> {
    let mut out = Vec::new();
    for child in message.child_messages() {
        out.push(child.clone());
        out.extend(nested(&child));
    }
    out
}

fn collect(options: &DynamicMessage, out: &mut BTreeSet<String>) {
    for (ext, value) in options.extensions() {
        out.insert(ext.parent_file().name().to_owned());
        if let Value::Message(inner) = value {
            collect(inner, out);
        }
    }
}
