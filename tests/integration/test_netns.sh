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
. "$(dirname "$0")/cluster_lib.sh"
# Without this, SIGINT/SIGTERM would skip the EXIT trap and leave namespaces and nodes behind.
trap 'exit 130' INT TERM HUP

regions="apac emea amer"
declare -A site=([hub]=HUB [apac]=APAC [emea]=EMEA [amer]=AMER)
declare -A link=([apac]=1 [emea]=2 [amer]=3)
declare -A ns=([hub]=sdhub$$ [apac]=sdapac$$ [emea]=sdemea$$ [amer]=sdamer$$)
made=""
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
    for n in $made; do
        for p in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    done
    [ "$failed" -eq 0 ] || for n in $nodes; do echo "== $n.log"; tail -5 "$dir/$n.log" 2>/dev/null; done
    # Deleting a namespace destroys its veth ends and with them their peers.
    for n in $made; do ip netns del "$n" 2>/dev/null; done
}
LIB_BEFORE_RM=s_teardown
ip netns add "${ns[hub]}" 2>/dev/null || { echo "skipped: ip netns add not permitted"; exit 77; }
made=${ns[hub]}

# Polls CMD ARGS every 0.1 s for up to SECS seconds; true as soon as it succeeds.
wait_until() {
    local tries=$(($1 * 10))
    for _ in $(seq $tries); do "${@:2}" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
peer_up() { # NODE SITE: NODE's repl status shows SITE as connected
    at "$1" --json repl status | /usr/bin/python3 -c "import json,sys
st = [p['connected'] for p in json.load(sys.stdin)['peers'] if p['site'] == sys.argv[1]]
sys.exit(0 if st == [True] else 1)" "$2"
}
peer_down() { ! peer_up "$@"; }
has() { [ "$(count "$1")" = "$2" ]; }
now_ms() { date +%s%3N; }

echo "== namespaces and links"
for r in $regions; do
    ip netns add "${ns[$r]}" || { bad "ip netns add ${ns[$r]}"; finish; exit; }
    made="$made ${ns[$r]}"
done
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
ip netns exec "${ns[apac]}" ping -c1 -W2 10.249.1.1 >/dev/null && ok || bad "apac cannot reach the hub"
ip netns exec "${ns[apac]}" ping -c1 -W1 10.249.2.2 >/dev/null && bad "apac reaches emea directly" || ok

echo "== keys, configs, nodes"
mkdir -p "$dir/keys" "$dir/c/certs"
for n in $nodes; do
    role=site; [ "$n" = hub ] && role=hub
    "$bin/tools/sundesk" keygen "$n" --site "${site[$n]}" --role "$role" --dir "$dir/keys" >/dev/null ||
        bad "keygen $n"
    cp "$dir/keys/$n.cert" "$dir/c/certs/"
done
ep() { printf '    pub = tcp://%s:7101\n    sync = tcp://%s:7102\n' "$1" "$1"; }
for n in $nodes; do
    {
        printf 'node\n    site = %s\n    role = %s\n' "${site[$n]}" "$([ $n = hub ] && echo hub || echo site)"
        printf 'replication\n    cert = %s\n    certs = %s\n' "$dir/keys/$n.cert" "$dir/c/certs"
        if [ $n = hub ]; then ep 0.0.0.0; else ep "10.249.${link[$n]}.2"; fi
        printf '    heartbeat_ms = 500\n'
        if [ $n = hub ]; then
            for r in $regions; do
                printf '    upstream\n        cert = %s\n' "$dir/c/certs/$r.cert"
                ep "10.249.${link[$r]}.2" | sed 's/^/    /'
            done
        else
            printf '    upstream\n        cert = %s\n' "$dir/c/certs/hub.cert"
            ep "10.249.${link[$n]}.1" | sed 's/^/    /'
        fi
    } >"$dir/$n.zpl"
    ip netns exec "${ns[$n]}" "$bin/node/sundeskd" --data "$dir/c/$n" --config "$dir/$n.zpl" \
        >>"$dir/$n.log" 2>&1 &
    echo $! >"$dir/$n.pid"
done
# The CLI reaches each node through the ipc socket in its data dir, from the host's namespace.
for n in $nodes; do wait_until 10 at $n node ping >/dev/null && ok || bad "$n does not answer"; done
t0=$(now_ms)
for r in $regions; do
    wait_until 15 peer_up hub "${site[$r]}" && ok || bad "hub never saw $r connected"
done
echo "   all regions connected to the hub after $(($(now_ms) - t0)) ms"

echo "== replication across the links"
for i in 1 2 3; do for r in $regions; do new_at $r "$r $i"; done; done
CONVERGE_SECONDS=30 converged 9 && ok || bad "tickets of every region reach every node"

echo "== EMEA's link cut"
ip -n "${ns[hub]}" link set to-emea down || bad "cannot take to-emea down"
wait_until 10 peer_down hub EMEA && ok || bad "hub still sees EMEA connected"
wait_until 10 peer_down emea HUB && ok || bad "EMEA still sees the hub connected"
for i in 1 2 3; do for r in $regions; do new_at $r "$r while emea cut $i"; done; done
# The others must still replicate among themselves, and only then is EMEA's silence meaningful.
for n in hub apac amer; do wait_until 15 has $n 15 && ok || bad "$n has $(count $n) tickets, not 15"; done
sleep 2
has emea 12 && ok || bad "EMEA has $(count emea) tickets while cut, not its own 12"
has hub 15 && ok || bad "hub has $(count hub) tickets while EMEA is cut, not 15"

echo "== EMEA's link restored"
ip -n "${ns[hub]}" link set to-emea up || bad "cannot bring to-emea up"
t0=$(now_ms)
CONVERGE_SECONDS=60 converged 18 && ok || bad "no convergence after the link came back"
echo "   converged $(($(now_ms) - t0)) ms after the link came back"
wait_until 10 peer_up hub EMEA && ok || bad "hub does not show EMEA connected again"
wait_until 10 peer_up emea HUB && ok || bad "EMEA does not show the hub connected again"
at hub repl status | sed 's/^/   /'

echo "== shutdown"
for n in $nodes; do
    pid=$(cat "$dir/$n.pid"); kill -TERM "$pid"; wait "$pid" && ok || bad "$n exited with status $?"
done
for n in $nodes; do [ -z "$(ip netns pids "${ns[$n]}")" ] && ok || bad "processes left in ${ns[$n]}"; done
finish
