#!/bin/sh
# web.sh BUILD — the web application's first loads on a throttled 3G line
# (bench/web.mjs), against BUILD/motcua; needs chromium and the browser
# tests' npm packages (make test installs both).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
"$here/scripts/setup-npm.sh"
MOTCUA_BIN="$(cd "$build" && pwd)/motcua" MOTCUA_WEB="$here/web" \
	node "$here/bench/web.mjs"
