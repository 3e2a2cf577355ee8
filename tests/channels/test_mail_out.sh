#!/usr/bin/env bash
# test_mail_out.sh - the desk's notifications through a real Postfix (tests/channels/mta.sh) and a
# real sundeskd: a Chinese GBK mail through the alias pipe opens a ticket and its sender gets the
# acknowledgement with the promised reply time and the desk's Message-ID (sent over SMTP by
# libcurl); an agent's public reply arrives In-Reply-To the sender's message; the sender's own
# reply by mail threads and is not echoed back; the resolution arrives with the console link;
# the history holds a contact per mail (call_id the Message-ID, author mailer@SITE) and the ack.
# Then through `sendmail -t -i` (Postfix's, on the test's config): the node killed -9 while
# sendmail holds a notice leaves it `unknown` - not resent by the restart, shown by outbox list,
# sent once by outbox retry - and a kill -9 / restart after mail went out sends nothing twice.
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/mta.sh"

corpus="$(dirname "$0")/mail/corpus"
node_port=$(free_port)
MTA_DESK_COMMAND="$bin/tools/mailgate/sundesk-mailgate --node tcp://127.0.0.1:$node_port --token-file $mta_dir/mailgate.token"
mta_start || { bad "postfix did not start"; finish; exit 1; }

conf() { # conf TRANSPORT_LINES: the node's config with the mail section's transport
    cat >"$dir/desk.zpl" <<EOF
node
    site = APAC
    endpoint = tcp://127.0.0.1:$node_port
    auth = token
mail
    address = $mta_desk
    domain = $mta_domain
    console_url = https://desk.example.com/
    language = zh-CN
$1
EOF
}
conf "    transport = smtp
    smtp_url = smtp://127.0.0.1:$mta_port"
start_node --config "$dir/desk.zpl" || { bad "node did not start"; finish; exit 1; }
expect_ok user new mailgate --name "Mail gateway" --role agent
token=$(sd --json token new --user mailgate 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
mta_token_file "$token" >/dev/null
expect_ok user new li --name "Li Wei" --role agent

# mails FIELD...: one line per message of the test mailbox: the fields asked for, decoded
# (subject, to, message-id, in-reply-to, auto-submitted, x-auto-response-suppress, body).
mails() {
    /usr/bin/python3 - "$mta_mailbox" "$@" <<'PY'
import mailbox, sys
from email.header import decode_header, make_header
for m in mailbox.mbox(sys.argv[1]):
    out = []
    for f in sys.argv[2:]:
        if f == "body":
            out.append(m.get_payload(decode=True).decode("utf-8").replace("\n", " | "))
        else:
            out.append(str(make_header(decode_header(m.get(f, "")))))
    print(" ## ".join(out))
PY
}
nth() { mails "${@:2}" | sed -n "$1p"; }

# 1. A Chinese mail labelled gb2312 (GBK characters) opens a ticket; the acknowledgement comes.
mta_send "$corpus/outlook_gb2312_gbk.eml" || bad "mta_send"
has_ticket() { [ "$(sd ticket list 2>/dev/null | grep -c APAC-000001)" -ge 1 ]; }
within 60 has_ticket || bad "no ticket from the mail: $(mta_log | tail -5)"
t=APAC-000001
check "title" "$(json ticket show $t -- "d['title']")" "打印机故障 – 王镕的办公室"
mta_wait_mailbox 1 60 || bad "no acknowledgement: $(sd outbox list 2>&1)"
ack=$(nth 1 to subject message-id auto-submitted x-auto-response-suppress)
has "wang.rong@corp.example.cn" "$ack"
has "[$t] 我们已收到您的请求：打印机故障 – 王镕的办公室" "$ack"
has "<sundesk.$t." "$ack"
has "@$mta_domain>" "$ack"
has "auto-replied ## All" "$ack"
due=$(json ticket show $t -- "__import__('datetime').datetime.utcfromtimestamp(d['response_due']//1000).strftime('%Y-%m-%d %H:%M')")
has "我们承诺在 $due (UTC, UTC+00:00) 之前答复您" "$(nth 1 body)"
ack_id=$(nth 1 message-id)
acked() { [ "$(json ticket show $t -- "d['status']")" = acknowledged ]; }
within 30 acked || bad "the ticket was not acknowledged: $(sd ticket history $t)"
check "the ack promised the reply time" "$(json ticket show $t -- "d['reply_due'] == d['response_due']")" True
contact=$(json contact list --ticket $t -- "[(c['channel'], c['direction'], c['call_id'], c['agent']) for c in d]")
has "('email', 'out', '${ack_id:1:-1}', 'mailer@APAC')" "$contact"
has "by mailer@APAC" "$(sd ticket history $t | grep ' ack ')"

# 2. An agent's public reply goes to the sender, In-Reply-To the sender's message.
expect_ok ticket comment $t "请检查纸盒是否装好。" --public
mta_wait_mailbox 2 60 || bad "no reply mail: $(sd outbox list 2>&1)"
reply=$(nth 2 subject in-reply-to auto-submitted body)
has "[$t] 回复：打印机故障" "$reply"
has "<5F2A9C1B4E7D4C3A8B6E1F0A9D8C7B6A@CN-EX01.corp.example.cn>" "$reply"
has "auto-generated" "$reply"
has "请检查纸盒是否装好。" "$reply"

# 3. The sender answers by mail: it threads (In-Reply-To our acknowledgement) and is not echoed.
cat >"$dir/answer.eml" <<EOF
From: =?UTF-8?B?546L6ZWV?= <wang.rong@corp.example.cn>
To: $mta_desk
Subject: Re: [$t] 回复：打印机故障
Message-ID: <answer-1@corp.example.cn>
In-Reply-To: $ack_id
References: <5F2A9C1B4E7D4C3A8B6E1F0A9D8C7B6A@CN-EX01.corp.example.cn> $ack_id
Date: $(date -R)
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

纸盒是满的，还是卡纸。
EOF
mta_send "$dir/answer.eml" || bad "mta_send answer"
answered() { json ticket show $t -- "len(d['comments'])" | grep -qx 2; }
within 60 answered || bad "the answer did not thread: $(sd ticket show $t)"

# 4. Resolved: the resolution with the console link; exactly three mails (no echo of step 3).
expect_ok ticket assign $t --assignee li
expect_ok ticket resolve $t "更换了搓纸轮。"
mta_wait_mailbox 3 60 || bad "no resolution mail: $(sd outbox list 2>&1)"
res=$(nth 3 subject body)
has "[$t] 已解决：打印机故障" "$res"
has "更换了搓纸轮。" "$res"
has "https://desk.example.com/#/tickets/$t" "$res"
check "three mails, none twice" "$(mta_mailbox_count)" 3
check "outbox: three sent" "$(json outbox list --ticket $t -- "sorted(e['kind'] + ':' + e['state'] for e in d)")" \
    "['ack:sent', 'reply:sent', 'resolved:sent']"
contacts() { [ "$(json contact list --ticket $t -- "len(d)")" = "$1" ]; }
within 30 contacts 3 || bad "not three contacts: $(sd contact list --ticket $t)"

# 5. kill -9 after the mail went out: the restart sends nothing again.
kill -9 "$node_pid"; wait "$node_pid" 2>/dev/null; node_pid=""
# Postfix's own sendmail on the test's config; the wrapper holds a notice until told to go.
cat >"$dir/sendmail" <<EOF
#!/bin/sh
echo \$\$ >"$dir/sendmail.pid"
if [ ! -e "$dir/go" ]; then
    touch "$dir/holding"
    i=0; while [ ! -e "$dir/go" ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
fi
MAIL_CONFIG="$mta_dir/etc" exec /usr/sbin/sendmail "\$@"
EOF
chmod 755 "$dir/sendmail"
conf "    transport = sendmail
    sendmail = $dir/sendmail"
start_node --config "$dir/desk.zpl" || bad "node did not restart"
check "nothing resent" "$(mta_mailbox_count)" 3
check "no new entries" "$(json outbox list -- "len(d)")" 3

# 6. The node dies while sendmail holds a notice: unknown after the restart, never resent by
# itself; outbox retry sends it once.
expect_ok ticket reopen $t --reason "又卡纸了"
expect_ok ticket comment $t "我们马上派人过去。" --public
holding() { [ -e "$dir/holding" ]; }
within 60 holding || bad "sendmail was not called: $(sd outbox list 2>&1)"
kill -9 "$node_pid"; wait "$node_pid" 2>/dev/null; node_pid=""
kill -9 "$(cat "$dir/sendmail.pid")" 2>/dev/null
touch "$dir/go"
start_node --config "$dir/desk.zpl" || bad "node did not restart"
unknown=$(json outbox list --state unknown -- "[e['id'] for e in d]")
check "one unknown" "$(json outbox list --state unknown -- "len(d)")" 1
has "the node stopped while handing it off" "$(sd outbox list --state unknown)"
expect_ok ticket comment $t "这是第二条回复。" --public # later events are still sent
mta_wait_mailbox 4 60 || bad "the later reply was not sent: $(sd outbox list 2>&1)"
check "the unknown one was not resent" "$(mta_mailbox_count)" 4
has "这是第二条回复。" "$(nth 4 body)"
id=$(json outbox list --state unknown -- "d[0]['id']")
expect_ok outbox retry "$id"
mta_wait_mailbox 5 60 || bad "the retried notice was not sent: $(sd outbox list 2>&1)"
has "我们马上派人过去。" "$(nth 5 body)"
check "its Message-ID" "$(nth 5 message-id)" "<$id>"
expect_fail "is not failed or unknown" outbox retry "$id"
expect_fail "no outbox entry" outbox retry "nothing@here"
check "all sent" "$(json outbox list -- "sorted(set(e['state'] for e in d))")" "['sent']"
mta_flush >/dev/null 2>&1
check "five mails in all" "$(mta_mailbox_count)" 5
finish
