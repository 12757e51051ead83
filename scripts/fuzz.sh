#!/bin/sh
# fuzz.sh [BUILD_DIR [SECONDS [NAME...]]] — builds the fuzzers with clang
# ($FUZZ_CC, default clang) and libFuzzer under ASan+UBSan (-DMC_FUZZ=ON,
# docs/fuzzing.md) in BUILD_DIR (default build-fuzz) and runs each for
# SECONDS (default 15), one after the other, on a copy of its corpus
# (fuzz/corpus/<name>, which stays as it is). Findings go to
# BUILD_DIR/fuzz-findings/<name>/; exits 1 after printing each one's path
# if there is any. NAME... runs only those harnesses (fuzz_NAME.c). With
# FUZZ_MERGE=1, what a run found that adds coverage is merged into
# fuzz/corpus/<name> afterwards (-merge=1).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-fuzz}
secs=${2:-15}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
case $build in /*) ;; *) build="$here/$build" ;; esac

if [ $# -gt 0 ]; then
	names="$*"
else
	names=$(cd "$here/fuzz" && ls fuzz_*.c | sed -e 's/^fuzz_//' -e 's/\.c$//')
fi

cc=${FUZZ_CC:-clang}
case $($cc --version 2>/dev/null) in
*clang*) ;;
*) echo "fuzz.sh: needs clang with libFuzzer (FUZZ_CC=$cc)"; exit 2 ;;
esac

CC=$cc cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DMC_SANITIZE=address,undefined \
	-DMC_FUZZ=ON -DMC_WERROR=OFF >/dev/null || exit 2
targets=""
for n in $names; do targets="$targets fuzz_$n"; done
cmake --build "$build" --target $targets || exit 2

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$here/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export MOTCUA_TEST_TMP="$build/test-tmp"
mkdir -p "$MOTCUA_TEST_TMP"

fail=0
total_start=$(date +%s)
for n in $names; do
	work="$build/fuzz-work/$n"
	found="$build/fuzz-findings/$n"
	rm -rf "$work"
	mkdir -p "$work" "$found"
	[ -d "$here/fuzz/corpus/$n" ] && cp -R "$here/fuzz/corpus/$n/." "$work/"
	dict=""
	[ -f "$here/fuzz/dict/$n.dict" ] && dict="-dict=$here/fuzz/dict/$n.dict"
	start=$(date +%s)
	"$build/fuzz/fuzz_$n" -max_total_time="$secs" -rss_limit_mb=2048 \
		-timeout=10 -max_len=8192 -print_final_stats=1 $dict \
		-artifact_prefix="$found/" "$work" > "$build/fuzz-$n.log" 2>&1
	rc=$?
	stats=$(grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' \
		"$build/fuzz-$n.log" | sed 's/^stat:://' | tr -s ' \n' ' ')
	cov=$(grep -E '^#[0-9]+' "$build/fuzz-$n.log" | tail -1 |
	      grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' || true)
	arts=$(find "$found" -type f | sort)
	if [ $rc -ne 0 ] || [ -n "$arts" ]; then
		echo "fuzz: $n FAILED (exit $rc, $(( $(date +%s) - start )) s), see $build/fuzz-$n.log"
		grep -E 'ERROR|SUMMARY|fuzz: .*check failed|Test unit written' \
			"$build/fuzz-$n.log" | head -20
		for a in $arts; do echo "fuzz: crashing input: $a"; done
		fail=1
	else
		echo "fuzz: $n ok ($(( $(date +%s) - start )) s; $cov; $stats)"
		if [ "${FUZZ_MERGE:-0}" = 1 ]; then
			mkdir -p "$here/fuzz/corpus/$n"
			before=$(ls "$here/fuzz/corpus/$n" | wc -l)
			"$build/fuzz/fuzz_$n" -merge=1 -rss_limit_mb=2048 \
				-timeout=10 -max_len=8192 \
				"$here/fuzz/corpus/$n" "$work" \
				> "$build/fuzz-$n-merge.log" 2>&1 ||
				echo "fuzz: $n: merge failed, see $build/fuzz-$n-merge.log"
			echo "fuzz: $n: corpus $before -> $(ls "$here/fuzz/corpus/$n" | wc -l) files"
		fi
	fi
done
echo "fuzz: all done in $(( $(date +%s) - total_start )) s"
exit $fail
