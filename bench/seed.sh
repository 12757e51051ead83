#!/bin/sh
# seed.sh BUILD_DIR — the province's first half of 2024 played through the
# lifecycle (docs/seed.md), timed, then the reports over it: Biểu 06, the
# 766 index and the half-year report for the province's official first
# half of 2024, median of 5 runs each, process start included.
# BENCH_SCALE (default 1: 146,000 dossiers) shrinks the volumes.
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
bin="$(cd "$build" && pwd)/motcua"
scale=${BENCH_SCALE:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE
cd "$tmp"

t0=$(date +%s%N)
"$bin" seed --profile quang-ngai-2024h1 --scale "$scale" --db s.db \
	--files-dir files 2>/dev/null | sed 's/; staff password.*//'
t1=$(date +%s%N)
echo "seed: $(( (t1 - t0) / 1000000 )) ms, database $(( $(stat -c %s s.db) / 1048576 )) MB"

timed "Biểu 06, province, official first half of 2024" \
	"$bin" report bieu06 --period half --year 2024 --index 1 --db s.db
timed "766 index, province, official first half of 2024" \
	"$bin" report index766 --period half --year 2024 --index 1 --db s.db
timed "half-year report, province, first half of 2024" \
	"$bin" report half-year --year 2024 --half 1 --db s.db
