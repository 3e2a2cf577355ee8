#!/usr/bin/env bash
# test_assets_cluster.sh - two sites move one asset at once (issue 15): with the hub down, APAC
# moves LT-0042 to a customer of its own and EMEA to one of its own; once the hub is back every
# node holds the same asset (equal digests), with the owner and the site of one move - never the
# owner of one and the site of the other - and only that owner lists it. Then a call to APAC's
# telephony endpoint (CTI, over HTTP) from a customer's number, written however the PBX likes,
# is in that customer's contact history at the hub, where a lookup by the number shows the card.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"

# place NODE: "owner/site" of LT-0042 at NODE.
place() {
    at "$1" --json asset show LT-0042 2>/dev/null | /usr/bin/python3 -c "import json,sys
a = json.load(sys.stdin); print(f\"{a.get('owner')}/{a.get('site')}\")"
}
# owned NODE CUSTOMER: the tags CUSTOMER owns at NODE, comma-separated.
owned() {
    at "$1" --json asset list --owner "$2" | /usr/bin/python3 -c "import json,sys
d = json.load(sys.stdin); d = d if isinstance(d, list) else d['assets']
print(','.join(a['id'] for a in d))"
}
s_seen_everywhere() {
    local n
    for n in $nodes; do [ "$(place "$n")" = "$1" ] || return 1; done
}

cluster start && ok || bad "cluster did not start"
at apac asset new LT-0042 --kind laptop --owner APAC-C-000001 >/dev/null && ok || bad "asset new at APAC"
within 20 s_seen_everywhere APAC-C-000001/APAC && ok || bad "the new asset reaches every node"

# The hub down: APAC and EMEA no longer hear each other; each moves the asset.
pid=$(cat "$dir/c/hub.pid"); kill -TERM "$pid"; gone "$pid"
at apac asset update LT-0042 --owner APAC-C-000009 --site APAC >/dev/null && ok || bad "move at APAC"
at emea asset update LT-0042 --owner EMEA-C-000002 --site EMEA >/dev/null && ok || bad "move at EMEA"
[ "$(place apac)" = APAC-C-000009/APAC ] && [ "$(place emea)" = EMEA-C-000002/EMEA ] && ok ||
    bad "each site sees its own move first: $(place apac) $(place emea)"

cluster start
converged 0 && ok || bad "every node converges after the hub restarts"
won=$(place hub)
case $won in
APAC-C-000009/APAC) lost=EMEA-C-000002 ;;
EMEA-C-000002/EMEA) lost=APAC-C-000009 ;;
*) lost=""; bad "the asset ended as '$won': not one move whole" ;;
esac
s_seen_everywhere "$won" && ok || bad "not every node holds $won"
for n in $nodes; do
    [ "$(owned "$n" "${won%/*}")" = LT-0042 ] && [ -z "$(owned "$n" "$lost")" ] &&
        [ -z "$(owned "$n" APAC-C-000001)" ] && ok || bad "owner index at $n"
done

# A call at APAC, seen at the hub.
cust=$(at apac customer new --name "Wang Fang" --phone "+86 21 5555 0101") && ok ||
    bad "customer new at APAC"
at apac user new pbx --name "PBX" --role agent >/dev/null
token=$(at apac --json token new --user pbx | sed -n 's/.*"token":"\(sdt_[0-9a-f]*\)".*/\1/p')
url=$(at apac --json node status | sed -n 's/.*"http":"\([^"]*\)".*/\1/p')
code=$(curl -s -o "$dir/cti.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d '{"event":"newCall","from":"0086 (21) 5555-0101","to":"8000","direction":"in","callId":"pbx-1"}' \
    "${url}api/v1/cti/events")
[ "$code" = 201 ] && grep -q "$cust" "$dir/cti.json" && ok || bad "CTI newCall at APAC: $code $(cat "$dir/cti.json")"
s_call_at_hub() {
    at hub --json lookup --phone "+86 21 5555 0101" 2>/dev/null | /usr/bin/python3 -c "import json,sys
card = json.load(sys.stdin)
sys.exit(0 if card['customer']['id'] == sys.argv[1] and
         any(c.get('call_id') == 'pbx-1' for c in card['contacts']) else 1)" "$cust"
}
within 20 s_call_at_hub && ok || bad "the call is not in the customer's contact history at the hub"
finish
