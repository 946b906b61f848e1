"""Before/after schema pairs for the buf oracle: real modules (compile units of ../shared/corpus
and protogen's schemas/, read at test time, never copied into the repository) and mutated copies.

Mutations edit the .proto text the way people do (delete a line, retype a field, wrap it in a
oneof, reserve what was deleted, ...), so the pairs keep the real files' layout and the spans of
findings are tested on real formatting. A mutation that does not compile is dropped by the caller
(buf refuses to build it), so the edits can be simple.
"""

import json
import os
import random
import re
import shutil

SCALARS = ["int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64",
           "sfixed32", "sfixed64", "bool", "string", "bytes", "double", "float"]
WKT = re.compile(r"^google/protobuf/[a-z_]+\.proto$")
IMPORT = re.compile(r'^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;', re.M)


# A small module written for the oracle that has every kind of element a rule looks at (proto2
# and proto3, extensions and their ranges, groups, defaults, required fields, reserved ranges
# and names in messages and enums, every file option, services with streaming and idempotency
# levels, two packages): most mutations of it compile, so every rule is exercised.
KITCHEN = {
    "kitchen/v1/legacy.proto": """syntax = "proto2";

package kitchen.v1;

option java_package = "com.example.kitchen";
option java_outer_classname = "LegacyProto";
option java_multiple_files = true;
option go_package = "example.com/kitchen/v1;kitchen";
option optimize_for = SPEED;
option cc_generic_services = false;
option java_generic_services = false;
option py_generic_services = false;
option java_string_check_utf8 = false;
option cc_enable_arenas = true;
option objc_class_prefix = "KIT";
option csharp_namespace = "Kitchen.V1";
option swift_prefix = "Kit";
option php_class_prefix = "Kit";
option php_namespace = "Kitchen.V1";
option php_metadata_namespace = "Kitchen.V1.Meta";
option ruby_package = "Kitchen::V1";

// An order in the old format.
message Order {
  required string id = 1;
  optional int32 quantity = 2 [default = 1];
  optional double price = 3 [default = 9.5];
  optional string note = 4 [default = "none"];
  optional bytes tag = 5 [default = "ab"];
  optional Status status = 6 [default = STATUS_NEW];
  optional bool gift = 7 [default = false];
  optional float weight = 8 [default = 0.5];
  optional int64 created = 9 [jstype = JS_STRING];
  optional string text = 10 [ctype = CORD];
  repeated int32 lines = 11 [packed = true];
  map<string, int64> counts = 12;
  optional group Extra = 13 {
    optional string key = 1;
  }
  oneof payment {
    string card = 14;
    int64 account = 15;
  }
  optional fixed64 checksum = 16;
  optional sint32 delta = 17;
  optional uint64 total = 18 [json_name = "grandTotal"];
  reserved 20 to 25, 30;
  reserved "legacy_id", "old_total";
  extensions 100 to 199;
  extensions 1000 to max;

  enum Status {
    STATUS_NEW = 1;
    STATUS_DONE = 2;
    STATUS_GONE = 3;
    reserved 10 to 20;
    reserved "STATUS_OLD";
  }

  message Line {
    optional string sku = 1;
    optional int32 count = 2;
    extensions 50 to 60;
  }
}

extend Order {
  optional string channel = 100;
  optional int32 priority = 101;
}

message Wrapper {
  option message_set_wire_format = false;
  optional Order order = 1;
  repeated Order.Line lines = 2;
  extend Order {
    optional Wrapper wrapped = 102;
  }
}

enum Region {
  REGION_EU = 0;
  REGION_US = 1;
  REGION_APAC = 2;
  reserved 5, 7 to 9;
  reserved "REGION_MARS";
}

service LegacyService {
  rpc Get(Order) returns (Order);
  rpc Watch(Order) returns (stream Order);
  rpc Put(stream Order) returns (Wrapper) {
    option idempotency_level = IDEMPOTENT;
  }
  rpc Peek(Wrapper) returns (Order) {
    option idempotency_level = NO_SIDE_EFFECTS;
  }
}
""",
    "kitchen/v1/modern.proto": """syntax = "proto3";

package kitchen.v1;

import "google/protobuf/timestamp.proto";
import "kitchen/v1/legacy.proto";

option java_package = "com.example.kitchen";
option go_package = "example.com/kitchen/v1;kitchen";

// A customer.
message Customer {
  string name = 1;
  optional string email = 2;
  repeated string tags = 3;
  map<string, Address> addresses = 4;
  google.protobuf.Timestamp created = 5;
  Kind kind = 6;
  Tier region = 7;
  int64 balance = 8;
  bytes avatar = 9;
  oneof contact {
    string phone = 10;
    Address post = 11;
  }
  uint32 visits = 12 [json_name = "visitCount"];
  sfixed32 score = 13;
  reserved 40 to 50;
  reserved "password";

  message Address {
    string street = 1;
    string city = 2;
  }

  enum Kind {
    KIND_UNSPECIFIED = 0;
    KIND_PERSON = 1;
    KIND_COMPANY = 2;
    reserved 9;
  }
}

enum Tier {
  option allow_alias = true;
  TIER_UNSPECIFIED = 0;
  TIER_GOLD = 1;
  TIER_PREMIUM = 1;
  TIER_SILVER = 2;
}

service CustomerService {
  rpc GetCustomer(Customer) returns (Customer);
  rpc ListCustomers(Customer) returns (stream Customer);
  rpc Sync(stream Customer) returns (stream Customer);
}
""",
    "kitchen/v2/next.proto": """syntax = "proto3";

package kitchen.v2;

import "kitchen/v1/modern.proto";

option go_package = "example.com/kitchen/v2;kitchen";

message Account {
  kitchen.v1.Customer owner = 1;
  repeated kitchen.v1.Tier tiers = 2;
  double limit = 3;
}

enum State {
  STATE_UNSPECIFIED = 0;
  STATE_OPEN = 1;
}

service AccountService {
  rpc Open(Account) returns (Account);
}
""",
}


def load_units(corpus, schemas):
    """Modules to mutate: name -> (include dirs, root files). The kitchen module is not on disk:
    its files come from KITCHEN."""
    units = {"kitchen": (None, sorted(KITCHEN))}
    with open(os.path.join(corpus, "units.json")) as f:
        for unit in json.load(f)["units"]:
            if unit["editions"] or unit["name"] in ("protobuf-wkt", "protobuf-v27.5"):
                continue
            includes = [os.path.join(corpus, i) for i in unit["includes"]]
            units[unit["name"]] = (includes, unit["files"])
    if schemas and os.path.isdir(schemas):
        files = []
        for root, _, names in os.walk(schemas):
            for n in sorted(names):
                if n.endswith(".proto"):
                    files.append(os.path.relpath(os.path.join(root, n), schemas))
        validate = os.path.join(corpus, "protovalidate", "protovalidate")
        units["schemas"] = ([schemas, validate], sorted(files))
    return units


def collect(includes, roots):
    """The root files and every file they import (but the well-known types, which buf and protox
    both bundle): name -> text."""
    if includes is None:
        return dict(KITCHEN)
    out, todo = {}, list(roots)
    while todo:
        name = todo.pop()
        if name in out or WKT.match(name):
            continue
        for inc in includes:
            path = os.path.join(inc, name)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    out[name] = f.read()
                todo.extend(IMPORT.findall(out[name]))
                break
    return out


def write_module(dir, files):
    if os.path.exists(dir):
        shutil.rmtree(dir)
    for name, text in files.items():
        path = os.path.join(dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


# ---- a small structural view of a .proto text ------------------------------------------------

def code_of(line):
    """The line without comments and string contents (so braces in them do not count)."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    return line.split("//")[0]


BLOCK = re.compile(r"^\s*(message|enum|service|oneof|extend)\s+([\w.]+)\s*\{")
FIELD = re.compile(
    r"^(\s*)((?:optional|required|repeated)\s+)?(map<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*(\[.*\])?\s*;\s*(//.*)?$")
VALUE = re.compile(r"^(\s*)(\w+)\s*=\s*(-?\w+)\s*(\[.*\])?\s*;\s*(//.*)?$")
RPC = re.compile(r"^(\s*)rpc\s+(\w+)\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([\w.]+)\s*\)\s*(;|\{.*)$")


class Proto:
    def __init__(self, text):
        self.lines = text.split("\n")
        self.blocks = []  # (kind, name, start, end, depth)
        stack, depth = [], 0
        in_comment = False
        for i, raw in enumerate(self.lines):
            code = code_of(raw)
            if in_comment:
                if "*/" not in code:
                    continue
                code = code.split("*/", 1)[1]
                in_comment = False
            while "/*" in code:
                before, after = code.split("/*", 1)
                if "*/" in after:
                    code = before + after.split("*/", 1)[1]
                else:
                    code = before
                    in_comment = True
            m = BLOCK.match(code)
            for ch in code:
                if ch == "{":
                    stack.append((m.group(1), m.group(2), i, depth) if m and not any(
                        s[2] == i for s in stack) else (None, None, i, depth))
                    depth += 1
                elif ch == "}" and stack:
                    kind, name, start, d = stack.pop()
                    depth -= 1
                    if kind:
                        self.blocks.append((kind, name, start, i, d))
        self.syntax = "proto3" if re.search(r'^\s*syntax\s*=\s*"proto3"', text, re.M) else "proto2"

    def text(self):
        return "\n".join(self.lines)

    def parent(self, i):
        """The innermost block holding line i."""
        best = None
        for b in self.blocks:
            if b[2] < i < b[3] and (best is None or b[2] > best[2]):
                best = b
        return best

    def fields(self):
        out = []
        for i, line in enumerate(self.lines):
            m = FIELD.match(line)
            p = self.parent(i)
            if m and p and p[0] in ("message", "oneof", "extend"):
                out.append((i, m, p))
        return out

    def values(self):
        out = []
        for i, line in enumerate(self.lines):
            m = VALUE.match(line)
            p = self.parent(i)
            if m and p and p[0] == "enum" and m.group(2) not in ("option", "reserved"):
                out.append((i, m, p))
        return out

    def rpcs(self):
        return [(i, m) for i, line in enumerate(self.lines) if (m := RPC.match(line))]


COUNTERS = {}


def cycle(what, choices, rng):
    """Each choice in turn (from a random start), so that a few hundred pairs reach every one."""
    n = COUNTERS.setdefault(what, rng.randrange(len(choices)))
    COUNTERS[what] = n + 1
    return choices[n % len(choices)]


# ---- mutations: each takes (module files, file name, Proto, rng) and edits files in place ----

def words(files):
    return "\n".join(files.values())


def unreferenced(files, name):
    return len(re.findall(r"\b%s\b" % re.escape(name), words(files))) == 1


def m_delete_field(files, name, p, rng):
    f = p.fields()
    if not f:
        return False
    i, _, _ = rng.choice(f)
    del p.lines[i]
    return True


def m_delete_field_reserve(files, name, p, rng):
    f = [x for x in p.fields() if x[2][0] == "message"]
    if not f:
        return False
    i, m, _ = rng.choice(f)
    what = rng.choice(["number", "name", "both"])
    parts = []
    if what in ("number", "both"):
        parts.append(m.group(1) + "reserved %s;" % m.group(5))
    if what in ("name", "both"):
        parts.append(m.group(1) + 'reserved "%s";' % m.group(4))
    p.lines[i:i + 1] = parts
    return True


def m_retype_field(files, name, p, rng):
    f = [x for x in p.fields() if x[1].group(3) in SCALARS]
    if not f:
        return False
    i, m, _ = rng.choice(f)
    new = rng.choice([s for s in SCALARS if s != m.group(3)])
    line = p.lines[i]
    p.lines[i] = line[:m.start(3)] + new + line[m.end(3):]
    return True


def m_retype_message_field(files, name, p, rng):
    """A message- or enum-typed field pointed at another type of the same file."""
    f = [x for x in p.fields() if x[1].group(3) not in SCALARS and not x[1].group(3).startswith("map<")]
    types = [b[1] for b in p.blocks if b[0] in ("message", "enum")]
    if not f or len(types) < 2:
        return False
    i, m, _ = rng.choice(f)
    line = p.lines[i]
    p.lines[i] = line[:m.start(3)] + rng.choice(types) + line[m.end(3):]
    return True


def m_rename_field(files, name, p, rng):
    f = p.fields()
    if not f:
        return False
    i, m, _ = rng.choice(f)
    line = p.lines[i]
    new = rng.choice([m.group(4) + "_renamed", m.group(4).upper(), "x" + m.group(4)])
    p.lines[i] = line[:m.start(4)] + new + line[m.end(4):]
    return True


def m_renumber_field(files, name, p, rng):
    f = p.fields()
    if not f:
        return False
    i, m, _ = rng.choice(f)
    line = p.lines[i]
    p.lines[i] = line[:m.start(5)] + str(rng.randint(1000, 9000)) + line[m.end(5):]
    return True


def m_json_name(files, name, p, rng):
    f = [x for x in p.fields() if x[2][0] != "extend"]
    if not f:
        return False
    i, m, _ = rng.choice(f)
    line = p.lines[i]
    if "json_name" in line:
        p.lines[i] = re.sub(r'json_name\s*=\s*"[^"]*"', 'json_name = "changed"', line)
    elif m.group(6):
        p.lines[i] = line[:m.start(6) + 1] + 'json_name = "j%s", ' % m.group(4) + line[m.start(6) + 1:]
    else:
        p.lines[i] = line[:m.end(5)] + ' [json_name = "j%s"]' % m.group(4) + line[m.end(5):]
    return True


def m_label(files, name, p, rng):
    f = [x for x in p.fields() if x[2][0] == "message" and not x[1].group(3).startswith("map<")]
    if not f:
        return False
    i, m, _ = rng.choice(f)
    line = p.lines[i]
    label = (m.group(2) or "").strip()
    choices = {"": ["optional ", "repeated "], "optional": ["", "repeated ", "required "],
               "repeated": ["", "optional "], "required": ["optional ", ""]}[label]
    new = rng.choice(choices)
    if m.group(2):
        p.lines[i] = line[:m.start(2)] + new + line[m.end(2):]
    else:
        p.lines[i] = line[:m.start(3)] + new + line[m.start(3):]
    return True


def m_wrap_oneof(files, name, p, rng):
    f = [x for x in p.fields() if x[2][0] == "message" and not x[1].group(2)
         and not x[1].group(3).startswith("map<")]
    if not f:
        return False
    i, m, _ = rng.choice(f)
    ind = m.group(1)
    p.lines[i:i + 1] = [ind + "oneof wrapped_%d {" % i, "  " + p.lines[i], ind + "}"]
    return True


def m_unwrap_oneof(files, name, p, rng):
    oneofs = [b for b in p.blocks if b[0] == "oneof"]
    if not oneofs:
        return False
    _, oname, start, end, _ = rng.choice(oneofs)
    if rng.random() < 0.5:
        p.lines[start] = p.lines[start].replace(oname, oname + "_renamed", 1)
        return True
    if not p.lines[end].strip() == "}" or "{" not in p.lines[start] or p.lines[start].strip().endswith("}"):
        return False
    del p.lines[end]
    del p.lines[start]
    return True


def m_delete_block(kind):
    def mutate(files, name, p, rng):
        blocks = [b for b in p.blocks if b[0] == kind and (kind in ("service", "extend")
                                                           or unreferenced(files, b[1].split(".")[-1]))]
        if not blocks:
            return False
        _, _, start, end, _ = rng.choice(blocks)
        if start == end:
            p.lines[start] = ""
        else:
            del p.lines[start:end + 1]
        return True
    return mutate


def m_rename_block(files, name, p, rng):
    blocks = [b for b in p.blocks if b[0] in ("message", "enum", "service") and unreferenced(files, b[1])]
    if not blocks:
        return False
    _, bname, start, _, _ = rng.choice(blocks)
    p.lines[start] = re.sub(r"\b%s\b" % re.escape(bname), bname + "Renamed", p.lines[start], count=1)
    return True


def m_enum_value(files, name, p, rng):
    v = p.values()
    if not v:
        return False
    i, m, _ = rng.choice(v)
    line = p.lines[i]
    op = rng.choice(["delete", "rename", "renumber", "reserve"])
    if op == "delete":
        del p.lines[i]
    elif op == "rename":
        p.lines[i] = line[:m.start(2)] + m.group(2) + "_RENAMED" + line[m.end(2):]
    elif op == "renumber":
        p.lines[i] = line[:m.start(3)] + str(rng.randint(500, 900)) + line[m.end(3):]
    else:
        p.lines[i] = m.group(1) + rng.choice(['reserved %s;' % m.group(3), 'reserved "%s";' % m.group(2)])
    return True


def m_extensions(files, name, p, rng):
    return m_reserved(files, name, p, rng, "extensions")


def m_reserved(files, name, p, rng, keyword="reserved|extensions"):
    lines = [i for i, l in enumerate(p.lines) if re.match(r"^\s*(%s)\s" % keyword, l)]
    in_enums = [i for i in lines if (p.parent(i) or ("",))[0] == "enum"]
    if not lines:
        return False
    i = rng.choice(in_enums if in_enums and rng.random() < 0.5 else lines)
    line = p.lines[i]
    op = rng.choice(["delete", "shrink", "shrink"])
    if op == "delete":
        del p.lines[i]
        return True
    m = re.search(r"(\d+)\s+to\s+(\d+|max)", line)
    if m:
        start = int(m.group(1))
        p.lines[i] = line[:m.start(1)] + str(start + 1) + line[m.end(1):]
        return True
    m = re.search(r'"\w+"\s*,\s*', line) or re.search(r"\b\d+\s*,\s*", line)
    if m:
        p.lines[i] = line[:m.start()] + line[m.end():]
        return True
    return False


FILE_OPTIONS = {"java_package": '"com.mutated"', "go_package": '"example.com/mutated"',
                "java_outer_classname": '"Mutated"', "java_multiple_files": "true",
                "csharp_namespace": '"Mutated"', "objc_class_prefix": '"MUT"',
                "php_namespace": '"Mutated"', "ruby_package": '"Mutated"', "swift_prefix": '"Mut"',
                "cc_enable_arenas": "false", "optimize_for": "CODE_SIZE", "php_class_prefix": '"M"',
                "php_metadata_namespace": '"Meta"', "cc_generic_services": "true",
                "java_generic_services": "true", "py_generic_services": "true",
                "java_string_check_utf8": "true"}


def m_file_option(files, name, p, rng):
    """Each file option in turn: changed (to a value it did not have), removed, or added."""
    opt = cycle("file_option", sorted(FILE_OPTIONS), rng)
    at = next((i for i, l in enumerate(p.lines) if re.match(r"^option\s+%s\s*=" % opt, l)), None)
    if at is not None:
        if rng.random() < 0.3:
            del p.lines[at]
            return True
        old = p.lines[at].split("=", 1)[1].strip().rstrip(";").strip()
        new = {"true": "false", "false": "true", "SPEED": "CODE_SIZE"}.get(old)
        if new is None:
            new = "SPEED" if opt == "optimize_for" else old[:-1] + 'X"'
        p.lines[at] = "option %s = %s;" % (opt, new)
        return True
    at = next((i for i, l in enumerate(p.lines) if l.startswith("package ")), None)
    if at is None:
        return False
    p.lines.insert(at + 1, "option %s = %s;" % (opt, FILE_OPTIONS[opt]))
    return True


def m_package(files, name, p, rng):
    for i, l in enumerate(p.lines):
        if l.startswith("package "):
            p.lines[i] = l.replace(";", ".mutated;", 1)
            return True
    return False


def block_end(p, start):
    """The line closing the brace opened on line `start`."""
    depth = 0
    for i in range(start, len(p.lines)):
        code = code_of(p.lines[i])
        depth += code.count("{") - code.count("}")
        if depth <= 0 and "{" in "".join(code_of(l) for l in p.lines[start:i + 1]):
            return i
    return None


def m_rpc(files, name, p, rng):
    r = p.rpcs()
    if not r:
        return False
    i, m = rng.choice(r)
    line = p.lines[i]
    op = cycle("rpc", ["delete", "stream_in", "stream_out", "request", "response", "idempotency"], rng)
    types = [b[1] for b in p.blocks if b[0] == "message" and p.parent(b[2]) is None]
    if op == "delete":
        end = i if m.group(7) == ";" else block_end(p, i)
        if end is None:
            return False
        del p.lines[i:end + 1]
    elif op == "stream_in":
        p.lines[i] = line[:m.start(3)] + line[m.start(4):] if m.group(3) else line[:m.start(4)] + "stream " + line[m.start(4):]
    elif op == "stream_out":
        p.lines[i] = line[:m.start(5)] + line[m.start(6):] if m.group(5) else line[:m.start(6)] + "stream " + line[m.start(6):]
    elif op in ("request", "response"):
        g = 4 if op == "request" else 6
        others = [t for t in types if t != m.group(g).split(".")[-1]]
        if not others:
            return False
        p.lines[i] = line[:m.start(g)] + rng.choice(others) + line[m.end(g):]
    elif op == "idempotency":
        level = rng.choice(["NO_SIDE_EFFECTS", "IDEMPOTENT"])
        if m.group(7) == ";":
            p.lines[i] = line[:m.start(7)] + "{ option idempotency_level = %s; }" % level
        elif "idempotency_level" in p.lines[i + 1]:
            p.lines[i + 1] = re.sub(r"(NO_SIDE_EFFECTS|IDEMPOTENT)\b", lambda x: "IDEMPOTENT" if x.group(1) == "NO_SIDE_EFFECTS" else "NO_SIDE_EFFECTS", p.lines[i + 1])
        else:
            p.lines.insert(i + 1, "    option idempotency_level = %s;" % level)
    else:
        return False
    return True


def m_delete_enum_retype(files, name, p, rng):
    """Deletes an enum; fields of that type (in any file) become int32."""
    enums = [b for b in p.blocks if b[0] == "enum"]
    if not enums:
        return False
    _, ename, start, end, _ = rng.choice(enums)
    del p.lines[start:end + 1]
    for other in sorted(files):
        q = p if other == name else Proto(files[other])
        for i, m, _ in q.fields():
            if m.group(3).split(".")[-1] == ename:
                line = q.lines[i]
                q.lines[i] = line[:m.start(3)] + "int32" + line[m.end(3):]
        if other != name:
            files[other] = q.text()
    return True


def m_default(files, name, p, rng):
    if p.syntax != "proto2":
        return False
    f = [x for x in p.fields() if x[1].group(3) in SCALARS and (x[1].group(2) or "").strip() != "repeated"]
    if not f:
        return False
    i, m, _ = rng.choice(f)
    line = p.lines[i]
    t = m.group(3)
    value = {"string": '"mutated"', "bytes": '"\\001x"', "bool": "true", "double": "2.5",
             "float": "0.25"}.get(t, str(rng.randint(1, 99)))
    if "default" in line:
        p.lines[i] = re.sub(r"default\s*=\s*(\"[^\"]*\"|[^,\]]+)", "default = " + value, line)
    elif m.group(6):
        p.lines[i] = line[:m.start(6) + 1] + "default = %s, " % value + line[m.start(6) + 1:]
    else:
        p.lines[i] = line[:m.end(5)] + " [default = %s]" % value + line[m.end(5):]
    return True


def m_field_option(files, name, p, rng):
    f = [x for x in p.fields() if x[1].group(3) in ("int64", "uint64", "sint64", "fixed64", "sfixed64", "string", "bytes")]
    if not f:
        return False
    i, m, _ = rng.choice(f)
    line = p.lines[i]
    opt = "jstype = JS_STRING" if m.group(3) not in ("string", "bytes") else rng.choice(["ctype = CORD", "ctype = STRING_PIECE"])
    if m.group(6):
        p.lines[i] = line[:m.start(6) + 1] + opt + ", " + line[m.start(6) + 1:]
    else:
        p.lines[i] = line[:m.end(5)] + " [%s]" % opt + line[m.end(5):]
    return True


def m_message_option(files, name, p, rng):
    msgs = [b for b in p.blocks if b[0] == "message" and b[2] != b[3]]
    if not msgs:
        return False
    _, _, start, _, _ = rng.choice(msgs)
    p.lines.insert(start + 1, "  option no_standard_descriptor_accessor = true;")
    return True


def m_syntax(files, name, p, rng):
    """proto3 -> proto2 (label-less fields become `optional`), or proto2 -> proto3."""
    at = next((i for i, l in enumerate(p.lines) if re.match(r'^\s*syntax\s*=', l)), None)
    if at is None:
        return False
    to = "proto2" if p.syntax == "proto3" else "proto3"
    p.lines[at] = 'syntax = "%s";' % to
    for i, m, parent in p.fields():
        line = p.lines[i]
        if to == "proto2" and not m.group(2) and not m.group(3).startswith("map<") and parent[0] != "oneof":
            p.lines[i] = line[:m.start(3)] + "optional " + line[m.start(3):]
    return True


def m_add(files, name, p, rng):
    """Compatible: a new field, message or enum value."""
    msgs = [b for b in p.blocks if b[0] == "message" and b[2] != b[3]]
    if not msgs:
        return False
    _, _, start, _, _ = rng.choice(msgs)
    label = "optional " if p.syntax == "proto2" else ""
    p.lines.insert(start + 1, "  %sint32 added_field_%d = %d;" % (label, start, rng.randint(20000, 30000)))
    return True


def m_comment(files, name, p, rng):
    """Compatible: comments and blank lines move every span."""
    i = rng.randrange(len(p.lines))
    if p.parent(i) is None and not p.lines[i].startswith(("message", "enum", "service", "//")):
        return False
    p.lines.insert(i, "// a comment added by the mutator")
    return True


MUTATIONS = {
    "delete_field": m_delete_field, "delete_field_reserve": m_delete_field_reserve,
    "retype_field": m_retype_field, "retype_message_field": m_retype_message_field,
    "rename_field": m_rename_field, "renumber_field": m_renumber_field, "json_name": m_json_name,
    "label": m_label, "wrap_oneof": m_wrap_oneof, "unwrap_oneof": m_unwrap_oneof,
    "delete_message": m_delete_block("message"), "delete_enum": m_delete_block("enum"),
    "delete_service": m_delete_block("service"), "delete_extend": m_delete_block("extend"),
    "rename_type": m_rename_block, "enum_value": m_enum_value, "reserved": m_reserved,
    "file_option": m_file_option, "package": m_package, "rpc": m_rpc, "default": m_default,
    "field_option": m_field_option, "message_option": m_message_option, "syntax": m_syntax,
    "add": m_add, "comment": m_comment, "delete_enum_retype": m_delete_enum_retype,
    "extensions": m_extensions,
}


# Rarer kinds of change are drawn more often, so that every rule gets exercised.
WEIGHTS = {"rpc": 4, "delete_service": 2, "default": 3, "syntax": 2, "enum_value": 2,
           "field_option": 2, "file_option": 3, "delete_extend": 2, "reserved": 3, "label": 2,
           "delete_enum_retype": 2}


def mutate_module(files, rng, count):
    """Applies `count` mutations to random files; returns the new files and what was done."""
    new = dict(files)
    done = []
    tries = 0
    while len(done) < count and tries < 50:
        tries += 1
        if rng.random() < 0.04 and len(new) > 1:
            victim = rng.choice(sorted(new))
            if not any(('"%s"' % victim) in t for n, t in new.items() if n != victim):
                if rng.random() < 0.5:
                    del new[victim]
                    done.append("delete_file:" + victim)
                else:
                    new[victim.replace(".proto", "_moved.proto")] = new.pop(victim)
                    done.append("move_file:" + victim)
                continue
        name = rng.choice(sorted(new))
        kinds = sorted(MUTATIONS)
        if tries == 1:
            kind = cycle("kind", kinds, rng)  # every kind in turn, then weighted draws
        else:
            kind = rng.choices(kinds, [WEIGHTS.get(k, 1) for k in kinds])[0]
        p = Proto(new[name])
        if MUTATIONS[kind](new, name, p, rng):
            new[name] = p.text()
            done.append("%s:%s" % (kind, name))
    return new, done
