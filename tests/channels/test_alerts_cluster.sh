#!/usr/bin/env bash
# test_alerts_cluster.sh - monitoring alerts when the hub is down (issue 17): a real
# prometheus-alertmanager posts to the APAC site's node while the hub is stopped; the alerts open
# tickets there, one recovers and its ticket is resolved; the hub comes back and every node (hub,
# APAC, EMEA, AMER) converges: the same tickets, the same alerts, equal digests.
set -uo pipefail
here=$(dirname "$0")
. "$here/../integration/lib.sh"
. "$here/../integration/cluster_lib.sh"
. "$here/alerts_lib.sh"
# Both the cluster and Alertmanager go on exit.
s_stop_all() { am_stop; s_stop_cluster; }
LIB_BEFORE_RM=s_stop_all

cluster start && ok || bad "cluster did not start"
# APAC's node takes its region's alerts: a source in its config, its user and token.
printf 'alerts\n    source\n        name = prom-apac\n        kind = alertmanager\n        user = prom\n        category = monitoring\n' \
    >>"$dir/c/apac.zpl"
bash "$root/deploy/local-cluster.sh" stop "$dir/c" apac >/dev/null && cluster start && ok ||
    bad "APAC did not restart with its alerts source"
at apac user new prom --name "Prometheus APAC" --role agent >/dev/null && ok || bad "user at APAC"
token=$(at apac --json token new --user prom 2>/dev/null | sed -n 's/.*"token":"\(sdt_[0-9a-f]*\)".*/\1/p')
[ -n "$token" ] && ok || bad "no token"
apac_url=$(at apac --json node status | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["http"].rstrip("/"))')

# The hub down: APAC's node alone takes the alerts.
pid=$(cat "$dir/c/hub.pid"); kill -TERM "$pid"; gone "$pid"
# The sites are alerted through the node of their own region (the same as "sd" on APAC here).
sd() { at apac "$@"; }
am_start "$apac_url" "$token" && ok || { bad "alertmanager did not start"; cat "$dir/am/am.log"; finish; exit; }
am_fire DiskFull db1 critical
am_fire LinkDown sw3 warning
s_two() { [ "$(at apac --json alert list --state firing | grep -o '"key"' | wc -l)" = 2 ]; }
within 30 s_two && ok || bad "the alerts did not reach APAC: $(at apac alert list)"
check "tickets at APAC" "$(count apac)" 2
disk=$(alert_key "DiskFull on db1") link=$(alert_key "LinkDown on sw3")
t_disk=$(alert_field "$disk" ticket) t_link=$(alert_field "$link" ticket)
[[ $t_disk == APAC-* ]] && [[ $t_link == APAC-* ]] && ok || bad "tickets '$t_disk' '$t_link'"
am_resolve LinkDown sw3 warning
s_link_resolved() { [ "$(alert_field "$link" state)" = resolved ]; }
within 30 s_link_resolved && ok || bad "LinkDown did not resolve at APAC"
check "recovered ticket at APAC" "$(ticket_field "$t_link" status)" resolved
# Repeats while the hub is away change nothing.
sent=$(am_sent)
s_resent() { [ "$(am_sent)" -ge $((sent + 1)) ]; }
within 30 s_resent && ok || bad "alertmanager did not repeat"
check "tickets after repeats" "$(count apac)" 2

# The hub back: every node holds the same tickets and alerts.
cluster start
converged 2 && ok || bad "the nodes did not converge after the hub returned"
for n in $nodes; do
    view=$(at "$n" --json alert list | /usr/bin/python3 -c 'import json,sys
print(sorted((a["key"], a["state"], a["ticket"]) for a in json.load(sys.stdin)))')
    check "alerts at $n" "$view" "$(sd --json alert list | /usr/bin/python3 -c 'import json,sys
print(sorted((a["key"], a["state"], a["ticket"]) for a in json.load(sys.stdin)))')"
    check "$t_link at $n" "$(at "$n" --json ticket show "$t_link" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" resolved
done
am_stop
finish
