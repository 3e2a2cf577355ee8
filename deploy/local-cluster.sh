#!/usr/bin/env bash
# local-cluster.sh - a hub and three regions (APAC, EMEA, AMER) replicating over CURVE on 127.0.0.1.
#
#   deploy/local-cluster.sh start DIR    generate keys and configs (once), start the four nodes
#   deploy/local-cluster.sh status DIR   each node's console URL and replication status
#   deploy/local-cluster.sh stop DIR [NODE...]   stop them, or only the NODEs named (hub, apac,
#                                        emea, amer): SIGTERM, then wait; leaves no process
#
# Data dirs are DIR/hub, DIR/apac, DIR/emea, DIR/amer, so for example
#   sundesk --data DIR/apac ticket new --title ... --requester ...
#   sundesk --data DIR/hub ticket list
# Binaries come from $SD_BIN (a build directory), default build/ beside deploy/.
# Ports: SD_PORT_BASE (default 7100): hub 7101/7102, apac 7111/7112, emea 7121/7122, amer 7131/7132
# (publisher/sync), and each node's Prometheus metrics on 127.0.0.1 at +3: hub 7103, apac 7113...
# HTTP (the API and the web console) on 127.0.0.1: SD_HTTP_BASE + 0..3 (hub, apac, emea, amer),
# default 7480..7483; when only SD_PORT_BASE is set (parallel test clusters), at +4: hub BASE+4,
# apac BASE+14... A directory set up before nodes served HTTP gets its http section on start.
# Every node gets the same follow-the-sun schedule (site calendars below). Read when the configs
# are first written: SD_TICK_MS, SD_TAKEOVER_GRACE_MS, and for tests only an accelerated clock,
# SD_CLOCK_START (e.g. 2026-03-02T06:00:00Z), SD_CLOCK_SPEED, SD_CLOCK_ORIGIN_MS (Unix ms at
# which every node's clock reads SD_CLOCK_START).
set -euo pipefail
usage() { echo "usage: $0 start|status DIR, or $0 stop DIR [NODE...]" >&2; exit 2; }
[ $# -eq 2 ] || { [ $# -gt 2 ] && [ "$1" = stop ]; } || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SD_BIN:-$root/build}
base=${SD_PORT_BASE:-7100}
nodes=(hub apac emea amer)
declare -A site=([hub]=HUB [apac]=APAC [emea]=EMEA [amer]=AMER)
declare -A slot=([hub]=0 [apac]=1 [emea]=2 [amer]=3)
pub() { echo "tcp://127.0.0.1:$((base + 10 * ${slot[$1]} + 1))"; }
sync_ep() { echo "tcp://127.0.0.1:$((base + 10 * ${slot[$1]} + 2))"; }
http_port() {
    if [ -n "${SD_HTTP_BASE:-}" ]; then echo $((SD_HTTP_BASE + ${slot[$1]}))
    elif [ -n "${SD_PORT_BASE:-}" ]; then echo $((base + 10 * ${slot[$1]} + 4))
    else echo $((7480 + ${slot[$1]})); fi
}
# The console's URL: what a running node says it serves (nothing when its port was taken), else
# the port its config gives it (whatever the environment says now).
http_url() {
    local p url
    if running "$1"; then
        url=$("$bin/tools/sundesk" --data "$dir/$1" --json node status 2>/dev/null |
              /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("http") or "")' 2>/dev/null)
        echo "${url:-none (no HTTP: see $dir/$1.log)}"
        return
    fi
    p=$(awk '/^http$/ { in_http = 1; next } /^[^ ]/ { in_http = 0 } in_http && $1 == "port" { print $3 }' "$dir/$1.zpl")
    echo "http://127.0.0.1:${p:-7480}/"
}

# The desk's schedule: working hours that hand over around the clock on weekdays (in winter:
# APAC 23:00-08:00Z, EMEA 08:00-17:00Z, AMER 13:00-23:00Z), the same on every node.
schedule() {
    printf 'schedule\n    tick_ms = %s\n    takeover_grace_ms = %s\n' "${SD_TICK_MS:-1000}" \
        "${SD_TAKEOVER_GRACE_MS:-30000}"
    if [ -n "${SD_CLOCK_START:-}" ]; then
        printf '    clock_start = %s\n    clock_speed = %s\n    clock_origin_ms = %s\n' \
            "$SD_CLOCK_START" "${SD_CLOCK_SPEED:-1}" "${SD_CLOCK_ORIGIN_MS:-0}"
    fi
    printf '    site\n        name = APAC\n        zone = Asia/Shanghai\n'
    printf '        hours = "mon-fri 07:00-16:00"\n        holidays = "2026-01-01 2026-10-01"\n'
    printf '    site\n        name = EMEA\n        zone = Europe/London\n'
    printf '        hours = "mon-fri 08:00-17:00"\n        holidays = "2026-12-25 2026-12-28"\n'
    printf '    site\n        name = AMER\n        zone = America/New_York\n'
    printf '        hours = "mon-fri 08:00-18:00"\n        holidays = "2026-11-26 2026-12-25"\n'
}

# Each node's HTTP section: the API and the console, on loopback.
http_section() { printf 'http\n    address = 127.0.0.1\n    port = %s\n' "$(http_port "$1")"; }

# Keys: one certificate per node; every node admits the four public certificates.
setup() {
    if [ -f "$dir/.ready" ]; then
        # Configs written before the nodes served HTTP would all take the default port.
        for n in "${nodes[@]}"; do grep -q '^http$' "$dir/$n.zpl" || http_section "$n" >>"$dir/$n.zpl"; done
        return 0
    fi
    mkdir -p "$dir/keys" "$dir/certs"
    for n in "${nodes[@]}"; do
        role=site; [ "$n" = hub ] && role=hub
        [ -f "$dir/keys/$n.cert" ] || "$bin/tools/sundesk" keygen "$n" --site "${site[$n]}" \
            --role "$role" --dir "$dir/keys" >/dev/null
        cp "$dir/keys/$n.cert" "$dir/certs/$n.cert"
    done
    for n in "${nodes[@]}"; do
        {
            printf 'node\n    site = %s\n    role = %s\n' "${site[$n]}" \
                "$([ "$n" = hub ] && echo hub || echo site)"
            printf 'replication\n    cert = %s\n    certs = %s\n    pub = %s\n    sync = %s\n' \
                "$dir/keys/$n.cert" "$dir/certs" "$(pub "$n")" "$(sync_ep "$n")"
            printf '    heartbeat_ms = 500\n'
            if [ "$n" = hub ]; then ups=(apac emea amer); else ups=(hub); fi
            for u in "${ups[@]}"; do
                printf '    upstream\n        cert = %s\n        pub = %s\n        sync = %s\n' \
                    "$dir/certs/$u.cert" "$(pub "$u")" "$(sync_ep "$u")"
            done
            printf 'metrics\n    port = %s\n' "$((base + 10 * ${slot[$n]} + 3))"
            http_section "$n"
            schedule
        } >"$dir/$n.zpl"
    done
    touch "$dir/.ready"
}

running() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

start() {
    setup
    for n in "${nodes[@]}"; do
        running "$n" && continue
        "$bin/node/sundeskd" --data "$dir/$n" --config "$dir/$n.zpl" >>"$dir/$n.log" 2>&1 &
        echo $! >"$dir/$n.pid"
    done
    for n in "${nodes[@]}"; do
        for _ in $(seq 100); do
            "$bin/tools/sundesk" --data "$dir/$n" node ping >/dev/null 2>&1 && break
            running "$n" || { echo "$n did not start; see $dir/$n.log" >&2; tail -3 "$dir/$n.log" >&2; exit 1; }
            sleep 0.1
        done
        echo "$n: running (pid $(cat "$dir/$n.pid"), data $dir/$n, console $(http_url "$n"))"
    done
}

stop() {
    local n list=("$@")
    [ ${#list[@]} -gt 0 ] || list=("${nodes[@]}")
    for n in "${list[@]}"; do
        [ -n "${site[$n]:-}" ] || { echo "unknown node '$n' (known: ${nodes[*]})" >&2; exit 2; }
        if running "$n"; then
            pid=$(cat "$dir/$n.pid")
            kill -TERM "$pid"
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
            echo "$n: stopped"
        fi
        rm -f "$dir/$n.pid"
    done
}

status() {
    for n in "${nodes[@]}"; do
        echo "== $n  console $(http_url "$n")"
        if running "$n"; then "$bin/tools/sundesk" --data "$dir/$n" repl status; else echo "not running"; fi
    done
}

case "$cmd" in
start) start ;;
stop) stop "${@:3}" ;;
status) status ;;
*) usage ;;
esac
