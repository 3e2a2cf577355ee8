# lib.sh - shared by the integration scripts: pass/fail counting, a temp dir, one sundeskd.
#
# Source it after `set -uo pipefail`. It makes $dir (removed on exit, with the node killed),
# and defines: ok, bad MSG, finish (prints "N passed, N failed", returns non-zero on
# failures), sd ARGS (the CLI on $data), start_node [ARGS] and stop_node (SIGTERM, wait).
bin=${SD_BIN:?SD_BIN must point at the build directory}
dir=$(mktemp -d "/tmp/sd-${0##*/}.XXXXXX")
data="$dir/d"
node_pid=""
passed=0 failed=0
s_cleanup() {
    [ -n "$node_pid" ] && kill -9 "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
    [ "$failed" -eq 0 ] || tail -5 "$dir/node.log" 2>/dev/null
    [ -n "${LIB_BEFORE_RM:-}" ] && $LIB_BEFORE_RM
    rm -rf "$dir"
}
trap s_cleanup EXIT
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
sd() { "$bin/tools/sundesk" --data "$data" --author tester "$@"; }
# Starts sundeskd on $data (extra ARGS go to it) and waits until it answers.
start_node() {
    "$bin/node/sundeskd" --data "$data" "$@" >>"$dir/node.log" 2>&1 &
    node_pid=$!
    for _ in $(seq 100); do sd node ping >/dev/null 2>&1 && return 0; sleep 0.05; done
    return 1
}
# Stops it with SIGTERM; returns its exit status.
stop_node() {
    local rc
    kill -TERM "$node_pid"; wait "$node_pid"; rc=$?
    node_pid=""
    return $rc
}
