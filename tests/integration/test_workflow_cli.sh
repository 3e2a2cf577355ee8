#!/usr/bin/env bash
# test_workflow_cli.sh - the whole seed-001 workflow through the sundesk CLI against a real sundeskd.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
field() { sd --json ticket show "$1" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }

# No node yet: a clear error, not a hang.
expect_fail "no node is running" ticket list

start_node || bad "node did not start"
# Run by root (or the node's own account) on the ipc socket: the bootstrap admin root@LOCAL,
# who makes the agents tickets are assigned to (an assignee must be an active agent).
expect_ok user new carol --name "Carol Chen" --role agent
expect_ok user new eve --name "Eve Evans" --role agent

# 1. record
id=$(sd ticket new --title "Mail stuck in outbox" --requester ann@example.com --channel email \
     --impact 1 --urgency 1 --category mail --description "Since 9:00")
[[ $id == LOCAL-000001 ]] && ok || bad "new printed '$id'"
[ "$(field "$id" priority)" = P1 ] && ok || bad "priority of impact 1 x urgency 1"
[ "$(field "$id" status)" = new ] && ok || bad "status after new"
json_id=$(sd --json ticket new --title "Second" --requester bob@example.com | /usr/bin/python3 -c \
    "import json,sys; print(json.load(sys.stdin)['id'])")
[ "$json_id" = LOCAL-000002 ] && ok || bad "new --json id '$json_id'"

# Invalid transition before acknowledging: refused with what is allowed.
expect_fail "is new; start is not allowed (allowed: ack, cancel, comment, update, handover)" ticket start "$id"
# 2. acknowledge (reply promised)
expect_ok ticket ack "$id"
[ "$(field "$id" reply_due)" = "$(field "$id" response_due)" ] && ok || bad "reply_due"
# 3. route
expect_ok ticket assign "$id" carol --team messaging --tier L1.5
[ "$(field "$id" status)" = assigned ] && ok || bad "status after assign"
# 4. handle, with a wait on the customer
expect_ok ticket start "$id"
expect_ok ticket comment "$id" "Looking at the queue" --public
expect_ok ticket pending "$id" customer --reason "need a screenshot"
[ "$(field "$id" waiting_on)" = customer ] && ok || bad "waiting_on"
expect_ok ticket start "$id"
# 5. track
expect_ok ticket comment "$id" "Queue was blocked by a rule"
# 6. confirm
expect_ok ticket resolve "$id" "Removed the broken transport rule"
# 7. close with satisfaction
expect_fail "satisfaction" ticket close "$id" 9
expect_ok ticket close "$id" 4 --feedback "Thanks"
[ "$(field "$id" status)" = closed ] && ok || bad "status closed"
[ "$(field "$id" satisfaction)" = 4 ] && ok || bad "satisfaction"
[ "$(field "$id" closed_at)" != 0 ] && ok || bad "closed_at"
expect_fail "is closed; close is not allowed (allowed: reopen, comment)" ticket close "$id" 5
expect_ok ticket reopen "$id" "Happened again"
[ "$(field "$id" reopen_count)" = 1 ] && ok || bad "reopen_count"
expect_ok ticket resolve "$id" "Fixed the rule for good"
expect_ok ticket close "$id" 5

# Cancel the second one.
expect_ok ticket cancel "$json_id" "Duplicate of $id"
expect_fail "is cancelled" ticket ack "$json_id"

# Reports and lists.
report=$(sd ticket report "$id")
for word in "Timings" "History" "create" "resolve" "reopen" "Queue was blocked"; do
    [[ $report == *"$word"* ]] && ok || bad "report lacks '$word'"
done
sd ticket new --title "Printer" --requester ann@example.com --impact 3 --urgency 3 >/dev/null
sd ticket new --title "VPN" --requester dan@example.com --impact 1 --urgency 2 --assignee eve >/dev/null
n=$(sd --json ticket list --open | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
[ "$n" = 2 ] && ok || bad "open tickets: $n"
first=$(sd --json ticket list --open | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['title'])")
[ "$first" = VPN ] && ok || bad "queue order: first is '$first'"
n=$(sd --json ticket list --requester ann@example.com | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
[ "$n" = 2 ] && ok || bad "by requester: $n"
n=$(sd --json ticket list --assignee eve | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
[ "$n" = 1 ] && ok || bad "by assignee: $n"
csv=$(sd ticket list --csv)
[[ $(head -1 <<<"$csv") == id,received,requester,* ]] && ok || bad "csv header"
[ "$(wc -l <<<"$csv")" = 5 ] && ok || bad "csv rows"
human=$(sd ticket list --status closed)
[[ $human == *"$id"*closed* ]] && ok || bad "human list"

# Follow-the-sun on a node without calendars: a handover to any site id, schedule refused.
vpn=$(sd --json ticket list --open | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")
expect_ok ticket handover "$vpn" --to EMEA --note "Customer in a meeting until 14:00"
[ "$(field "$vpn" owner_site)" = EMEA ] && ok || bad "owner_site after handover"
[ "$(field "$vpn" handover_from)" = LOCAL ] && ok || bad "handover_from"
expect_fail "already owned by EMEA" ticket handover "$vpn" --to EMEA
expect_fail "missing SITE" ticket handover "$vpn"
expect_fail "is closed; handover is not allowed" ticket handover "$id" --to EMEA
expect_fail "--to: must not be empty" ticket handover "$vpn" --to ""
report=$(sd handover report)
[[ $report == *"$vpn  LOCAL -> EMEA  by root@LOCAL"* ]] && ok || bad "handover report lacks the move: $report"
[[ $report == *$'\n    Customer in a meeting until 14:00\n    Handover LOCAL -> EMEA at '* ]] \
    && ok || bad "handover report lacks the note: $report"
sd handover report --site EMEA --since 1h | grep "$vpn" >/dev/null && ok || bad "report --site --since"
[ "$(sd handover report --site AMER)" = "no handovers" ] && ok || bad "report for another site"
[ "$(sd handover report --since 2999-01-01)" = "no handovers" ] && ok || bad "report --since DATE"
n=$(sd --json handover report --since 2020-01-01T00:00Z | /usr/bin/python3 -c \
    "import json,sys; print(len(json.load(sys.stdin)['handovers']))")
[ "$n" = 1 ] && ok || bad "report --json: $n"
expect_fail "--since: expected" handover report --since yesterday
expect_fail "--limit: must be 1..1000" handover report --limit 0
card=$(sd ticket show "$vpn")
[[ $card == *"handover    LOCAL -> EMEA at "* && $card == *"sla         ok"* ]] && ok || bad "card: $card"
[[ $(sd ticket report "$vpn") == *"handover by root@LOCAL"*"LOCAL -> EMEA"* ]] && ok || bad "report history"
sun=$(sd ticket new --title "Night batch" --requester ops@example.com --impact 3 --follow-sun)
[ "$(field "$sun" follow_sun)" = True ] && ok || bad "new --follow-sun"
expect_ok ticket update "$sun" --no-follow-sun
[ "$(field "$sun" follow_sun)" = False ] && ok || bad "update --no-follow-sun"
expect_ok ticket list --breached
[ "$(sd ticket list --breached | wc -l)" = 1 ] && ok || bad "breached tickets listed"
[[ $(sd ticket list --at-risk) == ID*SLA*TITLE ]] && ok || bad "list --at-risk header"
[[ $(sd ticket list --open) == *" ok "*"Night batch"* ]] && ok || bad "SLA column"
expect_fail "already given" ticket list --breached --at-risk
expect_fail "no site calendars configured" schedule now
expect_fail "no site calendars configured" schedule coverage --from 2026-03-02 --days 2
expect_fail "--days: must be 1..31" schedule coverage --days 40
expect_fail "--from: expected YYYY-MM-DD" schedule coverage --from tomorrow
expect_fail "unknown verb 'schedule later'" schedule later
for cmd in "schedule now" "schedule coverage" "handover report" "ticket handover"; do
    # shellcheck disable=SC2086
    sd $cmd --help | grep "^sundesk $cmd " >/dev/null && ok || bad "$cmd --help"
done
usage=$(sd --help)
[[ $usage == *"sundesk schedule VERB"*"sundesk handover VERB"* ]] && ok || bad "top-level help"

# Bad arguments and unknown things: one clear line, non-zero.
expect_fail "does not exist" ticket show LOCAL-999999
expect_fail "does not exist" ticket ack LOCAL-999999
expect_fail "missing ID" ticket show
expect_fail "unknown option --colour" ticket list --colour red
expect_fail "impact" ticket new --title x --requester y --impact 7
expect_fail "title" ticket new --requester y
expect_fail "unknown verb" ticket frobnicate
expect_fail "expected one of" ticket list --status sleeping

# SIGTERM stops the node cleanly.
stop_node && ok || bad "sundeskd did not exit 0 on SIGTERM"
expect_fail "" ticket list
grep -q "Mail stuck" "$dir/node.log" && bad "ticket title in the log" || ok

finish
