#!/bin/sh
# pg-pitr-test.sh MOTCUA — the PostgreSQL backup drill of
# docs/operations.md "Backups (PostgreSQL)", done for real: a cluster
# archiving its WAL, a base backup taken with pg_basebackup while motcua
# serves, dossiers taken in before and after an instant T, then a new
# cluster restored from the base backup and the archive to T (point-in-
# time recovery). The restored motcua database must hold exactly the
# dossiers committed by T, every event chain unbroken ('motcua audit
# verify'), no migration pending. Part of the test suite (ctest
# pg_pitr); skipped (77) in sanitizer builds, which test motcua's memory,
# not PostgreSQL's recovery.
set -eu
motcua=${1:?usage: pg-pitr-test.sh MOTCUA}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pg-lib.sh"
if nm -D "$motcua" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
	echo "pg-pitr-test: sanitizer build: skipped"
	exit 77
fi
[ -x "$pgbin/pg_basebackup" ] || {
	echo "pg-pitr-test: PostgreSQL 15 is not installed (scripts/setup.sh)" >&2
	exit 1
}
work=$(mktemp -d "${TMPDIR:-/tmp}/motcua-pitr.XXXXXX")
chmod 755 "$work"
primary=$work/primary
restored=$work/restored
archive=$work/archive
base=$work/base
mkdir -p "$archive" "$work/files"
[ "$(id -u)" -eq 0 ] && chown postgres "$work" "$archive"
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" || true
	for d in "$primary" "$restored"; do
		[ -f "$d/postmaster.pid" ] &&
			as_pg "$pgbin/pg_ctl" -D "$d" -m immediate stop \
				>/dev/null 2>&1 || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# A free port for each cluster (below the ephemeral range, as pg-test).
free_port() {
	p=$1
	while [ "$p" -lt $(($1 + 200)) ]; do
		if ! (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then
			echo "$p"
			return
		fi
		p=$((p + 1))
	done
	echo "pg-pitr-test: no free port from $1" >&2
	exit 1
}
sql() { # PORT SQL: one value
	"$pgbin/psql" -h 127.0.0.1 -p "$1" -U motcua -d motcua -AtXq -c "$2"
}

p1=$(free_port 26400)
as_pg "$pgbin/initdb" -D "$primary" -U motcua --auth=trust -E UTF8 \
	--locale=C.UTF-8 >"$work/initdb.log" 2>&1
# The recipe's settings: WAL fit for archiving, every segment archived.
as_pg "$pgbin/pg_ctl" -D "$primary" -l "$work/primary.log" -w -o \
	"-p $p1 -k $work -c listen_addresses=127.0.0.1 -c wal_level=replica \
	-c archive_mode=on -c archive_command='test ! -f $archive/%f && cp %p $archive/%f' \
	-c max_wal_senders=3" start >/dev/null
as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$p1" -U motcua motcua
url1="postgres://motcua@127.0.0.1:$p1/motcua"
export MOTCUA_PASSWORD_MEMORY=64k MOTCUA_PASSWORD_OPS=1
"$motcua" migrate --db "$url1" >/dev/null
"$motcua" demo --db "$url1" --dossiers 20 --files-dir "$work/files" \
	>/dev/null

# motcua serves while the base backup is taken and after it.
p2=$(free_port $((p1 + 1)))
"$motcua" serve --db "$url1" --files-dir "$work/files" \
	--listen "127.0.0.1:$p2" --watch-interval 0 >"$work/motcua.log" 2>&1 &
server=$!
i=0
until curl -sf "http://127.0.0.1:$p2/readyz" >/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$work/motcua.log" >&2; exit 1; }
	sleep 0.1
done
token=$(curl -sf -H 'Content-Type: application/json' \
	-d '{"username": "tiepnhan", "password": "motcua-demo"}' \
	"http://127.0.0.1:$p2/api/v1/auth/login" |
	sed 's/.*"token": *"\([^"]*\)".*/\1/')
intake() { # N: N dossiers taken in at the counter
	n=0
	while [ $n -lt "$1" ]; do
		id=$(printf '05109000%02d%02d' "$1" "$n")
		status=$(curl -s -o "$work/answer" -w '%{http_code}' \
			-H "Authorization: Bearer $token" \
			-H 'Content-Type: application/json' -d '{
			"procedure_code": "1.000656", "channel": "direct",
			"applicant": {"kind": "person", "id_number":
			"'"$id"'", "name": "Người Thử Phục Hồi",
			"phone": "0905000222"}, "components": [{"code":
			"TP01", "provided": true}, {"code": "TP02",
			"provided": true}]}' \
			"http://127.0.0.1:$p2/api/v1/dossiers")
		[ "$status" = 201 ] || {
			echo "pg-pitr-test: intake answered $status:" >&2
			cat "$work/answer" >&2
			exit 1
		}
		n=$((n + 1))
	done
}
intake 3
as_pg "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$p1" -U motcua -D "$base" \
	-X stream -c fast
intake 4
# T: what the restore must come back to.
sleep 1
target=$(sql "$p1" "SELECT now()")
want=$(sql "$p1" "SELECT COUNT(*) FROM dossiers")
sleep 1
intake 5
after=$(sql "$p1" "SELECT COUNT(*) FROM dossiers")
kill "$server"
wait "$server" || true
server=""
# The last segment archived, so the archive reaches past T.
segment=$(sql "$p1" "SELECT pg_walfile_name(pg_switch_wal())")
i=0
until [ -f "$archive/$segment" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "pg-pitr-test: $segment not archived" >&2; exit 1; }
	sleep 0.1
done
as_pg "$pgbin/pg_ctl" -D "$primary" -m fast stop >/dev/null

# The restore: the base backup, the archive, recovery to T.
as_pg cp -a "$base" "$restored"
cat >>"$restored/postgresql.auto.conf" <<EOF
restore_command = 'cp $archive/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
EOF
as_pg touch "$restored/recovery.signal"
p3=$(free_port $((p2 + 1)))
as_pg "$pgbin/pg_ctl" -D "$restored" -l "$work/restored.log" -w -t 120 -o \
	"-p $p3 -k $work -c listen_addresses=127.0.0.1 -c archive_mode=off" \
	start >/dev/null
i=0
until [ "$(sql "$p3" "SELECT pg_is_in_recovery()")" = f ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || { cat "$work/restored.log" >&2; exit 1; }
	sleep 0.1
done
got=$(sql "$p3" "SELECT COUNT(*) FROM dossiers")
echo "pg-pitr-test: $after dossiers at the end, $want at T ($target), $got restored"
[ "$got" = "$want" ] && [ "$want" -lt "$after" ] || {
	echo "pg-pitr-test: the restore is not the moment T" >&2
	exit 1
}
url3="postgres://motcua@127.0.0.1:$p3/motcua"
"$motcua" audit verify --db "$url3"
"$motcua" migrate --status --db "$url3" | grep -q ' 0 pending' || {
	echo "pg-pitr-test: migrations pending after the restore" >&2
	exit 1
}
echo "pg-pitr-test: restored to T, every event chain unbroken"
