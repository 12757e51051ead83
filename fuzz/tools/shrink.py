#!/usr/bin/env python3
"""shrink.py — keeps a corpus small (docs/fuzzing.md, "Corpora"): from the
control file of a libFuzzer merge, the named inputs (seeds, crash-*) and
then, greedily, the inputs that add at least MIN_GAIN edges to what is
kept, copied into OUT.

    mkdir /tmp/empty /tmp/out
    build-fuzz/fuzz/fuzz_api -merge=1 -use_counters=0 \\
        -merge_control_file=/tmp/cf /tmp/empty fuzz/corpus/api
    fuzz/tools/shrink.py /tmp/cf 3 /tmp/out
    rm -r fuzz/corpus/api && mv /tmp/out fuzz/corpus/api
"""
import os, re, shutil, sys


def main(control, min_gain, out):
    lines = open(control).read().split("\n")
    n = int(lines[0])
    files = lines[2:2 + n]
    cov = {}
    for line in lines[2 + n:]:
        p = line.split()
        if p and p[0] == "COV":
            cov[int(p[1])] = set(map(int, p[2:]))
    hashed = re.compile(r"^[0-9a-f]{40}$")
    keep = [i for i, f in enumerate(files)
            if not hashed.match(os.path.basename(f))]
    covered = set()
    for i in keep:
        covered |= cov.get(i, set())
    rest = [i for i in range(n) if i not in keep]
    while rest:
        best = max(rest, key=lambda i: len(cov.get(i, set()) - covered))
        if len(cov.get(best, set()) - covered) < min_gain:
            break
        keep.append(best)
        covered |= cov[best]
        rest.remove(best)
    os.makedirs(out, exist_ok=True)
    for i in keep:
        shutil.copy(files[i], out)
    total = set().union(*cov.values()) if cov else set()
    print("shrink: %d of %d inputs, %d of %d edges" %
          (len(keep), n, len(covered), len(total)))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
