#!/usr/bin/env bash
# test_assets.sh - assets and vendors through the sundesk CLI against a real sundeskd (issue
# 15): an asset made, moved between customers and listed by owner; a vendor; a ticket about
# assets, put pending on the vendor with its RMA number, which stays after it resumes.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# get KIND ID KEY: the KEY of record ID as the node shows it ("" when absent).
get() { sd --json "$1" show "$2" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin).get('$3') or '')"; }
# tags ARGS...: the tags `asset list ARGS` gives, comma-separated.
tags() { sd --json asset list "$@" | /usr/bin/python3 -c "import json,sys
d = json.load(sys.stdin); d = d if isinstance(d, list) else d['assets']
print(','.join(a['id'] for a in d))"; }

start_node || bad "node did not start"

# ---- assets ---------------------------------------------------------------------------------
expect_ok asset new LT-0042 --kind laptop --model "ThinkPad T14" --serial PF-3X9K2 \
    --owner LOCAL-C-000001 --warranty-end 2027-03-31
expect_ok asset new PH-0007 --kind phone --owner LOCAL-C-000001 --site APAC
expect_ok asset new SRV-01 --kind server --status in_use
[ "$(get asset LT-0042 status)" = in_use ] && ok || bad "an asset with an owner is in use"
[ "$(get asset LT-0042 site)" = LOCAL ] && ok || bad "site defaults to the node's"
[ "$(get asset LT-0042 warranty_end)" = 2027-03-31 ] && ok || bad "warranty_end"
expect_fail "already exists" asset new LT-0042 --kind laptop
expect_fail "not an asset tag" asset new "LT 0042" --kind laptop
expect_fail "not a customer id" asset new LT-0043 --kind laptop --owner bob
expect_fail "not a date" asset new LT-0043 --kind laptop --warranty-end 31/03/2027
expect_fail "nothing to change" asset update LT-0042
expect_fail "does not exist" asset show LT-9999
[ "$(tags --owner LOCAL-C-000001)" = LT-0042,PH-0007 ] && ok || bad "by owner: $(tags --owner LOCAL-C-000001)"

# A move: another customer at another site; the old owner no longer lists it.
expect_ok asset update LT-0042 --owner EMEA-C-000002 --site EMEA
[ "$(get asset LT-0042 owner)/$(get asset LT-0042 site)" = EMEA-C-000002/EMEA ] && ok ||
    bad "move: $(get asset LT-0042 owner)/$(get asset LT-0042 site)"
[ "$(tags --owner LOCAL-C-000001)" = PH-0007 ] && ok || bad "old owner: $(tags --owner LOCAL-C-000001)"
[ "$(tags --owner EMEA-C-000002)" = LT-0042 ] && ok || bad "new owner: $(tags --owner EMEA-C-000002)"
[ "$(tags --kind phone --site APAC)" = PH-0007 ] && ok || bad "filters combine"
[ "$(tags --status in_use --limit 1)" = LT-0042 ] && ok || bad "limit"
expect_ok asset update PH-0007 --status repair --notes "Cracked screen"
[ "$(get asset PH-0007 status)" = repair ] && ok || bad "status"
sd asset show LT-0042 | grep -q "warranty end *2027-03-31" && ok || bad "asset card"
sd asset list --owner EMEA-C-000002 | grep -q "^LT-0042 .*laptop .*in_use .*EMEA-C-000002" && ok ||
    bad "asset list row"

# The caller's card lists the customer's assets (and not another's): the first customer is
# LOCAL-C-000001, who has PH-0007 already.
cust=$(sd customer new --name "Wang Fang" --phone "+86 21 5555 0101")
[ "$cust" = LOCAL-C-000001 ] && ok || bad "customer new printed '$cust'"
expect_ok asset new LT-0100 --kind laptop --owner "$cust"
expect_ok asset new LT-0101 --kind phone --owner "$cust" --status in_stock
card_tags() { sd --json lookup --phone "021 5555 0101" | /usr/bin/python3 -c "import json,sys
print(','.join(a['id'] for a in json.load(sys.stdin)['assets']))"; }
[ "$(card_tags)" = LT-0100,LT-0101,PH-0007 ] && ok || bad "lookup card assets: $(card_tags)"
expect_ok asset update LT-0101 --owner EMEA-C-000002
[ "$(card_tags)" = LT-0100,PH-0007 ] && ok || bad "a moved asset leaves the card: $(card_tags)"
expect_fail "not an asset tag" ticket new --title "x" --customer "$cust" --assets "bad tag"

# ---- vendors --------------------------------------------------------------------------------
expect_ok vendor new lenovo --name "Lenovo China" --terms "Next business day on site" \
    --escalation-phone "+86 400 100 6000" --escalation-email escalate@lenovo.example
expect_ok vendor new dell
expect_ok vendor update dell --contacts "Premier desk, ask for Wang"
expect_fail "already exists" vendor new lenovo
expect_fail "not a login" vendor new "Big Vendor"
[ "$(get vendor lenovo escalation_phone)" = "+86 400 100 6000" ] && ok || bad "escalation phone"
[ "$(get vendor dell contacts)" = "Premier desk, ask for Wang" ] && ok || bad "contacts"
[ "$(sd vendor list | tail -n +2 | awk '{print $1}' | paste -sd,)" = dell,lenovo ] && ok ||
    bad "vendor list: $(sd vendor list)"

# ---- tickets about assets, pending on a vendor ----------------------------------------------
id=$(sd ticket new --title "Laptop will not boot" --requester ann@example.com --assets LT-0042)
[ "$(get ticket "$id" assets)" = LT-0042 ] && ok || bad "ticket assets"
expect_ok ticket update "$id" --assets LT-0042,PH-0007
[ "$(get ticket "$id" assets)" = LT-0042,PH-0007 ] && ok || bad "ticket update assets"
expect_fail "not an asset tag" ticket update "$id" --assets "LT-0042,bad tag"
expect_ok user new carol --name "Carol Chen" --role agent
expect_ok ticket ack "$id"
expect_ok ticket assign "$id" carol
expect_ok ticket start "$id"
expect_fail "go with waiting_on vendor" ticket pending "$id" customer --vendor lenovo
expect_ok ticket pending "$id" vendor --vendor lenovo --vendor-ref RMA-88231 --reason "board swap"
[ "$(get ticket "$id" vendor)/$(get ticket "$id" vendor_ref)" = lenovo/RMA-88231 ] && ok ||
    bad "vendor on the ticket"
sd ticket show "$id" | grep -q "vendor *lenovo  ref RMA-88231" && ok || bad "card: vendor"
sd ticket show "$id" | grep -q "assets *LT-0042,PH-0007" && ok || bad "card: assets"
expect_ok ticket start "$id"
[ "$(get ticket "$id" vendor_ref)" = RMA-88231 ] && ok || bad "the reference stays after pending"
sd --json ticket history "$id" | grep -q '"vendor_ref": *"RMA-88231"' && ok || bad "history shows it"

[ -n "${SHOW:-}" ] && { sd asset show LT-0042; sd asset list; sd vendor show lenovo; sd vendor list; sd ticket show "$id"; sd asset new --help; }
stop_node || bad "node did not stop cleanly"
finish
