#!/bin/sh
# check-packaging.sh MOTCUA — the systemd unit of packaging/ must load
# (systemd-analyze verify, with its binary pointed at MOTCUA) and stay
# sandboxed: systemd-analyze security's exposure at most 2.0 of 10 (its
# threshold counts tenths: 20)
# (docs/operations.md). Part of the test suite.
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
