#!/usr/bin/env bash
# test_upgrade.sh - a store written by schema "2" (tests/node/data/store-v2, made by its make.sh
# with the code of that schema) is upgraded on first start by replaying its event log (one log
# line), then served unchanged by the sundeskd under test, takes new writes, and keeps all of it
# across a restart (which upgrades nothing again).
#
# The node runs on the fixture's node.zpl: site APAC, no replication, and a test clock standing
# in simulated time after every SLA target of the fixture, so nothing in the expected outputs
# depends on the time now: every field is compared (no field is ignored).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
fixture=$(cd "$(dirname "$0")/../node/data/store-v2" && pwd)
expected=$fixture/expected
mkdir -p "$data"
cp "$fixture/data.mdb" "$data/"
cp "$fixture/node.zpl" "$dir/node.zpl"
# same FILE ARGS...: `sundesk --json ARGS` prints the JSON in FILE (compared as JSON values).
same() {
    local out
    out=$(sd --json "${@:2}" 2>&1) || { bad "sundesk ${*:2}: $out"; return 1; }
    /usr/bin/python3 - "$1" "$out" <<'EOF' || { bad "sundesk ${*:2} differs from $1"; return 1; }
import json, sys
want = json.load(open(sys.argv[1]))
got = json.loads(sys.argv[2])
# The report's "changes" (what each update changed) came after the fixture was made; the rest of
# the report must be as the old version wrote it.
if isinstance(got, dict) and "changes" in got and "changes" not in want:
    del got["changes"]
# So did each handover's "taken" and "receiver" (section 8, a silent site).
for h in got.get("handovers", []) if isinstance(got, dict) else []:
    for k in ("taken", "receiver"):
        if not any(k in w for w in want.get("handovers", [])):
            h.pop(k, None)
if got != want:
    if isinstance(got, dict) and isinstance(want, dict):
        for k in sorted(set(got) | set(want)):
            if got.get(k) != want.get(k):
                print("  %s: got %s, want %s" % (k, json.dumps(got.get(k)), json.dumps(want.get(k))))
    else:
        print("  got  %s\n  want %s" % (json.dumps(got), json.dumps(want)))
    sys.exit(1)
EOF
    ok
}
ids=$(/usr/bin/python3 -c "import json,sys; print(' '.join(t['id'] for t in json.load(open(sys.argv[1]))))" \
    "$expected/list.json")
# Every expected output of the fixture but the tickets in $1 (ids the test changed).
check_fixture() {
    local id
    [ "$(sd --json node ping | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['site'])")" = \
        "$(cat "$expected/site")" ] && ok || bad "the node is not site $(cat "$expected/site")"
    for id in $ids; do
        [[ " $1 " == *" $id "* ]] && continue
        same "$expected/get-$id.json" ticket show "$id"
        same "$expected/history-$id.json" ticket report "$id"
    done
    same "$expected/handovers.json" handover report --since 0 --limit 1000
}

start_node --config "$dir/node.zpl" && ok || bad "sundeskd did not start on the schema-2 store"
# The upgrade says so in one line (the log is the truth: the events are replayed into the new tables).
upgraded() { grep -c "store upgraded: schema=2->3 events=" "$dir/node.log"; }
[ "$(upgraded)" = 1 ] && ok || bad "want one 'store upgraded' log line, got $(upgraded)"
check_fixture ""
same "$expected/list.json" ticket list --limit 1000
got=$(sd --json node status | /usr/bin/python3 -c "import json,sys; print(json.dumps(json.load(sys.stdin)['tickets'], sort_keys=True))")
[ "$got" = "$(cat "$expected/status-tickets.json")" ] && ok || bad "node status counts $got"

# New writes: a ticket (the next APAC id) and a step on an old ticket, and a comment on one the
# hub made.
new=$(sd ticket new --title "After the upgrade" --requester gus@example.com) && ok ||
    bad "a new ticket is refused"
[ "$new" = APAC-000006 ] && ok || bad "the new ticket got id '$new', want APAC-000006"
sd ticket ack APAC-000005 >/dev/null && ok || bad "ack of an old ticket is refused"
sd ticket comment HUB-000001 "Disks arrived" >/dev/null && ok || bad "comment on a hub ticket"
state() { sd --json ticket show "$1" | /usr/bin/python3 -c "import json,sys; t=json.load(sys.stdin); print(t['$2'])"; }
check_writes() {
    [ "$(state APAC-000005 status)" = acknowledged ] && ok || bad "APAC-000005 is not acknowledged"
    [ "$(state "$new" title)" = "After the upgrade" ] && ok || bad "$new lost its title"
    sd --json ticket report HUB-000001 | grep -q "Disks arrived" && ok || bad "the new comment is lost"
    [ "$(sd --json ticket list --limit 1000 | /usr/bin/python3 -c \
        "import json,sys; print(len(json.load(sys.stdin)))")" = 8 ] && ok || bad "list: not 8 tickets"
}
check_writes

# A restart keeps the old and the new.
stop_node && ok || bad "sundeskd did not stop cleanly"
start_node --config "$dir/node.zpl" && ok || bad "sundeskd did not restart"
[ "$(upgraded)" = 1 ] && ok || bad "the restart upgraded again ($(upgraded) 'store upgraded' lines)"
check_fixture "APAC-000005 HUB-000001"
check_writes
finish
