# cluster_lib.sh - shared by the cluster scripts: a hub and three regions from deploy/local-cluster.sh.
#
# Source it after lib.sh. Ports come from the script's pid so parallel tests do not collide.
# Defines: cluster start|stop|status, at NODE ARGS (the CLI on that node), count NODE (tickets
# it holds), digest NODE, metric NODE NAME{LABELS} (its value at the node's /metrics),
# metric_is NODE NAME{LABELS} OP N (waits up to 10 s until the metric compares OP N, e.g. -ge:
# the text is rendered once a second), converged N (every node holds N tickets, all digests
# equal; waits up to $CONVERGE_SECONDS, default 20), gone PID (waits until it exits),
# new_at NODE TITLE, call NODE OP ARGS_JSON [TOKEN] (one request of the protocol straight from
# Python: the result as JSON, or exit 1 with "refused: ..."), wait_sim ISO (sleeps until the
# accelerated clock of $start_ms, $origin_ms and $speed reads ISO).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Bases 20000..31960 (+ up to 94): below the kernel's ephemeral ports (32768 up), which outgoing
# connections take and would collide with.
export SD_BIN=$bin SD_PORT_BASE=$((20000 + ($$ % 300) * 10 * 4))
cluster() { bash "$root/deploy/local-cluster.sh" "$1" "$dir/c" >/dev/null; }
s_stop_cluster() { bash "$root/deploy/local-cluster.sh" stop "$dir/c" >/dev/null 2>&1; }
LIB_BEFORE_RM=s_stop_cluster
nodes="hub apac emea amer"
at() { "$bin/tools/sundesk" --data "$dir/c/$1" "${@:2}"; }
count() {
    at "$1" --json node status | /usr/bin/python3 -c "import json,sys; print(sum(json.load(sys.stdin)['tickets'].values()))"
}
digest() { at "$1" --json node digest | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['digest'])"; }
converged() {
    local tries=$((${CONVERGE_SECONDS:-20} * 10))
    for _ in $(seq $tries); do
        local same=1 d0
        d0=$(digest hub 2>/dev/null) || { sleep 0.1; continue; }
        for n in $nodes; do
            [ "$(count $n 2>/dev/null)" = "$1" ] && [ "$(digest $n 2>/dev/null)" = "$d0" ] || same=0
        done
        [ $same = 1 ] && return 0
        sleep 0.1
    done
    for n in $nodes; do echo "  $n: $(count $n) tickets, digest $(digest $n)"; done
    return 1
}
declare -A s_slot=([hub]=0 [apac]=1 [emea]=2 [amer]=3)
metric() {
    /usr/bin/python3 -c "import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" \
        "http://127.0.0.1:$((SD_PORT_BASE + 10 * ${s_slot[$1]} + 3))/metrics" | awk -v m="$2" '$1 == m { print $2 }'
}
s_metric_is() {
    local v
    v=$(metric "$1" "$2") && [ -n "$v" ] && [ "$v" "$3" "$4" ]
}
metric_is() { within 10 s_metric_is "$@" || { echo "  $1 $2 = $(metric "$1" "$2")"; return 1; }; }
gone() { while kill -0 "$1" 2>/dev/null; do sleep 0.05; done; }
new_at() { at "$1" ticket new --title "$2" --requester user@example.com >/dev/null || bad "new at $1"; }
call() {
    /usr/bin/python3 - "ipc://$dir/c/$1/sundesk.sock" "$2" "$3" "${4:-}" <<'EOF'
import json, sys, msgpack, zmq
s = zmq.Context().socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 0)
s.connect(sys.argv[1])
m = {"v": 1, "id": 1, "op": sys.argv[2], "args": json.loads(sys.argv[3])}
if sys.argv[4]:
    m["auth"] = sys.argv[4]
s.send(msgpack.packb(m))
if not s.poll(10000):
    sys.exit("no reply")
r = msgpack.unpackb(s.recv(), raw=False)
if not r["ok"]:
    sys.exit("refused: %s" % r["error"])
print(json.dumps(r["result"]))
EOF
}
wait_sim() {
    local t wait
    t=$(date -u -d "$1" +%s%3N)
    wait=$((origin_ms + (t - start_ms) / speed - $(date +%s%3N)))
    [ $wait -gt 0 ] && sleep "$(printf '%d.%03d' $((wait / 1000)) $((wait % 1000)))"
    return 0
}
