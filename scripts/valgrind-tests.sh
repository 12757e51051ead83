#!/bin/sh
# valgrind-tests.sh BUILD — runs the in-process test programs under
# valgrind's memcheck, and the API tests with the motcua server itself under
# valgrind (through $MOTCUA_TEST_VALGRIND, read by tests/harness). This
# catches what the sanitizers cannot see: bad reads and writes inside
# uninstrumented libraries such as libh2o. Fails on any memory error or
# definite leak (tests/valgrind.supp lists h2o 2.2.5's own two).
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$here/tests/valgrind.supp"
export MOTCUA_TEST_TMP="$(cd "$build" && pwd)/test-tmp"
fail=0
for t in test_core test_text test_router test_store test_calendar test_dossier test_keys \
	test_server test_http test_lifecycle test_intake; do
	start=$(date +%s)
	case $t in test_http|test_lifecycle|test_intake) serve=1 ;; *) serve=0 ;; esac
	if [ $serve = 1 ]; then
		MOTCUA_TEST_VALGRIND="$vg" $vg "$build/tests/$t" > "$build/valgrind-$t.log" 2>&1
	else
		$vg "$build/tests/$t" > "$build/valgrind-$t.log" 2>&1
	fi
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "valgrind: $t ok ($(( $(date +%s) - start )) s)"
	else
		echo "valgrind: $t FAILED (exit $rc), see $build/valgrind-$t.log:"
		grep -E '==[0-9]+==|ERROR|FAILED' "$build/valgrind-$t.log" | head -40
		fail=1
	fi
done
exit $fail
