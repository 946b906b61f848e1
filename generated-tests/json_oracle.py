#!/usr/bin/env python3
"""Differential test of protogen's proto3 JSON against Google's implementation.

The reference is Python protobuf's `json_format` (upb-based, from PyPI). The Rust side is the
`json_harness` example of this crate, which answers one request per line (see its docs).

1. Writing: random messages of every type the harness knows (all field kinds, maps, oneofs,
   the well-known types, unknown enum numbers, awkward strings and floats) are serialized by
   Python; protogen writes JSON from the bytes three ways (owned, one-pass transcoder, view)
   under each set of options; every output must be the same JSON value as `MessageToJson`'s.
2. Reading back: protogen reads `MessageToJson`'s output and Python parses protogen's; both
   must give back the original message.
3. Accepting: hand-written edge inputs for every scalar kind (numbers as strings, exponents,
   out-of-range values, fractions, base64 variants, enum names and numbers, nulls,
   well-known-type strings, duplicate keys...) are accepted or rejected alike, and accepted
   ones decode to the same message; so are unknown keys and enum names with
   `ignore_unknown_fields` on both sides.

    python3 generated-tests/json_oracle.py --harness target/debug/examples/json_harness [--per-type 30]

Exit status 1 on any disagreement (printed with an example each). Known, documented
differences of `json_format` from the proto3 JSON spec are listed in `QUIRKS` (and checked to
still differ); random messages leave out what would reach them.
"""

import argparse
import base64
import json
import math
import random
import struct
import subprocess
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor as FD

OPTION_SETS = [
    {},
    {"proto_names": True},
    {"emit_defaults": True},
    {"enums_as_numbers": True},
    {"proto_names": True, "emit_defaults": True, "enums_as_numbers": True},
]

STRINGS = ["", "a", "héllo", "quote \" and \\ backslash", "tab\tnew\nline", "\x00\x01\x1f",
           "\u2028\u2029", "emoji \U0001F600", "</script>", "日本語", "x" * 40, "\x7f",
           "slash / and \u00e9"]
INT_EDGES = [0, 1, -1, 127, 128, -128, 2**31 - 1, -2**31, 2**32 - 1, 2**53, 2**53 + 1,
             2**63 - 1, -2**63, 2**64 - 1]
DOUBLES = [0.0, -0.0, 0.1, 1.5, -2.25, 1e21, 1e-7, 123456789.125, 5e-324, 1.7976931348623157e308,
           float("nan"), float("inf"), float("-inf"), 100.0, 3.0e-5]

# Integer ranges by the C++ type protobuf maps each integer type to.
RANGES = {
    FD.CPPTYPE_INT32: (-2**31, 2**31 - 1), FD.CPPTYPE_INT64: (-2**63, 2**63 - 1),
    FD.CPPTYPE_UINT32: (0, 2**32 - 1), FD.CPPTYPE_UINT64: (0, 2**64 - 1),
}

WRAPPERS = {
    "google.protobuf.BoolValue", "google.protobuf.Int32Value", "google.protobuf.Int64Value",
    "google.protobuf.UInt32Value", "google.protobuf.UInt64Value", "google.protobuf.FloatValue",
    "google.protobuf.DoubleValue", "google.protobuf.StringValue", "google.protobuf.BytesValue",
}


class Harness:
    def __init__(self, path):
        self.proc = subprocess.Popen([path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8")

    def ask(self, request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            sys.exit(f"the harness stopped answering (request: {json.dumps(request)[:300]})")
        return json.loads(line)


def is_repeated(field):
    return field.is_repeated


def is_message(field):
    return field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP)


def is_map(field):
    return (is_message(field) and is_repeated(field)
            and field.message_type.GetOptions().map_entry)


def float32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


class Generator:
    def __init__(self, rng, pool, synthetic):
        self.rng = rng
        self.pool = pool
        self.synthetic = synthetic  # (message, field) names of proto3 `optional` fields

    def scalar(self, field):
        rng, t = self.rng, field.type
        if t == FD.TYPE_STRING:
            return rng.choice(STRINGS)
        if t == FD.TYPE_BYTES:
            return bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 2, 3, 5, 16])))
        if t == FD.TYPE_BOOL:
            return rng.random() < 0.5
        if t in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
            # -0.0 too, where a field has no presence: written as Google's implementations write
            # it, though prost's encoder leaves it out when protogen's decode is encoded
            # (`same_json`'s `zero_lost`).
            values = DOUBLES
            if t == FD.TYPE_DOUBLE:
                return rng.choice(values + [rng.uniform(-1e6, 1e6)])
            # Not FLT_MAX: json_format cannot read back the shortest form of it (see QUIRKS).
            return float32(rng.choice([v for v in values if abs(v) < 1e30 or math.isinf(v)] +
                                      [rng.uniform(-1e3, 1e3)]))
        if t == FD.TYPE_ENUM:
            numbers = [v.number for v in field.enum_type.values]
            closed = field.enum_type.is_closed  # proto2 enums hold only their values
            if closed or rng.random() < 0.85 or \
                    field.enum_type.full_name == "google.protobuf.NullValue":
                return rng.choice(numbers)
            return rng.choice([max(numbers) + 7, -5])  # open enums keep unknown numbers
        lo, hi = RANGES[field.cpp_type]
        if rng.random() < 0.6:
            return min(hi, max(lo, rng.choice(INT_EDGES)))
        return rng.randint(lo, hi)

    def json_value(self, depth):
        rng = self.rng
        kinds = ["null", "bool", "number", "string"] + (["list", "struct"] if depth > 0 else [])
        kind = rng.choice(kinds)
        if kind == "null":
            return None
        if kind == "bool":
            return rng.random() < 0.5
        if kind == "number":
            return rng.choice([0, 1.5, -3, 1e21, 2**53, 0.1])
        if kind == "string":
            return rng.choice(STRINGS)
        if kind == "list":
            return [self.json_value(depth - 1) for _ in range(rng.randrange(3))]
        return {rng.choice(["a", "b c", "é", ""]): self.json_value(depth - 1)
                for _ in range(rng.randrange(3))}

    def well_known(self, msg, depth):
        rng, name = self.rng, msg.DESCRIPTOR.full_name
        if name == "google.protobuf.Timestamp":
            msg.seconds = rng.choice([0, -1, 1700000000, -62135596800, 253402300799,
                                      rng.randint(-62135596800, 253402300799)])
            msg.nanos = rng.choice([0, 1, 500000000, 123000000, 123456000, 999999999])
        elif name == "google.protobuf.Duration":
            seconds = rng.choice([0, 1, 59, 3600, 315576000000, rng.randint(0, 10**6)])
            nanos = rng.choice([0, 1, 500000000, 10000000, 999999999])
            sign = rng.choice([1, -1])
            msg.seconds, msg.nanos = sign * seconds, sign * nanos
        elif name == "google.protobuf.FieldMask":
            words = ["foo", "bar_baz", "a.b_c", "x1", "snake_case_path"]
            msg.paths.extend(rng.sample(words, rng.randrange(4)))
        elif name == "google.protobuf.Struct":
            for _ in range(rng.randrange(3)):
                msg.update({rng.choice(["k", "key two", "ü"]): self.json_value(depth)})
        elif name == "google.protobuf.ListValue":
            msg.extend([self.json_value(depth) for _ in range(rng.randrange(3))])
        elif name == "google.protobuf.Value":
            value = self.json_value(depth)
            json_format.ParseDict(value, msg)
        elif name == "google.protobuf.Any":
            # Empty, an ordinary message in an Any; an Any, a well-known type in an Any.
            inner_name = rng.choice(["common.v1.Money", "google.protobuf.Timestamp",
                                     "google.protobuf.Int64Value", "conformance.v1.Foreign",
                                     "google.protobuf.Duration", "google.protobuf.Struct",
                                     "google.protobuf.Empty", "google.protobuf.DoubleValue",
                                     "conformance.v1.AllTypes.Nested"] +
                                    (["google.protobuf.Any"] if depth > 0 else []))
            inner = message_factory.GetMessageClass(
                self.pool.FindMessageTypeByName(inner_name))()
            self.fill(inner, depth - 1)
            msg.Pack(inner)
        elif name in WRAPPERS:
            msg.value = self.scalar(msg.DESCRIPTOR.fields_by_name["value"])
        elif name == "google.protobuf.Empty":
            pass
        else:
            return False
        return True

    def fill(self, msg, depth):
        if self.well_known(msg, depth):
            return
        rng, desc = self.rng, msg.DESCRIPTOR
        for oneof in desc.oneofs:
            members = list(oneof.fields)
            if (desc.full_name, members[0].name) in self.synthetic or rng.random() < 0.3:
                continue
            self.set_singular(msg, rng.choice(members), depth)
        for field in desc.fields:
            if field.containing_oneof is not None and \
                    (desc.full_name, field.name) not in self.synthetic:
                continue
            if is_map(field):
                self.fill_map(msg, field, depth)
            elif is_repeated(field):
                self.fill_repeated(msg, field, depth)
            elif field.is_required or rng.random() < 0.6:
                self.set_singular(msg, field, depth)

    def set_singular(self, msg, field, depth):
        if is_message(field):
            if depth > 0 or field.is_required:
                self.fill(getattr(msg, field.name), max(depth - 1, 0))
                getattr(msg, field.name).SetInParent()
        else:
            setattr(msg, field.name, self.scalar(field))

    def fill_repeated(self, msg, field, depth):
        if self.rng.random() < 0.5:
            return
        container = getattr(msg, field.name)
        for _ in range(self.rng.randrange(1, 4)):
            if is_message(field):
                if depth > 0:
                    self.fill(container.add(), depth - 1)
            else:
                container.append(self.scalar(field))

    def fill_map(self, msg, field, depth):
        if self.rng.random() < 0.5:
            return
        key_field = field.message_type.fields_by_name["key"]
        value_field = field.message_type.fields_by_name["value"]
        container = getattr(msg, field.name)
        for _ in range(self.rng.randrange(1, 4)):
            key = self.scalar(key_field)
            if is_message(value_field):
                if depth > 0:
                    self.fill(container[key], depth - 1)
                    container[key].SetInParent()
            else:
                container[key] = self.scalar(value_field)


def is_negative_zero(v):
    return isinstance(v, float) and v == 0 and math.copysign(1, v) < 0


def same_json(a, b, path="$", zero_lost=False):
    """None when equal as JSON values (numbers by value, NaN equal to NaN), else where not.
    `a` is protogen's, `b` json_format's. `zero_lost`: `a` comes from a message encoded by prost,
    whose encoder leaves out a -0.0 in a field without presence, a map value or a wrapper
    (README), so a key only `b` has, or a 0 where `b` has it, is equal to a -0.0 of `b`."""
    if a is None and b == 0 and path.lower().endswith(("nullvalue", "null_value")):
        return None  # json_format writes NullValue as 0 with use_integers_for_enums: QUIRKS
    if isinstance(a, dict) and isinstance(b, dict):
        only = a.keys() ^ b.keys()
        if zero_lost:
            only = {k for k in only if k in a or not is_negative_zero(b[k])}
        if only:
            return f"{path}: keys {sorted(only)} on one side only"
        for k in a.keys() & b.keys():
            d = same_json(a[k], b[k], f"{path}.{k}", zero_lost)
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} elements"
        for i, (x, y) in enumerate(zip(a, b)):
            d = same_json(x, y, f"{path}[{i}]", zero_lost)
            if d:
                return d
        return None
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        if zero_lost and a == 0 and is_negative_zero(b):
            return None  # a map value or a wrapper's value, to prost's encoder
        nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
        if nan or (a == b and math.copysign(1, a) == math.copysign(1, b)):  # -0.0 is not 0
            return None
        return f"{path}: {a!r} vs {b!r}"
    if type(a) is type(b) and a == b:
        return None
    return f"{path}: {a!r} vs {b!r}"


def python_json(msg, options, pool):
    return json_format.MessageToJson(
        msg,
        preserving_proto_field_name=options.get("proto_names", False),
        always_print_fields_with_no_presence=options.get("emit_defaults", False),
        use_integers_for_enums=options.get("enums_as_numbers", False),
        descriptor_pool=pool,
    )


def message_diff(a, b):
    """The first field whose values differ, for the report."""
    fields = {f.name: f for f, _ in a.ListFields() + b.ListFields()}
    for name in sorted(fields):
        x, y = getattr(a, name), getattr(b, name)
        if x != y:
            return f"{name}: {str(x)[:300]!r} vs {str(y)[:300]!r}"
    return "no field differs"


def same_message(a, b, pool, zero_lost=False):
    """Messages equal; through their JSON when `==` says no, since NaN is not equal to itself
    and an `Any` holding a map compares its bytes, whose entry order is free. `a` is protogen's
    (see `same_json` for `zero_lost`)."""
    return a == b or same_json(json.loads(python_json(a, {}, pool)),
                               json.loads(python_json(b, {}, pool)), zero_lost=zero_lost) is None


class Report:
    def __init__(self):
        self.failures = {}
        self.checks = 0

    def check(self, ok, kind, example):
        self.checks += 1
        if not ok and kind not in self.failures:
            self.failures[kind] = example
        return ok


def writing_and_reading(harness, pool, classes, per_type, rng, synthetic, report):
    gen = Generator(rng, pool, synthetic)
    for name, cls in classes.items():
        for _ in range(per_type):
            msg = cls()
            gen.fill(msg, 3)
            data = msg.SerializeToString()
            for options in OPTION_SETS:
                theirs = python_json(msg, options, pool)
                answer = harness.ask({"op": "encode", "type": name,
                                      "bytes": base64.b64encode(data).decode(), "options": options})
                for path in ("json", "wire", "view"):
                    ours = answer.get(path)
                    if not report.check(isinstance(ours, str), f"{name}: {path} write failed",
                                        (answer, theirs)):
                        continue
                    diff = same_json(json.loads(ours), json.loads(theirs))
                    report.check(diff is None, f"{name} {options}: {path} JSON differs",
                                 f"{diff}\n      ours:   {ours[:600]}\n      theirs: {theirs[:600]}")
                # Each side reads the other's output back to the original.
                back = harness.ask({"op": "decode", "type": name, "json": theirs})
                ok = "bytes" in back and same_message(
                    cls.FromString(base64.b64decode(back["bytes"])), msg, pool, zero_lost=True)
                why = str(back)[:400] if "bytes" not in back else message_diff(
                    cls.FromString(base64.b64decode(back["bytes"])), msg)
                report.check(ok, f"{name}: protogen reads json_format's output differently",
                             f"{why}\n      from {theirs[:300]}")
                ours = answer.get("json")
                if isinstance(ours, str):
                    parsed = cls()
                    try:
                        json_format.Parse(ours, parsed, descriptor_pool=pool)
                        ok = same_message(parsed, msg, pool)
                    except json_format.ParseError as e:
                        ok, ours = False, f"{e}\n      in {ours[:300]}"
                    report.check(ok, f"{name}: json_format reads protogen's output differently",
                                 ours[:800])


# Values tried for each scalar kind, as JSON text: the accepted forms of the spec and the
# near misses around them.
INT_INPUTS = ['0', '1', '-1', '"1"', '" 1"', '"1 "', '1.0', '"1.0"', '1e2', '"1e2"', '1.5',
              '"1.5"', '-0', '"-0"', '1e-2', '0.0', '"0x10"', '"010"', '010', 'true', '"true"',
              'null', '[]', '{}', '"NaN"', '"Infinity"', '1e400', '"+1"', '+1', '""',
              '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967295',
              '4294967296', '9007199254740993', '"9223372036854775807"', '9223372036854775807',
              '"9223372036854775808"', '"-9223372036854775808"', '"-9223372036854775809"',
              '18446744073709551615', '"18446744073709551615"', '"18446744073709551616"',
              '1.8446744073709552e19', '-1e0', '"1E2"', '1E2', '"١"']
FLOAT_INPUTS = ['0', '1.5', '-1.5', '"1.5"', '"NaN"', '"Infinity"', '"-Infinity"', '"nan"',
                '"inf"', 'NaN', 'Infinity', '1e39', '-1e39', '3.4028235e38', '3.4028236e38',
                '1e-50', '1e308', '1e309', '"1e309"', '-0', '"-0"', '" 1"', 'true', 'null',
                '"0x1p3"', '4.9e-324', '"1.0e2"', '2.5e-45', '"abc"', '""', '1.7976931348623157e308',
                '1.7976931348623159e308']
BOOL_INPUTS = ['true', 'false', '"true"', '"false"', '1', '0', 'null', '"1"', 'True', '"t"']
STRING_INPUTS = ['"a"', '""', '"\\u00e9"', '"\\ud83d\\ude00"', '"\\ud83d"', '"\\ude00"',
                 '"\\u0000"', '1', 'true', 'null', '["a"]', '"\\x41"', '"\\/"', '"tab\\t"',
                 '"\\uD83D\\uDE00"', '"\\u00"']
BYTES_INPUTS = ['"AQID"', '"AQI="', '"AQI"', '"-_8="', '"+/8="', '"-_8"', '""', '"A"', '"AQ=="',
                '"AQ="', '"A=Q="', '"AQ==="', '"AQ ID"', '"AQ\\nID"', '1', 'null', '"AQID\\u0000"',
                '"YWJj"', '"YWJ="']
ENUM_INPUTS = ['"FOO"', '"BAR"', '"NEG"', '0', '1', '-1', '7', '"7"', '"foo"', '"UNKNOWN"',
               '1.0', '1.5', 'null', 'true', '2147483648', '"BAZ"', '""']
ALIAS_INPUTS = ['"ALIAS_BAZ"', '"MOO"', '"moo"', '"bAz"', '"BAZ"', '2']
TIMESTAMP_INPUTS = ['"1970-01-01T00:00:00Z"', '"1970-01-01T00:00:00.5Z"',
                    '"1970-01-01T00:00:00.123456789Z"', '"1970-01-01T00:00:00.1234567891Z"',
                    '"1970-01-01T00:00:00+01:00"', '"1970-01-01T00:00:00-08:30"',
                    '"1970-01-01T00:00:00"', '"1970-01-01 00:00:00Z"', '"1970-01-01t00:00:00z"',
                    '"0001-01-01T00:00:00Z"', '"9999-12-31T23:59:59.999999999Z"',
                    '"0000-12-31T23:59:59Z"', '"1970-13-01T00:00:00Z"', '"1970-02-30T00:00:00Z"',
                    '"2000-02-29T00:00:00Z"', '"1900-02-29T00:00:00Z"', '"1970-01-01T24:00:00Z"',
                    '"1970-01-01T23:59:60Z"', '"1970-01-01T00:00:00.Z"', '0', 'null',
                    '"1972-06-30T23:59:60Z"', '"1970-01-01T00:00:00.000Z"', '"+1970-01-01T00:00:00Z"']
DURATION_INPUTS = ['"1s"', '"1.5s"', '"-1.5s"', '"0s"', '"-0.5s"', '"1.000000001s"',
                   '"1.0000000001s"', '"315576000000s"', '"315576000001s"', '"-315576000000s"',
                   '"1"', '"s"', '"1.s"', '".5s"', '"1e2s"', '"+1s"', '" 1s"', '"1S"', '1',
                   'null', '"0.000000001s"', '"-0s"', '"1.500s"']
FIELD_MASK_INPUTS = ['"foo"', '"foo,bar"', '"fooBar"', '"foo.barBaz"', '""', '"foo_bar"',
                     '"FooBar"', '"foo,,bar"', '"foo.bar,baz"', '1', 'null', '"a1B2"']
WRAPPER_INPUTS = {
    "optional_int32_wrapper": ['1', '"1"', 'null', '{"value": 1}', '1.5'],
    "optional_int64_wrapper": ['"1"', '1', 'null', '1e2'],
    "optional_uint64_wrapper": ['"18446744073709551615"', '-1'],
    "optional_bool_wrapper": ['true', 'false', '"true"', 'null'],
    "optional_float_wrapper": ['1.5', '"NaN"', '1e39'],
    "optional_double_wrapper": ['"Infinity"', '0'],
    "optional_string_wrapper": ['""', '"x"', '1'],
    "optional_bytes_wrapper": ['"AQID"', '"-_8"', '1'],
}
STRUCTURED_INPUTS = {
    "optional_struct": ['{}', '{"a": 1}', '{"a": {"b": [1, "x", null, true]}}', '[]', 'null', '1'],
    "optional_value": ['null', '1', '"x"', '[1, {"a": null}]', '{"a": 1}', 'true', '1e400'],
    "optional_list_value": ['[]', '[1, "a"]', '{}', 'null'],
    "optional_null_value": ['null', '"NULL_VALUE"', '0', '1', '"x"'],
    "optional_empty": ['{}', '{"a": 1}', 'null', '[]'],
    "optional_any": ['{"@type": "type.googleapis.com/common.v1.Money", "units": "1"}',
                     '{"@type": "type.googleapis.com/google.protobuf.Timestamp", '
                     '"value": "1970-01-01T00:00:00Z"}',
                     '{"@type": "type.googleapis.com/google.protobuf.Int32Value", "value": 3}',
                     '{"units": "1", "@type": "type.googleapis.com/common.v1.Money"}',
                     '{"@type": "type.googleapis.com/nope.Nope"}', '{}',
                     '{"@type": "type.googleapis.com/common.v1.Money", "nope": 1}',
                     '{"@type": "type.googleapis.com/google.protobuf.Empty", "value": {}}',
                     '{"@type": "type.googleapis.com/google.protobuf.Empty"}',
                     '{"@type": "type.googleapis.com/google.protobuf.Empty", "a": 1}',
                     *[f'{{"@type": "type.googleapis.com/google.protobuf.{t}"{v}}}'
                       for t in ["Int32Value", "StringValue", "Timestamp", "Duration",
                                 "FieldMask", "Struct", "ListValue", "Value", "Any"]
                       for v in ["", ', "value": null']],
                     '{"@type": "type.googleapis.com/google.protobuf.Any", "value": '
                     '{"@type": "type.googleapis.com/common.v1.Money", "units": "2"}}',
                     '{"@type": "type.googleapis.com/google.protobuf.Any", "value": '
                     '{"@type": "type.googleapis.com/google.protobuf.Any", "value": '
                     '{"@type": "type.googleapis.com/google.protobuf.Int32Value", "value": 1}}}',
                     '{"@type": "type.googleapis.com/google.protobuf.DoubleValue", "value": -0.0}',
                     '{"@type": "type.googleapis.com/common.v1.Money", "@type": '
                     '"type.googleapis.com/common.v1.Money"}',
                     '{"@type": "type.googleapis.com/common.v1.Money", "units": "1", "@type": '
                     '"type.googleapis.com/common.v1.Money"}',
                     '{"@type": "x/common.v1.Money"}', '{"@type": "common.v1.Money"}', 'null'],
    "repeated_int32": ['[1, 2]', '[]', 'null', '[null]', '[1, "2"]', '1', '[[1]]'],
    "map_int32_int32": ['{"1": 2}', '{"-1": 2}', '{"01": 2}', '{"1.0": 2}', '{"a": 2}',
                        '{"1": null}', '{"2147483648": 1}', 'null', '[]'],
    "map_bool_bool": ['{"true": true}', '{"false": false}', '{"True": true}', '{"1": true}'],
    "map_uint64_uint64": ['{"18446744073709551615": "1"}', '{"-1": 1}'],
    "map_string_nested_message": ['{"a": {}}', '{"a": null}', '{"a": {"a": 1}}'],
    "map_string_value": ['{"a": null}', '{"a": [1]}'],
    "optional_nested_message": ['{}', 'null', '{"a": 1}', '[]', '{"corecursive": {}}'],
}
DOCUMENT_INPUTS = [
    '{}', '[]', 'null', '', ' {} ', '{"optionalInt32": 1, "optional_int32": 2}',
    '{"optionalInt32": 1, "optionalInt32": 1}', '{"oneofUint32": 1, "oneofString": "a"}',
    '{"oneofUint32": null, "oneofString": "a"}', '{"oneofUint32": 1, "oneofString": null}',
    '{"nope": 1}', '{"optionalInt32": 1,}', "{'optionalInt32': 1}", '{"optionalInt32": 1} x',
    '{"fieldname1": 1}', '{"fieldName2": 1}', '{"field_name2": 1}', '{"FieldName2": 1}',
    '{"optionalNestedEnum": "BAR", "optional_nested_enum": "BAR"}', '{"optionalString": "\\u0000"}',
    '{"optionalString": "a\u0001"}', '{"optionalInt32": 1 /* c */}',
]


def edge_inputs(desc):
    """(JSON text, what it tests) for AllTypes: the `what` keys `QUIRKS`."""
    by_type = {
        FD.TYPE_FLOAT: ("float32", FLOAT_INPUTS), FD.TYPE_DOUBLE: ("float64", FLOAT_INPUTS),
        FD.TYPE_BOOL: ("bool", BOOL_INPUTS), FD.TYPE_STRING: ("string", STRING_INPUTS),
        FD.TYPE_BYTES: ("bytes", BYTES_INPUTS), FD.TYPE_ENUM: ("enum", ENUM_INPUTS),
    }
    for field in desc.fields:
        if is_repeated(field) or is_message(field):
            continue
        what, values = by_type.get(field.type, ("int", INT_INPUTS))
        if field.name == "optional_aliased_enum":
            values = ALIAS_INPUTS + ENUM_INPUTS
        if field.enum_type is not None and field.enum_type.full_name == "google.protobuf.NullValue":
            what, values = "null_value", STRUCTURED_INPUTS["optional_null_value"]
        for v in values:
            yield f'{{"{field.json_name}": {v}}}', (what, v, field.json_name)
    for field, values in [("optionalTimestamp", TIMESTAMP_INPUTS),
                          ("optionalDuration", DURATION_INPUTS),
                          ("optionalFieldMask", FIELD_MASK_INPUTS)]:
        for v in values:
            yield f'{{"{field}": {v}}}', (field, v)
    for field, values in list(WRAPPER_INPUTS.items()) + list(STRUCTURED_INPUTS.items()):
        json_name = desc.fields_by_name[field].json_name
        for v in values:
            yield f'{{"{json_name}": {v}}}', (field, v)
    for text in DOCUMENT_INPUTS:
        yield text, ("document", text)


IGNORED_INPUTS = [
    '{"nope": 1}', '{"nope": {"a": [1, {"b": null}]}, "optionalInt32": 2}',
    '{"optionalNestedEnum": "NOPE"}', '{"repeatedNestedEnum": ["FOO", "NOPE", "BAR"]}',
    '{"mapStringNestedEnum": {"a": "NOPE", "b": "BAR"}}', '{"oneofEnum": "NOPE"}',
    '{"optionalNestedMessage": {"nope": 1, "a": 2}}',
    '{"optionalAny": {"@type": "type.googleapis.com/common.v1.Money", "nope": 1}}',
    '{"repeatedNestedMessage": [{"nope": []}, {"a": 1}]}',
]


def accepting(harness, pool, classes, report):
    """The edge inputs, strictly; then unknown keys and enum names with ignore_unknown_fields."""
    cls = classes["conformance.v1.AllTypes"]
    for text, what in edge_inputs(cls.DESCRIPTOR):
        decode_alike(harness, pool, cls, text, what, False, report)
    for text in IGNORED_INPUTS:
        decode_alike(harness, pool, cls, text, ("ignoring", text), True, report)


def decode_alike(harness, pool, cls, text, what, ignore_unknown, report):
    ours = harness.ask({"op": "decode", "type": cls.DESCRIPTOR.full_name, "json": text,
                        "ignore_unknown": ignore_unknown})
    theirs = cls()
    try:
        json_format.Parse(text, theirs, ignore_unknown_fields=ignore_unknown,
                          descriptor_pool=pool)
        accepted, reason = True, ""
    except (json_format.ParseError, ValueError, TypeError) as e:
        accepted, reason = False, f" ({type(e).__name__}: {e})"
    # Listed by (kind, input), or by (field, input) for scalars: what = (kind, input, field).
    known = QUIRKS.get(what[:2]) or (len(what) == 3 and QUIRKS.get((what[2], what[1])))
    if accepted != ("bytes" in ours):
        kind = f"json_format {'accepts' if accepted else 'rejects'} {text}{reason}"
        report.check(bool(known), f"{kind}, protogen does not", str(ours)[:300])
        return
    same = not accepted or same_message(
        cls.FromString(base64.b64decode(ours["bytes"])), theirs, pool)
    report.check(same or bool(known), f"{text} decodes differently",
                 f"ours {cls.FromString(base64.b64decode(ours.get('bytes', '')))} "
                 f"theirs {theirs}")
    report.check(not known or not same, f"{text} is listed in QUIRKS but agrees", "")


# Inputs on which json_format departs from the proto3 JSON spec, and from Go's protojson and
# prost-reflect, which protogen follows: (what, input) -> why. Each is checked to still differ.
LENIENT_INT = "json_format reads integer strings with Python's int(), which takes signs and " \
              "any Unicode digits"
LENIENT_FLOAT = "json_format reads float strings with Python's float() (inf, spaces, 1e309 " \
                "as infinity) and takes true as 1"
LENIENT_BASE64 = "json_format's base64 decoding skips characters outside the alphabet and " \
                 "stray padding"
LENIENT_ENUM = "json_format takes an enum number as a string, a float or a bool (int(1.5) = 1)"
BOTH_NAMES = "json_format does not notice one field given under its JSON and its proto name"
QUIRKS = {
    **{("int", v): LENIENT_INT for v in ['"+1"', '"١"']},
    **{(kind, v): LENIENT_FLOAT for v in ['"inf"', '"1e309"', '" 1"', 'true']
       for kind in ["float32", "float64"]},
    ("float32", "3.4028235e38"): "json_format refuses FLT_MAX written in its shortest form, "
                                 "which it writes itself (3.4028235e+38)",
    **{(field, "-0"): "Python's json reads -0 as the integer 0, losing the sign"
       for field in ["oneofFloat", "oneofDouble"]},
    **{(field, '"-0"'): "-0.0 in a field without presence: protogen keeps it, but prost's encoder "
                        "leaves it out (it is the default to prost), json_format's does not"
       for field in ["optionalFloat", "optionalDouble"]},
    ("optionalFieldMask", '"foo,,bar"'): "json_format keeps an empty path; Go's protojson "
                                         "refuses it, as protogen does",
    **{("bytes", v): LENIENT_BASE64 for v in ['"A=Q="', '"AQ==="', '"AQ ID"', '"AQ\\nID"',
                                              '"AQID\\u0000"']},
    **{("enum", v): LENIENT_ENUM for v in ['"7"', '1.5', 'true']},
    ("optionalTimestamp", '"1970-01-01T00:00:00.Z"'): "json_format takes a `.` without "
                                                       "fraction digits",
    **{("optionalDuration", v): "json_format reads the seconds with Python's float()"
       for v in ['"1.s"', '"+1s"', '" 1s"']},
    ("optional_value", "1e400"): "json_format takes an infinite number in a Value (which it "
                                 "then cannot write)",
    ("optional_empty", "[]"): "json_format takes an array for Empty",
    ("optional_nested_message", "[]"): "json_format takes an empty array for a message",
    ("document", "[]"): "json_format takes an empty array for a message",
    ("map_int32_int32", '{"1.0": 2}'): "json_format reads integer map keys with float()",
    ("document", '{"optionalInt32": 1, "optional_int32": 2}'): BOTH_NAMES,
    ("document", '{"optionalNestedEnum": "BAR", "optional_nested_enum": "BAR"}'): BOTH_NAMES,
}


def load(harness):
    fds = descriptor_pb2.FileDescriptorSet.FromString(
        base64.b64decode(harness.ask({"op": "descriptors"})["fds"]))
    pool = descriptor_pool.DescriptorPool()
    synthetic = set()
    for file in fds.file:
        pool.Add(file)
        prefix = f"{file.package}." if file.package else ""

        def walk(messages, scope):
            for m in messages:
                full = scope + m.name
                for f in m.field:
                    if f.proto3_optional:
                        synthetic.add((full, f.name))
                walk(m.nested_type, full + ".")

        walk(file.message_type, prefix)
    return pool, synthetic


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--harness", required=True)
    parser.add_argument("--per-type", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    harness = Harness(args.harness)
    pool, synthetic = load(harness)
    names = [
        "conformance.v1.AllTypes", "conformance.v1.AllTypes.Nested", "conformance.v1.Foreign",
        "shop.v1.Order", "shop.v1.LineItem", "shop.v1.MapShowcase", "shop.v1.ScalarShowcase",
        "common.v1.Money", "common.v1.Address", "legacy.v1.Product", "legacy.v1.Category",
        "edge.v1.Self", "edge.v1.Type", "edge.v1.Node",
    ]
    classes = {n: message_factory.GetMessageClass(pool.FindMessageTypeByName(n)) for n in names}
    report = Report()
    writing_and_reading(harness, pool, classes, args.per_type, random.Random(args.seed),
                        synthetic, report)
    accepting(harness, pool, classes, report)
    print(f"{report.checks} checks against json_format, {len(report.failures)} kinds of "
          f"disagreement")
    for kind, example in report.failures.items():
        print(f"- {kind}\n      {example}")
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
