#!/bin/sh
# check-packaging.sh MOTCUA — the systemd unit of packaging/ must load
# (systemd-analyze verify, with its binary pointed at MOTCUA) and stay
# sandboxed: systemd-analyze security's exposure at most 2.0 of 10 (its
# threshold counts tenths: 20)
# (docs/operations.md); and the binary must be built hardened: PIE, full
# RELRO, no executable stack, stack protector, _FORTIFY_SOURCE
# (cmake/Hardening.cmake). Part of the test suite.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:?usage: check-packaging.sh MOTCUA}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/local/bin/motcua|$bin|g" "$here/packaging/motcua.service" \
	> "$tmp/motcua.service"
systemd-analyze verify "$tmp/motcua.service"
if ! systemd-analyze security --offline=yes --threshold=20 \
	"$tmp/motcua.service" > "$tmp/security.txt" 2>&1; then
	cat "$tmp/security.txt"
	echo "check-packaging: motcua.service is exposed more than 2.0" >&2
	exit 1
fi
tail -1 "$tmp/security.txt"

# The binary itself: built hardened (cmake/Hardening.cmake) unless it is
# a sanitizer build, which instruments the same things its own way.
if nm -D "$bin" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
	echo "check-packaging: sanitizer build: hardening flags not checked"
	exit 0
fi
dyn=$(readelf -d "$bin")
hdr=$(readelf -lh "$bin")
syms=$(nm -D "$bin")
echo "$hdr" | grep -q 'Type: *DYN' ||
	{ echo "check-packaging: $bin is not position-independent" >&2; exit 1; }
echo "$hdr" | grep -q 'GNU_RELRO' && echo "$dyn" | grep -q 'BIND_NOW\|FLAGS_1.*NOW' ||
	{ echo "check-packaging: $bin lacks full RELRO (-z relro -z now)" >&2; exit 1; }
echo "$hdr" | grep -A1 'GNU_STACK' | grep -q 'RW ' ||
	{ echo "check-packaging: $bin has an executable stack" >&2; exit 1; }
echo "$syms" | grep -q '__stack_chk_fail' ||
	{ echo "check-packaging: $bin has no stack protector" >&2; exit 1; }
echo "$syms" | grep -q '__[a-z]*_chk@' ||
	{ echo "check-packaging: $bin is not built with _FORTIFY_SOURCE" >&2; exit 1; }
echo "check-packaging: $bin is PIE, full RELRO, NX stack, stack protector, fortified"
