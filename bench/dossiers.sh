#!/bin/sh
# dossiers.sh BUILD_DIR — dossier throughput of motcua over HTTP on
# loopback, with the demo province and durability = full:
#   1. durable intake and whole lifecycles (bench_dossiers, 32 C clients);
#   2. the citizen's public look-up of one dossier by code and phone digits
#      (wrk over keep-alive), against nginx serving a static file with the
#      same bytes, in the same run (the DESIGN.md target is a ratio >= 1).
# Prints medians of 3 runs. With BENCH_DB=pg the database is a throw-away
# PostgreSQL 15 cluster (durable: fsync and synchronous_commit on) instead
# of a SQLite file; with BENCH_DB=cluster the requests go through HAProxy
# to two motcua processes on a PostgreSQL primary (scripts/cluster-up).
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
bin="$(cd "$build" && pwd)/motcua"
dur=${BENCH_DURATION:-10}
conns=${BENCH_CONNECTIONS:-64}
tmp=$(mktemp -d)
# Stop both servers however the script ends (a closed pipe included).
cleanup() {
	kill $mpid $npid 2>/dev/null
	wait 2>/dev/null
	[ "${BENCH_DB:-}" = pg ] && "$here/../scripts/pg-tmp.sh" stop "$tmp/pg"
	[ "${BENCH_DB:-}" = cluster ] && "$here/../scripts/cluster-down" \
		"$tmp/cluster"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
mpid=""; npid=""
base=http://127.0.0.1:18092

here=$(cd "$(dirname "$0")" && pwd)
db="$tmp/b.db"
if [ "${BENCH_DB:-}" = pg ]; then
	chmod 755 "$tmp"
	db=$("$here/../scripts/pg-tmp.sh" start "$tmp/pg" 18094 durable)
fi
if [ "${BENCH_DB:-}" = cluster ]; then
	chmod 755 "$tmp"
	CLUSTER_PORT=18100 CLUSTER_DOSSIERS=1000 CLUSTER_BIN="$bin" \
		"$here/../scripts/cluster-up" "$tmp/cluster" >/dev/null
	base=http://127.0.0.1:18100
	db=postgres://motcua@127.0.0.1:18101/motcua
else
	"$bin" demo --db "$db" --dossiers 1000 >/dev/null
	"$bin" serve --db "$db" --listen 127.0.0.1:18092 --access-log off \
		--web-root "" --durability full 2>"$tmp/motcua.log" &
	mpid=$!
fi
for i in $(seq 100); do
	curl -sf "$base/healthz" >/dev/null 2>&1 && break
	sleep 0.05
done

bench_procedure "$base"

echo "database: ${BENCH_DB:-sqlite} (durable)"
"$build/bench/bench_dossiers" "$base" 9.990001 --clients 32 --seconds "$dur" \
	--runs 3

# The public look-up of one demo dossier, and nginx with the same bytes.
if [ "${BENCH_DB:-sqlite}" != sqlite ]; then
	code=$(psql -At "$db" -c "SELECT code || ' ' ||
		right(applicant_phone, 4) FROM dossiers ORDER BY id LIMIT 1")
else
	code=$(sqlite3 "$db" "SELECT code || ' ' || substr(applicant_phone, -4)
		FROM dossiers ORDER BY id LIMIT 1")
fi
path="/api/v1/public/dossiers/${code% *}?phone_last4=${code#* }"
curl -sf "$base$path" > "$tmp/lookup.json"
nginx_file "$tmp/lookup.json" 18093
l=$(rps "$base$path")
n=$(rps "http://127.0.0.1:18093/lookup.json")
echo "public look-up (${BENCH_DB:-sqlite}), wrk -t2 -c$conns -d${dur}s, keep-alive, median of 3 runs:"
printf "  motcua GET /api/v1/public/dossiers/{code}  %10.0f req/s\n" "$l"
printf "  nginx  static file, same %4d bytes        %10.0f req/s\n" \
	"$(wc -c < "$tmp/lookup.json")" "$n"
echo "  ratio look-up / nginx: $(echo "$l $n" | awk '{printf "%.2f", $1/$2}')"
