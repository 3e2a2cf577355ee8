#!/usr/bin/env bash
# test_metrics.sh - the opt-in Prometheus endpoint: loopback by default, counters that follow what
# the node does, only GET /metrics, and a port in use refused with one clear line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
port=$(free_port)
# fetch PATH [METHOD]: prints "STATUS BODY" from the node's HTTP endpoint.
fetch() {
    /usr/bin/python3 - "http://127.0.0.1:$port$1" "${2:-GET}" <<'EOT'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1], method=sys.argv[2])
try:
    with urllib.request.urlopen(req, timeout=5) as r:
        print(r.status, r.headers.get("Content-Type")); print(r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code); print(e.read().decode())
EOT
}
# metric_is NAME{LABELS} OP N: within 10 s a scrape shows the metric OP N (the text is rendered
# once a second, so a change shows up a little later).
s_metric_is() {
    local v
    v=$(fetch /metrics | awk -v m="$1" '$1 == m { print $2 }') && [ -n "$v" ] && [ "$v" "$2" "$3" ]
}
metric_is() { within 10 s_metric_is "$@"; }

printf 'node\n    site = OPS\nmetrics\n    port = %s\n' "$port" >"$dir/m.zpl"
start_node --config "$dir/m.zpl" || bad "node did not start"
grep "metrics: url=http://127.0.0.1:$port/metrics" "$dir/node.log" >/dev/null && ok ||
    bad "the metrics URL is not logged"
# Loopback only by default: the listening socket is 127.0.0.1, not 0.0.0.0.
if command -v ss >/dev/null; then
    ss -ltn | grep "127.0.0.1:$port " >/dev/null && ok || bad "metrics not bound to 127.0.0.1"
fi

out=$(fetch /metrics)
[[ $out == "200 text/plain; version=0.0.4"* ]] && ok || bad "content type: ${out%%$'\n'*}"
[[ $out == *'sundesk_info{site="OPS",role="site",version="'* ]] && ok || bad "no sundesk_info"
[[ $out == *"# TYPE sundesk_requests_total counter"* ]] && ok || bad "no TYPE line"
[[ $out != *"sundesk_replication_"* ]] && ok || bad "replication metrics without replication"

for i in 1 2 3; do sd ticket new --title "m $i" --requester r@example.com >/dev/null; done
sd ticket show OPS-999999 >/dev/null 2>&1
metric_is 'sundesk_tickets{status="new"}' -eq 3 && ok || bad "tickets{new} is not 3"
metric_is sundesk_writes_total -eq 3 && ok || bad "writes_total is not 3"
metric_is sundesk_request_errors_total -ge 1 && ok || bad "the refused show is not counted"
metric_is sundesk_sla_breaches_total -eq 0 && ok || bad "breaches on a fresh node"

[[ $(fetch /other) == 404* ]] && ok || bad "GET /other is not 404"
[[ $(fetch /metrics POST) == 405* ]] && ok || bad "POST /metrics is not 405"

# A second node wanting the same port fails at start with one line; the first keeps serving.
printf 'node\n    site = OPS2\nmetrics\n    port = %s\n' "$port" >"$dir/m2.zpl"
err=$("$bin/node/sundeskd" --data "$dir/d2" --config "$dir/m2.zpl" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && [[ $err == *"metrics: cannot serve on 127.0.0.1 port $port"* ]] && ok ||
    bad "port in use: rc=$rc $err"
metric_is 'sundesk_tickets{status="new"}' -eq 3 && ok || bad "the first node stopped serving"
stop_node && ok || bad "clean stop"
finish
