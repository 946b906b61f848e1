#!/usr/bin/env python3
"""Differential test of protogen's generated validators against protovalidate itself.

For every message of protovalidate's conformance case protos, build random instances biased
towards rule boundaries (empty strings, valid and invalid emails, IPs, URIs, numbers around
typical bounds, undefined enum values, empty and long lists...), validate each with Python's
`protovalidate` (the reference) and with protogen's generated code (the `harness` binary, owned
and view), and compare the violations: field path, rule path, rule id, message, for_key.

Rules protogen does not compile (CEL, predefined rules) are left out on the reference side, and
messages protovalidate refuses to compile (protogen refuses them at build time) are skipped.

    python3 conformance/oracle.py --harness target/debug/harness [--per-type 40] [--seed 1]

Exit status 1 on any disagreement, printing each kind once with an example.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor as FD
import protovalidate

STRINGS = [
    "", "a", "ab", "abc", "abcd", "abcdefghij", "x" * 300, "é€", "foo", "bar", "baz",
    "foo@example.com", "a.b+c@d.example", "not an email", "@x.com", "a@b", "a@-b.com",
    "example.com", "example.com.", "-bad.com", "a..b", "localhost", "1.2.3.4",
    "127.0.0.1", "256.1.1.1", "01.2.3.4", "::1", "fe80::1%eth0", "2001:db8::/32",
    "10.0.0.0/8", "10.0.0.1/8", "10.0.0.1/33", "192.168.0.1/24", "::ffff:1.2.3.4",
    "https://example.com/a?b=c#d", "/relative/path", "http://exa mple.com", "foo:bar",
    "550e8400-e29b-41d4-a716-446655440000", "550E8400E29B41D4A716446655440000",
    "01ARZ3NDEKTSV4RRFFQ69G5FAV", "81ARZ3NDEKTSV4RRFFQ69G5FAV", "example.com:443",
    "[::1]:8080", "example.com:65536", "host:080", "content-type", ":authority", "bad header",
    "text/html\tq", "a\nb", "buf.validate.Rule", ".buf.validate", "a..b.c", "foo_bar",
    "foobar", "barfoo", "tuv", "ABC", "abc-123", "\u00e9t\u00e9",
]
BYTES = [b"", b"\x00", b"\x01\x02", b"abc", b"foo", b"\x7f\x00\x00\x01", bytes(16),
         b"\xff\xfe", b"bar", b"x" * 20, bytes(range(4))]
INTS = [0, 1, -1, 2, 3, 4, 5, 7, 8, 10, 11, 16, 17, 20, 24, 25, 42, 64, 100, 128, 200, 256,
        1000, -5, -10, -100, 2**31 - 1, -2**31, 2**32 - 1, 2**63 - 1, -2**63, 2**64 - 1]
FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 5.0, 10.0, 16.0, 24.0, 100.0, -5.5,
          float("nan"), float("inf"), float("-inf"), 1e30, -1e30, 3.14]

RANGES = {
    FD.TYPE_INT32: (-2**31, 2**31 - 1), FD.TYPE_SINT32: (-2**31, 2**31 - 1),
    FD.TYPE_SFIXED32: (-2**31, 2**31 - 1), FD.TYPE_INT64: (-2**63, 2**63 - 1),
    FD.TYPE_SINT64: (-2**63, 2**63 - 1), FD.TYPE_SFIXED64: (-2**63, 2**63 - 1),
    FD.TYPE_UINT32: (0, 2**32 - 1), FD.TYPE_FIXED32: (0, 2**32 - 1),
    FD.TYPE_UINT64: (0, 2**64 - 1), FD.TYPE_FIXED64: (0, 2**64 - 1),
    FD.TYPE_ENUM: (-2**31, 2**31 - 1),
}


def scalar(rng, field):
    t = field.type
    if t == FD.TYPE_STRING:
        return rng.choice(STRINGS)
    if t == FD.TYPE_BYTES:
        return rng.choice(BYTES)
    if t == FD.TYPE_BOOL:
        return rng.random() < 0.5
    if t in (FD.TYPE_FLOAT, FD.TYPE_DOUBLE):
        return rng.choice(FLOATS)
    if t == FD.TYPE_ENUM:
        numbers = [v.number for v in field.enum_type.values]
        if rng.random() < 0.8:
            return rng.choice(numbers)
        return rng.choice([max(numbers) + 1, -1, 99])
    lo, hi = RANGES[t]
    return min(hi, max(lo, rng.choice(INTS)))


def fill_well_known(rng, msg):
    name = msg.DESCRIPTOR.full_name
    if name in ("google.protobuf.Duration", "google.protobuf.Timestamp"):
        msg.seconds = rng.choice([0, 1, 2, 3, 5, 10, 17, 60, 3600, -1, -10, 1_000_000_000,
                                  2_000_000_000, 4_000_000_000])
        msg.nanos = rng.choice([0, 0, 1, 500_000_000, 999_999_999]) * (-1 if msg.seconds < 0 else 1)
        return True
    if name == "google.protobuf.Any":
        msg.type_url = rng.choice([
            "type.googleapis.com/google.protobuf.Duration",
            "type.googleapis.com/google.protobuf.Timestamp",
            "type.googleapis.com/buf.validate.conformance.cases.AnyNone",
            "type.googleapis.com/other.Thing", ""])
        return True
    if name == "google.protobuf.FieldMask":
        paths = ["a", "b", "a.b", "b.c", "c", "foo", "bar.baz"]
        msg.paths.extend(rng.sample(paths, rng.randint(0, 3)))
        return True
    return False


def fill(rng, msg, depth):
    if fill_well_known(rng, msg):
        return
    desc = msg.DESCRIPTOR
    oneof_chosen = {}
    for oneof in desc.oneofs:
        if oneof.fields:
            oneof_chosen[oneof.name] = rng.choice(list(oneof.fields) + [None])
    for field in desc.fields:
        oneof = field.containing_oneof
        if oneof is not None and not _is_synthetic(oneof):
            if oneof_chosen.get(oneof.name) is not field:
                continue
        elif rng.random() < 0.25 and not field.is_required:
            continue  # proto2 `required` fields are always set: prost's structs cannot tell
        set_field(rng, msg, field, depth)


def _is_synthetic(oneof):
    return len(oneof.fields) == 1 and oneof.fields[0].has_presence and oneof.name.startswith("_")


def is_map(field):
    return field.message_type is not None and field.message_type.GetOptions().map_entry


def set_field(rng, msg, field, depth):
    if is_map(field):
        key_f = field.message_type.fields_by_name["key"]
        val_f = field.message_type.fields_by_name["value"]
        target = getattr(msg, field.name)
        for _ in range(rng.randint(0, 3)):
            key = scalar(rng, key_f)
            if val_f.message_type is not None:
                if depth < 3:
                    fill(rng, target[key], depth + 1)
            else:
                target[key] = scalar(rng, val_f)
        return
    repeated = field.is_repeated
    if field.message_type is not None:
        if depth >= 3:
            return
        if repeated:
            target = getattr(msg, field.name)
            for _ in range(rng.randint(0, 4)):
                fill(rng, target.add(), depth + 1)
        else:
            sub = getattr(msg, field.name)
            sub.SetInParent()
            fill(rng, sub, depth + 1)
        return
    if repeated:
        values = [scalar(rng, field) for _ in range(rng.randint(0, 5))]
        if values and rng.random() < 0.3:
            values.append(values[0])  # a duplicate, for `unique`
        try:
            getattr(msg, field.name).extend(values)
        except ValueError:  # a closed (proto2) enum takes only its values
            pass
    else:
        try:
            setattr(msg, field.name, scalar(rng, field))
        except ValueError:
            pass


def path_text(elements):
    out = []
    for e in elements:
        part = e.field_name
        sub = e.subscript
        which, value = (sub.field, sub.value) if sub is not None else (None, None)
        if which in ("index", "int_key", "uint_key"):
            part += f"[{value}]"
        elif which == "bool_key":
            part += "[true]" if value else "[false]"
        elif which == "string_key":
            part += "[" + json.dumps(value, ensure_ascii=False) + "]"
        out.append(part)
    return ".".join(out)


def uncompiled(rule_elements):
    """A rule protogen does not compile: CEL, or a predefined rule (an extension)."""
    names = [e.field_name for e in rule_elements]
    return any(n in ("cel", "cel_expression") or n.startswith("[") for n in names)


def reference(validator, msg):
    """The violations protovalidate reports, those protogen should report too, sorted."""
    out = []
    for v in validator.collect_violations(msg):
        p = v.proto
        rule = p.rule.elements if p.rule is not None else []
        field = p.field.elements if p.field is not None else []
        # Message-level CEL has no rule path; the standard rules without one are these.
        if uncompiled(rule) or (not rule and p.rule_id not in ("required", "message.oneof")):
            continue
        out.append({
            "field": path_text(field),
            "rule": ".".join(e.field_name for e in rule),
            "rule_id": p.rule_id,
            "message": p.message,
            "for_key": p.for_key,
        })
    return sorted(out, key=lambda v: json.dumps(v, sort_keys=True))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--harness", required=True)
    parser.add_argument("--per-type", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=40, help="disagreements to print")
    args = parser.parse_args()

    with tempfile.NamedTemporaryFile(suffix=".bin") as fds_file:
        subprocess.run([args.harness, "descriptors", fds_file.name], check=True)
        fds = descriptor_pb2.FileDescriptorSet.FromString(open(fds_file.name, "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    messages = []
    for f in fds.file:
        if not f.package.startswith("buf.validate.conformance.cases"):
            continue
        def walk(prefix, descs):
            for d in descs:
                if d.options.map_entry:
                    continue
                name = f"{prefix}.{d.name}"
                messages.append(name)
                walk(name, d.nested_type)
        walk(f.package, f.message_type)

    rng = random.Random(args.seed)
    validator = protovalidate.Validator()
    cases = []  # (type, hex, expected)
    refused = set()
    evaluation_errors = {}
    for name in messages:
        cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(name))
        for _ in range(args.per_type):
            msg = cls()
            fill(rng, msg, 0)
            try:
                expected = reference(validator, msg)
            except protovalidate.CompilationError:
                refused.add(name)
                break
            except protovalidate.EvaluationError as err:
                # A run-time error, not violations (bytes.pattern on invalid UTF-8; CEL):
                # protogen reports a violation instead. Counted, not compared.
                evaluation_errors[str(err)] = evaluation_errors.get(str(err), 0) + 1
                continue
            cases.append((name, msg.SerializePartialToString().hex(), expected))

    lines = "".join(json.dumps({"type": t, "hex": h}) + "\n" for t, h, _ in cases)
    result = subprocess.run([args.harness], input=lines, capture_output=True, text=True, check=True)
    outputs = [json.loads(l) for l in result.stdout.splitlines()]
    assert len(outputs) == len(cases)

    disagreements = {}
    for (name, hexed, expected), got in zip(cases, outputs):
        for side in ("owned", "view"):
            actual = got[side]
            if isinstance(actual, dict):
                key = (name, side, "harness: " + json.dumps(actual))
                disagreements.setdefault(key, (hexed, expected, actual))
                continue
            actual = sorted(actual, key=lambda v: json.dumps(v, sort_keys=True))
            if actual != expected:
                exp_ids = sorted({v["rule_id"] for v in expected} ^ {v["rule_id"] for v in actual})
                key = (name, side, ",".join(exp_ids) or "details")
                disagreements.setdefault(key, (hexed, expected, actual))

    print(f"{len(messages)} message types, {len(cases)} instances, "
          f"{len(refused)} types protovalidate refuses to compile")
    for err, n in sorted(evaluation_errors.items()):
        print(f"skipped {n} instances on which protovalidate raises an evaluation error: {err}")
    if not disagreements:
        print("protogen agrees with protovalidate on every instance, owned and view")
        return 0
    print(f"{len(disagreements)} kinds of disagreement:")
    for (name, side, what) in disagreements:
        print(f"  {name} ({side}) [{what}]")
    for (name, side, what), (hexed, expected, actual) in list(disagreements.items())[: args.show]:
        print(f"- {name} ({side}) [{what}] bytes={hexed}")
        print(f"    protovalidate: {json.dumps(expected, ensure_ascii=False)}")
        print(f"    protogen:      {json.dumps(actual, ensure_ascii=False)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
