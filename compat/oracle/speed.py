"""`protogen breaking` and `protogen lint` timed against `buf` on the googleapis subset of the
corpus (every .proto under ../shared/corpus/googleapis, copied at run time) and a copy with a few
changes. Runs each command several times, interleaved, and prints medians.

    cargo build --release -p protogen-cli
    python3 compat/oracle/speed.py --protogen target/release/protogen --buf <buf> \
        --corpus ../shared/corpus --runs 7
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def copy_tree(src, dst):
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith(".proto"):
                s = os.path.join(root, n)
                d = os.path.join(dst, os.path.relpath(s, src))
                os.makedirs(os.path.dirname(d), exist_ok=True)
                shutil.copyfile(s, d)


def change(module):
    """A few breaking edits: a field retyped, a message deleted, a file option changed."""
    edits = 0
    for root, _, names in sorted(os.walk(module)):
        for n in sorted(names):
            path = os.path.join(root, n)
            text = open(path).read()
            new = text.replace("  string name = 1;", "  bytes name = 1;", 1)
            if new != text and edits < 3:
                open(path, "w").write(new)
                edits += 1
    return edits


def timed(cmd, cwd):
    start = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    if r.returncode not in (0, 100):
        raise SystemExit("%s failed: %s" % (" ".join(cmd), r.stderr.decode()[:500]))
    return elapsed, r.stdout.count(b"\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--protogen", required=True)
    ap.add_argument("--buf", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    protogen, buf = os.path.abspath(a.protogen), os.path.abspath(a.buf)
    work = tempfile.mkdtemp(prefix="compat-speed-")
    old, new = os.path.join(work, "old"), os.path.join(work, "new")
    copy_tree(os.path.join(a.corpus, "googleapis"), old)
    copy_tree(os.path.join(a.corpus, "googleapis"), new)
    edits = change(new)
    files = sum(len([n for n in ns if n.endswith(".proto")]) for _, _, ns in os.walk(new))
    config = '{"version":"v2","breaking":{"use":["FILE"]},"lint":{"use":["STANDARD"],"except":["PROTOVALIDATE"]}}'
    # protogen's copy of the settings lives apart: a buf.yaml above old/ would make buf treat
    # the whole work directory as one module.
    os.makedirs(os.path.join(work, "cfg"))
    with open(os.path.join(work, "cfg", "buf.yaml"), "w") as f:
        f.write("version: v2\nlint:\n  use: [STANDARD]\n  except: [PROTOVALIDATE]\n")
    commands = {
        "buf breaking": ([buf, "breaking", "--against", "../old", "--config", config], new),
        "protogen breaking": ([protogen, "breaking", ".", "--against", "../old"], new),
        "buf lint": ([buf, "lint", "--config", config], new),
        "protogen lint": ([protogen, "lint", ".", "--config", os.path.join(work, "cfg", "buf.yaml")], new),
    }
    times = {k: [] for k in commands}
    lines = {}
    for _ in range(a.runs):
        for name, (cmd, cwd) in commands.items():
            t, n = timed(cmd, cwd)
            times[name].append(t)
            lines[name] = n
    print("googleapis: %d files, %d edits; %d runs each, interleaved" % (files, edits, a.runs))
    for name in commands:
        print("%-20s median %7.3f s  (min %.3f, max %.3f)  %d findings"
              % (name, statistics.median(times[name]), min(times[name]), max(times[name]), lines[name]))
    for check in ("breaking", "lint"):
        b, p = statistics.median(times["buf " + check]), statistics.median(times["protogen " + check])
        print("%s: protogen %.2fx buf's speed" % (check, b / p))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
