#!/usr/bin/env bash
# What `npm run demo` runs, on a fresh clone as well as later: installs missing system programs,
# installs node packages when node_modules is missing or older than package-lock.json, builds
# the UI, then hands over to `segstream demo` (arguments are passed through, e.g.
# `npm run demo -- --players 5000`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

# node_modules/.package-lock.json is rewritten by every npm install, so its age tells whether
# the installed packages predate the lock file.
installed=node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ package-lock.json -nt "$installed" ]; then
  echo "installing node packages (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "building the UI"
npm run --silent build:ui >/dev/null

exec node bin/segstream.js demo "$@"
