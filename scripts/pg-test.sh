#!/bin/sh
# pg-test.sh BUILD [PORT] — runs the tests labelled "pg" (tests/CMakeLists.txt)
# on a throw-away PostgreSQL 15 cluster (scripts/pg-tmp.sh) listening on
# 127.0.0.1:PORT (default 25432, below the kernel's range of ephemeral ports;
# if it is taken, the next ones are tried), then stops the cluster and
# removes it, however the tests end. Each test makes its own databases on
# it.
set -eu
build=${1:-build}
port=${2:-25432}
here=$(cd "$(dirname "$0")" && pwd)
dir="$(cd "$build" && pwd)/pg-tmp"
"$here/pg-tmp.sh" stop "$dir"
trap '"$here/pg-tmp.sh" stop "$dir"' EXIT
trap 'exit 1' INT TERM HUP PIPE
url=""
for try in 0 1 2 3 4 5 6 7 8 9; do
	if url=$("$here/pg-tmp.sh" start "$dir" $((port + try)) 2>/dev/null); then
		break
	fi
	url=""
	"$here/pg-tmp.sh" stop "$dir"
done
[ -n "$url" ] || { echo "pg-test: no PostgreSQL could start on ports $port.." >&2; exit 1; }
echo "pg-test: PostgreSQL 15 at $url"
cd "$build"
MOTCUA_TEST_DB=$url ctest --output-on-failure -L pg -j "$(nproc)"
