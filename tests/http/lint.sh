#!/usr/bin/env bash
# lint.sh - lints node/http/openapi.json with @redocly/cli (the version in package-lock.json).
# Installs it with `npm ci` when node_modules lacks it; exits 77 (skipped) when npm cannot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
if [ ! -x node_modules/.bin/redocly ]; then
    npm ci --no-audit --no-fund >npm-ci.log 2>&1 || { echo "npm ci failed (see $here/npm-ci.log): lint skipped"; exit 77; }
fi
# redocly.yaml here: the recommended rules, warnings are errors.
node_modules/.bin/redocly lint ../../node/http/openapi.json
