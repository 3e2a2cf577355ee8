#!/usr/bin/env bash
# test_slow_joiner.sh - nodes that miss published events lose nothing: a new region that joins
# while another region is writing fast, and a region frozen (SIGSTOP) under a write burst whose
# hub publisher drops what it cannot queue. Both repair through the sync service.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"
export CONVERGE_SECONDS=90
load() { /usr/bin/python3 "$(dirname "$0")/load.py" "ipc://$(realpath "$dir/c/$1")/sundesk.sock" "$2" "$1"; }
# peer_field NODE PEER FIELD: a number from NODE's repl status about its upstream PEER.
peer_field() {
    at "$1" --json repl status | /usr/bin/python3 -c "import json,sys
print([p['$3'] for p in json.load(sys.stdin)['peers'] if p['site'] == '$2'][0])"
}

cluster start && ok || bad "cluster did not start"

# A brand-new EMEA joins in the middle of a fast stream from APAC and AMER.
pid=$(cat "$dir/c/emea.pid"); kill -TERM "$pid"; gone "$pid"
rm -rf "$dir/c/emea"
load apac 6000 >"$dir/apac1.out" 2>&1 &
apac=$!
load amer 2000 >"$dir/amer1.out" 2>&1 &
amer=$!
for _ in $(seq 600); do [ "$(count hub 2>/dev/null || echo 0)" -ge 2000 ] && break; sleep 0.05; done
cluster start
wait $apac && wait $amer && ok || bad "load during the join: $(cat "$dir"/apac1.out "$dir"/amer1.out)"
converged 8000 && ok || bad "the late joiner holds everything"
[ "$(peer_field emea HUB applied_sync)" -gt 0 ] && ok || bad "the late joiner repaired nothing by sync"

# AMER frozen while APAC writes a burst bigger than the socket buffers and queues between the
# hub and AMER hold: what the hub's publisher dropped must come back by sync.
pid=$(cat "$dir/c/amer.pid")
kill -STOP "$pid"
load apac 30000 >"$dir/apac2.out" 2>&1 && ok || bad "APAC stopped serving: $(cat "$dir/apac2.out")"
kill -CONT "$pid"
converged 38000 && ok || bad "the frozen region caught up"
echo "frozen AMER: $(peer_field amer HUB applied_pub) events applied as published," \
    "$(peer_field amer HUB applied_sync) repaired by sync"

cluster stop
pgrep -f "sundeskd --data $dir" >/dev/null && bad "processes left behind" || ok
finish
