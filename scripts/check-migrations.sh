#!/bin/sh
# check-migrations.sh — the rule of expand, then contract
# (docs/operations.md "Upgrades"), checked on every migration from 0046
# on: its first line says "-- phase: expand" or "-- phase: contract";
# SQLite's and PostgreSQL's sets have the same migrations with the same
# phases; and an expansion takes nothing away that the running release
# may use — no DROP TABLE or COLUMN, no RENAME, no ALTER COLUMN, no SET
# NOT NULL, no DELETE or TRUNCATE, no new NOT NULL column without a
# DEFAULT. Part of the test suite (ctest check_migrations).
set -u
cd "$(dirname "$0")/.."
first=46
fail=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
report() { echo "check-migrations: $1"; fail=1; }

for f in migrations/sqlite/*.sql migrations/pg/*.sql; do
	base=$(basename "$f")
	n=$(echo "$base" | sed 's/^0*\([0-9]\)/\1/; s/_.*//')
	[ "$n" -ge "$first" ] || continue
	other=migrations/pg/$base
	[ "${f#migrations/pg/}" != "$f" ] && other=migrations/sqlite/$base
	[ -f "$other" ] || report "$f: no $other beside it"
	phase=$(head -1 "$f" | sed -n 's/^-- phase: \(expand\|contract\)$/\1/p')
	if [ -z "$phase" ]; then
		report "$f:1: must begin with '-- phase: expand' or '-- phase: contract'"
		continue
	fi
	if [ -f "$other" ] && [ "$(head -1 "$other")" != "-- phase: $phase" ]; then
		report "$f: phase $phase, but $other says otherwise"
	fi
	[ "$phase" = expand ] || continue
	# Statements without comments, one a line, upper case.
	awk '{ sub(/--.*/, ""); printf "%s ", $0 } END { print "" }' "$f" |
		tr ';' '\n' | tr '[:lower:]' '[:upper:]' |
		sed 's/[[:space:]][[:space:]]*/ /g' > "$tmp"
	while IFS= read -r stmt; do
		case $stmt in
		*"DROP TABLE"*|*"DROP COLUMN"*|*RENAME*|*"ALTER COLUMN"*|\
		*"SET NOT NULL"*|*"DELETE FROM"*|*TRUNCATE*)
			report "$f: an expansion must not: $stmt" ;;
		*"ADD COLUMN"*"NOT NULL"*)
			case $stmt in
			*DEFAULT*) ;;
			*) report "$f: a NOT NULL column needs a DEFAULT in an expansion: $stmt" ;;
			esac ;;
		esac
	done < "$tmp"
done
[ $fail -eq 0 ] && echo "check-migrations: every migration from 0046 keeps to expand, then contract"
exit $fail
