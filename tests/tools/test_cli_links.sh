#!/usr/bin/env bash
# test_cli_links.sh - the sundesk CLI carries no daemon code: none of LMDB, libmicrohttpd or
# libical among the shared libraries it needs, and no object of the node library (sd_node).
#
# Usage: test_cli_links.sh SUNDESK SUNDESKD LIBSD_NODE.a. The same checks run on sundeskd
# first and must find the daemon there, so a check that went blind (a stripped binary, a
# renamed library) fails instead of passing.
set -uo pipefail
cli=${1:?sundesk binary} node=${2:?sundeskd binary} lib=${3:?libsd_node.a}
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
node_symbols=$(mktemp) cli_symbols=$(mktemp)
trap 'rm -f "$node_symbols" "$cli_symbols"' EXIT

# Every global symbol an object of sd_node defines (functions and data).
nm --defined-only -g "$lib" | awk 'NF == 3 {print $3}' | sort -u >"$node_symbols"
grep -qx sd_store_open "$node_symbols" && [ "$(wc -l <"$node_symbols")" -gt 50 ] && ok ||
    bad "cannot read the symbols of $lib"

# The daemon's shared libraries BINARY needs, one a line.
daemon_libs() { readelf -d "$1" | awk '/NEEDED/ {print $NF}' | tr -d '[]' |
    grep -E '^lib(lmdb|microhttpd|ical)[.-]'; }
# The sd_node symbols BINARY defines, one a line.
node_code() { nm --defined-only -g "$1" | awk 'NF == 3 {print $3}' | sort -u |
    comm -12 - "$node_symbols"; }

# The checks see the daemon where it is.
[ "$(daemon_libs "$node" | wc -l)" -ge 3 ] && ok || bad "sundeskd: LMDB, libmicrohttpd and " \
    "libical not found among its libraries: $(readelf -d "$node" | grep NEEDED)"
[ "$(node_code "$node" | grep -cx sd_store_open)" = 1 ] && ok || bad "sundeskd: no sd_node code found in it"

# The CLI has symbols to look at, and none of them is the daemon's.
nm --defined-only -g "$cli" >"$cli_symbols"
grep -q ' sd_cli_run$' "$cli_symbols" && ok || bad "sundesk: no symbols to check"
libs=$(daemon_libs "$cli")
[ -z "$libs" ] && ok || bad "sundesk needs the daemon's libraries:" $libs
code=$(node_code "$cli")
[ -z "$code" ] && ok || bad "sundesk links sd_node objects, defining:" $(echo "$code" | head -10)
grep -q ' sd_store_' "$cli_symbols" && bad "sundesk defines sd_store_ symbols" || ok

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
