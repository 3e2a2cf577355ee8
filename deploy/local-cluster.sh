#!/usr/bin/env bash
# local-cluster.sh - a hub and three regions (APAC, EMEA, AMER) replicating over CURVE on 127.0.0.1.
#
#   deploy/local-cluster.sh start DIR    generate keys and configs (once), start the nodes not
#                                        running (again: the dead and zombie ones)
#   deploy/local-cluster.sh status DIR   each node's state, console URL and replication status
#   deploy/local-cluster.sh stop DIR [NODE...]   stop them, or only the NODEs named (hub, apac,
#                                        emea, amer): SIGTERM, then wait; leaves no process
#
# A node's state comes from its pid file (DIR/NODE.pid) and /proc/PID/stat, never from kill -0:
#   running  the pid is a sundeskd on DIR/NODE, not stopped
#   stopped  it is stopped (SIGSTOP, state T): start and status report it and leave it stopped
#            (a test may have frozen it on purpose; kill -CONT PID resumes it), never wait on
#            it; stop sends SIGTERM and SIGCONT, so it ends as a running node does
#   zombie   it has exited, its parent has not reaped it yet (state Z): start starts it again
#   dead     the pid file names no process, or one that is no longer this node: start starts it
#            again
#   down     no pid file (never started, or stopped by stop)
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
# Every node gets the same follow-the-sun schedule (site calendars below). Read on every start
# and written into every config (a node already running keeps what it started with until it is
# stopped and started; start says so): SD_TICK_MS, SD_TAKEOVER_GRACE_MS, and for tests only an
# accelerated clock, SD_CLOCK_START (e.g. 2026-03-02T06:00:00Z), SD_CLOCK_SPEED (default 1),
# SD_CLOCK_ORIGIN_MS (Unix ms at which every node's clock reads SD_CLOCK_START; default 0: when
# each node starts), written together. A setting not given keeps the configs' value (at first:
# tick 1000, grace 30000, the real clock); SD_CLOCK_START=off goes back to the real clock.
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
    if [ "$(node_state "$1")" = running ]; then
        url=$("$bin/tools/sundesk" --data "$dir/$1" --timeout 3000 --json node status 2>/dev/null |
              /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("http") or "")' 2>/dev/null)
        echo "${url:-none (no HTTP: see $dir/$1.log)}"
        return
    fi
    p=$(awk '/^http$/ { in_http = 1; next } /^[^ ]/ { in_http = 0 } in_http && $1 == "port" { print $3 }' "$dir/$1.zpl")
    echo "http://127.0.0.1:${p:-7480}/"
}

# The desk's schedule: working hours that hand over around the clock on weekdays (in winter:
# APAC 23:00-08:00Z, EMEA 08:00-17:00Z, AMER 13:00-23:00Z), the same on every node.
# Its tick, grace and clock are settings(), put in on every start.
# Set when the configs are first written: SD_HANDOVER_TEAMS=1 names each site's receiving team
# (handover_team = apac-desk, emea-desk, amer-desk); SD_ONCALL_MEMBERS="lee kai" adds an on-call
# roster "desk" for every site in the gaps (London, handoff Monday 09:00, weekly from 2026-01-05).
schedule() {
    printf 'schedule\n'
    printf '    site\n        name = APAC\n        zone = Asia/Shanghai\n'
    printf '        hours = "mon-fri 07:00-16:00"\n        holidays = "2026-01-01 2026-10-01"\n'
    team apac
    printf '    site\n        name = EMEA\n        zone = Europe/London\n'
    printf '        hours = "mon-fri 08:00-17:00"\n        holidays = "2026-12-25 2026-12-28"\n'
    team emea
    printf '    site\n        name = AMER\n        zone = America/New_York\n'
    printf '        hours = "mon-fri 08:00-18:00"\n        holidays = "2026-11-26 2026-12-25"\n'
    team amer
    [ -z "${SD_ONCALL_MEMBERS:-}" ] ||
        printf '    oncall\n        name = desk\n        zone = Europe/London\n        members = "%s"\n        handoff = "mon 09:00"\n        start = 2026-01-05\n' \
            "$SD_ONCALL_MEMBERS"
}
team() { [ "${SD_HANDOVER_TEAMS:-}" != 1 ] || printf '        handover_team = %s-desk\n' "$1"; }

# The value of KEY ($2) in the schedule section of config $1 (nothing when it has none).
cfg_get() {
    awk -v k="$2" '/^[^ #]/ { in_s = ($1 == "schedule"); next }
                   in_s && /^    [a-z_]+ = / && $1 == k { print $3 }' "$1"
}

# The schedule keys the environment sets, as lines for config $1: each SD_* given replaces its
# key, one not given keeps the config's value (header).
settings() {
    local f=$1 v k
    v=${SD_TICK_MS:-$(cfg_get "$f" tick_ms)}
    printf '    tick_ms = %s\n' "${v:-1000}"
    v=${SD_TAKEOVER_GRACE_MS:-$(cfg_get "$f" takeover_grace_ms)}
    printf '    takeover_grace_ms = %s\n' "${v:-30000}"
    case ${SD_CLOCK_START:-} in
    off) ;;
    "") for k in clock_start clock_speed clock_origin_ms; do
            v=$(cfg_get "$f" "$k")
            [ -z "$v" ] || printf '    %s = %s\n' "$k" "$v"
        done ;;
    *) printf '    clock_start = %s\n    clock_speed = %s\n    clock_origin_ms = %s\n' \
           "$SD_CLOCK_START" "${SD_CLOCK_SPEED:-1}" "${SD_CLOCK_ORIGIN_MS:-0}" ;;
    esac
}

# Writes settings() into every config, right under `schedule`; prints the nodes whose config
# changed.
apply_settings() {
    local n f
    for n in "${nodes[@]}"; do
        f="$dir/$n.zpl"
        SD_SETTINGS=$(settings "$f") awk '
            /^[^ #]/ { in_s = ($1 == "schedule"); print; if (in_s) print ENVIRON["SD_SETTINGS"]; next }
            in_s && /^    [a-z_]+ = / && $1 ~ /^(tick_ms|takeover_grace_ms|clock_start|clock_speed|clock_origin_ms)$/ { next }
            { print }' "$f" >"$f.new"
        if cmp -s "$f" "$f.new"; then rm -f "$f.new"; else mv "$f.new" "$f"; echo "$n"; fi
    done
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

pid_of() { cat "$dir/$1.pid" 2>/dev/null; }

# The state of node $1 (header): running, stopped, zombie, dead or down.
node_state() {
    local pid stat comm st
    [ -f "$dir/$1.pid" ] || { echo down; return; }
    pid=$(pid_of "$1")
    if ! [[ $pid =~ ^[0-9]+$ ]] || ! stat=$(cat "/proc/$pid/stat" 2>/dev/null); then
        echo dead
        return
    fi
    # pid (comm) state ...: comm may hold blanks and parentheses, the state follows the last ')'.
    comm=${stat#*(}
    comm=${comm%)*}
    st=${stat##*) }
    st=${st%% *}
    [ "$comm" = sundeskd ] || { echo dead; return; }
    case $st in
    Z | X) echo zombie; return ;; # a zombie has no command line left to check
    esac
    # A pid reused by another node's sundeskd is not this node.
    [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"--data $dir/$1 "* ]] ||
        { echo dead; return; }
    case $st in
    T | t) echo stopped ;;
    *) echo running ;;
    esac
}

# What status and start say of a node that is not running.
state_line() {
    case $2 in
    stopped) echo "stopped (pid $(pid_of "$1"), SIGSTOP): left stopped; kill -CONT $(pid_of "$1") resumes it" ;;
    zombie) echo "zombie (pid $(pid_of "$1") exited, not yet reaped): start starts it again" ;;
    dead) echo "dead (pid $(pid_of "$1") is gone): start starts it again" ;;
    *) echo "not running" ;;
    esac
}

start() {
    local n st changed
    setup
    changed=" $(apply_settings | tr '\n' ' ')"
    for n in "${nodes[@]}"; do
        st=$(node_state "$n")
        case $st in
        running | stopped) continue ;;
        zombie | dead) echo "$n: $st (pid $(pid_of "$n")): starting it again" ;;
        esac
        "$bin/node/sundeskd" --data "$dir/$n" --config "$dir/$n.zpl" >>"$dir/$n.log" 2>&1 &
        echo $! >"$dir/$n.pid"
        changed=${changed/ $n / }
    done
    for n in "${nodes[@]}"; do
        for _ in $(seq 100); do
            st=$(node_state "$n")
            [ "$st" = running ] || break
            "$bin/tools/sundesk" --data "$dir/$n" --timeout 1000 node ping >/dev/null 2>&1 && break
            sleep 0.1
        done
        case $st in
        running) ;;
        stopped) echo "$n: $(state_line "$n" stopped)"; continue ;;
        *) echo "$n did not start; see $dir/$n.log" >&2; tail -3 "$dir/$n.log" >&2; exit 1 ;;
        esac
        echo "$n: running (pid $(pid_of "$n"), data $dir/$n, console $(http_url "$n"))"
        [[ $changed == *" $n "* ]] &&
            echo "$n: its config changed, but it runs with what it started with; stop and start $n to take it"
    done
    return 0
}

stop() {
    local n st pid list=("$@")
    [ ${#list[@]} -gt 0 ] || list=("${nodes[@]}")
    for n in "${list[@]}"; do
        [ -n "${site[$n]:-}" ] || { echo "unknown node '$n' (known: ${nodes[*]})" >&2; exit 2; }
        st=$(node_state "$n")
        if [ "$st" = running ] || [ "$st" = stopped ]; then
            pid=$(pid_of "$n")
            # It may have exited since: nothing to signal then.
            kill -TERM "$pid" 2>/dev/null || true
            [ "$st" != stopped ] || kill -CONT "$pid" 2>/dev/null || true
            for _ in $(seq 100); do
                case $(node_state "$n") in running | stopped) sleep 0.1 ;; *) break ;; esac
            done
            case $(node_state "$n") in running | stopped) kill -9 "$pid" 2>/dev/null || true ;; esac
            echo "$n: stopped"
        fi
        rm -f "$dir/$n.pid"
    done
}

status() {
    local n st
    for n in "${nodes[@]}"; do
        echo "== $n  console $(http_url "$n")"
        st=$(node_state "$n")
        if [ "$st" = running ]; then
            "$bin/tools/sundesk" --data "$dir/$n" --timeout 3000 repl status ||
                echo "running (pid $(pid_of "$n")), but no answer within 3 s"
        else
            state_line "$n" "$st"
        fi
    done
}

case "$cmd" in
start) start ;;
stop) stop "${@:3}" ;;
status) status ;;
*) usage ;;
esac
