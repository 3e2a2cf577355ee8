# lib.sh - shared by the integration scripts: pass/fail counting, a temp dir, one sundeskd.
#
# Source it after `set -uo pipefail`. It makes $dir (removed on exit, with the node killed),
# and defines: ok, bad MSG, finish (prints "N passed, N failed", returns non-zero on
# failures), sd ARGS (the CLI on $data), expect_ok ARGS and expect_fail PATTERN ARGS (sd
# succeeds; sd fails with one line matching PATTERN), start_node [ARGS] and stop_node
# (SIGTERM, wait), and within SECONDS CMD... (retries CMD until it succeeds, at most SECONDS:
# tests wait for a condition, never for a fixed time), and free_port (prints a TCP port of
# 127.0.0.1 free now).
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
sd() { "$bin/tools/sundesk" --data "$data" "$@"; }
# free_port: a port free on 127.0.0.1 now, below the kernel's ephemeral range (32768-60999), where
# an outgoing connection of another test could take it between this choice and the node's bind.
free_port() {
    /usr/bin/python3 -c '
import random, socket
for _ in range(200):
    p = random.randrange(10000, 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()
'
}
# expect_ok ARGS...: `sd ARGS` succeeds (else its output is the failure).
expect_ok() { local out; if out=$(sd "$@" 2>&1); then ok; else bad "sundesk $* -> $out"; fi; }
# expect_fail PATTERN ARGS...: exits non-zero with exactly one stderr line matching PATTERN.
expect_fail() {
    local pattern=$1 err rc; shift
    err=$(sd "$@" 2>&1 >/dev/null); rc=$?
    if [ $rc -ne 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == *$pattern* ]]; then ok
    else bad "sundesk $* -> rc=$rc err=$err (wanted '$pattern')"; fi
}
s_now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Runs CMD every 0.1 s until it succeeds (0) or SECONDS have passed (1).
within() {
    local end=$(($(s_now_ms) + $1 * 1000))
    until "${@:2}"; do
        [ "$(s_now_ms)" -lt $end ] || return 1
        sleep 0.1
    done
}
# Starts sundeskd on $data (extra ARGS go to it) and waits (up to 10 s) until it answers;
# returns 1 at once if it exits instead.
start_node() {
    "$bin/node/sundeskd" --data "$data" "$@" >>"$dir/node.log" 2>&1 &
    node_pid=$!
    within 10 s_up_or_gone && sd node ping >/dev/null 2>&1
}
s_up_or_gone() { sd node ping >/dev/null 2>&1 || ! kill -0 "$node_pid" 2>/dev/null; }
# Stops it with SIGTERM; returns its exit status.
stop_node() {
    local rc
    kill -TERM "$node_pid"; wait "$node_pid"; rc=$?
    node_pid=""
    return $rc
}
# expect_fail PATTERN ARGS...: the CLI exits non-zero with exactly one stderr line matching PATTERN.
expect_fail() {
    local pattern=$1 err rc; shift
    err=$(sd "$@" 2>&1 >/dev/null); rc=$?
    if [ $rc -ne 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == *$pattern* ]]; then ok
    else bad "sundesk $* -> rc=$rc err=$err (wanted '$pattern')"; fi
}
# has TEXT OUTPUT: OUTPUT holds TEXT.
has() { [[ $2 == *"$1"* ]] && ok || bad "wanted '$1' in: $2"; }
# json ARGS... -- EXPR: prints the Python expression EXPR on `sundesk --json ARGS` as d.
json() {
    local args=() expr
    while [ "$1" != "--" ]; do args+=("$1"); shift; done
    expr=$2
    sd --json "${args[@]}" | /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($expr)"
}
# check WHAT GOT WANTED: GOT is WANTED.
check() { [ "$2" = "$3" ] && ok || bad "$1: got '$2', wanted '$3'"; }
