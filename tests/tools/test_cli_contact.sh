#!/usr/bin/env bash
# test_cli_contact.sh - the contact history and the major-incident contact list through the
# sundesk CLI against a real sundeskd: contact new/show/update/list (newest first, filters,
# one contact per call id), major new/show/list/update, and ticket declare-major printing and
# recording whom the matching rules name (category and site, "*" wildcards).
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"
export XDG_CONFIG_HOME="$dir/cfg"
unset SUNDESK_TOKEN
hasnt() { [[ $2 != *"$1"* ]] && ok || bad "did not want '$1' in: $2"; }

start_node || bad "node did not start"

# Contacts: the new id, the card, the list newest first, filters.
t1=$(sd ticket new --title "VPN down" --category network/vpn)
c1=$(sd contact new --customer LOCAL-C-000001 --channel call --summary "VPN drops hourly" \
    --from "+86 21 5555 0101" --at 2026-01-05T09:00Z --ticket "$t1")
[ "$c1" = LOCAL-CT-000001 ] && ok || bad "contact new: $c1"
c2=$(sd contact new --customer LOCAL-C-000001 --channel email --summary "follow-up" --at 2026-01-06)
c3=$(sd contact new --channel walk_in --summary "someone at the desk" --at 2026-01-04)
card=$(sd contact show "$c1")
has "VPN drops hourly" "$card"
has "from +86 21 5555 0101" "$card"
has "$t1" "$card"
list=$(sd contact list --customer LOCAL-C-000001)
[ "$(printf '%s\n' "$list" | sed -n 2p | cut -d' ' -f1)" = "$c2" ] && ok || bad "newest first: $list"
[ "$(printf '%s\n' "$list" | wc -l)" = 3 ] && ok || bad "two contacts of the customer: $list"
hasnt "$c3" "$list"
has "$c3" "$(sd contact list --channel walk_in)"
has "$c1" "$(sd contact list --ticket "$t1")"
has "(more: use --after" "$(sd contact list --limit 1)"
page=$(sd contact list --limit 1 --after "$c2")
has "$c1" "$page"
# A call: one contact per call id; its answer and end set the times and the duration.
call=$(sd contact new --channel call --call-id abc-1 --from 1001 --outcome ringing)
expect_fail "call abc-1 is contact $call" contact new --channel call --call-id abc-1
has "answered" "$(sd contact update "$call" --outcome answered)"
json=$(sd --json contact update "$call" --outcome ended --summary "printer jam")
has '"outcome":"ended"' "$json"
has '"duration":' "$json"
has "$call" "$(sd contact list --call-id abc-1)"
expect_fail "ticket LOCAL-999999 does not exist" contact new --channel call --ticket LOCAL-999999
expect_fail "nothing to change" contact update "$c1"
expect_fail "--channel: expected one of" contact new --channel pigeon
sd contact new --help | grep -q -- "--call-id" && ok || bad "contact new --help"

# Major-incident rules.
has "network-all" "$(sd major new network-all --category network/vpn --notify "noc@example.com, li.wei")"
sd major new everything --notify "duty-manager,+8613800000000" >/dev/null || bad "major new everything"
sd major new emea-only --site EMEA --notify "emea-lead" >/dev/null || bad "major new emea-only"
sd major new printers --category hardware/printer --notify "fm@example.com" >/dev/null || bad "printers"
has "noc@example.com, li.wei" "$(sd major show network-all)"
[ "$(sd major list | wc -l)" = 5 ] && ok || bad "major list: $(sd major list)"
has "emea-only" "$(sd major list --site EMEA)"
has "li.wei, ops" "$(sd major update network-all --notify "li.wei, ops")"
expect_fail "major rule network-all already exists" major new network-all --notify x
expect_fail "neither a site id nor *" major new bad --site "a b" --notify x
expect_fail "required" major new nobody

# Declaring a major incident: the union of the matching rules, recorded on the ticket.
out=$(sd ticket declare-major "$t1" --note "whole floor offline")
has "$t1 declared a major incident; to notify: duty-manager, +8613800000000, li.wei, ops" "$out"
hasnt "emea-lead" "$out"
hasnt "fm@example.com" "$out"
card=$(sd ticket show "$t1")
has "(MAJOR INCIDENT)" "$card"
has "to notify   duty-manager, +8613800000000, li.wei, ops" "$card"
json=$(sd --json ticket show "$t1")
has '"major_note":"whole floor offline"' "$json"
has '"major":true' "$json"
has "major_notify: - -> duty-manager, +8613800000000, li.wei, ops" "$(sd ticket history "$t1")"
sd ticket cancel "$t1" "dup" >/dev/null || bad "cancel"
expect_fail "reopen it first" ticket declare-major "$t1"
expect_fail "does not exist" ticket declare-major LOCAL-999999
sd ticket declare-major --help | grep -q "whom to notify" && ok || bad "declare-major --help"

finish
