#!/bin/bash
# test_mail_inbound.sh - mail in, end to end with real parts: a test-owned Postfix (mta.sh)
# delivers over SMTP through its alias pipe to sundesk-mailgate, which stores into a real
# sundeskd over tcp with the mail gateway's own token (a desk user with the agent role limited
# to its site; the pipe runs as nobody). A Chinese gb2312/GBK message becomes a ticket with the
# right title; its reply threads onto it; an auto-reply and a bounce open nothing; the same
# message again is one record; the raw message and an attachment come back byte for byte; the
# node down: Postfix defers, and after the restart delivers, nothing lost and nothing twice; a
# message over --max-bytes bounces to its sender with the reason; a refused token is 77.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/mta.sh"
corpus=$here/mail/corpus

port=$(free_port)
printf 'node\n    site = APAC\n    endpoint = tcp://127.0.0.1:%s\n    auth = token\nmail\n    domain = %s\n    address = %s\n' \
    "$port" "$mta_domain" "$mta_desk" >"$dir/node.zpl"
start_node --config "$dir/node.zpl" || { bad "node did not start"; finish; exit 1; }
# The operator on the ipc socket makes the gateway's desk user and its token.
sd user new mailgate --name "Mail gateway" --role agent --sites APAC >/dev/null || bad "user new"
token=$(sd --json token new --user mailgate 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
[[ $token == sdt_* ]] && ok || bad "no token: $token"
tokfile=$(mta_token_file "$token")
MTA_DESK_COMMAND="$bin/tools/mailgate/sundesk-mailgate --node tcp://127.0.0.1:$port --token-file $tokfile --queue support --timeout 5 --max-bytes 1000000"
mta_start || { bad "postfix did not start"; finish; exit 1; }

js() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
tickets() { sd --json ticket list --limit 1000 | js 'len(d)'; }
messages() { sd --json message list --limit 1000 "$@"; }
# msg_field MESSAGE-ID FIELD: a field of the message record of that Message-ID.
msg_field() {
    messages | /usr/bin/python3 -c "
import json, sys
for m in json.load(sys.stdin):
    if m.get('message_id') == sys.argv[1]:
        print(m.get(sys.argv[2], '')); break" "$1" "$2"
}
s_msg_there() { [ -n "$(msg_field "$1" state)" ]; }
# deliver FILE [SENDER]: through Postfix; waits until the queue is empty again.
deliver() {
    mta_send "$@" || bad "smtp refused $1"
    mta_wait_queue_empty 30 || bad "$1 still queued: $(mta_log | tail -3)"
}

# ---- 1. a Chinese message labelled gb2312 with GBK-only characters: a ticket, its title right
deliver "$corpus/outlook_gb2312_gbk.eml"
id1=5F2A9C1B4E7D4C3A8B6E1F0A9D8C7B6A@CN-EX01.corp.example.cn
within 10 s_msg_there "$id1" || bad "the Outlook message is not stored: $(mta_log | grep status= | tail -2)"
check "state" "$(msg_field "$id1" state)" ticket
check "thread_by" "$(msg_field "$id1" thread_by)" new
t1=$(msg_field "$id1" ticket)
[ -n "$t1" ] && ok || bad "no ticket for the Outlook message"
check "title" "$(sd --json ticket show "$t1" | js "d['title']")" "打印机故障 – 王镕的办公室"
check "channel" "$(sd --json ticket show "$t1" | js "d['channel']")" email
check "tickets" "$(tickets)" 1
[ "$(mta_mailbox_count)" -eq 0 ] && ok || bad "something bounced: $(cat "$mta_mailbox")"

# ---- 2. the reply threads (In-Reply-To the first message's id), text kept ----------------------
cat >"$dir/reply.eml" <<EOF
From: =?utf-8?B?546L6ZWV?= <wang.rong@corp.example.cn>
To: support@desk.sundesk.test
Subject: =?utf-8?B?5Zue5aSNOiDmiZPljbDmnLrmlYXpmpw=?=
Date: Mon, 2 Sep 2024 11:00:00 +0800
Message-ID: <reply.1@corp.example.cn>
In-Reply-To: <$id1>
References: <$id1>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

打印机又坏了，请再看看。
EOF
deliver "$dir/reply.eml"
within 10 s_msg_there reply.1@corp.example.cn || bad "the reply is not stored"
check "reply's ticket" "$(msg_field reply.1@corp.example.cn ticket)" "$t1"
check "reply threaded by" "$(msg_field reply.1@corp.example.cn thread_by)" in_reply_to
check "tickets after the reply" "$(tickets)" 1

# ---- 3. an auto-reply and a bounce open nothing ------------------------------------------------
deliver "$corpus/autoreply_outlook.eml"
within 10 s_msg_there oof.1a2b3c@CN-EX01.corp.example.cn || bad "the auto-reply is not stored"
check "auto-reply state" "$(msg_field oof.1a2b3c@CN-EX01.corp.example.cn state)" ignored
deliver "$corpus/bounce_postfix.eml" "$mta_desk" ""
within 10 s_msg_there 4WxYz1AbCdz9sT@mx.desk.example.com || bad "the bounce is not stored"
check "bounce state" "$(msg_field 4WxYz1AbCdz9sT@mx.desk.example.com state)" bounce
check "tickets after auto-reply and bounce" "$(tickets)" 1
[ "$(mta_mailbox_count)" -eq 0 ] && ok || bad "the desk answered an auto-reply or a bounce"

# ---- 4. the same message again (a retry, or a second MX): one record, no second ticket ---------
n_before=$(messages | js 'len(d)')
deliver "$corpus/outlook_gb2312_gbk.eml"
check "messages after a duplicate" "$(messages | js 'len(d)')" "$n_before"
check "tickets after a duplicate" "$(tickets)" 1

# ---- 5. attachments and the raw message come back byte for byte -------------------------------
deliver "$corpus/attachments.eml"
within 10 s_msg_there att.1@corp.example.cn || bad "the attachments message is not stored"
raw=$(msg_field att.1@corp.example.cn raw)
sd blob get "$raw" --out "$dir/raw.eml" >/dev/null 2>&1 || bad "blob get raw"
# Postfix adds its trace headers above the message and hands it over with LF line ends: the
# message's own lines end the raw.
sed 's/\r$//' "$corpus/attachments.eml" >"$dir/sent.eml"
sed 's/\r$//' "$dir/raw.eml" | tail -c "$(stat -c %s "$dir/sent.eml")" | cmp -s - "$dir/sent.eml" &&
    ok || bad "raw message differs"
atts=$(msg_field att.1@corp.example.cn attachments)
pdf=$(printf '%s\n' "$atts" | awk -F'\t' '$4 == "license.pdf" {print $1}')
sd blob get "$pdf" --out "$dir/license.pdf" >/dev/null 2>&1 || bad "blob get license.pdf ($atts)"
want=$("$bin/tools/mailgate/sundesk-mailgate" --dry-run <"$corpus/attachments.eml" |
    js '[a["sha256"] for a in d["attachments"] if a["name"] == "license.pdf"][0]')
check "license.pdf" "$(sha256sum "$dir/license.pdf" | cut -d' ' -f1)" "$want"
printf '%s\n' "$atts" | grep -q "许可证清单.xlsx" && ok || bad "Chinese attachment name: $atts"
# A text over 32 KiB: its start in the record, the whole as the blob text_blob.
/usr/bin/python3 -c "
import sys
sys.stdout.write('From: long@corp.example.cn\nTo: $mta_desk\nSubject: long log\nMessage-ID: <long.1@corp.example.cn>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n' + '日志行 0123456789\n' * 3000)" >"$dir/long.eml"
deliver "$dir/long.eml"
within 10 s_msg_there long.1@corp.example.cn || bad "the long message is not stored"
check "text_truncated" "$(msg_field long.1@corp.example.cn text_truncated)" True
sd blob get "$(msg_field long.1@corp.example.cn text_blob)" --out "$dir/long.txt" >/dev/null 2>&1 ||
    bad "blob get text_blob"
check "whole text" "$(wc -l <"$dir/long.txt")" 2999 # the last line break is trimmed
t_before=$(tickets)

# ---- 6. the node down: Postfix defers (exit 75), then delivers once it is back -----------------
stop_node || bad "node did not stop cleanly"
mta_send "$corpus/gb2312_8bit_raw_header.eml" || bad "smtp refused while the node is down"
s_deferred() { mta_log | grep -q "status=deferred.*no node is running\|status=deferred.*try again"; }
within 30 s_deferred && ok || bad "not deferred: $(mta_log | grep status= | tail -2)"
[ "$(mta_queue_count)" -ge 1 ] && ok || bad "the message left the queue while the node was down"
start_node --config "$dir/node.zpl" || bad "node did not restart"
mta_flush
mta_wait_queue_empty 30 || bad "still queued after the restart"
within 10 s_msg_there 20240903100000.1234@example.cn || bad "the deferred message was lost"
check "tickets after the deferred one" "$(tickets)" $((t_before + 1))
check "that message once" "$(messages | js 'sum(1 for m in d if m["message_id"] == "20240903100000.1234@example.cn")')" 1
t2=$(msg_field 20240903100000.1234@example.cn ticket)
check "its title (raw 8-bit GBK subject)" "$(sd --json ticket show "$t2" | js "d['title']")" "网络中断 – 镕"
[ "$(mta_mailbox_count)" -eq 0 ] && ok || bad "something bounced: $(grep -a -A3 Diagnostic "$mta_mailbox")"

# ---- 7. no usable sender: a person's mail is refused (65, the reason), an automatic one kept -----
gate() { env -u SENDER "$bin/tools/mailgate/sundesk-mailgate" --node "tcp://127.0.0.1:$port" --token-file "$tokfile" "$@"; }
err=$(printf 'From: John\nMessage-ID: <nofrom.1@x.cn>\nSubject: s\n\nhi\n' | gate 2>&1 >/dev/null)
rc=$?
[ $rc -eq 65 ] && [[ $err == *"not an e-mail address"* ]] && ok || bad "no sender: rc=$rc $err"
printf 'From: MAILER-DAEMON (Mail Delivery System)\nMessage-ID: <md.1@x.cn>\nAuto-Submitted: auto-replied\nSubject: s\n\nhi\n' |
    gate >/dev/null || bad "an automatic message without an address was refused"
check "its state" "$(msg_field md.1@x.cn state)" ignored
check "its from" "$(msg_field md.1@x.cn from)" unknown@mailgate.invalid

# The node's own account on its ipc socket (--data, no token: as fetchmail run by the operator
# would): stored, and one line says the record, its state and ticket.
out=$(env -u SENDER "$bin/tools/mailgate/sundesk-mailgate" --data "$data" <"$corpus/big5_tw.eml")
[[ $out =~ ^M-[0-9a-f]{30}\ ticket\ APAC-[0-9]+$ ]] && ok || bad "--data: '$out'"
check "Big5 title" "$(sd --json ticket show "${out##* }" | js "d['title']")" "印表機無法連線"

# ---- 8. too big for the desk: Postfix bounces it to its sender with the gateway's one line -----
/usr/bin/python3 -c "
import sys
sys.stdout.write('From: big@corp.example.cn\nTo: $mta_desk\nSubject: huge\nMessage-ID: <huge.1@corp.example.cn>\n\n' + ('x' * 99 + '\n') * 12000)" >"$dir/huge.eml"
deliver "$dir/huge.eml"
mta_wait_mailbox 1 30 || bad "no bounce for the huge message"
grep -a -q "sundesk-mailgate: message refused: larger than 1000000" "$mta_mailbox" && ok ||
    bad "the bounce does not quote the reason: $(grep -a -A2 Diagnostic "$mta_mailbox")"
[ -z "$(msg_field huge.1@corp.example.cn state)" ] && ok || bad "the huge message was stored"

# ---- 9. a refused token: Postfix keeps the message (77 is a hard failure only by the admin's
# choice: the pipe's stderr line names the cause) ----------------------------------------------
printf 'sdt_0000000000000000000000000000000000000000\n' >"$tokfile"
err=$("$bin/tools/mailgate/sundesk-mailgate" --node "tcp://127.0.0.1:$port" --token-file "$tokfile" \
    <"$corpus/big5_tw.eml" 2>&1 >/dev/null); rc=$?
[ $rc -eq 77 ] && [[ $err == *mail.ingest* || $err == *blob.put* ]] && ok || bad "bad token: rc=$rc $err"
chmod 644 "$tokfile"
err=$("$bin/tools/mailgate/sundesk-mailgate" --node "tcp://127.0.0.1:$port" --token-file "$tokfile" \
    <"$corpus/big5_tw.eml" 2>&1 >/dev/null); rc=$?
[ $rc -eq 75 ] && [[ $err == *"chmod 600"* ]] && ok || bad "token file 0644: rc=$rc $err"

mta_stop
finish
