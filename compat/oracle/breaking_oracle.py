"""`protogen breaking` against `buf breaking` (the reference, from npm's @bufbuild/buf) on
before/after pairs made by mutating real modules (see pairs.py).

Both tools get every rule (FILE, PACKAGE, WIRE_JSON and WIRE together), and once more one
category picked at random, and must report the same findings as multisets of (rule, file,
line) — and, stricter, of (rule, file, span, message). Prints the agreement per rule and per
category; exits 1 on any difference.

    python3 compat/oracle/breaking_oracle.py --protogen target/debug/protogen \
        --buf node_modules/.bin/buf --corpus ../shared/corpus --schemas schemas --pairs 200
"""

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pairs  # noqa: E402

CATEGORIES = ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]


def run_buf(buf, new, old, categories):
    config = json.dumps({"version": "v2", "breaking": {"use": categories}})
    r = subprocess.run([buf, "breaking", "--against", old, "--config", config,
                        "--error-format", "json"], cwd=new, capture_output=True, text=True)
    if r.returncode not in (0, 100):
        return None, r.stderr.strip()
    found = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    # buf reports a schema that does not compile as findings too (type COMPILE), exit code 100.
    if any(f["type"] == "COMPILE" or "_" not in f["type"] for f in found):
        return None, "does not compile"
    return found, None


def run_protogen(protogen, new, old, categories):
    args = [protogen, "breaking", ".", "--against", old, "--error-format", "json"]
    for c in categories:
        args += ["--category", c]
    r = subprocess.run(args, cwd=new, capture_output=True, text=True)
    if r.returncode not in (0, 100):
        return None, r.stderr.strip()
    return [json.loads(l) for l in r.stdout.splitlines() if l.strip()], None


def key(f, strict):
    base = (f["type"], f.get("path", ""), f["start_line"])
    if strict:
        return base + (f["start_column"], f["end_line"], f["end_column"], f["message"])
    return base


def rule_categories(buf):
    r = subprocess.run([buf, "config", "ls-breaking-rules", "--version", "v2", "--format", "json"],
                       capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    out = {}
    for line in r.stdout.splitlines():
        if line.strip():
            rule = json.loads(line)
            out[rule["id"]] = [c for c in rule.get("categories", []) if c != "CSR"]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--protogen", required=True)
    ap.add_argument("--buf", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--schemas")
    ap.add_argument("--pairs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--work", default=None)
    ap.add_argument("--report", help="write the per-rule table (markdown) here")
    ap.add_argument("--show", type=int, default=5, help="differences to print per failing pair")
    a = ap.parse_args()
    protogen, buf = os.path.abspath(a.protogen), os.path.abspath(a.buf)
    rng = random.Random(a.seed)
    units = pairs.load_units(a.corpus, a.schemas)
    modules = {name: pairs.collect(inc, roots) for name, (inc, roots) in units.items()}
    work = a.work or tempfile.mkdtemp(prefix="breaking-oracle-")
    categories = rule_categories(buf)

    matched = collections.Counter()     # rule -> findings both report (strict)
    loose_matched = collections.Counter()
    missed = collections.Counter()      # rule -> buf reports, protogen does not
    extra = collections.Counter()       # rule -> protogen reports, buf does not
    mutation_kinds = collections.Counter()
    compared = skipped = failed_pairs = 0
    errors = []
    for n in range(a.pairs):
        # Every other pair mutates the kitchen module (which has every kind of element); the
        # others, real modules.
        unit = "kitchen" if n % 2 == 0 else rng.choice(sorted(m for m in modules if m != "kitchen"))
        old_files = modules[unit]
        new_files, done = pairs.mutate_module(old_files, rng, rng.choice([1, 1, 2, 3]))
        old_dir, new_dir = os.path.join(work, "old"), os.path.join(work, "new")
        pairs.write_module(old_dir, old_files)
        pairs.write_module(new_dir, new_files)
        runs = [CATEGORIES, [rng.choice(CATEGORIES)]]
        ok = True
        for cats in runs:
            theirs, err = run_buf(buf, new_dir, old_dir, cats)
            if theirs is None:
                skipped += 1  # the mutation does not compile (buf says why)
                ok = False
                break
            ours, err = run_protogen(protogen, new_dir, old_dir, cats)
            if ours is None:
                errors.append("pair %d (%s, %s): protogen failed where buf did not: %s"
                              % (n, unit, done, err[:500]))
                failed_pairs += 1
                ok = False
                break
            for strict in (True, False):
                t = collections.Counter(key(f, strict) for f in theirs)
                o = collections.Counter(key(f, strict) for f in ours)
                if strict and cats == CATEGORIES:
                    for k, c in (t & o).items():
                        matched[k[0]] += c
                    for k, c in (t - o).items():
                        missed[k[0]] += c
                    for k, c in (o - t).items():
                        extra[k[0]] += c
                if not strict and cats == CATEGORIES:
                    for k, c in (t & o).items():
                        loose_matched[k[0]] += c
                if strict and t != o:
                    failed_pairs += 1
                    lines = ["pair %d (%s; %s; categories %s):" % (n, unit, ", ".join(done), cats)]
                    for k in list((t - o).elements())[:a.show]:
                        lines.append("  buf only:      %s" % (k,))
                    for k in list((o - t).elements())[:a.show]:
                        lines.append("  protogen only: %s" % (k,))
                    errors.append("\n".join(lines))
        if ok:
            compared += 1
            for d in done:
                mutation_kinds[d.split(":")[0]] += 1

    print("pairs: %d compared, %d skipped (mutation does not compile), %d with differences"
          % (compared, skipped, failed_pairs))
    print("mutations compared: " + ", ".join("%s %d" % kv for kv in sorted(mutation_kinds.items())))
    rows = []
    for rule in sorted(categories):
        m, x, e = matched[rule], missed[rule], extra[rule]
        total = m + x
        rows.append((rule, ", ".join(categories[rule]), m, x, e,
                     "%.0f%%" % (100.0 * m / total) if total else "n/a"))
    print("\n%-48s %-28s %6s %6s %6s %6s" % ("rule", "categories", "agree", "missed", "extra", "rate"))
    for r in rows:
        print("%-48s %-28s %6d %6d %6d %6s" % r)
    print("\nper category (findings of its rules, all-rules runs):")
    for cat in CATEGORIES:
        rules = [r for r in categories if cat in categories[r]]
        m = sum(matched[r] for r in rules)
        t = m + sum(missed[r] for r in rules)
        e = sum(extra[r] for r in rules)
        seen = sum(1 for r in rules if matched[r] + missed[r])
        print("  %-10s %5d/%5d agree, %d extra; %d of %d rules seen" % (cat, m, t, e, seen, len(rules)))
    if a.report:
        with open(a.report, "w") as f:
            f.write("| rule | categories | agree | buf only | protogen only |\n|---|---|---|---|---|\n")
            for r in rows:
                f.write("| %s | %s | %d | %d | %d |\n" % r[:5])
    for e in errors[:40]:
        print(e)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
