#!/usr/bin/env bash
# test_identity_cluster.sh - desk users across two CURVE-replicating nodes (hub and APAC): a user
# and their token made at the hub work at the site; a disable at the hub locks the user out at
# the site; and a revoke made at one node while the other node (cut off) grants the same role
# again wins at both once they meet - a monotonic revoke, not the last writer.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"
unset SUNDESK_AUTHOR SUNDESK_TOKEN
# Two nodes only: the hub and APAC (the regions EMEA and AMER are stopped once set up).
nodes="hub apac"
# The CLI as root on NODE's socket (root@SITE, the bootstrap admin), or with --token; without
# --author, which cluster_lib.sh's at still passes and the CLI now refuses.
at() { "$bin/tools/sundesk" --data "$dir/c/$1" "${@:2}"; }
js() {
    /usr/bin/python3 -c "import json,sys
try: d = json.load(sys.stdin)
except ValueError: sys.exit(1)
print($1)"
}
s_stop_and_show() {
    s_stop_cluster
    [ "$failed" -eq 0 ] || for n in $nodes; do echo "== $n.log"; tail -5 "$dir/c/$n.log"; done
}
LIB_BEFORE_RM=s_stop_and_show
# start_one NODE: starts one node of the cluster (local-cluster.sh start would start them all)
# and waits until it answers.
start_one() {
    "$bin/node/sundeskd" --data "$dir/c/$1" --config "$dir/c/$1.zpl" >>"$dir/c/$1.log" 2>&1 &
    echo $! >"$dir/c/$1.pid"
    within 10 at "$1" node ping >/dev/null 2>&1
}
stop_one() { bash "$root/deploy/local-cluster.sh" stop "$dir/c" "$1" >/dev/null; }
# whoami NODE TOKEN: "login:role,role" as NODE sees the token's user ("" when refused).
whoami() {
    at "$1" --token "$2" --json whoami 2>/dev/null |
        js "d['user'] + ':' + ','.join(sorted(r['role'] for r in d['roles']))"
}
is() { [ "$(whoami "$1" "$2")" = "$3" ]; }
# Stops the test when what follows would only pile up timeouts.
need() { [ "$failed" -eq 0 ] || { echo "giving up: $*"; finish; exit 1; }; }
token_of() { at hub --json token new --user "$1" 2> >(grep -v '^(shown once' >&2) | js "d['token']"; }
# same_digest: hub and APAC hold the same state.
same_digest() { [ "$(digest hub)" = "$(digest apac)" ]; }
# both TOKEN WANT: both nodes see the token's user as WANT and hold the same state.
both() { is hub "$1" "$2" && is apac "$1" "$2" && same_digest; }

cluster start && ok || { bad "cluster did not start"; finish; exit 1; }
stop_one emea && stop_one amer

# A user and a token made at the hub reach the site.
at hub user new carol --name "Carol Agent" --role agent >/dev/null || bad "user new carol at hub"
tok_carol=$(token_of carol)
need "no user or token to replicate"
within 15 is apac "$tok_carol" "carol:agent" && ok ||
    bad "carol's token made at the hub does not work at APAC: '$(whoami apac "$tok_carol")'"
# Disabled at the hub: refused at the site as soon as the disable arrives.
at hub user disable carol >/dev/null || bad "user disable carol at hub"
s_refused_at_apac() {
    local err
    ! err=$(at apac --token "$tok_carol" whoami 2>&1 >/dev/null) && [[ $err == *disabled* ]]
}
within 15 s_refused_at_apac && ok ||
    bad "APAC still accepts carol's token after the disable at the hub: '$(whoami apac "$tok_carol")'"

# Concurrent grant and revoke of dave's agent role, both made on the same prior state (the role
# held): cut off from each other, APAC revokes it first and the hub grants it later (a
# last-writer-wins merge would keep the grant); once they meet, both hold it revoked.
at hub user new dave --name "Dave Agent" --role agent >/dev/null || bad "user new dave"
tok_dave=$(token_of dave)
within 15 both "$tok_dave" "dave:agent" && ok || bad "dave's agent role did not reach APAC"
stop_one hub
at apac user revoke dave agent >/dev/null || bad "user revoke dave agent at APAC (hub down)"
is apac "$tok_dave" "dave:" && ok || bad "APAC still shows dave as agent after its revoke"
stop_one apac
start_one hub || bad "the hub did not restart"
at hub user grant dave agent >/dev/null || bad "user grant dave agent at the hub (APAC down)"
is hub "$tok_dave" "dave:agent" && ok || bad "the hub shows '$(whoami hub "$tok_dave")' after its grant"
start_one apac || bad "APAC did not restart"
within 20 both "$tok_dave" "dave:" && ok ||
    bad "after reconnecting the hub sees '$(whoami hub "$tok_dave")', APAC" \
        "'$(whoami apac "$tok_dave")', digests $(digest hub) / $(digest apac)" \
        "(wanted 'dave:' at both and equal digests)"
# A grant made after seeing the revoke is a new generation: it wins everywhere.
at apac user grant dave agent >/dev/null || bad "user grant dave agent at APAC"
within 20 both "$tok_dave" "dave:agent" && ok ||
    bad "a grant after the revoke: hub '$(whoami hub "$tok_dave")', APAC '$(whoami apac "$tok_dave")'"

cluster stop
pgrep -f "sundeskd --data $dir" >/dev/null && bad "processes left behind" || ok
finish
