#!/bin/sh
# http.sh BUILD_DIR — HTTP throughput of motcua against nginx on the same
# machine, in one run, with wrk over keep-alive connections on loopback:
#   1. GET /healthz                       (smallest JSON answer)
#   2. GET /api/v1/calendar/due?…         (a deadline computed per request)
#   3. nginx serving a static file with the same bytes as answer 2
# motcua runs with its defaults (one event loop per core) and access_log
# off; nginx with one worker per core and access_log off. Prints requests
# per second (median of 3 runs) and the ratio motcua / nginx.
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
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
mpid=""; npid=""

"$bin" migrate --db "$tmp/b.db" >/dev/null
"$bin" serve --db "$tmp/b.db" --listen 127.0.0.1:18090 --access-log off \
	--web-root "" 2>"$tmp/motcua.log" &
mpid=$!
path='/api/v1/calendar/due?start=2026-02-13T10:00:00%2B07:00&working_days=3'
for i in $(seq 100); do
	curl -sf "http://127.0.0.1:18090/healthz" >/dev/null 2>&1 && break
	sleep 0.05
done
curl -sf "http://127.0.0.1:18090$path" > "$tmp/due.json"

nginx_file "$tmp/due.json" 18091
h=$(rps "http://127.0.0.1:18090/healthz")
d=$(rps "http://127.0.0.1:18090$path")
n=$(rps "http://127.0.0.1:18091/due.json")
echo "HTTP, wrk -t2 -c$conns -d${dur}s, keep-alive, median of 3 runs:"
printf "  motcua GET /healthz                    %10.0f req/s\n" "$h"
printf "  motcua GET /api/v1/calendar/due        %10.0f req/s\n" "$d"
printf "  nginx  static file, same %4d bytes    %10.0f req/s\n" \
	"$(wc -c < "$tmp/due.json")" "$n"
echo "  ratio due / nginx: $(echo "$d $n" | awk '{printf "%.2f", $1/$2}')"
