#!/bin/sh
# portal.sh BUILD_DIR — how fast a backlog drains to the national portal
# once it is back (docs/national-portal.md): the demo province, a server
# whose portal is down while bench_dossiers takes dossiers through whole
# lifecycles for BENCH_DURATION seconds (every event queued, none sent),
# then `motcua worker --once` sending the whole backlog, in order, to a
# portal that answers as fast as loopback allows (bench_portalsrv), timed
# three times from the same backlog; the median, and a check that every
# event went, each dossier's in order.
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
bin="$(cd "$build" && pwd)/motcua"
dur=${BENCH_DURATION:-5}
tmp=$(mktemp -d)
cleanup() {
	kill $mpid $ppid 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
mpid=""; ppid=""
here=$(cd "$(dirname "$0")" && pwd)
base=http://127.0.0.1:18095
db="$tmp/b.db"
auth="--portal-client-id bench --portal-client-secret bench"

"$bin" demo --db "$db" --dossiers 300 >/dev/null
# Down: nothing listens there. Backed off and paused, the events wait.
"$bin" serve --db "$db" --listen 127.0.0.1:18095 --access-log off \
	--web-root "" --portal-url http://127.0.0.1:18096 $auth \
	--portal-inbound 0 --portal-reconcile 0 2>"$tmp/motcua.log" &
mpid=$!
for i in $(seq 100); do
	curl -sf "$base/healthz" >/dev/null 2>&1 && break
	sleep 0.05
done
bench_procedure "$base"
"$build/bench/bench_dossiers" "$base" 9.990001 --clients 32 \
	--seconds "$dur" --runs 1 >/dev/null
kill $mpid
wait $mpid 2>/dev/null || true
mpid=""
sqlite3 "$db" ".backup $tmp/backlog.db"
n=$(sqlite3 "$tmp/backlog.db" "SELECT COUNT(*) FROM portal_outbox WHERE
	status = 'pending'")
d=$(sqlite3 "$tmp/backlog.db" "SELECT COUNT(DISTINCT dossier_id) FROM
	portal_outbox WHERE status = 'pending'")
echo "national portal: a backlog of $n events of $d dossiers, drained by" \
	"motcua worker --once (one sender) to a loopback portal, 3 runs:"
times=""
for r in 1 2 3; do
	cp "$tmp/backlog.db" "$tmp/r.db"
	"$build/bench/bench_portalsrv" > "$tmp/portal.out" &
	ppid=$!
	for i in $(seq 100); do
		[ -s "$tmp/portal.out" ] && break
		sleep 0.05
	done
	port=$(head -1 "$tmp/portal.out")
	t0=$(date +%s%N)
	"$bin" worker --once --db "$tmp/r.db" \
		--portal-url "http://127.0.0.1:$port" $auth \
		--portal-inbound 0 --portal-reconcile 0 >/dev/null
	t1=$(date +%s%N)
	kill $ppid
	wait $ppid 2>/dev/null || true
	ppid=""
	left=$(sqlite3 "$tmp/r.db" "SELECT COUNT(*) FROM portal_outbox WHERE
		status <> 'synced'")
	echo "  run $r: $(( (t1 - t0) / 1000000 )) ms, $left not synced;" \
		"portal: $(tail -1 "$tmp/portal.out")"
	times="$times $(( (t1 - t0) / 1000000 ))"
done
med=$(echo $times | tr ' ' '\n' | sort -n | sed -n 2p)
echo "  median $med ms: $(echo "$n $med" |
	awk '{printf "%.0f", $1 * 1000 / $2}') events/s"
