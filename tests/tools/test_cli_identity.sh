#!/usr/bin/env bash
# test_cli_identity.sh - who acts, through the sundesk CLI against a real sundeskd: the Unix
# account on the ipc socket (root: the bootstrap admin), API tokens (--token, $SUNDESK_TOKEN),
# password login sessions saved per endpoint; users, teams, tokens and the audit trail; the
# ticket card's display names and the history's changes; --author refused.
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"
# The CLI on $data as its caller (root here), with the sessions file inside the test's dir.
export XDG_CONFIG_HOME="$dir/cfg"
unset SUNDESK_TOKEN
sd() { "$bin/tools/sundesk" --data "$data" "$@"; }

# --author is gone, before and after the command: exit 2 and the one line.
for words in "--author ann ticket list" "ticket list --author ann"; do
    # shellcheck disable=SC2086
    err=$(sd $words 2>&1 >/dev/null); rc=$?
    [ $rc = 2 ] && [ "$err" = "sundesk: --author is gone: the node records who you are (see sundesk whoami)" ] \
        && ok || bad "$words -> rc=$rc '$err'"
done

start_node || bad "node did not start"

# Root on the ipc socket is the bootstrap admin.
me=$(sd whoami)
has "user   root@LOCAL" "$me"
has "via    unix uid 0" "$me"
has "bootstrap admin" "$me"

# Users: new, show, list, grant, revoke, disable, enable, link, update.
has "li.wei (Li Wei): agent; active" "$(sd user new li.wei --name "Li Wei" --role agent --email li@example.com)"
sd user new ann --name "Ann Lee" --role requester >/dev/null || bad "user new ann"
card=$(sd user show li.wei)
has "li.wei  Li Wei" "$card"
has "email       li@example.com" "$card"
[ "$(sd user list | wc -l)" = 3 ] && ok || bad "user list: $(sd user list)"
[[ $(sd user list --role agent) == *li.wei* && $(sd user list --role agent) != *ann* ]] && ok \
    || bad "user list --role agent"
has "agent, manager (EMEA)" "$(sd user grant li.wei manager --sites EMEA)"
has "li.wei (Li Wei): agent;" "$(sd user revoke li.wei manager)"
has "DISABLED" "$(sd user disable ann --reason left)"
has "account     DISABLED: left" "$(sd user show ann)"
has "active" "$(sd user enable ann)"
has "unix nobody" "$(sd user link ann --unix nobody)"
has "no Unix account" "$(sd user link ann --unix "")"
has "Ann Li" "$(sd user update ann --name "Ann Li")"
expect_fail "missing LOGIN" user show
expect_fail "--role: expected one of" user grant li.wei boss
expect_fail "--password: not on the command line" user passwd li.wei --password hunter22

# Teams.
has "desktop" "$(sd team new desktop --name "Desktop support" --tier L1 --manager li.wei)"
has "Desktop support" "$(sd team show desktop)"
has "L2" "$(sd team update desktop --tier L2)"
[[ $(sd team list) == *"desktop"*"Desktop support"* ]] && ok || bad "team list"

# The card shows people by name; the history shows what an update changed.
id=$(sd ticket new --title "Printer jam" --requester li.wei)
sd ticket ack "$id" >/dev/null && sd ticket assign "$id" li.wei >/dev/null || bad "ack, assign"
card=$(sd ticket show "$id")
has "requester   Li Wei (li.wei)" "$card"
has "assignee Li Wei (li.wei)" "$card"
has "owner       root@LOCAL" "$card"
sd ticket update "$id" --title "Printer jam, tray 2" --impact 1 >/dev/null || bad "update"
history=$(sd ticket history "$id")
has "title: Printer jam -> Printer jam, tray 2" "$history"
has "impact: 2 -> 1" "$history"
has "assign   by root@LOCAL" "$history"
has "title: Printer jam -> Printer jam, tray 2" "$(sd ticket report "$id")"
[[ $(sd --json ticket history "$id") == '{"events":['*'"changes":['* ]] && ok || bad "history --json"
expect_fail "--assignee: user ann is neither agent nor manager" ticket assign "$id" ann

# API tokens: shown once, then they identify their user; never shown again, never logged.
tok=$(sd token new --user li.wei --name ci --days 7 2>"$dir/token.err")
[[ $tok =~ ^sdt_[0-9a-f]{64}$ ]] && ok || bad "token new printed '$tok'"
[ "$(cat "$dir/token.err")" = "(shown once: store it now; the node keeps only its hash)" ] && ok \
    || bad "token new stderr: $(cat "$dir/token.err")"
me=$(sd --token "$tok" whoami)
has "user   li.wei (Li Wei)" "$me"
has "via    token LOCAL-TOK-000001" "$me"
has "agent (all sites)" "$me"
has "via    token LOCAL-TOK-000001" "$(SUNDESK_TOKEN=$tok sd whoami)"
has "user   root@LOCAL" "$(SUNDESK_TOKEN=$tok sd --token "" whoami)"
list=$(sd token list)
has "LOCAL-TOK-000001   li.wei               ci" "$list"
[[ $list != *"${tok:4}"* && $(sd --json token list) != *"${tok:4}"* ]] && ok || bad "token list shows the secret"
# The token acts with li.wei's rights: an agent may not add users, and the refusal is audited.
expect_fail "forbidden" --token "$tok" user new bob --name Bob
expect_fail "forbidden" --token "$tok" ticket cancel "$id" "not mine"
expect_fail "unknown or malformed token" --token sdt_0123 whoami
has "revoked at" "$(sd token revoke LOCAL-TOK-000001)"
expect_fail "was revoked" --token "$tok" whoami

# Passwords and login sessions, saved per endpoint in a private file.
echo "correct horse" | sd user passwd li.wei --password-stdin >/dev/null || bad "passwd"
expect_fail "password: at least 8 bytes" user passwd li.wei --password-stdin <<<"short"
expect_fail "wrong login or password" login li.wei --password-stdin <<<"wrong horse"
expect_fail "no terminal" login li.wei </dev/null
[[ $(sd login li.wei --password-stdin <<<"correct horse") == "logged in as li.wei until "* ]] && ok \
    || bad "login"
sessions="$XDG_CONFIG_HOME/sundesk/sessions"
[ "$(stat -c %a "$sessions")" = 600 ] && [ "$(stat -c %a "${sessions%/*}")" = 700 ] && ok \
    || bad "sessions modes: $(stat -c '%a %n' "$sessions" "${sessions%/*}")"
grep -q "^ipc://$(realpath "$data")/sundesk.sock sds_[0-9a-f]*$" "$sessions" && ok || bad "sessions line"
has "via    password session" "$(sd whoami)"
session=$(awk '{print $2}' "$sessions")
out=$(sd logout)
has "the node ended the session of li.wei" "$out"
has "forgot the session" "$out"
has "user   root@LOCAL" "$(sd whoami)"
# The node ended it: the token no longer works, even when given.
expect_fail "unknown or expired session" --token "$session" whoami
has "no session saved" "$(sd logout)"
# A node that cannot be reached: the session is forgotten all the same.
printf 'ipc://%s/gone.sock sds_%s\n' "$dir" "$(printf '0%.0s' {1..64})" >>"$sessions"
err=$("$bin/tools/sundesk" --node "ipc://$dir/gone.sock" --timeout 300 logout 2>&1 >/dev/null); rc=$?
[ $rc = 0 ] && [[ $err == *"the node did not end the session; forgetting it here"* ]] \
    && ! grep -q gone.sock "$sessions" && ok || bad "logout of an unreachable node: rc=$rc $err"

# The audit trail: events with their authenticated authors, refusals with how and why.
audit=$(sd audit --ticket "$id")
has "root@LOCAL           ticket.assign    $id" "$audit"
has "li.wei               ticket.cancel    $id     forbidden       via token LOCAL-TOK-000001" "$audit"
[ "$(sd --json audit --ticket "$id" --limit 2 | /usr/bin/python3 -c \
    'import json,sys; print(len(json.load(sys.stdin)))')" = 2 ] && ok || bad "audit --json --limit"

# No secret reaches the node's log.
grep -q "${tok:4}\|correct horse\|sds_" "$dir/node.log" && bad "a secret in the log" || ok

stop_node && ok || bad "sundeskd did not exit 0 on SIGTERM"
finish
