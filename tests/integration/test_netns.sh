#!/usr/bin/env bash
# test_netns.sh - hub + three regions as separate hosts: one network namespace per node, each
# region joined to the hub by its own veth link (a star). Proves replication across real
# links, then cuts one region's link while every region keeps writing, checks that the cut
# really isolates it, restores the link and checks that everyone converges again.
#
#   sudo SD_BIN=/path/to/build bash tests/integration/test_netns.sh
#
# Needs root and iproute2; skipped (exit 77) otherwise, or where `ip netns add` is refused.
# Everything lives in namespaces named after this script's pid; nothing touches the host's
# interfaces or routes. Addresses are fixed (10.249.K.0/30) since no two runs share a namespace.
set -uo pipefail
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root to create network namespaces"; exit 77; }
command -v ip >/dev/null || { echo "skipped: ip (iproute2) not found"; exit 77; }
. "$(dirname "$0")/lib.sh"
# Without this, SIGINT/SIGTERM would skip the EXIT trap and leave namespaces and nodes behind.
trap 'exit 130' INT TERM HUP

nodes="hub apac emea amer" regions="apac emea amer"
declare -A site=([hub]=HUB [apac]=APAC [emea]=EMEA [amer]=AMER)
declare -A link=([apac]=1 [emea]=2 [amer]=3)
declare -A ns=([hub]=sdhub$$ [apac]=sdapac$$ [emea]=sdemea$$ [amer]=sdamer$$)
made=""
declare -A pid
s_teardown() {
    local n p
    # Only processes inside our own namespaces are ours, so those are the ones to stop.
    for n in $made; do
        for p in $(ip netns pids "$n" 2>/dev/null); do kill -TERM "$p" 2>/dev/null; done
    done
    for _ in $(seq 50); do
        p=$(for n in $made; do ip netns pids "$n" 2>/dev/null; done)
        [ -z "$p" ] && break
        sleep 0.1
    done
    # Reaped inside the block so that bash's "Killed" job notices go nowhere.
    {
        for n in $made; do for p in $(ip netns pids "$n"); do kill -9 "$p"; done; done
        for p in "${pid[@]}"; do wait "$p"; done
    } 2>/dev/null
    [ "$failed" -eq 0 ] || for n in $nodes; do echo "== $n.log"; tail -5 "$dir/$n.log" 2>/dev/null; done
    # Deleting a namespace destroys its veth ends and with them their peers.
    for n in $made; do ip netns del "$n" 2>/dev/null; done
}
LIB_BEFORE_RM=s_teardown
ip netns add "${ns[hub]}" 2>/dev/null || { echo "skipped: ip netns add not permitted"; exit 77; }
made=${ns[hub]}

now_ms() { date +%s%3N; }
# Polls CMD ARGS until it succeeds or SECS of wall time pass: the bound must hold even when
# every CLI call is slow because a node hangs.
wait_until() {
    local end=$(($(now_ms) + $1 * 1000))
    until "${@:2}" 2>/dev/null; do [ "$(now_ms)" -lt $end ] || return 1; sleep 0.1; done
}
# Stops the test when what follows would only pile up timeouts.
need() { [ "$failed" -eq 0 ] || { echo "giving up: $*"; finish; exit 1; }; }
# A short CLI timeout, so one hung node cannot eat the time budget.
at() { "$bin/tools/sundesk" --data "$dir/$1" --timeout 2000 "${@:2}"; }
js() { /usr/bin/python3 -c "import json,sys; d = json.load(sys.stdin); print($1)"; }
count() { at "$1" --json node status | js "sum(d['tickets'].values())"; }
digest() { at "$1" --json node digest | js "d['digest']"; }
new_at() { at "$1" ticket new --title "$2" --requester user@example.com >/dev/null || bad "new at $1"; }
has() { [ "$(count "$1")" = "$2" ]; }
all_have() { local n; for n in "${@:2}"; do has "$n" "$1" || return 1; done; }
same() { # N: every node holds N tickets and every digest is the hub's
    local d0 n
    d0=$(digest hub) && all_have "$1" $nodes || return 1
    for n in $nodes; do [ "$(digest $n)" = "$d0" ] || return 1; done
}
converged() { # N SECS
    wait_until "$2" same "$1" && return 0
    for n in $nodes; do echo "  $n: $(count $n) tickets, digest $(digest $n)"; done
    return 1
}
peer_up() { # NODE SITE: NODE's repl status shows SITE as connected
    at "$1" --json repl status | /usr/bin/python3 -c "import json,sys
st = [p['connected'] for p in json.load(sys.stdin)['peers'] if p['site'] == sys.argv[1]]
sys.exit(0 if st == [True] else 1)" "$2"
}
peer_down() { ! peer_up "$@"; }

echo "== namespaces and links"
for r in $regions; do ip netns add "${ns[$r]}" && made="$made ${ns[$r]}" || bad "ip netns add ${ns[$r]}"; done
need "namespaces"
for n in $nodes; do ip -n "${ns[$n]}" link set lo up || bad "lo up in ${ns[$n]}"; done
for r in $regions; do
    k=${link[$r]}
    # Created inside the hub's namespace with the peer end born in the region's: no host names.
    ip -n "${ns[hub]}" link add "to-$r" type veth peer name to-hub netns "${ns[$r]}" &&
        ip -n "${ns[hub]}" addr add "10.249.$k.1/30" dev "to-$r" &&
        ip -n "${ns[$r]}" addr add "10.249.$k.2/30" dev to-hub &&
        ip -n "${ns[hub]}" link set "to-$r" up &&
        ip -n "${ns[$r]}" link set to-hub up || bad "link hub-$r"
done
# A star: a region routes to the hub's end of its own link and to nothing else, so all
# region-to-region traffic has to pass through the hub node.
ip -n "${ns[apac]}" route get 10.249.1.1 >/dev/null 2>&1 && ok || bad "apac has no route to the hub"
ip -n "${ns[apac]}" route get 10.249.2.2 >/dev/null 2>&1 && bad "apac has a route to emea" || ok
need "links"

echo "== keys, configs, nodes"
mkdir -p "$dir/keys" "$dir/certs"
for n in $nodes; do
    role=site; [ $n = hub ] && role=hub
    "$bin/tools/sundesk" keygen $n --site "${site[$n]}" --role $role --dir "$dir/keys" >/dev/null &&
        cp "$dir/keys/$n.cert" "$dir/certs/" || bad "keygen $n"
done
ep() { printf '%s    pub = tcp://%s:7101\n%s    sync = tcp://%s:7102\n' "$1" "$2" "$1" "$2"; }
for n in $nodes; do
    {
        printf 'node\n    site = %s\n    role = %s\n' "${site[$n]}" "$([ $n = hub ] && echo hub || echo site)"
        printf 'replication\n    cert = %s\n    certs = %s\n' "$dir/keys/$n.cert" "$dir/certs"
        if [ $n = hub ]; then ep "" 0.0.0.0; else ep "" "10.249.${link[$n]}.2"; fi
        printf '    heartbeat_ms = 500\n'
        if [ $n = hub ]; then
            for r in $regions; do
                printf '    upstream\n        cert = %s\n' "$dir/certs/$r.cert"
                ep "    " "10.249.${link[$r]}.2"
            done
        else
            printf '    upstream\n        cert = %s\n' "$dir/certs/hub.cert"
            ep "    " "10.249.${link[$n]}.1"
        fi
    } >"$dir/$n.zpl"
    # ip netns exec execs the command itself, so $! is sundeskd's own pid.
    ip netns exec "${ns[$n]}" "$bin/node/sundeskd" --data "$dir/$n" --config "$dir/$n.zpl" \
        >>"$dir/$n.log" 2>&1 &
    pid[$n]=$!
done
# The CLI reaches each node through the ipc socket in its data dir, from the host's namespace:
# a unix socket is bound to the file system, not to the network namespace.
pings() { local n; for n; do at $n node ping >/dev/null || return 1; done; }
wait_until 10 pings $nodes && ok ||
    bad "not answering: $(for n in $nodes; do pings $n 2>/dev/null || echo -n "$n "; done)"
need "nodes did not start"
t0=$(now_ms)
for r in $regions; do wait_until 10 peer_up hub "${site[$r]}" && ok || bad "hub never saw $r connected"; done
need "regions did not connect"
echo "   all regions connected to the hub after $(($(now_ms) - t0)) ms"

echo "== replication across the links"
for i in 1 2 3; do for r in $regions; do new_at $r "$r $i"; done; done
converged 9 30 && ok || bad "tickets of every region reach every node"
need "no replication"

echo "== EMEA's link cut"
ip -n "${ns[hub]}" link set to-emea down || bad "cannot take to-emea down"
# Three missed heartbeats (1.5 s) mark a peer disconnected.
wait_until 5 peer_down hub EMEA && ok || bad "hub still sees EMEA connected"
wait_until 5 peer_down emea HUB && ok || bad "EMEA still sees the hub connected"
need "the cut is not seen"
for i in 1 2 3; do for r in $regions; do new_at $r "$r while emea cut $i"; done; done
# The others must still replicate among themselves; only then is EMEA's silence meaningful.
wait_until 15 all_have 15 hub apac amer && ok ||
    bad "hub, apac, amer hold $(count hub), $(count apac), $(count amer) tickets, not 15"
sleep 2
has emea 12 && ok || bad "EMEA has $(count emea) tickets while cut, not its own 12"
has hub 15 && ok || bad "hub has $(count hub) tickets while EMEA is cut, not 15"

echo "== EMEA's link restored"
ip -n "${ns[hub]}" link set to-emea up || bad "cannot bring to-emea up"
t0=$(now_ms)
# No reconnect is needed: the TCP connections survive the cut and resume at the next
# retransmission; the first heartbeat across makes each side ask for what it missed.
converged 18 45 && ok || bad "no convergence after the link came back"
echo "   converged $(($(now_ms) - t0)) ms after the link came back"
wait_until 5 peer_up hub EMEA && ok || bad "hub does not show EMEA connected again"
wait_until 5 peer_up emea HUB && ok || bad "EMEA does not show the hub connected again"
at hub repl status | sed 's/^/   /'

echo "== shutdown"
gone() { ! kill -0 "$1" 2>/dev/null; }
for n in $nodes; do kill -TERM "${pid[$n]}"; done
for n in $nodes; do
    if wait_until 10 gone "${pid[$n]}"; then
        wait "${pid[$n]}" && ok || bad "$n exited with status $?"
    else
        bad "$n ignored SIGTERM"
    fi
done
finish
