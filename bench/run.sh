#!/bin/sh
# run.sh BUILD_DIR — runs every benchmark (see README.md) and prints the
# results with the machine they ran on.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo
"$build/bench/bench_calendar"
echo
"$build/bench/bench_results"
echo
"$here/http.sh" "$build"
echo
"$here/dossiers.sh" "$build"
echo
"$here/portal.sh" "$build"
echo
"$here/reports.sh" "$build"
echo
"$here/web.sh" "$build"
