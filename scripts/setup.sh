#!/bin/sh
# setup.sh — installs the Debian 12 packages motcua needs to build and test.
# As root it installs what is missing with apt-get; otherwise it prints the
# exact command to run and fails. Called by 'make run' and 'make test'.
set -eu

# Build: compiler, CMake, Ninja, pkg-config and the libraries of DESIGN.md
# that the code uses so far (libcurl: the SMS, e-mail and webhook clients,
# and the API tests' HTTP client; libqrencode and libpng: payment QR
# codes; cairo, pango and the Liberation fonts: generated e-results;
# libxlsxwriter: reports as spreadsheets). Test: cmocka (unit tests),
# valgrind, zbar-tools (zbarimg reads the QR codes back),
# python3-openpyxl (the spreadsheets are read back), poppler-utils
# (the PDFs' text is read back and their pages drawn), chromium (the
# browser the web application's tests drive, tests/browser) and systemd
# (systemd-analyze checks packaging/'s unit); clang and its libFuzzer
# runtime, libclang-rt-14-dev (the fuzzers, fuzz/, docs/fuzzing.md).
packages="gcc libc6-dev make cmake ninja-build pkg-config
libh2o-evloop-dev libjansson-dev libsqlite3-dev libssl-dev
libutf8proc-dev libsodium-dev libpq-dev postgresql-15 haproxy
libcurl4-openssl-dev libqrencode-dev libpng-dev
libcairo2-dev libpango1.0-dev fonts-liberation libxlsxwriter-dev
libxml2-dev
libcmocka-dev valgrind zbar-tools python3-openpyxl poppler-utils chromium
systemd clang libclang-rt-14-dev"

# Extra packages for a target, e.g. 'setup.sh bench' adds wrk and nginx.
case "${1:-}" in
bench) packages="$packages wrk nginx-light sqlite3 time" ;;
"") ;;
*) echo "setup.sh: unknown target '$1' (expected: bench)" >&2; exit 2 ;;
esac

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "setup: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing
else
	echo "setup: these Debian packages are missing:$missing" >&2
	echo "setup: install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
