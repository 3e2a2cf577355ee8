#!/usr/bin/env bash
# lint.sh - lints node/http/openapi.json with @redocly/cli (the version in package-lock.json).
# Installs it with `npm ci` when node_modules lacks it (CI has the npm registry: a failure fails).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
if [ ! -x node_modules/.bin/redocly ]; then
    log=$(mktemp)
    npm ci --no-audit --no-fund >"$log" 2>&1 || { cat "$log"; rm -f "$log"; echo "npm ci failed"; exit 1; }
    rm -f "$log"
fi
# redocly.yaml here: the recommended rules, warnings are errors.
node_modules/.bin/redocly lint ../../node/http/openapi.json
