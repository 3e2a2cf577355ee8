#!/usr/bin/env bash
# test_cluster.sh - hub + three regions as real processes on 127.0.0.1 with real CURVE keys:
# replication, a region down during writes, the hub killed with -9, and refused strangers.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"

cluster start && ok || bad "cluster did not start"
for i in $(seq 5); do new_at apac "apac $i"; new_at emea "emea $i"; new_at amer "amer $i"; done
converged 15 && ok || bad "tickets of every region reach the hub and the other regions"
id=APAC-000001 # APAC's first ticket (the head of its queue may be another site's)
at emea ticket ack "$id" >/dev/null && ok || bad "EMEA works on an APAC ticket"
converged 15 && ok || bad "an EMEA change to an APAC ticket converges"

# A region stopped while the others write catches up after restart.
pid=$(cat "$dir/c/emea.pid"); kill -TERM "$pid"; gone "$pid"
for i in $(seq 5); do new_at apac "while emea down $i"; new_at amer "while emea down $i"; done
cluster start
converged 25 && ok || bad "EMEA caught up after a restart"

# The hub killed with -9: regions keep serving their users; the hub catches up.
pid=$(cat "$dir/c/hub.pid"); kill -9 "$pid"; gone "$pid"
for i in $(seq 5); do new_at apac "while hub dead $i"; new_at emea "while hub dead $i"; done
[ "$(count apac)" -ge 30 ] && ok || bad "APAC serves while the hub is down"
cluster start
converged 35 && ok || bad "everyone converges after the hub restarts"

# Strangers are refused: a node whose key is not in the certificate directory follows the hub
# and gets nothing, and a plaintext subscriber gets nothing either.
mkdir -p "$dir/rogue"
"$bin/tools/sundesk" keygen rogue --site ROGUE --dir "$dir/rogue" >/dev/null
cat >"$dir/rogue.zpl" <<EOT
node
    site = ROGUE
replication
    cert = $dir/rogue/rogue.cert
    certs = $dir/c/certs
    pub = tcp://127.0.0.1:$((SD_PORT_BASE + 91))
    sync = tcp://127.0.0.1:$((SD_PORT_BASE + 92))
    heartbeat_ms = 200
    upstream
        cert = $dir/c/certs/hub.cert
        pub = tcp://127.0.0.1:$((SD_PORT_BASE + 1))
        sync = tcp://127.0.0.1:$((SD_PORT_BASE + 2))
EOT
hub_refused() {
    at hub --json repl status | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['refused_connections'])"
}
refused_before=$(hub_refused)
s_refused_more() { [ "$(hub_refused)" -gt "$refused_before" ]; }
data="$dir/rogue-data"
start_node --config "$dir/rogue.zpl" || bad "rogue node did not start"
# The rogue has tried and been refused (else "nothing received" would prove nothing).
within 10 s_refused_more && ok || bad "the hub refused no connection from the rogue"
[ "$(sd --json ticket list | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" = 0 ] \
    && ok || bad "a node with an unknown key received tickets"
sd repl status | grep "HUB *hub *NO" >/dev/null && ok || bad "the unknown node shows the hub as not connected"
stop_node
got=$(/usr/bin/python3 - "$((SD_PORT_BASE + 1))" <<'EOT'
import sys, zmq
s = zmq.Context().socket(zmq.SUB)
s.setsockopt(zmq.SUBSCRIBE, b""); s.setsockopt(zmq.RCVTIMEO, 1500); s.setsockopt(zmq.LINGER, 0)
s.connect("tcp://127.0.0.1:%s" % sys.argv[1])
try:
    s.recv(); print("received")
except zmq.Again:
    print("nothing")
EOT
)
[ "$got" = nothing ] && ok || bad "a plaintext subscriber received: $got"
grep -q "connection refused: socket=pub" "$dir/c/hub.log" && ok || bad "no refused connection in the hub's log"

# A client holding an admitted key but the wrong server key for the hub never connects.
"$bin/tools/sundesk" keygen fakehub --site HUB --role hub --dir "$dir/rogue" >/dev/null
sed -e "s|site = ROGUE|site = EMEA|" -e "s|$dir/rogue/rogue.cert|$dir/c/keys/emea.cert|" \
    -e "s|$dir/c/certs/hub.cert|$dir/rogue/fakehub.cert|" "$dir/rogue.zpl" >"$dir/spy.zpl"
data="$dir/spy-data"
start_node --config "$dir/spy.zpl" || bad "spy node did not start"
# Proving that something does not happen takes a wait: three heartbeat periods (0.6 s) and more.
sleep 1.5
sd repl status | grep "HUB *hub *NO" >/dev/null && ok || bad "a wrong server key still connected"
[ "$(sd --json ticket list | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" = 0 ] \
    && ok || bad "a client with a wrong server key received tickets"
stop_node

# A site publishing another origin's events is refused by the hub: APAC's key (stolen, or a
# buggy APAC) publishes an EMEA event on APAC's endpoint.
pid=$(cat "$dir/c/apac.pid"); kill -TERM "$pid"; gone "$pid"
emea_before=$(at hub --json repl status | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['vector'].get('EMEA', 0))")
/usr/bin/python3 - "$dir/c/keys/apac.cert" "$((SD_PORT_BASE + 11))" <<'EOT' &
import re, sys, time, zmq, msgpack
def key(path, name):
    return re.search(name + r' = "(.+)"', open(path).read()).group(1).encode()
pub = zmq.Context().socket(zmq.PUB)
pub.curve_server = True
pub.curve_publickey = key(sys.argv[1], "public-key")
pub.curve_secretkey = key(sys.argv[1] + "_secret", "secret-key")
pub.setsockopt(zmq.LINGER, 0)
pub.bind("tcp://127.0.0.1:%s" % sys.argv[2])
def event(origin, key, op, author, fields, hlc=int(time.time() * 1000) << 16, seq=999):
    return msgpack.packb({"v": 1, "origin": origin, "seq": seq, "hlc": hlc, "entity": "ticket",
                          "key": key, "op": op, "author": author, "fields": fields})
comment = {"body": "forged", "public": False}
day_ahead = int(time.time() * 1000 + 86400000) << 16
forged = [
    event("EMEA", "EMEA-999999", "comment", "mallory", comment),      # another site's origin
    event("HUB", "HUB-999999", "comment", "mallory", comment),        # the hub's own origin
    event("APAC", "APAC-999999", "comment", "mallory", comment, hlc=day_ahead),  # clock ahead
    event("APAC", "EMEA-000004", "create", "mallory", {"title": "squat"}),  # EMEA's id range
    event("APAC", "APAC-999999", "comment", "scheduler@EMEA", comment),  # EMEA's scheduler
    event("APAC", "APAC-999999", "comment", "mallory", comment),      # unsigned
]
for _ in range(300): # until the test has seen the refusals and kills this publisher (30 s at most)
    for f in forged:
        pub.send_multipart([b"E", f])
    time.sleep(0.1)
EOT
forger=$!
apac_refused() {
    at hub --json repl status | /usr/bin/python3 -c "import json,sys; print([p['refused'] for p in json.load(sys.stdin)['peers'] if p['site'] == 'APAC'][0])"
}
s_forged_refused() { [ "$(apac_refused)" -gt 0 ]; }
within 20 s_forged_refused && ok || bad "the hub did not count the forged events as refused"
emea_after=$(at hub --json repl status | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['vector'].get('EMEA', 0))")
[ "$emea_after" = "$emea_before" ] && ok || bad "a forged EMEA event was applied"
grep -q "event refused: peer=APAC origin=EMEA" "$dir/c/hub.log" && ok || bad "no refusal in the hub's log"
# Each forgery refused for its own reason, even with a stolen transport key (replication/trust.h).
s_refused_all() {
    local why
    for why in "APAC may not send origin EMEA" "APAC may not send origin HUB" \
        "ahead of this node's clock" "an id of another site" "another site's system identity" \
        "is not signed"; do
        grep -q "$why" "$dir/c/hub.log" || return 1
    done
}
within 20 s_refused_all && ok || bad "not every forgery was refused with its reason: $(grep -o 'reason=.*' "$dir/c/hub.log" | sort -u)"
kill "$forger" 2>/dev/null; wait "$forger" 2>/dev/null
cluster start

cluster stop
pgrep -f "sundeskd --data $dir" >/dev/null && bad "processes left behind" || ok
finish
