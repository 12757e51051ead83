#!/bin/sh
# setup-npm.sh — installs the npm packages the tests use, from their
# package-lock.json, when they are missing or the lock file changed:
# tests/fixtures/op (oidc-provider, the OpenID provider of the VNeID
# sign-in tests) and tests/browser (playwright-core, which drives Debian's
# chromium through the web application). Node.js 20 and npm come with the machine, or:
#   sudo apt-get install -y nodejs npm
# Called by 'make test' (not by 'make run': motcua itself needs no npm).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
if { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; } &&
   [ "$(id -u)" -eq 0 ]; then
	echo "setup-npm: installing nodejs npm"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends nodejs npm
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "setup-npm: node and npm are needed by the tests; install them" \
	     "with: sudo apt-get install -y nodejs npm" >&2
	exit 1
fi
for dir in "$here/tests/fixtures/op" "$here/tests/browser"; do
	if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
	   [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
		echo "setup-npm: npm ci in ${dir#$here/}"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done
