#!/bin/sh
# checksrc.sh — source rules the compiler does not check (STYLE.md §17, curl
# scripts/checksrc.pl): banned functions, the first include, and the layer
# rule (api -> domain -> store, with http and core underneath; the domain
# knows nothing of HTTP, SQL or sockets). Prints each violation with its
# file and line and fails if there is any.
set -u
cd "$(dirname "$0")/.."
fail=0

report() { echo "checksrc: $1"; fail=1; }

# flag FILE REGEX WHY: reports every line of FILE matching REGEX.
flag() {
	matches=$(grep -nE "$2" "$1") || return 0
	echo "$matches" | while IFS= read -r line; do
		echo "checksrc: $1:$line: $3"
	done
	fail=1
}

files=$(find src tests bench fuzz -name '*.c' -o -name '*.h' | sort)

# Banned functions: unbounded or unsafe string handling, and raw allocation
# outside core/mem.c (everything goes through mc_malloc and friends, which
# abort on exhaustion).
for f in $files; do
	flag "$f" '(^|[^_a-z0-9])(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\(' \
		"banned function"
	case "$f" in
	src/core/mem.c|tests/*|bench/*|fuzz/replay.c) ;;
	*)
		flag "$f" '(^|[^_a-z0-9.>])(malloc|calloc|realloc|free)[[:space:]]*\(' \
			"use mc_malloc/mc_free (core/mem.h)"
		;;
	esac
done

# The first include of every .c file in src/ is core/compat.h.
for f in $(find src -name '*.c' | sort); do
	first=$(grep -m1 '^#include' "$f")
	[ "$first" = '#include "core/compat.h"' ] ||
		report "$f: first include must be \"core/compat.h\", is: $first"
done

# Layers. Each pattern is an include a directory must not have.
check_layer() {
	dir=$1; shift
	for f in $(find "src/$dir" -name '*.c' -o -name '*.h' | sort); do
		for pat in "$@"; do
			flag "$f" "^#include [<\"]$pat" \
				"layer rule: src/$dir must not include $pat"
		done
	done
}
check_layer core 'http/' 'api/' 'domain/' 'store/' 'cli/' 'app\.h' 'sqlite3\.h' 'libpq' 'h2o' 'curl/'
check_layer domain 'http/' 'api/' 'store/' 'cli/' 'app\.h' 'sqlite3\.h' 'libpq' 'h2o' 'curl/' 'sys/socket\.h' 'netinet/' 'jansson\.h'
check_layer store 'http/' 'api/' 'cli/' 'app\.h' 'h2o'
check_layer http 'api/' 'cli/' 'domain/' 'store/' 'sqlite3\.h' 'libpq'
check_layer api 'cli/' 'sqlite3\.h' 'libpq' 'store/store_'

# Every header has a guard named after its path.
for f in $(find src -name '*.h' | sort); do
	guard=$(echo "$f" | sed -e 's|^src/|MC_|' -e 's|[/.]|_|g' | tr 'a-z' 'A-Z')
	grep -q "^#ifndef $guard\$" "$f" || report "$f: include guard should be $guard"
done

[ $fail -eq 0 ] && echo "checksrc: ok"
exit $fail
