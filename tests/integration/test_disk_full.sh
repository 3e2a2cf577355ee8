#!/usr/bin/env bash
# test_disk_full.sh - a full disk gives clients a clear error, the node keeps serving, nothing is lost.
#
# Runs the node on a 1 MiB tmpfs inside a private mount namespace (unshare -m), so the mount
# vanishes with the test. Needs root; skipped (exit 77) where mounting is not allowed.
set -uo pipefail
if [ "${1:-}" != --inside ]; then
    [ "$(id -u)" -eq 0 ] || { echo "skipped: needs root to mount a small tmpfs"; exit 77; }
    exec unshare -m --propagation private bash "$0" --inside
fi
. "$(dirname "$0")/lib.sh"
s_unmount() { umount "$data" 2>/dev/null; }
LIB_BEFORE_RM=s_unmount
mkdir -p "$data"
# mode 0700: a tmpfs is 1777 by default, and the node refuses a data directory others can write.
mount -t tmpfs -o size=1m,mode=0700 tmpfs "$data" || { echo "skipped: cannot mount tmpfs"; exit 77; }
start_node && ok || bad "node did not start"

text=$(head -c 6000 /dev/zero | tr '\0' 'x')
acked=0 err=""
for i in $(seq 1 400); do
    if sd ticket new --title "t$i" --requester r@example.com --description "$text" >/dev/null \
        2>"$dir/err"; then
        acked=$((acked + 1))
    else
        err=$(cat "$dir/err"); break
    fi
done
echo "acknowledged before the disk filled: $acked; then: $err"
[ "$acked" -gt 10 ] && ok || bad "only $acked tickets fitted"
[[ $err == *"disk is full"* ]] && ok || bad "error was '$err'"
# Still serving reads, still refusing writes cleanly.
sd node ping >/dev/null && ok || bad "ping after disk full"
n=$(sd --json ticket list --limit 1000 | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
[ "$n" = "$acked" ] && ok || bad "listed $n tickets, acknowledged $acked"
sd ticket new --title again --requester r@example.com --description "$text" 2>/dev/null \
    && bad "write succeeded on a full disk" || ok
# A restart opens the store cleanly and holds exactly what was acknowledged.
stop_node || bad "unclean stop"
start_node && ok || bad "node did not restart"
n=$(sd --json ticket list --limit 1000 | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
[ "$n" = "$acked" ] && ok || bad "after restart $n tickets, acknowledged $acked"
grep -q "disk_full" "$dir/node.log" && ok || bad "no disk_full line in the log"
# The search index is derived: a disk too full for it leaves the node serving without search,
# and a search says why instead of hanging.
if grep -q "search: cannot start" "$dir/node.log"; then
    out=$(sd search printer 2>&1) && bad "search answered with no index: $out" || ok
    [[ $out == *"search is not running on this node"* ]] && ok || bad "search said '$out'"
fi
stop_node && ok || bad "unclean stop"

finish
