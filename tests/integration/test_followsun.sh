#!/usr/bin/env bash
# test_followsun.sh - follow-the-sun handover on the local cluster, on simulated time.
#
# The four nodes share an accelerated clock (1 real second = 30 simulated minutes) starting on
# Monday 2026-03-02 06:00Z. Weekday hours (winter): APAC 23:00-08:00Z, EMEA 08:00-17:00Z,
# AMER 13:00-23:00Z. A P1 opened in APAC at 06:00Z must go APAC -> EMEA (08:00Z) -> AMER
# (17:00Z) -> APAC (23:00Z), each move made by the site going off duty, with a note, and seen at
# the hub. Then EMEA is stopped: APAC hands the ticket to EMEA on Tuesday 08:00Z (it cannot
# know EMEA is down), and the hub, hearing nothing from EMEA, hands it to AMER when AMER comes
# on duty at 13:00Z. EMEA restarted, all four nodes converge.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"

speed=1800
start_iso=2026-03-02T06:00:00Z
start_ms=$(date -u -d "$start_iso" +%s%3N)
origin_ms=$(($(date +%s%3N) + 4000))
export SD_CLOCK_START=$start_iso SD_CLOCK_SPEED=$speed SD_CLOCK_ORIGIN_MS=$origin_ms
export SD_TICK_MS=100 SD_TAKEOVER_GRACE_MS=3000
export CONVERGE_SECONDS=30

field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
owner() { call "$1" ticket.get "{\"id\": \"$2\"}" 2>/dev/null | field owner_site; }
# Waits until NODE sees ticket ID owned by SITE (up to 15 real s = 7.5 simulated hours).
wait_owner() {
    for _ in $(seq 150); do
        [ "$(owner "$1" "$2")" = "$3" ] && return 0
        sleep 0.1
    done
    echo "  $1 sees $2 owned by $(owner "$1" "$2"), wanted $3"
    return 1
}

cluster start || { bad "cluster did not start"; finish; exit 1; }
wait_sim 2026-03-02T06:10:00Z
id=$(call apac ticket.new '{"title": "Core router down", "requester": "noc@example.com", "impact": 1, "urgency": 1}' | field id)
[ -n "$id" ] && ok || bad "P1 not created at APAC"
[ "$(call apac ticket.get "{\"id\": \"$id\"}" | field follow_sun)" = True ] && ok ||
    bad "a P1 follows the sun by default"

# One simulated day: APAC -> EMEA -> AMER -> APAC, seen at the hub.
for site in EMEA AMER APAC; do
    wait_owner hub "$id" "$site" && ok || bad "hub never saw $id handed to $site"
done

# Every move, in order, by the site going off duty, with its note (the hub's report).
report=$(call hub handover.report "{\"since\": $start_ms}")
/usr/bin/python3 - "$report" "$id" <<'EOF' && ok || bad "handover report at the hub"
import json, sys
moves = [h for h in json.loads(sys.argv[1])["handovers"] if h["id"] == sys.argv[2]]
got = [(h["from"], h["to"], h["origin"]) for h in moves][:3]
want = [("APAC", "EMEA", "APAC"), ("EMEA", "AMER", "EMEA"), ("AMER", "APAC", "AMER")]
assert got == want, got
for h in moves[:3]:
    assert h["note"].startswith("Handover %s -> %s at " % (h["from"], h["to"])), h["note"]
    assert "off duty" in h["note"] and "SLA (" in h["note"], h["note"]
    assert h["by"] == "scheduler@" + h["from"], h["by"]
EOF

# EMEA goes down on Tuesday night; APAC still hands to it at 08:00Z, the hub takes over.
wait_sim 2026-03-03T03:00:00Z
emea_pid=$(cat "$dir/c/emea.pid")
kill -TERM "$emea_pid" && gone "$emea_pid" && ok || bad "EMEA did not stop"
wait_owner hub "$id" EMEA && ok || bad "APAC did not hand to EMEA on Tuesday"
wait_owner hub "$id" AMER && ok || bad "the hub did not hand over for silent EMEA"
t=$(call hub ticket.get "{\"id\": \"$id\"}")
[ "$(field handover_from <<<"$t")" = EMEA ] && ok || bad "handover_from is not EMEA"
note=$(field handover_note <<<"$t")
[[ "$note" == *"EMEA unreachable, the hub hands it over"* ]] && ok ||
    bad "the hub's note does not say why: $note"
at_utc=$(field handover_at <<<"$t")
[ "$at_utc" -ge "$(date -u -d 2026-03-03T13:00:00Z +%s%3N)" ] && ok ||
    bad "the hub handed over before AMER came on duty ($at_utc)"

# EMEA back: everyone holds the same events, and AMER's queue has the ticket.
cluster start || bad "EMEA did not restart"
[ "$(owner amer "$id")" = AMER ] && ok || bad "AMER does not see its ticket"
converged 1 && ok || bad "nodes did not converge after EMEA returned"
# The P1 nobody answered breached its response target: every node's metrics count that event.
[ "$(call hub ticket.get "{\"id\": \"$id\"}" | field sla_state)" = breached ] && ok ||
    bad "the unanswered P1 is not breached"
for n in hub apac; do
    metric_is $n sundesk_sla_breaches_total -ge 1 && ok || bad "$n counts no SLA breach"
done
cluster stop
finish
