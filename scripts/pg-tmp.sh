#!/bin/sh
# pg-tmp.sh start DIR PORT [durable] | stop DIR — a throw-away PostgreSQL
# 15 cluster from Debian's packages, for the tests and benchmarks: initdb
# in DIR, listening on 127.0.0.1:PORT only (and a socket in DIR), trust
# authentication for the user 'motcua', and fsync off (it is thrown away)
# unless 'durable' is given (benchmarks compare durable writes). 'start'
# prints the URL of its database 'motcua'. As root the cluster runs as the
# 'postgres' user (pg-lib.sh).
set -eu
. "$(dirname "$0")/pg-lib.sh"
bin=$pgbin
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
	echo "usage: pg-tmp.sh start DIR PORT | stop DIR" >&2
	exit 2
}
case $cmd in
start)
	port=${3:?port}
	sync="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${4:-}" = durable ] && sync=""
	[ -x "$bin/initdb" ] || {
		echo "pg-tmp.sh: PostgreSQL 15 is not installed (scripts/setup.sh)" >&2
		exit 1
	}
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	as_pg "$bin/initdb" -D "$dir/data" -U motcua --auth=trust -E UTF8 \
		--locale=C.UTF-8 >"$dir/initdb.log" 2>&1
	as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
		"-p $port -k $dir -c listen_addresses=127.0.0.1 $sync \
		-c max_connections=200" start >/dev/null
	as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U motcua motcua
	echo "postgres://motcua@127.0.0.1:$port/motcua"
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop \
			>/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "pg-tmp.sh: unknown command '$cmd'" >&2
	exit 2
	;;
esac
