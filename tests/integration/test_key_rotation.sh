#!/usr/bin/env bash
# test_key_rotation.sh - rotating a site's keys (README "Exchange public certificates"): EMEA gets a
# new certificate and signing key while the old public certificate stays in every node's
# certificate directory; events signed before and after both verify, also at a node that
# replays everything from nothing; without the old public certificate that node refuses EMEA's
# old events (no key) and holds none of them.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"
c="$dir/c"
cluster start && ok || bad "cluster did not start"
old=$(at emea ticket new --title "Signed with the old key" --requester ann) && ok || bad "ticket at EMEA"
converged 1 && ok || bad "the old-key ticket reached every node"

# Rotate: keep the old public certificate, put the new pair where EMEA's config points.
cluster stop
cp "$c/keys/emea.cert" "$c/certs/emea-old.cert"
mkdir "$dir/new"
"$bin/tools/sundesk" keygen emea --site EMEA --dir "$dir/new" >/dev/null && ok || bad "keygen"
for f in emea.cert emea.cert_secret emea.cert_sign; do cp -p "$dir/new/$f" "$c/keys/$f"; done
cp "$c/keys/emea.cert" "$c/certs/emea.cert"
cluster start && ok || bad "cluster did not restart with EMEA's new keys"
new=$(at emea ticket new --title "Signed with the new key" --requester ann) && ok || bad "new-key ticket"
converged 2 && ok || bad "the new-key ticket reached every node"
kid() { at "$1" --json ticket history "$2" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['events'][0]['kid'])"; }
[ "$(kid hub "$old")" != "$(kid hub "$new")" ] && ok || bad "both tickets carry the same key id"

# A node that replays the whole log verifies the old events with the retained old key.
replay_amer() {
    local pid; pid=$(cat "$c/amer.pid"); kill -TERM "$pid"; gone "$pid"
    rm -rf "$c/amer"
    cluster start
}
replay_amer
converged 2 && ok || bad "a fresh AMER did not take both EMEA tickets"

# Without the old public certificate, a fresh node refuses the old-key events.
rm "$c/certs/emea-old.cert"
replay_amer
s_no_key() { grep -q "no key" "$c/amer.log"; }
within 20 s_no_key && ok || bad "AMER did not refuse the old-key events: $(grep refused "$c/amer.log" | head -3)"
emea_at_amer() { at amer --json repl status | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['vector'].get('EMEA', 0))"; }
[ "$(emea_at_amer)" = 0 ] && ok || bad "AMER applied EMEA events it cannot verify"
cluster stop
finish
