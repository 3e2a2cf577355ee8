# alerts_lib.sh - sourced by the monitoring alerts' tests (after tests/integration/lib.sh):
# a test-owned prometheus-alertmanager and helpers to feed it and to read the desk.
#
# am_start NODE_URL TOKEN: starts /usr/bin/prometheus-alertmanager with its own config and storage
# under $dir/am, on a free loopback port ($am_url), no cluster gossip, posting every group to
# NODE_URL/api/v1/alerts/alertmanager with TOKEN as its bearer credentials (send_resolved,
# group_wait and group_interval 1 s, repeat_interval 3 s); waits until it is ready. am_stop
# kills it (also on exit). am_fire NAME INSTANCE SEVERITY and am_resolve NAME INSTANCE post one
# alert to its API (POST /api/v2/alerts; resolved = endsAt in the past). am_sent prints how many
# webhook notifications it has sent (its own metric).
am_pid=""
am_stop() {
    [ -n "$am_pid" ] && kill "$am_pid" 2>/dev/null && wait "$am_pid" 2>/dev/null
    am_pid=""
}
LIB_BEFORE_RM=am_stop
am_start() {
    local node_url=$1 token=$2 port
    port=$(free_port)
    am_url="http://127.0.0.1:$port"
    mkdir -p "$dir/am/data"
    cat >"$dir/am/am.yml" <<EOC
route:
  receiver: desk
  group_by: ['alertname', 'instance']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 3s
receivers:
  - name: desk
    webhook_configs:
      - url: $node_url/api/v1/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: $token
EOC
    chmod 600 "$dir/am/am.yml"
    /usr/bin/prometheus-alertmanager --config.file="$dir/am/am.yml" \
        --storage.path="$dir/am/data" --web.listen-address="127.0.0.1:$port" \
        --cluster.listen-address= >>"$dir/am/am.log" 2>&1 &
    am_pid=$!
    within 20 curl -sf "$am_url/-/ready" -o /dev/null
}
s_am_post() {
    curl -sf -X POST -H 'Content-Type: application/json' "$am_url/api/v2/alerts" -d "$1" -o /dev/null
}
am_fire() {
    s_am_post "[{\"labels\":{\"alertname\":\"$1\",\"instance\":\"$2\",\"severity\":\"$3\"},
      \"annotations\":{\"summary\":\"$1 on $2\",\"description\":\"$1 fired on $2\"},
      \"generatorURL\":\"http://prometheus.example:9090/graph\"}]"
}
am_resolve() {
    local past
    past=$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)
    s_am_post "[{\"labels\":{\"alertname\":\"$1\",\"instance\":\"$2\",\"severity\":\"${3:-critical}\"},
      \"annotations\":{\"summary\":\"$1 on $2\",\"description\":\"$1 fired on $2\"},
      \"endsAt\":\"$past\"}]"
}
am_sent() {
    curl -s "$am_url/metrics" |
        awk '/^alertmanager_notifications_total\{integration="webhook"/ {n += $2} END {print n + 0}'
}

# The desk's view. alert_field KEY FIELD: FIELD of the alert of source prom with key KEY (as the
# node holds it, read with the CLI: alert list then the one whose key is KEY).
alert_field() {
    sd --json alert list --limit 1000 | /usr/bin/python3 -c "
import json, sys
for a in json.load(sys.stdin):
    if a.get('key') == sys.argv[1]:
        print(a.get(sys.argv[2]) or '')" "$1" "$2"
}
# The key (fingerprint) of the alert titled TITLE.
alert_key() {
    sd --json alert list --limit 1000 | /usr/bin/python3 -c "
import json, sys
for a in json.load(sys.stdin):
    if a.get('title') == sys.argv[1]:
        print(a['key'])" "$1"
}
ticket_field() { json ticket show "$1" -- "d.get('$2')"; }
ticket_count() { json ticket list --limit 1000 -- "len(d)"; }
