#!/usr/bin/env bash
# make.sh - regenerates the schema-2 store fixture that tests/integration/test_upgrade.sh upgrades.
#
#   SD_BIN=build tests/node/data/store-v2/make.sh
#
# Run it with a build of the code whose store schema the fixture stands for (schema "2", before
# the generic-record core of issue 11); it rewrites this folder:
#   data.mdb            a compacted copy (`sundesk backup`) of region APAC's store
#   node.zpl            the config test_upgrade.sh starts the node with: site APAC, no replication,
#                       the same schedule and policy, and a test clock that stands still in
#                       simulated time (clock_start fixed, speed 1) so SLA states cannot move
#   expected/site       the site id the store belongs to
#   expected/get-ID.json, history-ID.json   `sundesk --json ticket show|report ID` per ticket
#   expected/list.json  `sundesk --json ticket list --limit 1000` (every ticket)
#   expected/status-tickets.json   the "tickets" counts of `sundesk --json node status`
#   expected/handovers.json        `sundesk --json handover report --since 0 --limit 1000`
#
# How the store is made: a hub and APAC replicate over CURVE on loopback, on an accelerated
# clock (1 real s = 30 simulated min from Monday 2026-03-02 04:00Z, APAC on duty until 08:00Z).
# Tickets go through every op (new, ack, assign, start, pending, public and internal comments,
# resolve, close, reopen, cancel, update, handover), some made at the hub and some at APAC, and
# APAC's scheduler adds its own events: SLA at_risk/breached and tier escalations on an open
# ticket (short targets: response 1 h, resolution 2 h, escalation every 10 min) and the
# follow-the-sun handover of a P1 to EMEA when APAC goes off duty at 08:00Z. APAC's store then
# holds events of two origins (APAC, HUB). The expected outputs are read from a single APAC
# node started on a copy of data.mdb with node.zpl, the way test_upgrade.sh starts it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
bin=${SD_BIN:-$root/build}
bin=$(cd "$bin" && pwd)
work=$(mktemp -d /tmp/sd-store-v2.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
base=$((30000 + ($$ % 300) * 10))
speed=1800
start_iso=2026-03-02T04:00:00Z
start_ms=$(date -u -d "$start_iso" +%s%3N)
origin_ms=$(($(date +%s%3N) + 3000))

sd() { "$bin/tools/sundesk" --data "$work/$1" --author "$2" "${@:3}"; }  # as the old CLI (before identity) that made the fixture
# The schedule and policy every node gets; $1.. are extra schedule keys (the clock).
desk() {
    printf 'policy\n    response_hours = "1 1 1 1"\n    resolve_hours = "2 2 2 2"\n'
    printf 'schedule\n    escalate_minutes = "10 10 10"\n    tick_ms = 100\n'
    printf '    takeover_grace_ms = 3000\n'
    for kv in "$@"; do printf '    %s\n' "$kv"; done
    # name, zone, hours: APAC is on duty 23:00-08:00Z on weekdays (in March), EMEA 08:00-17:00Z.
    for site in "APAC Asia/Shanghai 07:00-16:00" "EMEA Europe/London 08:00-17:00" \
        "AMER America/New_York 08:00-18:00"; do
        set -- $site
        printf '    site\n        name = %s\n        zone = %s\n        hours = "mon-fri %s"\n' "$@"
    done
}
start() { # NODE: starts sundeskd on $work/NODE with $work/NODE.zpl, waits for it to answer
    "$bin/node/sundeskd" --data "$work/$1" --config "$work/$1.zpl" >>"$work/$1.log" 2>&1 &
    pids+=($!)
    echo $! >"$work/$1.pid"
    for _ in $(seq 100); do sd "$1" t node ping >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "$1 did not start" >&2 && tail -3 "$work/$1.log" >&2 && exit 1
}
stop() { # NODE: SIGTERM, then waits until it is gone
    local p
    p=$(cat "$work/$1.pid")
    kill -TERM "$p"
    wait "$p" || true
}
field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
# Waits (up to 60 real s) until `sd NODE ... ticket show ID` has FIELD = VALUE.
wait_field() {
    for _ in $(seq 600); do
        [ "$(sd "$1" t --json ticket show "$2" | field "$3")" = "$4" ] && return 0
        sleep 0.1
    done
    echo "$1: $2 never got $3 = $4" >&2 && exit 1
}

# 1. Hub and APAC on the accelerated clock.
mkdir -p "$work/keys" "$work/certs"
declare -A site=([hub]=HUB [apac]=APAC) slot=([hub]=0 [apac]=1)
for n in hub apac; do
    role=site && [ $n = hub ] && role=hub
    "$bin/tools/sundesk" keygen $n --site "${site[$n]}" --role $role --dir "$work/keys" >/dev/null
    cp "$work/keys/$n.cert" "$work/certs/"
done
for n in hub apac; do
    peer=hub && [ $n = hub ] && peer=apac
    {
        printf 'node\n    site = %s\n    role = %s\n' "${site[$n]}" "$([ $n = hub ] && echo hub || echo site)"
        printf 'replication\n    cert = %s\n    certs = %s\n' "$work/keys/$n.cert" "$work/certs"
        printf '    pub = tcp://127.0.0.1:%s\n    sync = tcp://127.0.0.1:%s\n' \
            $((base + 10 * ${slot[$n]} + 1)) $((base + 10 * ${slot[$n]} + 2))
        printf '    heartbeat_ms = 200\n    upstream\n        cert = %s\n' "$work/certs/$peer.cert"
        printf '        pub = tcp://127.0.0.1:%s\n        sync = tcp://127.0.0.1:%s\n' \
            $((base + 10 * ${slot[$peer]} + 1)) $((base + 10 * ${slot[$peer]} + 2))
        desk "clock_start = $start_iso" "clock_speed = $speed" "clock_origin_ms = $origin_ms"
    } >"$work/$n.zpl"
done
start hub
start apac
while [ "$(date +%s%3N)" -lt "$origin_ms" ]; do sleep 0.1; done

# 2. Tickets through every op, at both nodes.
# A1 (APAC): a P1 that follows the sun; APAC's scheduler hands it to EMEA at 08:00Z.
a1=$(sd apac li ticket new --title "Core router down" --requester noc@example.com --impact 1 \
    --urgency 1 --channel monitoring --category network)
sd apac li ticket ack "$a1" >/dev/null
# A2 (APAC): the whole life: ack, assign, start, pending, start, comments, resolve, close,
# reopen, resolve, close; the hub comments on it too.
a2=$(sd apac li ticket new --title "Mail stuck in outbox" --requester ann@example.com \
    --channel email --impact 2 --urgency 2 --category mail --description "Since 9:00")
sd apac li ticket ack "$a2" >/dev/null
sd apac li ticket assign "$a2" carol --team messaging --tier L1.5 >/dev/null
sd apac carol ticket start "$a2" >/dev/null
sd apac carol ticket comment "$a2" "Looking at the queue" --public >/dev/null
sd apac carol ticket pending "$a2" customer --reason "need a screenshot" >/dev/null
sd apac carol ticket start "$a2" >/dev/null
sd apac carol ticket comment "$a2" "Queue was blocked by a transport rule" >/dev/null
wait_field hub "$a2" status in_progress
sd hub lead ticket comment "$a2" "Seen from the hub: check the other regions" >/dev/null
sd apac carol ticket resolve "$a2" "Removed the broken transport rule" >/dev/null
sd apac ann ticket close "$a2" 4 --feedback "Thanks" >/dev/null
sd apac ann ticket reopen "$a2" "Happened again" >/dev/null
sd apac carol ticket resolve "$a2" "Fixed the rule for good" >/dev/null
sd apac ann ticket close "$a2" 5 >/dev/null
# A3 (APAC): cancelled.
a3=$(sd apac li ticket new --title "Printer jam" --requester bob@example.com --impact 3 --urgency 3)
sd apac li ticket cancel "$a3" "Fixed it myself" >/dev/null
# A4 (APAC): updated, then handed to EMEA by hand with a note.
a4=$(sd apac li ticket new --title "VPN slow" --requester cy@example.com --impact 3 --urgency 2 \
    --description "From the Shanghai office")
sd apac li ticket update "$a4" --title "VPN slow from Shanghai" --impact 2 --category network \
    >/dev/null
sd apac li ticket update "$a4" --description "" >/dev/null
sd apac li ticket ack "$a4" >/dev/null
sd apac li ticket handover "$a4" --to EMEA --note "London has the VPN team" >/dev/null
# A5 (APAC): left open in L1; the scheduler breaches its SLA and escalates it to L3.
a5=$(sd apac li ticket new --title "Laptop fan loud" --requester dee@example.com --impact 3 \
    --urgency 3 --tier L1)
# H1 (hub): made at the hub, worked at APAC and the hub; H2 (hub): made and resolved at the hub.
h1=$(sd hub lead ticket new --title "Shared drive full" --requester eve@example.com --impact 2 \
    --urgency 3 --description "Finance share")
sd hub lead ticket ack "$h1" >/dev/null
sd hub lead ticket assign "$h1" li --team storage >/dev/null
wait_field apac "$h1" status assigned
sd apac li ticket start "$h1" >/dev/null
sd apac li ticket comment "$h1" "Archived last year's files" --public >/dev/null
wait_field hub "$h1" status in_progress
sd hub lead ticket pending "$h1" vendor --reason "waiting for more disks" >/dev/null
h2=$(sd hub lead ticket new --title "Password reset" --requester fay@example.com --type \
    service_request --impact 3 --urgency 3)
sd hub lead ticket ack "$h2" >/dev/null
sd hub lead ticket assign "$h2" lead >/dev/null
sd hub lead ticket start "$h2" >/dev/null
sd hub lead ticket resolve "$h2" "Reset and mailed" >/dev/null

# 3. The scheduler's events: A5 breached and in L3, A1 handed to EMEA at 08:00Z.
wait_field apac "$a5" sla_state breached
wait_field apac "$a5" tier L3
wait_field apac "$a1" owner_site EMEA
# Both nodes hold the same events before they stop.
for _ in $(seq 200); do
    [ "$(sd hub t --json node digest | field digest)" = "$(sd apac t --json node digest | field digest)" ] &&
        break
    sleep 0.1
done
stop apac
stop hub

# 4. The fixture: APAC's store, compacted.
rm -rf "$here/data.mdb" "$here/expected"
sd apac t backup "$work/backup" >/dev/null
cp "$work/backup/data.mdb" "$here/data.mdb"
# The test node's clock stands a day later in simulated time, APAC on duty, every SLA settled.
{
    printf 'node\n    site = APAC\n    role = site\n'
    desk "clock_start = 2026-03-04T02:00:00Z" "clock_speed = 1"
} >"$here/node.zpl"

# 5. The expected outputs, from a single node on a copy, as test_upgrade.sh runs it.
mkdir -p "$work/check" "$here/expected"
cp "$here/data.mdb" "$work/check/"
cp "$here/node.zpl" "$work/check.zpl"
start check
d0=$(sd check t --json node digest | field digest)
sd check t --json node ping | field site >"$here/expected/site"
ids=$(sd check t --json ticket list --limit 1000 | /usr/bin/python3 -c \
    "import json,sys; print(' '.join(t['id'] for t in json.load(sys.stdin)))")
for id in $ids; do
    sd check t --json ticket show "$id" >"$here/expected/get-$id.json"
    sd check t --json ticket report "$id" >"$here/expected/history-$id.json"
done
sd check t --json ticket list --limit 1000 >"$here/expected/list.json"
sd check t --json node status | /usr/bin/python3 -c \
    "import json,sys; print(json.dumps(json.load(sys.stdin)['tickets'], sort_keys=True))" \
    >"$here/expected/status-tickets.json"
sd check t --json handover report --since 0 --limit 1000 >"$here/expected/handovers.json"
sleep 1 # ten scheduler ticks: nothing may be due at the test clock
[ "$(sd check t --json node digest | field digest)" = "$d0" ] ||
    { echo "the scheduler still makes events at the test clock" >&2 && exit 1; }
stop check
echo "fixture: $(du -h "$here/data.mdb" | cut -f1) data.mdb, tickets $ids"
