"""`protogen lint` against `buf lint` (the reference, from npm's @bufbuild/buf): the real modules of
pairs.py as they are, and mutated to break each rule (names in the wrong case, aliases, required
fields, public and unused imports, files in the wrong directory, missing comments, ignore
comments, streaming RPCs, unstable imports, ...). Every lint rule but PROTOVALIDATE is on; the
findings must be the same multisets of (rule, file, span, message). Exits 1 on any difference.

    python3 compat/oracle/lint_oracle.py --protogen target/debug/protogen \
        --buf node_modules/.bin/buf --corpus ../shared/corpus --schemas schemas --trees 100
"""

import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pairs  # noqa: E402

# Every rule buf has (PROTOVALIDATE, which checks protovalidate's rules and compiles their CEL,
# is not implemented by protogen).
USE = ["STANDARD", "COMMENTS", "UNARY_RPC", "STABLE_PACKAGE_NO_IMPORT_UNSTABLE"]
EXCEPT = ["PROTOVALIDATE"]


def run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode not in (0, 100):
        return None, r.stderr.strip()
    found = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    if any(f["type"] == "COMPILE" for f in found):
        return None, "does not compile"
    return found, None


def buf_lint(buf, module):
    config = json.dumps({"version": "v2", "lint": {"use": USE, "except": EXCEPT}})
    return run([buf, "lint", "--config", config, "--error-format", "json"], module)


def protogen_lint(protogen, module):
    config = os.path.join(module, "..", "buf.yaml")
    with open(config, "w") as f:
        f.write("version: v2\nlint:\n  use: [%s]\n  except: [%s]\n" % (", ".join(USE), ", ".join(EXCEPT)))
    return run([protogen, "lint", ".", "--config", config, "--error-format", "json"], module)


# ---- mutations that break lint rules -------------------------------------------------------

def rename_word(files, name, p, rng, kinds, transform):
    blocks = [b for b in p.blocks if b[0] in kinds and pairs.unreferenced(files, b[1])]
    if not blocks:
        return False
    _, bname, start, _, _ = rng.choice(blocks)
    p.lines[start] = re.sub(r"\b%s\b" % re.escape(bname), transform(bname), p.lines[start], count=1)
    return True


def snake(s):
    return re.sub(r"(?<!^)([A-Z])", r"_\1", s).lower()


def rename_everywhere(files, old, new):
    """Renames a word in every file of the module (a type and all its references)."""
    for n in sorted(files):
        files[n] = re.sub(r"\b%s\b" % re.escape(old), new, files[n])


def l_type_case(files, name, p, rng):
    blocks = [b for b in p.blocks if b[0] in ("message", "enum", "service")]
    if not blocks:
        return False
    old = rng.choice(blocks)[1]
    new = rng.choice([snake, str.lower, lambda s: s + "_x"])(old)
    if new == old or re.search(r"\b%s\b" % re.escape(new), pairs.words(files)):
        return False
    files[name] = p.text()
    rename_everywhere(files, old, new)
    p.lines = files[name].split("\n")
    return True


def l_field_case(files, name, p, rng):
    f = p.fields()
    if not f:
        return False
    i, m, _ = rng.choice(f)
    line = p.lines[i]
    new = rng.choice([m.group(4).title().replace("_", ""), m.group(4) + "X", "a" + m.group(4).upper()])
    p.lines[i] = line[:m.start(4)] + new + line[m.end(4):]
    return True


def l_value_case(files, name, p, rng):
    v = p.values()
    if not v:
        return False
    i, m, _ = rng.choice(v)
    line = p.lines[i]
    new = rng.choice([m.group(2).lower(), "UNPREFIXED_%d" % i, m.group(2) + "_UNSPECIFIEDX"])
    p.lines[i] = line[:m.start(2)] + new + line[m.end(2):]
    return True


def l_rpc(files, name, p, rng):
    r = p.rpcs()
    if not r:
        return False
    i, m = rng.choice(r)
    line = p.lines[i]
    op = rng.choice(["case", "stream", "same"])
    if op == "case":
        p.lines[i] = line[:m.start(2)] + snake(m.group(2)) + line[m.end(2):]
    elif op == "stream":
        p.lines[i] = line[:m.start(6)] + "stream " + line[m.start(6):] if not m.group(5) else line
    else:
        p.lines[i] = line[:m.start(6)] + m.group(4) + line[m.end(6):]
    return True


def l_alias(files, name, p, rng):
    enums = [b for b in p.blocks if b[0] == "enum" and b[2] != b[3]]
    if not enums:
        return False
    _, ename, start, _, _ = rng.choice(enums)
    v = [x for x in p.values() if x[2][2] == start]
    if not v:
        return False
    i, m, _ = v[0]
    p.lines[start + 1:start + 1] = ["  option allow_alias = true;", "  %s_ALIAS = %s;" % (m.group(2), m.group(3))]
    return True


def l_required(files, name, p, rng):
    if p.syntax != "proto2":
        return False
    f = [x for x in p.fields() if (x[1].group(2) or "").strip() == "optional" and x[2][0] == "message"]
    if not f:
        return False
    i, m, _ = rng.choice(f)
    p.lines[i] = p.lines[i][:m.start(2)] + "required " + p.lines[i][m.end(2):]
    return True


def l_import(files, name, p, rng):
    imports = [i for i, l in enumerate(p.lines) if re.match(r'^import\s+"', l)]
    if imports and rng.random() < 0.5:
        i = rng.choice(imports)
        p.lines[i] = p.lines[i].replace("import ", "import public ", 1)
        return True
    at = next((i for i, l in enumerate(p.lines) if l.startswith("package ")), None)
    if at is None:
        return False
    p.lines.insert(at + 1, 'import "google/protobuf/empty.proto";')
    return True


def l_comments(files, name, p, rng):
    """Strips every comment, or adds an ignore comment for a random rule before an element."""
    if rng.random() < 0.5:
        p.lines = [l for l in p.lines if not l.strip().startswith("//")]
        return True
    blocks = [b for b in p.blocks if b[0] in ("message", "enum", "service")]
    if not blocks:
        return False
    _, _, start, _, _ = rng.choice(blocks)
    rule = rng.choice(["MESSAGE_PASCAL_CASE", "FIELD_LOWER_SNAKE_CASE", "COMMENT_FIELD",
                       "COMMENT_MESSAGE", "ENUM_VALUE_PREFIX", "ENUM_ZERO_VALUE_SUFFIX",
                       "RPC_REQUEST_STANDARD_NAME", "COMMENT_ENUM_VALUE", "SERVICE_SUFFIX"])
    indent = re.match(r"^\s*", p.lines[start]).group(0)
    p.lines.insert(start, indent + "// buf:lint:ignore " + rule)
    return True


def l_package(files, name, p, rng):
    """Renames a package everywhere (to an unstable version, or out of lower_snake.case)."""
    m = next((re.match(r"^package\s+([\w.]+)\s*;", l) for l in p.lines if l.startswith("package ")), None)
    if not m:
        return False
    old = m.group(1)
    if rng.random() < 0.5 and re.search(r"\.v\d+$", old):
        new = old + "beta1"
    else:
        parts = old.split(".")
        new = ".".join(parts[:-1] + [parts[-1].capitalize() + "Mixed"])
    files[name] = p.text()
    for n in sorted(files):
        files[n] = re.sub(r"(?<![\w.])%s(?=[.;\s])" % re.escape(old), new, files[n])
    p.lines = files[name].split("\n")
    return True


def l_cycle(files, name, p, rng):
    """A new file in package B importing a file of package A, where A already imports B: a
    package import cycle without a file import cycle."""
    pkg = {n: (re.search(r"^package\s+([\w.]+)\s*;", t, re.M) or [None, None])[1] for n, t in files.items()}
    for a in sorted(files):
        for dep in pairs.IMPORT.findall(files[a]):
            if dep in files and pkg.get(dep) and pkg[dep] != pkg[a] and pkg[a]:
                new = dep.rsplit("/", 1)[0] + "/cycle_back.proto"
                if new in files:
                    return False
                files[new] = 'syntax = "proto3";\n\npackage %s;\n\nimport "%s";\n' % (pkg[dep], a)
                return True
    return False


def l_syntax(files, name, p, rng):
    """A proto2 file without its syntax statement."""
    if p.syntax != "proto2":
        return False
    p.lines = [l for l in p.lines if not re.match(r"^\s*syntax\s*=", l)]
    return True


LINT_MUTATIONS = {
    "type_case": l_type_case, "field_case": l_field_case, "value_case": l_value_case,
    "rpc": l_rpc, "alias": l_alias, "required": l_required, "import": l_import,
    "comments": l_comments, "package": l_package, "cycle": l_cycle, "syntax": l_syntax,
}


def mutate(files, rng, count):
    new = dict(files)
    done = []
    for _ in range(count * 4):
        if len(done) >= count:
            break
        if rng.random() < 0.1:
            victim = rng.choice(sorted(new))
            target = rng.choice([victim.replace(".proto", "Camel.proto"),
                                 "moved/" + victim.rsplit("/", 1)[-1]])
            if any(('"%s"' % victim) in t for t in new.values()):
                continue
            new[target] = new.pop(victim)
            done.append("move_file:" + victim)
            continue
        name = rng.choice(sorted(new))
        kind = rng.choice(sorted(LINT_MUTATIONS))
        p = pairs.Proto(new[name])
        if LINT_MUTATIONS[kind](new, name, p, rng):
            new[name] = p.text()
            done.append("%s:%s" % (kind, name))
    return new, done


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--protogen", required=True)
    ap.add_argument("--buf", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--schemas")
    ap.add_argument("--trees", type=int, default=60)
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--work")
    ap.add_argument("--report")
    a = ap.parse_args()
    protogen, buf = os.path.abspath(a.protogen), os.path.abspath(a.buf)
    rng = random.Random(a.seed)
    units = pairs.load_units(a.corpus, a.schemas)
    modules = {name: pairs.collect(inc, roots) for name, (inc, roots) in units.items()}
    work = a.work or tempfile.mkdtemp(prefix="lint-oracle-")
    agree, missed, extra = collections.Counter(), collections.Counter(), collections.Counter()
    compared = skipped = 0
    errors = []
    plan = [(u, 0) for u in sorted(modules)]  # every real module as it is, then mutated ones
    while len(plan) < a.trees:
        plan.append((rng.choice(sorted(modules)), rng.choice([1, 1, 2, 3])))
    for n, (unit, count) in enumerate(plan):
        files, done = mutate(modules[unit], rng, count) if count else (modules[unit], ["as is"])
        module = os.path.join(work, "tree", "module")
        pairs.write_module(module, files)
        theirs, _ = buf_lint(buf, module)
        if theirs is None:
            skipped += 1
            continue
        ours, err = protogen_lint(protogen, module)
        if ours is None:
            errors.append("tree %d (%s; %s): protogen failed where buf did not: %s" % (n, unit, done, err[:400]))
            continue
        compared += 1
        key = lambda f: (f["type"], f.get("path", ""), f["start_line"], f["start_column"],
                         f["end_line"], f["end_column"], f["message"])
        t = collections.Counter(key(f) for f in theirs)
        o = collections.Counter(key(f) for f in ours)
        for k, c in (t & o).items():
            agree[k[0]] += c
        for k, c in (t - o).items():
            missed[k[0]] += c
        for k, c in (o - t).items():
            extra[k[0]] += c
        if t != o:
            lines = ["tree %d (%s; %s):" % (n, unit, ", ".join(done))]
            lines += ["  buf only:      %s" % (k,) for k in list((t - o).elements())[:6]]
            lines += ["  protogen only: %s" % (k,) for k in list((o - t).elements())[:6]]
            errors.append("\n".join(lines))
    print("trees: %d compared, %d skipped (do not compile), %d with differences"
          % (compared, skipped, len(errors)))
    rules = sorted(set(agree) | set(missed) | set(extra))
    print("\n%-40s %7s %7s %7s" % ("rule", "agree", "missed", "extra"))
    for r in rules:
        print("%-40s %7d %7d %7d" % (r, agree[r], missed[r], extra[r]))
    if a.report:
        with open(a.report, "w") as f:
            f.write("| rule | agree | buf only | protogen only |\n|---|---|---|---|\n")
            for r in rules:
                f.write("| %s | %d | %d | %d |\n" % (r, agree[r], missed[r], extra[r]))
    for e in errors[:40]:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
