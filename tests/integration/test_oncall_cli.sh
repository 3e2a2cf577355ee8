#!/usr/bin/env bash
# test_oncall_cli.sh - on call in the gaps with a real sundeskd on a test clock (Saturday 2027-03-27):
# a weekend P1 pages the on-call person and is due within its 1 h target the same day; an
# override (a record) changes who is paged; `oncall now|list|cancel|ics` through the CLI; the
# coverage report shows the on-call spans, the true gaps, and a shift across the repeated
# autumn hour and the skipped spring hour as one interval of its real length.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

cat >"$dir/desk.zpl" <<EOT
node
    site = EMEA
schedule
    tick_ms = 50
    clock_start = 2027-03-27T10:00:00Z
    clock_speed = 120
    site
        name = EMEA
        zone = Europe/London
        hours = "mon-fri 08:00-17:00"
    site
        name = NIGHT
        zone = Europe/London
        hours = "sun 00:30-01:45"
    oncall
        name = desk
        zone = Europe/London
        members = "amy bob"
        handoff = "mon 09:00"
        start = 2027-03-01
EOT
"$bin/node/sundeskd" --check-config --config "$dir/desk.zpl" >/dev/null && ok || bad "check-config"
start_node --config "$dir/desk.zpl" || bad "node did not start"

# Week 3 of the rotation (from Monday 2027-03-22 09:00 London): bob.
out=$(sd oncall now --site EMEA)
has "on call bob" "$out"
[ "$(sd --json oncall now --site EMEA | json "d['on_call']")" = bob ] && ok || bad "oncall now --json"
# A weekend P1: due at 11:00Z the same Saturday, and bob is paged once.
id=$(sd ticket new --title "Core router down" --requester noc@example.com --impact 1 --urgency 1)
t=$(sd --json ticket show "$id")
created=$(echo "$t" | json "d['created_at']")
due=$(echo "$t" | json "d['response_due']")
[ $((due - created)) -eq 3600000 ] && ok || bad "response due $((due - created)) ms after creation"
paged() { [ "$(sd --json ticket show "$id" | json "d['oncall']")" = bob ]; }
within 10 paged && ok || bad "bob was not paged"
grep -q "scheduler: id=$id op=page to=\"bob\"" "$dir/node.log" && ok || bad "no page log line"
has "paged       bob (on call)" "$(sd ticket show "$id")"
first=$(sd --json ticket show "$id" | json "d['paged_at']")
# bob answers on Saturday, within the target.
expect_ok ticket ack "$id"
t=$(sd --json ticket show "$id")
[ "$(echo "$t" | json "d['acknowledged_at'] <= d['response_due']")" = True ] && ok || bad "answered late"
# 20 business minutes later (10 s at clock speed 120) the ticket escalates: ticks ran, in the gap.
escalated() { [ "$(sd --json ticket show "$id" | json "d['tier']")" = L1.5 ]; }
within 30 escalated && ok || bad "no escalation on Saturday business time"
[ "$(sd --json ticket show "$id" | json "d['paged_at']")" = "$first" ] && ok || bad "paged twice in one gap"
[ "$(grep -c "op=page" "$dir/node.log")" -eq 1 ] && ok || bad "more than one page logged"

# An override: eve covers the whole Saturday; the next P1 pages her; cancelling restores bob.
ov=$(sd oncall override desk eve --from 2027-03-27T00:00Z --until 2027-03-28T00:00Z --reason "swap with bob" \
     | awk 'NR==2 {print $1}')
[[ $ov == EMEA-O-* ]] && ok || bad "override id '$ov'"
has "on call eve" "$(sd oncall now --site EMEA)"
has "$ov" "$(sd oncall list --roster desk)"
id2=$(sd ticket new --title "Mail down" --requester noc@example.com --impact 1 --urgency 1)
paged_eve() { [ "$(sd --json ticket show "$id2" | json "d['oncall']")" = eve ]; }
within 10 paged_eve && ok || bad "eve was not paged"
expect_ok oncall cancel "$ov" --reason "bob is back"
has "on call bob" "$(sd oncall now --site EMEA)"
expect_fail "cancelled already" oncall cancel "$ov"
expect_fail "no roster 'nope'" oncall override nope eve --from 2027-03-27T00:00Z --until 2027-03-28T00:00Z
expect_fail "--until: must be after from" oncall override desk eve --from 2027-03-28T00:00Z \
    --until 2027-03-27T00:00Z
for verb in now list show override cancel ics; do
    sd oncall "$verb" --help | grep "^sundesk oncall $verb" >/dev/null && ok || bad "oncall $verb --help"
done

# The roster as iCalendar: the gaps of Monday 22 to Monday 29 March, one event per shift.
sd oncall ics desk --from 2027-03-22 --until 2027-03-29 >"$dir/desk.ics" && ok || bad "oncall ics"
head -1 "$dir/desk.ics" | grep -q "BEGIN:VCALENDAR" && ok || bad "not a calendar"
n=$(grep -c "BEGIN:VEVENT" "$dir/desk.ics")
[ "$n" -ge 5 ] && ok || bad "$n events"
grep -q "SUMMARY:On call: bob (desk)" "$dir/desk.ics" && ok || bad "no shift of bob"

# Coverage: the gaps are covered by the roster (no true gap). NIGHT's "sun 00:30-01:45" in
# London on 2027-10-31 runs from the first 00:30 (23:30Z) to the last 01:45 (01:45Z): one
# interval of 135 minutes, shown with both UTC offsets; on 2027-03-28 01:45 does not exist:
# 00:30Z to the jump at 01:00Z, 30 minutes.
cov=$(sd --json schedule coverage --from 2027-10-30 --days 2)
[ "$(echo "$cov" | json "d['true_gaps']")" = 0 ] && ok || bad "true gaps with a roster"
night=$(echo "$cov" | json "[i for i in d['intervals'] if i['sites'] == ['NIGHT']][0]")
[[ $night == *"'minutes': 135"* ]] && ok || bad "repeated hour: $night"
[[ $night == *"+01:00 - 2027-10-31 01:45 Sun +00:00"* ]] && ok || bad "offsets: $night"
gap=$(echo "$cov" | json "[i for i in d['intervals'] if not i['sites']][0]['oncall'][0]['login']")
[ -n "$gap" ] && ok || bad "no on-call span in a gap"
cov=$(sd --json schedule coverage --from 2027-03-27 --days 2)
night=$(echo "$cov" | json "[i for i in d['intervals'] if i['sites'] == ['NIGHT']][0]")
[[ $night == *"'minutes': 30"* ]] && ok || bad "skipped hour: $night"
has "on call" "$(sd schedule coverage --from 2027-03-27 --days 2)"
finish
