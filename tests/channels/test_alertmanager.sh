#!/usr/bin/env bash
# test_alertmanager.sh - monitoring opens and closes its own tickets, with a real
# prometheus-alertmanager (Debian's, its own config and storage, on loopback) posting its webhook
# to a real node: a firing alert opens one ticket per alert (severity critical -> P1), repeats
# (repeat_interval) and an HA twin's copy change nothing, resolved resolves the ticket, a flap
# within alerts/flap_window reopens the same ticket, a ticket a person answered publicly stays
# open with a note; the door refuses bad bodies (400 with the reason), other users' tokens (403),
# no token (401) and bodies over 512 KB (413). Then PagerDuty Events v2 with curl: trigger,
# acknowledge, resolve, a trigger without dedup_key, and bad events.
set -uo pipefail
here=$(dirname "$0")
. "$here/../integration/lib.sh"
. "$here/alerts_lib.sh"

port=$(free_port)
url="http://127.0.0.1:$port"
cat >"$dir/desk.zpl" <<EOF2
node
    site = SHA
http
    port = $port
alerts
    flap_window = 600
    severity_warning = 3,2
    source
        name = prom
        kind = alertmanager
        user = prom
        category = monitoring
    source
        name = pd
        kind = pagerduty
        user = pd
        routing_key = R0123456789
EOF2
start_node --config "$dir/desk.zpl" || bad "node did not start"
token_of() { sd --json token new --user "$1" | sed -n 's/.*"token":"\(sdt_[0-9a-f]*\)".*/\1/p'; }
for u in prom pd li; do sd user new "$u" --name "$u" --role agent >/dev/null; done
prom=$(token_of prom) pd=$(token_of pd) li=$(token_of li)
[ -n "$prom" ] && [ -n "$pd" ] && ok || bad "no tokens"

am_start "$url" "$prom" && ok || { bad "alertmanager did not start"; cat "$dir/am/am.log"; finish; exit; }

# Two alerts firing: two tickets, of the monitoring channel, critical -> P1, warning -> 3,2 = P4.
am_fire DiskFull db1 critical
am_fire HighLoad web1 warning
s_two() { [ "$(sd --json alert list --state firing | grep -o '"key"' | wc -l)" = 2 ]; }
within 30 s_two && ok || bad "two alerts did not fire: $(sd alert list)"
disk=$(alert_key "DiskFull on db1") load=$(alert_key "HighLoad on web1")
t_disk=$(alert_field "$disk" ticket) t_load=$(alert_field "$load" ticket)
[ -n "$t_disk" ] && [ -n "$t_load" ] && [ "$t_disk" != "$t_load" ] && ok ||
    bad "tickets '$t_disk' '$t_load'"
check "tickets" "$(ticket_count)" 2
check "channel" "$(ticket_field "$t_disk" channel)" monitoring
check "priority of critical" "$(ticket_field "$t_disk" priority)" P1
check "priority of warning" "$(ticket_field "$t_load" priority)" P4
check "category" "$(ticket_field "$t_disk" category)" monitoring
check "requester" "$(ticket_field "$t_disk" requester)" prom
check "title" "$(ticket_field "$t_disk" title)" "DiskFull on db1"
has "instance=db1" "$(ticket_field "$t_disk" description)"
has "DiskFull fired on db1" "$(ticket_field "$t_disk" description)"

# Repeats: Alertmanager sends the firing groups again every 3 s; nothing changes.
sent=$(am_sent)
s_resent() { [ "$(am_sent)" -ge $((sent + 2)) ]; }
within 30 s_resent && ok || bad "alertmanager did not repeat ($(am_sent) after $sent)"
check "tickets after repeats" "$(ticket_count)" 2
check "fires after repeats" "$(alert_field "$disk" fires)" 1
# An HA twin's copy of a group: the same webhook posted again by another Alertmanager.
body='{"version":"4","status":"firing","receiver":"desk","groupKey":"{}:{alertname=\"DiskFull\"}",
 "truncatedAlerts":0,"groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am2:9093",
 "alerts":[{"status":"firing","labels":{"alertname":"DiskFull","instance":"db1","severity":"critical"},
 "annotations":{"summary":"DiskFull on db1"},"startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z",
 "generatorURL":"","fingerprint":"'"$disk"'"}]}'
code=$(curl -s -o "$dir/out" -w '%{http_code}' -H "Authorization: Bearer $prom" -H 'Content-Type: application/json' \
    -d "$body" "$url/api/v1/alerts/alertmanager")
check "HA twin" "$code" 200
has "\"ticket\":\"$t_disk\"" "$(cat "$dir/out")"
check "tickets after the twin" "$(ticket_count)" 2

# Resolved: no person replied, so the ticket is resolved.
am_resolve DiskFull db1
s_resolved() { [ "$(alert_field "$disk" state)" = resolved ]; }
within 30 s_resolved && ok || bad "DiskFull not resolved: $(sd alert show "$(alert_field "$disk" id)")"
check "ticket of a recovered alert" "$(ticket_field "$t_disk" status)" resolved
has "Recovered" "$(ticket_field "$t_disk" resolution)"
check "the other one" "$(ticket_field "$t_load" status)" new

# A flap: firing again within the window reopens the same ticket.
am_fire DiskFull db1 critical
s_refired() { [ "$(alert_field "$disk" state)" = firing ]; }
within 30 s_refired && ok || bad "DiskFull did not fire again"
check "same ticket after the flap" "$(alert_field "$disk" ticket)" "$t_disk"
check "reopened" "$(ticket_field "$t_disk" status)" in_progress
check "reopen count" "$(ticket_field "$t_disk" reopen_count)" 1
check "fires" "$(alert_field "$disk" fires)" 2
check "tickets after the flap" "$(ticket_count)" 2

# A person answered HighLoad's requester: its recovery leaves it open, with an internal note.
sd --token "$li" ticket comment "$t_load" --public "Looking into it." >/dev/null 2>&1 ||
    curl -s -o /dev/null -H "Authorization: Bearer $li" -H 'Content-Type: application/json' \
        -d '{"body":"Looking into it.","public":true}' "$url/api/v1/tickets/$t_load/comments"
[ "$(ticket_field "$t_load" first_response_at)" != 0 ] && ok || bad "no public reply recorded"
am_resolve HighLoad web1 warning
s_load_resolved() { [ "$(alert_field "$load" state)" = resolved ]; }
within 30 s_load_resolved && ok || bad "HighLoad not resolved"
check "answered ticket stays open" "$(ticket_field "$t_load" status)" new
has "stays open" "$(json ticket show "$t_load" -- "d['comments'][-1]['body']")"
check "the note is internal" "$(json ticket show "$t_load" -- "d['comments'][-1]['public']")" False

# The door's refusals.
post() { # post PATH TOKEN BODY -> the status; the body in $dir/out
    curl -s -o "$dir/out" -w '%{http_code}' ${2:+-H "Authorization: Bearer $2"} \
        -H 'Content-Type: application/json' --data-binary "$3" "$url$1"
}
AM=/api/v1/alerts/alertmanager PDE=/api/v1/alerts/events
check "no token" "$(post $AM "" "$body")" 401
check "another user's token" "$(post $AM "$li" "$body")" 403
check "a pagerduty source on the alertmanager door" "$(post $AM "$pd" "$body")" 403
check "version 3" "$(post $AM "$prom" '{"version":"3","alerts":[]}')" 400
has "version" "$(cat "$dir/out")"
check "unknown top-level key" "$(post $AM "$prom" '{"version":"4","alerts":[],"shape":"other"}')" 400
has "unknown key 'shape'" "$(cat "$dir/out")"
check "an alert without fingerprint" "$(post $AM "$prom" '{"version":"4","alerts":[{"status":"firing"}]}')" 400
has "alerts[0].fingerprint" "$(cat "$dir/out")"
check "an alert status" "$(post $AM "$prom" '{"version":"4","alerts":[{"status":"pending","fingerprint":"x"}]}')" 400
check "not JSON" "$(post $AM "$prom" '{"version":')" 400
python3 -c 'import json; print(json.dumps({"version":"4","alerts":[],"receiver":"x"*600000}))' >"$dir/big.json"
check "over 512 KB" "$(curl -s -o "$dir/out" -w '%{http_code}' -H "Authorization: Bearer $prom" \
    -H 'Content-Type: application/json' --data-binary @"$dir/big.json" "$url$AM")" 413
check "tickets after the refusals" "$(ticket_count)" 2
# Texts the node's fields cannot hold as sent: a summary on two lines becomes one line, a
# description over 8192 bytes is cut with a visible "…" (never silently).
python3 - "$dir/long.json" <<'EOP'
import json, sys
alert = {"status": "firing", "fingerprint": "long-1", "labels": {"alertname": "Long", "severity": "info"},
         "annotations": {"summary": "第一行\nsecond line", "description": "日志" * 3000}}
json.dump({"version": "4", "alerts": [alert]}, open(sys.argv[1], "w"))
EOP
check "a long alert" "$(curl -s -o "$dir/out" -w '%{http_code}' -H "Authorization: Bearer $prom" \
    -H 'Content-Type: application/json' --data-binary @"$dir/long.json" "$url$AM")" 200
t_long=$(alert_field long-1 ticket)
check "one-line title" "$(ticket_field "$t_long" title)" "第一行 second line"
check "description cut visibly" "$(json ticket show "$t_long" -- "(len(d['description'].encode()) <= 8192, d['description'][-1])")" "(True, '…')"
check "tickets with the long one" "$(ticket_count)" 3

# PagerDuty Events v2.
pdev() { echo "{\"routing_key\":\"R0123456789\",\"event_action\":\"$1\"${2:+,\"dedup_key\":\"$2\"}${3:-}}"; }
payload=',"payload":{"summary":"Disk full on db9","source":"db9","severity":"critical","custom_details":{"free":"1%"}},"client":"nagios","client_url":"http://nagios.example/db9"'
check "trigger" "$(post $PDE "$pd" "$(pdev trigger db9/disk "$payload")")" 202
has '"status":"success"' "$(cat "$dir/out")"
has '"dedup_key":"db9/disk"' "$(cat "$dir/out")"
t_pd=$(alert_field db9/disk ticket)
[ -n "$t_pd" ] && ok || bad "the trigger opened no ticket"
check "pd priority" "$(ticket_field "$t_pd" priority)" P1
check "trigger again" "$(post $PDE "$pd" "$(pdev trigger db9/disk "$payload")")" 202
check "tickets after the repeat" "$(ticket_count)" 4
check "acknowledge" "$(post $PDE "$pd" "$(pdev acknowledge db9/disk)")" 202
check "acknowledged ticket" "$(ticket_field "$t_pd" status)" acknowledged
check "alert state" "$(alert_field db9/disk state)" acknowledged
check "resolve" "$(post $PDE "$pd" "$(pdev resolve db9/disk)")" 202
check "resolved ticket" "$(ticket_field "$t_pd" status)" resolved
check "trigger without dedup_key" "$(post $PDE "$pd" "$(pdev trigger "" "$payload")")" 202
made=$(sed -n 's/.*"dedup_key":"\([0-9a-f]*\)".*/\1/p' "$dir/out")
[ ${#made} = 32 ] && [ -n "$(alert_field "$made" ticket)" ] && ok || bad "no dedup_key made: $(cat "$dir/out")"
check "no summary" "$(post $PDE "$pd" "$(pdev trigger k1 ',"payload":{"source":"a","severity":"info"}')")" 400
has "payload.summary" "$(cat "$dir/out")"
check "bad severity" "$(post $PDE "$pd" "$(pdev trigger k1 ',"payload":{"summary":"s","source":"a","severity":"fatal"}')")" 400
has "payload.severity" "$(cat "$dir/out")"
check "bad action" "$(post $PDE "$pd" "$(pdev escalate k1)")" 400
check "images not an array" "$(post $PDE "$pd" "$(pdev resolve k1 ',"images":"x.png"')")" 400
has "body.images" "$(cat "$dir/out")"
check "resolve without dedup_key" "$(post $PDE "$pd" "$(pdev resolve)")" 400
check "wrong routing key" "$(post $PDE "$pd" '{"routing_key":"R9","event_action":"resolve","dedup_key":"k"}')" 400
check "unknown key" "$(post $PDE "$pd" '{"routing_key":"R0123456789","event_action":"resolve","dedup_key":"k","extra":1}')" 400
check "alertmanager's token on the pagerduty door" "$(post $PDE "$prom" "$(pdev resolve db9/disk)")" 403
check "tickets at the end" "$(ticket_count)" 5

# The CLI shows them.
has "DiskFull on db1" "$(sd alert list)"
has "$t_disk" "$(sd alert show "$(alert_field "$disk" id)")"
am_stop
stop_node && ok || bad "node did not stop cleanly"
finish
