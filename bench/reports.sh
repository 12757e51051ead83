#!/bin/sh
# reports.sh BUILD_DIR — how long Biểu 06 takes over a long history
# (docs/reports.md "Speed"). The demo province's dossiers are copied back
# in time, a day apart per copy over ten years, the way real ones age:
# every copy older than 45 days is finished (open dossiers are recent).
# Then 'motcua report bieu06' counts the province-wide official first
# half of 2026, median of 5 runs, process start included; then the 766
# index of the same period.
# BENCH_COPIES (default 6700) sets the size: 6700 copies of 300 dossiers
# leave about 1.1 million, of which ~11,000 open. BENCH_YEARS (default
# 10) is the history they spread over. BENCH_KEEP_DB=FILE keeps the database
# there, and a later run with the same FILE times it again without
# building it (after 'motcua migrate', say). Then the peak memory of
# one run of each. Needs sqlite3 and GNU time (scripts/setup.sh bench).
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
bin="$(cd "$build" && pwd)/motcua"
copies=${BENCH_COPIES:-6700}
days=$(( ${BENCH_YEARS:-10} * 365 ))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE
db=${BENCH_KEEP_DB:-$tmp/b.db}
case $db in /*) ;; *) db="$(pwd)/$db" ;; esac
cd "$tmp"
if [ -s "$db" ]; then
	echo "reports: $db as it is"
else
"$bin" demo --db "$db" --files-dir files --dossiers 300 >/dev/null

# Every column copied; times shifted back (copy k: 13k mod $days days).
cols=$(sqlite3 "$db" "SELECT group_concat(name, ',') FROM
	pragma_table_info('dossiers') WHERE name <> 'id'")
sel=$(sqlite3 "$db" "SELECT group_concat(CASE
	WHEN name = 'code' THEN 'd.code || ''#'' || k.n'
	WHEN name LIKE '%_at' THEN 'CASE WHEN d.' || name || ' IS NULL THEN
		NULL ELSE strftime(''%Y-%m-%dT%H:%M:%SZ'', d.' || name ||
		', ''-'' || (k.n * 13 % $days) || '' days'') END'
	ELSE 'd.' || name END, ',') FROM pragma_table_info('dossiers')
	WHERE name <> 'id'")
start=$(date +%s)
sqlite3 "$db" "PRAGMA journal_mode = WAL;
	WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k
		WHERE n < $copies)
	INSERT INTO dossiers ($cols) SELECT $sel FROM dossiers d, k
		WHERE d.id <= 300;
	DELETE FROM dossiers WHERE id > 300 AND finished_at IS NULL AND
		CAST(substr(code, instr(code, '#') + 1) AS INTEGER) * 13 % $days
		> 45;
	ANALYZE;" >/dev/null
n=$(sqlite3 "$db" "SELECT COUNT(*) FROM dossiers")
open=$(sqlite3 "$db" "SELECT COUNT(*) FROM dossiers WHERE finished_at IS NULL")
echo "reports: $n dossiers over ${BENCH_YEARS:-10} years ($open open), built in $(( $(date +%s) - start )) s"
fi
inperiod=$(sqlite3 "$db" "SELECT COUNT(*) FROM dossiers WHERE received_at <
	'2026-06-14T17:00:00Z' AND (finished_at IS NULL OR finished_at >=
	'2025-12-14T17:00:00Z')")
echo "  of which $inperiod in the official first half of 2026"

timed "Biểu 06, province, official first half of 2026" \
	"$bin" report bieu06 --db "$db" --period half --year 2026 --index 1
timed "766 index, province, official first half of 2026" \
	"$bin" report index766 --db "$db" --period half --year 2026 --index 1
# Memory stays bounded: the peak of one run of each (GNU time).
/usr/bin/time -f "  peak resident memory, Biểu 06: %M kB" \
	"$bin" report bieu06 --db "$db" --period half --year 2026 --index 1 >/dev/null
/usr/bin/time -f "  peak resident memory, 766 index: %M kB" \
	"$bin" report index766 --db "$db" --period half --year 2026 --index 1 >/dev/null
