#!/usr/bin/env bash
# quickstart.sh - installs, builds, and starts a whole desk on this machine: a hub and three regions
# (APAC, EMEA, AMER) replicating over CURVE on 127.0.0.1, data in ./sundesk-cluster. Then it shows
# tickets recorded in each region reaching the hub's global view and the other regions, one ticket
# worked across regions through the seed-001 workflow, and the replication status. It ends with the
# hub's web console URL and a first login (desk.manager, a fresh password, also kept in
# ./sundesk-cluster/first-login.txt). The nodes keep running: stop them with
# `bash deploy/local-cluster.sh stop ./sundesk-cluster`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/deps.sh"
echo "building sundesk in $root/build (log: $root/build.log) ..."
if ! BUILD_DIR="$root/build" "$root/deploy/build.sh" >"$root/build.log" 2>&1; then
    tail -20 "$root/build.log"; echo "sundesk: the build failed; see $root/build.log" >&2; exit 1
fi
desk=${SUNDESK_CLUSTER:-$PWD/sundesk-cluster}
SD_BIN="$root/build" bash "$root/deploy/local-cluster.sh" start "$desk"
# People: root on this machine is each node's bootstrap admin. It makes one desk user per site
# (users replicate like tickets) and an API token for each; from then on every step is done by
# that site's person, with their token, and the history shows who did what where.
declare -A agent=([hub]=desk.manager [apac]=li.lei [emea]=olga.k [amer]=joe.m)
declare -A full=([hub]="Desk Manager" [apac]="Li Lei" [emea]="Olga Kowalska" [amer]="Joe Martinez")
declare -A token
as_root() { "$root/build/tools/sundesk" --data "$desk/$1" "${@:2}"; }
for node in hub apac emea amer; do
    role=agent
    [ "$node" = hub ] && role=manager
    as_root "$node" user show "${agent[$node]}" >/dev/null 2>&1 ||
        as_root "$node" user new "${agent[$node]}" --name "${full[$node]}" --role "$role" \
            --home-site "${node^^}" >/dev/null
    token[$node]=$(as_root "$node" token new --user "${agent[$node]}" --name quickstart)
done
at() { "$root/build/tools/sundesk" --data "$desk/$1" --token "${token[$1]}" "${@:2}"; }
# step TITLE NODE ARGS: shows the command as a user would type it, then runs it.
step() {
    printf '\n\033[1m== %s\033[0m\n$ sundesk --data %s %s\n' "$1" "${desk#"$PWD"/}/$2" "${*:3}"
    at "$2" "${@:3}"
}
# wait_for NODE ID [STATUS]: until NODE holds ticket ID (in STATUS). Replication takes
# milliseconds; allow 10 s.
wait_for() {
    for _ in $(seq 100); do
        got=$(at "$1" --json ticket show "$2" 2>/dev/null |
              /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' 2>/dev/null) &&
            [ -z "${3:-}" ] || [ "$got" = "${3:-}" ] && return 0
        sleep 0.1
    done
    echo "sundesk: $2 did not reach $1 ${3:+as $3 }within 10 s; see $desk/*.log" >&2; return 1
}

printf '\n\033[1m== 1. each region records a request from its own users\033[0m\n'
a=$(at apac ticket new --title "VPN drops every 10 minutes" --requester wang.fang@example.com \
    --channel phone --category network --impact 2 --urgency 1)
e=$(at emea ticket new --title "Cannot print to the 3rd-floor printer" \
    --requester ann.smith@example.com --channel email --category hardware/printer --impact 3 --urgency 2)
m=$(at amer ticket new --title "Payroll app: login fails for the whole team" \
    --requester joe.diaz@example.com --channel web --category apps --impact 1 --urgency 1)
echo "APAC recorded $a, EMEA recorded $e, AMER recorded $m"
for id in "$a" "$e" "$m"; do wait_for hub "$id"; done
step "2. the hub's global view: every region's tickets, a moment later" hub ticket list
step "3. APAC tells its customer the request is accepted, with a reply promise" apac ticket ack "$a"
wait_for emea "$a" acknowledged
step "4. EMEA sees APAC's ticket too (through the hub) and routes it to its network team" \
    emea ticket assign "$a" olga.k --team network --tier L2
at emea ticket start "$a" >/dev/null
at emea ticket comment "$a" "Tunnel renegotiates on the EMEA gateway; fixing the timer." >/dev/null
step "   EMEA resolves it" emea ticket resolve "$a" "Raised the IKE lifetime on the EMEA gateway."
wait_for apac "$a" resolved
step "5. back in APAC, the agent sees EMEA's work and closes with the customer" \
    apac ticket close "$a" 5 --feedback "Stable since this morning"
step "   its full report (card, timings against the SLA targets, history with each site)" \
    apac ticket report "$a"
# Every region's heartbeat reaches the hub within a second of the start; wait for them.
for _ in $(seq 50); do
    at hub --json repl status | /usr/bin/python3 -c \
        'import json,sys; sys.exit(not all(p["connected"] for p in json.load(sys.stdin)["peers"]))' &&
        break
    sleep 0.1
done
step "6. replication health at the hub: one line per region" hub repl status
step "7. the hub node's own status" hub node status
# A first login for the browser: the hub's manager gets a fresh password (each run makes a new
# one; the node keeps only its hash). Admin too, so the console can add the other people.
as_root hub user grant "${agent[hub]}" admin >/dev/null
password=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_urlsafe(12))')
set_password() { printf '%s\n' "$password" | as_root hub user passwd "${agent[hub]}" --password-stdin >/dev/null; }
for try in $(seq 20); do  # password checks are rate limited (busy): retry
    set_password 2>/dev/null && break
    [ "$try" -lt 20 ] || set_password  # the last try shows why, and stops the script
    sleep 0.5
done
console=$(as_root hub --json node status | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin).get("http") or "")')
# A hub whose port was taken serves no HTTP (its log says so); say it rather than a wrong URL.
[ -n "$console" ] || console="(none: the hub serves no HTTP; see $desk/hub.log)"
(umask 077; printf 'console  %s\nlogin    %s\npassword %s\n' "$console" "${agent[hub]}" "$password" >"$desk/first-login.txt")
cat <<EOT

The desk keeps running (logs: $desk/*.log).

Open the hub's web console:  $console
  login:    ${agent[hub]}
  password: $password      (kept in $desk/first-login.txt; another user's: sundesk --data $desk/hub user passwd LOGIN)
Every node has its own console: bash $root/deploy/local-cluster.sh status $desk

Next, from the shell:
  export PATH=$root/build/tools:$root/build/node:\$PATH
  sundesk --data $desk/amer ticket new --title "..." --requester you@example.com
  sundesk --data $desk/hub ticket list               # a moment later, at the hub
  curl -s http://127.0.0.1:$((${SD_PORT_BASE:-7100} + 3))/metrics | head   # the hub's Prometheus metrics
  bash $root/deploy/local-cluster.sh status $desk    # every node's replication
  bash $root/deploy/local-cluster.sh stop $desk      # stop all four
EOT
