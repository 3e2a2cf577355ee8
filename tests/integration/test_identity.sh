#!/usr/bin/env bash
# test_identity.sh - who may do what on one node (issue 12), with real Unix accounts: the node
# refuses loose permissions at start-up; the ipc socket maps each Unix account to its desk user
# (an agent works the queue, a requester sees and opens only their own tickets and never an
# internal note); no one can choose the author of an event (not --author, not a raw request,
# not $SUNDESK_AUTHOR); tcp clients present a token or a password session; the audit trail shows
# refusals and never a secret.
#
# Needs root: it creates Unix accounts sdt_*_PID and a group sdt_ops_PID, removed on exit;
# skipped (77) otherwise.
set -uo pipefail
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root to create Unix accounts"; exit 77; }
command -v useradd >/dev/null && command -v runuser >/dev/null ||
    { echo "skipped: useradd or runuser not found"; exit 77; }
. "$(dirname "$0")/lib.sh"
# Without this, SIGINT/SIGTERM would skip the EXIT trap and leave the accounts behind.
trap 'exit 130' INT TERM HUP
unset SUNDESK_AUTHOR SUNDESK_TOKEN

# ---- accounts: made here, removed by the EXIT trap ------------------------------------------
ops=sdt_ops_$$ u_agent=sdt_ag_$$ u_req=sdt_rq_$$ u_nolink=sdt_nl_$$ u_out=sdt_out_$$
made_users="" made_group=""
s_remove_accounts() {
    local u
    for u in $made_users; do userdel "$u" 2>/dev/null || echo "could not remove account $u"; done
    [ -z "$made_group" ] || groupdel "$made_group" 2>/dev/null || echo "could not remove group $ops"
}
LIB_BEFORE_RM=s_remove_accounts
groupadd "$ops" || { echo "groupadd $ops failed"; exit 1; }
made_group=$ops
for u in "$u_agent" "$u_req" "$u_nolink"; do
    useradd -M -N -s /usr/sbin/nologin -G "$ops" "$u" || { echo "useradd $u failed"; exit 1; }
    made_users="$made_users $u"
done
useradd -M -N -s /usr/sbin/nologin "$u_out" || { echo "useradd $u_out failed"; exit 1; }
made_users="$made_users $u_out"

# ---- helpers ----------------------------------------------------------------------------------
# The other accounts must reach the socket under $dir and run the CLI: the build tree may sit
# where they cannot enter, so they run a copy.
chmod 0711 "$dir"
install -m 0755 "$bin/tools/sundesk" "$dir/sundesk"
port=$((16000 + $$ % 4000))
# Root's CLI keeps `sundesk login` sessions here, not in root's home; no --author (lib.sh's sd
# still passes it, and the CLI now refuses it).
sd() { XDG_CONFIG_HOME="$dir/config" "$bin/tools/sundesk" --data "$data" "$@"; }  # root@LOCAL
tsd() { XDG_CONFIG_HOME="$dir/config" "$bin/tools/sundesk" --node "tcp://127.0.0.1:$port" "$@"; }
as() { runuser -u "$1" -- "$dir/sundesk" --data "$data" "${@:2}"; }     # as Unix account $1
# js EXPR: EXPR of the JSON d on stdin; nothing (exit 1) when stdin is not JSON (a refusal
# already said why on stderr).
js() {
    /usr/bin/python3 -c "import json,sys
try: d = json.load(sys.stdin)
except ValueError: sys.exit(1)
print($1)"
}
# A list result: the CLI may print the array or the op's {tickets|entries: [...]} map.
items() { js "json.dumps(d if isinstance(d, list) else d.get('$1', []))"; }
# refused WHAT WORD CMD...: CMD exits non-zero and its stderr contains WORD.
refused() {
    local what=$1 word=$2 err
    if err=$("${@:3}" 2>&1 >/dev/null); then
        bad "$what: it succeeded (wanted a refusal saying '$word')"
    elif [[ $err != *"$word"* ]]; then
        bad "$what: refused, but without '$word': $err"
    else
        ok
    fi
}
# start_refused WHAT WORD SUNDESKD-ARGS...: sundeskd exits 1 at once, WORD on stderr.
start_refused() {
    local err rc
    err=$(timeout 10 "$bin/node/sundeskd" "${@:3}" 2>&1 >/dev/null); rc=$?
    [ $rc -eq 1 ] && [[ $err == *"$2"* ]] && ok || bad "$1: rc=$rc '$err' (wanted exit 1 and '$2')"
}
id_of() { js "d['id']"; }
field() { sd --json ticket show "$1" | js "d['$2']"; }
# token_json LOGIN: a new token of LOGIN, as JSON (without the CLI's "shown once" reminder).
token_json() { sd --json token new --user "$1" 2> >(grep -v '^(shown once' >&2); }

# ---- 1. start-up refusals ---------------------------------------------------------------------
mkdir "$dir/loose" && chmod 0757 "$dir/loose"
start_refused "a data directory everyone can write (0757)" "can be written by everyone" \
    --data "$dir/loose"
chmod 0775 "$dir/loose"
start_refused "a data directory its group can write (0775)" "can be written by its group" \
    --data "$dir/loose"
chmod 0700 "$dir/loose" && chown "$u_out" "$dir/loose"
start_refused "a data directory owned by another account" "not to the node's account" \
    --data "$dir/loose"
[ ! -e "$dir/loose/data.mdb" ] && ok || bad "a refused data directory still got a store"
printf 'node\n    endpoint = tcp://127.0.0.1:%s\n' "$port" >"$dir/noauth.zpl"
start_refused "a tcp endpoint without auth = token" "auth = token" \
    --data "$dir/noauth" --config "$dir/noauth.zpl"

# The socket is 0660 even when the node is started under umask 000.
umask_was=$(umask)
umask 000
data="$dir/plain"
start_node || bad "node did not start under umask 000"
mode=$(stat -c %a "$data/sundesk.sock")
[ "$mode" = 660 ] && ok || bad "socket mode under umask 000 is $mode, not 660"
# The store holds password and token hashes: never readable by others either.
mode=$(stat -c %a "$data/data.mdb")
[ "$mode" = 600 ] && ok || bad "store mode under umask 000 is $mode, not 600"
stop_node
# The desk's node: data directory 0750 of group $ops, socket given to $ops.
data="$dir/d"
mkdir "$data" && chmod 0750 "$data" && chgrp "$ops" "$data"
printf 'node\n    operators = %s\n' "$ops" >"$dir/ops.zpl"
start_node --config "$dir/ops.zpl" || { bad "node with operators = $ops did not start"; finish; exit 1; }
umask "$umask_was"
got=$(stat -c '%a %G' "$data/sundesk.sock")
[ "$got" = "660 $ops" ] && ok || bad "socket with operators = $ops is '$got', not '660 $ops'"

# ---- 2. two Unix accounts, two desk roles -----------------------------------------------------
sd user new agent1 --name "Agent One" --role agent >/dev/null || bad "root: user new agent1"
sd user link agent1 --unix "$u_agent" >/dev/null || bad "root: user link agent1"
sd user new req1 --name "Req One" --role requester --unix "$u_req" >/dev/null ||
    bad "root: user new req1 --unix"
sd user new req2 --name "Req Two" --role requester >/dev/null || bad "root: user new req2"
sd user new adm1 --name "Admin One" --role admin >/dev/null || bad "root: user new adm1"
[ "$failed" -eq 0 ] || { echo "giving up: no desk users"; finish; exit 1; }
[ "$(as "$u_agent" --json whoami | js "d['user']")" = agent1 ] && ok ||
    bad "Unix account $u_agent is not agent1"
[ "$(as "$u_req" --json whoami | js "d['user']")" = req1 ] && ok || bad "Unix account $u_req is not req1"

# The agent works the queue.
other=$(as "$u_agent" --json ticket new --title "printer jam" --requester req2 | id_of)
[ -n "$other" ] && ok || bad "the agent could not open a ticket for req2"
as "$u_agent" ticket ack "$other" >/dev/null && as "$u_agent" ticket assign "$other" agent1 >/dev/null &&
    [ "$(field "$other" assignee)" = agent1 ] && ok || bad "the agent could not ack and assign $other"
# The requester: their own tickets only.
mine=$(as "$u_req" --json ticket new --title "my laptop" | id_of)
[ -n "$mine" ] && [ "$(field "$mine" requester)" = req1 ] && ok ||
    bad "the requester's own ticket ($mine) does not name req1 as requester"
refused "requester opens a ticket for req2" forbidden \
    as "$u_req" ticket new --title "for someone else" --requester req2
refused "requester acks req2's ticket" forbidden as "$u_req" ticket ack "$other"
refused "requester assigns req2's ticket" forbidden as "$u_req" ticket assign "$other" agent1
refused "requester cancels req2's ticket" forbidden as "$u_req" ticket cancel "$other" "not mine"
refused "requester reads req2's ticket" forbidden as "$u_req" ticket show "$other"
refused "requester reads req2's history" forbidden as "$u_req" ticket history "$other"
# Internal notes stay internal: the requester sees the public reply and nothing else.
note="INTERNAL-$$ vendor contract expired" reply="REPLY-$$ a new one is on its way"
as "$u_agent" ticket comment "$mine" "$note" >/dev/null || bad "the agent could not add a work note"
as "$u_agent" ticket comment "$mine" "$reply" --public >/dev/null || bad "the agent could not reply"
[[ $(as "$u_agent" --json ticket history "$mine") == *"INTERNAL-$$"* ]] && ok ||
    bad "the work note is not in the agent's view of the history"
for view in "--json ticket show" "ticket show" "--json ticket history" "ticket report"; do
    # shellcheck disable=SC2086 # $view is words
    out=$(as "$u_req" $view "$mine")
    [[ $out == *"REPLY-$$"* ]] && [[ $out != *"INTERNAL-$$"* ]] && ok ||
        bad "requester's '$view $mine' should show the reply and not the work note: $out"
done
# The human history shows no comment text: the requester's has one line less (no note event).
lines() { as "$1" ticket history "$mine" | grep -c .; }
[ "$(lines "$u_req")" -eq $(($(lines "$u_agent") - 1)) ] && ok ||
    bad "the requester's ticket history ($(lines "$u_req") lines) is not the agent's" \
        "($(lines "$u_agent") lines) without the work note"
out=$(as "$u_req" --json ticket comment "$mine" "thanks-$$")
[[ $out == *"thanks-$$"* ]] && [[ $out != *"INTERNAL-$$"* ]] && ok ||
    bad "the requester's own comment answers with the ticket including the work note: $out"
out=$(as "$u_req" --json ticket list | items tickets | js "sorted((t['id'], t['requester']) for t in d)")
[ "$out" = "[('$mine', 'req1')]" ] && ok || bad "requester's ticket list is $out, not only $mine"
out=$(as "$u_agent" --json ticket list | items tickets | js "sorted(t['id'] for t in d)")
[[ $out == *"$mine"* && $out == *"$other"* ]] && ok || bad "the agent's ticket list is $out"
refused "an account linked to no desk user" "not linked" as "$u_nolink" whoami
refused "an account outside $ops" "permission denied" as "$u_out" whoami

# ---- 3. no forged author through any door -----------------------------------------------------
before=$(sd --json ticket list | items tickets | js "len(d)")
refused "--author" "--author" sd --author mallory ticket new --title "forged by option"
# A program that bypasses the CLI (a REQ socket, msgpack) and names an author of its own.
got=$(runuser -u "$u_agent" -- /usr/bin/python3 - "ipc://$data/sundesk.sock" <<'EOT'
import sys, msgpack, zmq
s = zmq.Context().socket(zmq.REQ)
s.rcvtimeo, s.linger = 5000, 0
s.connect(sys.argv[1])
s.send(msgpack.packb({"v": 1, "id": 1, "op": "ticket.new", "args": {
    "title": "forged by request", "requester": "req2", "author": "mallory"}}))
r = msgpack.unpackb(s.recv(), raw=False)
print("ok" if r["ok"] else r["error"]["code"] + ": " + r["error"]["message"])
EOT
)
[[ $got == unknown_field* ]] && ok || bad "a raw request with args.author: $got"
[ "$(sd --json ticket list | items tickets | js "len(d)")" = "$before" ] && ok ||
    bad "a forged request still made a ticket"
id=$(runuser -u "$u_agent" -- env SUNDESK_AUTHOR=mallory "$dir/sundesk" --data "$data" --json \
    ticket new --title "with SUNDESK_AUTHOR set" --requester req2 | id_of)
authors() { # the authors of ticket $1's events
    sd --json ticket history "$1" | items events | js "sorted(set(e['author'] for e in d))"
}
[ "$(authors "$id")" = "['agent1']" ] && ok || bad "SUNDESK_AUTHOR changed the author: $(authors "$id")"
tok_agent_json=$(token_json agent1)
tok_agent=$(js "d['token']" <<<"$tok_agent_json")
[[ $tok_agent == sdt_* ]] && ok || bad "token new --user agent1: $tok_agent_json"
[ "$(sd --token "$tok_agent" --json whoami | js "d['user']")" = agent1 ] && ok ||
    bad "root holding agent1's token is not agent1"
id=$(sd --token "$tok_agent" --json ticket new --title "with a token" --requester req2 | id_of)
sd --token "$tok_agent" ticket ack "$id" >/dev/null || bad "ack with agent1's token"
[ "$(authors "$id")" = "['agent1']" ] && ok || bad "events made with agent1's token: $(authors "$id")"

# ---- 4. tokens over tcp -----------------------------------------------------------------------
# Made on the ipc socket by root (the bootstrap admin), used over tcp.
tok_adm=$(token_json adm1 | js "d['token']")
rev_json=$(token_json req1)
tok_rev=$(js "d['token']" <<<"$rev_json") tok_rev_id=$(js "d['id']" <<<"$rev_json")
tok_req=$(token_json req1 | js "d['token']")
stop_node || bad "the ipc node did not stop cleanly"
printf 'node\n    endpoint = tcp://127.0.0.1:%s\n    auth = token\n' "$port" >"$dir/tcp.zpl"
"$bin/node/sundeskd" --data "$data" --config "$dir/tcp.zpl" >>"$dir/node.log" 2>&1 &
node_pid=$!
s_tcp_up() { tsd --token "$tok_adm" node ping >/dev/null 2>&1 || ! kill -0 "$node_pid" 2>/dev/null; }
within 10 s_tcp_up && kill -0 "$node_pid" 2>/dev/null || { bad "tcp node did not start"; finish; exit 1; }
refused "tcp without a token" "token" tsd whoami
bad_token=sdt_$(printf '%064d' 0)
refused "tcp with a made-up token" "token" tsd --token "$bad_token" whoami
[ "$(tsd --token "$tok_agent" --json whoami | js "d['user']")" = agent1 ] && ok ||
    bad "agent1's token over tcp"
tsd --token "$tok_agent" ticket ack "$mine" >/dev/null && ok || bad "agent1 acks $mine over tcp"
[ "$(tsd --token "$tok_rev" --json whoami | js "d['user']")" = req1 ] && ok ||
    bad "req1's token before its revocation"
tsd --token "$tok_adm" token revoke "$tok_rev_id" >/dev/null || bad "adm1 revokes $tok_rev_id"
refused "a revoked token" "revoked" tsd --token "$tok_rev" whoami
[ "$(tsd --token "$tok_req" --json whoami | js "d['user']")" = req1 ] && ok ||
    bad "req1's other token before the disable"
tsd --token "$tok_adm" user disable req1 >/dev/null || bad "adm1 disables req1"
refused "a disabled user's token" "disabled" tsd --token "$tok_req" whoami
pw="pw-$$-correct-horse" pw_wrong="pw-$$-wrong-horse"
printf '%s\n' "$pw" | tsd --token "$tok_adm" user passwd agent1 --password-stdin >/dev/null ||
    bad "adm1 sets agent1's password"
refused "login with a wrong password" "wrong" tsd login agent1 --password-stdin <<<"$pw_wrong"
out=$(tsd login agent1 --password-stdin <<<"$pw") || bad "login agent1 with its password"
# The CLI keeps the session for later commands to this endpoint (mode 0600), and never shows it.
sessions="$dir/config/sundesk/sessions"
session=$(grep -o 'sds_[0-9a-f]*' "$sessions" 2>/dev/null)
[ -n "$session" ] && [[ $out != *"$session"* ]] && ok ||
    bad "login kept no session in $sessions, or printed it: $out"
[ "$(stat -c %a "$sessions" 2>/dev/null)" = 600 ] && ok || bad "$sessions is not mode 0600"
[ "$(tsd --json whoami | js "d['user']")" = agent1 ] && ok ||
    bad "commands after the login do not act as agent1: $(tsd whoami 2>&1)"

# ---- 5. audit ---------------------------------------------------------------------------------
audit_json() { tsd --token "$tok_adm" --json audit "$@" | items entries; }
# Refusals are written a moment after they happen (node/auth/audit.h).
s_refused_ack() {
    audit_json "$@" 2>/dev/null | js "any(e['outcome'] == 'forbidden' and e['user'] == 'req1' and \
        e['op'] == 'ticket.ack' and e['record'] == '$other' for e in d)" | grep -q True
}
within 5 s_refused_ack --ticket "$other" && ok ||
    bad "audit --ticket $other shows no forbidden ticket.ack by req1"
audit_json --ticket "$other" | js "any(e['outcome'] == 'ok' and e['user'] == 'agent1' and \
    e['op'] == 'ticket.assign' for e in d)" | grep -q True && ok ||
    bad "audit --ticket $other does not show agent1's assign"
s_refused_ack --user req1 && ok || bad "audit --user req1 shows no forbidden ticket.ack of $other"
audit_json --user req1 | js "any(e['outcome'] == 'ok' and e['record'] == '$mine' and \
    e['op'] in ('ticket.create', 'ticket.new') for e in d)" | grep -q True && ok ||
    bad "audit --user req1 does not show the creation of $mine"
audit_json --user req1 | js "sorted(set(e['user'] for e in d))" | grep -qx "\['req1'\]" && ok ||
    bad "audit --user req1 shows other users"
human=$(tsd --token "$tok_adm" audit --user req1)
[[ $human == *forbidden* && $human == *"$other"* ]] && ok ||
    bad "the human audit --user req1 does not show the refusals: $human"
trail=$(tsd --token "$tok_adm" --json audit && tsd --token "$tok_adm" audit) ||
    bad "audit (every user) failed: its output cannot be searched for secrets"
trail="$human $trail"
for secret in "$tok_agent" "$tok_adm" "$tok_rev" "$tok_req" "$session" "$bad_token" "$pw" "$pw_wrong"; do
    [ -n "$secret" ] || continue # its own check failed above
    hex=${secret#sd?_} # a log that drops the prefix leaks it all the same
    [[ $trail != *"$hex"* ]] && ok || bad "the audit trail shows a secret (${secret:0:8}...)"
    grep -qF "$hex" "$dir/node.log" && bad "the node log shows a secret (${secret:0:8}...)" || ok
done
stop_node || bad "the tcp node did not stop cleanly"
finish
