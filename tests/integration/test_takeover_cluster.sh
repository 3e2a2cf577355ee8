#!/usr/bin/env bash
# test_takeover_cluster.sh - a simulated day and a weekend of follow the sun with a dead site, people and
# the on-call roster, on the local cluster (four real sundeskd on 127.0.0.1, accelerated clock).
#
# 1 real second = 10 simulated minutes; tick 100 ms (1 min), takeover grace 1.5 s (15 min),
# heartbeats 500 ms. Weekday hours (winter): APAC 23:00-08:00Z, EMEA 08:00-17:00Z, AMER
# 13:00-23:00Z. Every site names its receiving team (apac-desk, emea-desk, amer-desk), and lee is
# on call in the gaps (roster "desk"). Users are made through user.new at the hub.
#   Monday 05:00Z  P1 and P3 opened at APAC, the only site on duty.
#   05:25Z         APAC's node killed (-9) mid-shift. Within the grace the hub gives the P1 to
#                  lee, on call (and pages lee); it records the P1's response breach at its due
#                  time and escalates the P3 (APAC's hours) when its L1.5 time is up.
#   06:40Z         APAC restarted: it takes nothing back, records no breach or escalation again;
#                  every node holds the same state; `handover taken APAC` lists the P1.
#   08:00Z         EMEA's shift: the hub hands the P1 on, EMEA's node gives it to an on-duty
#                  emea-desk agent (amy or bob, never aaron of AMER or abe of another team).
#   09:30-10:20Z   EMEA's node frozen (SIGSTOP): the hub records its P2's breach and takes the
#                  P1 for lee; thawed: one breach shown everywhere, equal digests, the P1 not
#                  taken back.
#   13:00Z         AMER's shift: the hub hands the P1 on, to cho. A P3 handed by hand from EMEA
#                  to AMER at 14:00Z: the note's due times are the ticket's; cho gets it.
#   Saturday 10:00Z (cluster restarted on a new clock) a P1 at EMEA pages lee, who acknowledges
#                  it within its target.
# All along, a watcher checks that no open follow-the-sun ticket is without an on-duty owner
# site that is up, or the person on call, for longer than the grace.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"
unset SUNDESK_AUTHOR SUNDESK_TOKEN

speed=600
grace_ms=1500
export SD_TICK_MS=100 SD_TAKEOVER_GRACE_MS=$grace_ms SD_HANDOVER_TEAMS=1 SD_ONCALL_MEMBERS=lee
export CONVERGE_SECONDS=30
min=60000
sim_grace=$((grace_ms * speed))

# clock START_ISO: the shared accelerated clock reads START_ISO 4 s from now.
clock() {
    start_iso=$1
    start_ms=$(date -u -d "$start_iso" +%s%3N)
    origin_ms=$(($(date +%s%3N) + 4000))
    export SD_CLOCK_START=$start_iso SD_CLOCK_SPEED=$speed SD_CLOCK_ORIGIN_MS=$origin_ms
}
# The simulated time now, Unix ms.
sim_now() { echo $((start_ms + ($(date +%s%3N) - origin_ms) * speed)); }
get() { call "$1" ticket.get "{\"id\": \"$2\"}" 2>/dev/null; }
# f FIELD: a field of the JSON object on stdin ("" for null).
f() { /usr/bin/python3 -c "import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print('' if v is None else v)" "$1"; }
# until_field NODE ID FIELD VALUE: waits (15 s) until NODE sees ticket ID's FIELD = VALUE.
s_is() { [ "$(get "$1" "$2" | f "$3")" = "$4" ]; }
until_field() { within 15 s_is "$@" || { echo "  $1: $2 $3 = '$(get "$1" "$2" | f "$3")', wanted '$4'"; return 1; }; }
s_stop_all() {
    [ -n "${watch_pid:-}" ] && kill "$watch_pid" 2>/dev/null
    s_stop_cluster
    [ "$failed" -eq 0 ] || for n in hub apac emea; do echo "== $n.log"; grep -a "scheduler\|error" "$dir/c/$n.log" | tail -8; done
}
LIB_BEFORE_RM=s_stop_all

# The watcher: every 0.3 s, the open follow-the-sun tickets at the hub. A ticket is covered when
# its owner site is up and on duty, when the hub holds it for the person on call (owner_site
# HUB, owner = its oncall), or, in a gap, when the on-call person has been paged. A stretch
# uncovered longer than the grace (plus two ticks and a heartbeat of slack) is a failure, written
# to $dir/uncovered. Nodes that are down are files in $dir/down.
watch() {
    /usr/bin/python3 - "$dir" "$start_ms" "$origin_ms" "$speed" "$((sim_grace + 7 * min))" <<'EOF' &
import json, os, sys, time, msgpack, zmq
d, start, origin, speed, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
hours = {"APAC": [(23, 24), (0, 8)], "EMEA": [(8, 17)], "AMER": [(13, 23)]}
def on_duty(site, ms):
    t = time.gmtime(ms / 1000)
    for a, b in hours.get(site, []):
        if a <= t.tm_hour < b:
            # APAC's Monday starts Sunday 23:00Z; its Friday ends Saturday 08:00Z (never here)
            wd = (t.tm_wday + (1 if site == "APAC" and a == 23 else 0)) % 7
            if wd < 5:
                return True
    return False
ctx = zmq.Context()
first = {}
while True:
    now = start + (int(time.time() * 1000) - origin) * speed
    s = ctx.socket(zmq.DEALER); s.setsockopt(zmq.LINGER, 0)
    s.connect("ipc://%s/c/hub/sundesk.sock" % d)
    s.send(msgpack.packb({"v": 1, "id": 1, "op": "ticket.list", "args": {"limit": 200}}))
    if s.poll(3000):
        r = msgpack.unpackb(s.recv(), raw=False)
        down = set(os.listdir(d + "/down")) if os.path.isdir(d + "/down") else set()
        for t in (r.get("result") or {}).get("tickets", []):
            if not t.get("follow_sun") or t["status"] not in ("new", "acknowledged", "assigned", "in_progress"):
                continue
            site = t["owner_site"]
            covered = (site.lower() not in down and on_duty(site, now)) or \
                (site == "HUB" and t.get("owner") and t.get("owner") == t.get("oncall")) or \
                (not any(on_duty(x, now) for x in hours) and t.get("oncall") and t.get("paged_at"))
            if covered:
                first.pop(t["id"], None)
            else:
                first.setdefault(t["id"], now)
                if now - first[t["id"]] > limit:
                    with open(d + "/uncovered", "a") as out:
                        out.write("%s owner %s/%s uncovered since %s (sim ms), now %s\n" % (
                            t["id"], site, t.get("owner"), first[t["id"]], now))
                    first[t["id"]] = now
    s.close()
    time.sleep(0.3)
EOF
    watch_pid=$!
}

clock 2026-03-02T04:30:00Z
cluster start || { bad "cluster did not start"; finish; exit 1; }
mkdir -p "$dir/down"
# The people: two EMEA agents of emea-desk, and three who must never receive EMEA's tickets.
user() { at hub user new "$1" --name "$1" --home-site "$2" --teams "$3" --role agent --sites "$2" >/dev/null || bad "user new $1"; }
user amy EMEA emea-desk
user bob EMEA emea-desk
user aaron AMER emea-desk # the team, but AMER's
user abe EMEA other-desk  # EMEA, another team
user cho AMER amer-desk
user li APAC apac-desk
user lee EMEA oncall # on call
at hub user new ann --name ann --home-site EMEA --teams emea-desk --role requester >/dev/null ||
    bad "user new ann"
converged 0 && ok || bad "users did not reach every node"
watch

wait_sim 2026-03-02T05:00:00Z
p1=$(call apac ticket.new '{"title": "Core router down", "requester": "noc@example.com", "impact": 1, "urgency": 1}' | f id)
p3=$(call apac ticket.new '{"title": "Printer jam", "requester": "ann@example.com", "impact": 3, "urgency": 3}' | f id)
[ -n "$p1" ] && [ -n "$p3" ] && ok || { bad "tickets not created at APAC"; finish; exit 1; }
[ "$(get apac "$p1" | f follow_sun)" = True ] && [ "$(get apac "$p3" | f follow_sun)" = False ] &&
    ok || bad "P1 follows the sun, P3 does not"
due=$(get apac "$p1" | f response_due)

# APAC dies mid-shift (nobody else is on duty before 08:00Z).
wait_sim 2026-03-02T05:25:00Z
apac_pid=$(cat "$dir/c/apac.pid")
killed=$(sim_now)
kill -9 "$apac_pid" && gone "$apac_pid" && touch "$dir/down/apac" && ok || bad "APAC not killed"
until_field hub "$p1" owner lee && ok || bad "the hub did not give the P1 to lee, on call"
t=$(get hub "$p1")
[ "$(f owner_site <<<"$t")" = HUB ] && [ "$(f handover_from <<<"$t")" = APAC ] &&
    [ "$(f oncall <<<"$t")" = lee ] && ok || bad "takeover: $(f owner_site <<<"$t") from $(f handover_from <<<"$t"), paged $(f oncall <<<"$t")"
taken_at=$(f handover_at <<<"$t")
[ $((taken_at - killed)) -le $((sim_grace + 10 * min)) ] && ok ||
    bad "taken $(((taken_at - killed) / min)) simulated minutes after the kill (grace $((sim_grace / min)))"
[[ "$(f handover_note <<<"$t")" == *"APAC unreachable and no other site on duty: the hub gives it to lee, on call"* ]] &&
    ok || bad "the takeover note does not say why: $(f handover_note <<<"$t")"

# The hub keeps APAC's clocks: the P1's response breach at its due time, the P3's escalation.
until_field hub "$p1" sla_state breached && ok || bad "the hub did not record the P1's breach"
# breaches ID NODE: "count author hlc_ms sla_at" of the breach events NODE's ticket.history shows.
breaches() {
    call "$2" ticket.history "{\"id\": \"$1\"}" | /usr/bin/python3 -c "
import json, sys
e = [x for x in json.load(sys.stdin)['events'] if x['op'] == 'sla' and x['fields'].get('sla_state') == 'breached']
print(len(e), e[0]['author'] if e else '-', (e[0]['hlc'] >> 16) if e else 0, e[0]['fields']['sla_at'] if e else 0)"
}
read -r n by when _ <<<"$(breaches "$p1" hub)"
[ "$n" = 1 ] && [ "$by" = scheduler@HUB ] && ok || bad "breach at the hub: $n by $by"
[ "$(get hub "$p1" | f sla_at)" = "$due" ] && ok || bad "sla_at is not the due time $due"
[ "$when" -ge "$due" ] && [ $((when - due)) -le $((5 * min)) ] && ok ||
    bad "breach recorded $(((when - due) / 1000)) simulated s after the due time"
p3_created=$(get hub "$p3" | f created_at)
until_field hub "$p3" tier L2 && ok || bad "the hub did not escalate APAC's P3 to L2"
[ "$(get hub "$p3" | f tier_since)" = $((p3_created + 80 * min)) ] && ok ||
    bad "P3's L2 tier_since $(get hub "$p3" | f tier_since), wanted created + 80 min"

# APAC returns: nothing taken back, nothing recorded twice, the same state everywhere.
wait_sim 2026-03-02T06:40:00Z
apac_log_lines=$(wc -l <"$dir/c/apac.log")
cluster start && rm -f "$dir/down/apac" && ok || bad "APAC did not restart"
converged 2 && ok || bad "nodes did not converge after APAC returned"
for n in hub apac emea amer; do
    read -r k _ _ _ <<<"$(breaches "$p1" $n)"
    [ "$k" = 1 ] && [ "$(get $n "$p1" | f owner)" = lee ] && [ "$(get $n "$p1" | f owner_site)" = HUB ] &&
        ok || bad "$n: $k breaches shown, owner $(get $n "$p1" | f owner)@$(get $n "$p1" | f owner_site)"
done
tail -n +"$((apac_log_lines + 1))" "$dir/c/apac.log" | grep -a "scheduler: id=APAC" | grep -aq "op=sla\|op=escalate\|op=handover" &&
    bad "APAC decided again after it returned: $(tail -n +"$((apac_log_lines + 1))" "$dir/c/apac.log" | grep -a 'scheduler:' | head -3)" || ok
for n in hub apac; do
    metric_is $n sundesk_sla_breaches_total -eq 1 && ok || bad "$n: breached tickets counted"
done
taken=$(at apac handover taken APAC)
[[ "$taken" == *"$p1"*"APAC -> HUB"*"received by lee"* ]] && ok || bad "handover taken APAC: $taken"
tail -n +"$((apac_log_lines + 1))" "$dir/c/apac.log" | grep -aq "caught up.*sundesk handover taken APAC" &&
    ok || bad "APAC's log does not point to what was taken"

# EMEA's shift: the hub hands the P1 on, EMEA's node gives it to amy or bob.
until_field hub "$p1" owner_site EMEA && ok || bad "the hub did not hand the P1 to EMEA at 08:00Z"
within 15 s_is hub "$p1" team emea-desk
t=$(get hub "$p1")
emea_agent=$(f assignee <<<"$t")
case $emea_agent in amy | bob) ok ;; *) bad "EMEA gave the P1 to '$emea_agent' (owner $(f owner <<<"$t"))" ;; esac
[ "$(f owner <<<"$t")" = "$emea_agent" ] && ok || bad "the owner is not the receiving agent"
[[ "$(f handover_note <<<"$t")" == *"HUB held it for the person on call"* ]] && ok ||
    bad "the hub's note: $(f handover_note <<<"$t")"

# Both decide one breach: EMEA's node frozen (SIGSTOP) at 09:30Z with a P2 of EMEA's due at
# 10:00Z; the hub records the warning and the breach (and takes the P1 for lee: AMER starts at
# 13:00Z). Thawed at 10:20Z: if EMEA's node ticks before it reads what the hub sent meanwhile,
# it decides the breach again with the same values (usually it reads first: a real partition is
# what makes both act, test_takeover proves that case). Every node shows one breach, at its due
# time, the same digest, and the P1 stays with lee.
wait_sim 2026-03-02T09:00:00Z
p2=$(call emea ticket.new '{"title": "VPN down for sales", "requester": "ann@example.com", "impact": 1, "urgency": 2}' | f id)
p2_due=$(get emea "$p2" | f response_due)
wait_sim 2026-03-02T09:30:00Z
emea_pid=$(cat "$dir/c/emea.pid")
kill -STOP "$emea_pid" && touch "$dir/down/emea" && ok || bad "EMEA not frozen"
until_field hub "$p2" sla_state breached && ok || bad "the hub did not record the P2's breach"
until_field hub "$p1" owner lee && ok || bad "the hub did not take the P1 from frozen EMEA for lee"
wait_sim 2026-03-02T10:20:00Z
kill -CONT "$emea_pid" && rm -f "$dir/down/emea" && ok || bad "EMEA not thawed"
converged 3 && ok || bad "nodes did not converge after EMEA thawed"
both=0
grep -aq "id=$p2 op=sla .*target missed" "$dir/c/hub.log" && grep -aq "id=$p2 op=sla .*target missed" "$dir/c/emea.log" && both=1
[ $both = 1 ] && ok || echo "  (EMEA caught up before its first tick: only the hub recorded the P2's breach)"
for n in hub apac emea amer; do
    read -r k _ _ at <<<"$(breaches "$p2" $n)"
    [ "$k" = 1 ] && [ "$at" = "$p2_due" ] && ok || bad "$n: $k breaches of the P2 shown, at $at, due $p2_due"
done
[ "$(get emea "$p1" | f owner_site)" = HUB ] && ok || bad "EMEA took the P1 back"

# A P3 opened at EMEA, handed by hand to AMER at 14:00Z: cho gets it; the note's due is the ticket's.
wait_sim 2026-03-02T13:30:00Z
p3e=$(call emea ticket.new '{"title": "VPN slow", "requester": "ann@example.com", "impact": 3, "urgency": 3}' | f id)
wait_sim 2026-03-02T14:00:00Z
at emea ticket handover "$p3e" --to AMER --note "AMER owns the VPN" >/dev/null && ok || bad "handover by hand"
until_field hub "$p3e" assignee cho && ok || bad "AMER did not give the P3 to cho"

# AMER's shift begins at 13:00Z: the hub hands the P1 on to AMER, whose node gives it to cho.
wait_sim 2026-03-02T13:00:00Z
until_field hub "$p1" owner_site AMER && ok || bad "the hub did not hand the P1 to AMER"
until_field hub "$p1" assignee cho && ok || bad "AMER did not give the P1 to cho"

# Every handover: the note's due times are the ticket's at that moment (minutes, UTC), and who
# received it is a person of the receiving site (the report's receiver).
report=$(call hub handover.report "{\"since\": $start_ms}")
for id in $p1 $p3e; do
    call hub ticket.history "{\"id\": \"$id\"}" >"$dir/h.$id"
done
/usr/bin/python3 - "$report" "$dir/h.$p1" "$dir/h.$p3e" "$p1" "$p3e" <<'EOF' && ok || bad "handover notes and receivers"
import json, re, sys, time
rep = json.loads(sys.argv[1])["handovers"]
home = {"amy": "EMEA", "bob": "EMEA", "cho": "AMER", "lee": "HUB"}
for path, id in ((sys.argv[2], sys.argv[4]), (sys.argv[3], sys.argv[5])):
    state = {}
    for e in json.load(open(path))["events"]:
        state.update(e["fields"])
        if e["op"] != "handover":
            continue
        note = e["fields"]["handover_note"]
        for clock, key in (("response", "response_due"), ("resolution", "resolve_due")):
            m = re.search(clock + r" due (\d{4}-\d\d-\d\d \d\d:\d\dZ)", note)
            if clock == "response" and not m:
                continue  # answered: the note gives the resolution only
            want = time.strftime("%Y-%m-%d %H:%MZ", time.gmtime(state[key] // 1000))
            assert m and m.group(1) == want, (id, clock, m and m.group(1), want, note)
    moves = [h for h in rep if h["id"] == id]
    assert moves, id
    for h in moves:
        assert h["receiver"] is None or home[h["receiver"]] == h["to"], h
    assert moves[-1]["receiver"] == ("cho"), moves[-1]
taken = [h for h in rep if h["taken"]]
assert [(h["id"], h["from"], h["to"], h["receiver"]) for h in taken] == [
    (sys.argv[4], "APAC", "HUB", "lee"), (sys.argv[4], "EMEA", "HUB", "lee")], taken
EOF
# Nobody was ever given a ticket who was not on duty: aaron, abe and ann hold none.
for u in aaron abe ann; do
    [ "$(call hub ticket.list "{\"assignee\": \"$u\"}" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["tickets"]))')" = 0 ] &&
        ok || bad "$u was given a ticket"
done

# The weekend: Saturday 10:00Z, no site on duty. A P1 at EMEA pages lee, who answers in time.
kill "$watch_pid" 2>/dev/null
cluster stop
clock 2026-03-07T09:40:00Z
cluster start || bad "the cluster did not start on Saturday"
watch
wait_sim 2026-03-07T10:00:00Z
w1=$(call emea ticket.new '{"title": "Site down", "requester": "noc@example.com", "impact": 1, "urgency": 1}' | f id)
until_field emea "$w1" oncall lee && ok || bad "the weekend P1 did not page lee"
t=$(get emea "$w1")
created=$(f created_at <<<"$t")
[ "$(f response_due <<<"$t")" = $((created + 60 * min)) ] && ok ||
    bad "the weekend P1's response is not due in one hour (7x24 with on call): $(f response_due <<<"$t")"
[ $(($(f paged_at <<<"$t") - created)) -le $((5 * min)) ] && ok || bad "lee paged late"
tok=$(at hub --json token new --user lee 2> >(grep -v '^(shown once' >&2) | f token)
within 10 call emea auth.whoami '{}' "$tok" >/dev/null
wait_sim 2026-03-07T10:20:00Z
call emea ticket.ack "{\"id\": \"$w1\"}" "$tok" >/dev/null && ok || bad "lee cannot acknowledge"
t=$(get emea "$w1")
[ "$(f acknowledged_at <<<"$t")" -lt "$(f response_due <<<"$t")" ] && [ "$(f sla_state <<<"$t")" = ok ] &&
    ok || bad "the weekend P1 was not answered in time: $(f sla_state <<<"$t")"
wait_sim 2026-03-07T11:30:00Z
[ "$(get hub "$w1" | f sla_state)" != breached ] && ok || bad "the answered weekend P1 breached"

kill "$watch_pid" 2>/dev/null
[ -s "$dir/uncovered" ] && bad "tickets left without an owner on duty or on call: $(cat "$dir/uncovered")" || ok
converged 5 && ok || bad "nodes did not converge at the end"
cluster stop
finish
