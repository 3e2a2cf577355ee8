#!/usr/bin/env bash
# test_intake.sh - inbound mail and chat through a real sundeskd, as an integration meets it:
# the gateway is a desk user (agent role) with its own API token; a raw message put as blob
# parts over HTTP and joined, read back byte for byte (HTTP and `sundesk blob get --out`); a
# mail (POST /api/v1/mail/messages) opens a ticket, its retry writes nothing, a reply threads
# by the desk's Message-ID and reopens the resolved ticket; an auto-reply opens nothing; with
# mail/unknown_sender = hold a stranger's mail waits in `sundesk message list --state held`
# until released; a chat conversation (POST /api/v1/chat/messages) keeps to one ticket; the
# node restarted keeps it all.
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"

port=$(free_port)
url="http://127.0.0.1:$port/api/v1"
printf 'node\n    site = APAC\nhttp\n    port = %s\nmail\n    unknown_sender = hold\n' "$port" \
    >"$dir/desk.zpl"
start_node --config "$dir/desk.zpl" || bad "node did not start"
expect_ok user new mailgate --name "Mail gateway" --role agent
expect_ok user new li --name "Li Wei" --role agent
gate=$(sd --json token new --user mailgate 2>/dev/null | sed -n 's/.*"token":"\(sdt_[0-9a-f]*\)".*/\1/p')
[ -n "$gate" ] && ok || bad "no token for the gateway"
expect_ok customer new --name "王芳" --emails "wang.fang@example.com"

# post PATH JSON: the answer's body into $dir/body, its status printed.
post() {
    curl -s -o "$dir/body" -w '%{http_code}' -H "Authorization: Bearer $gate" \
        -H 'Content-Type: application/json' --data-binary "$2" "$url$1"
}
field() { python3 -c "import json,sys; d=json.load(open('$dir/body')); print($1)"; }
mid() { python3 -c "import hashlib,sys; print('M-'+hashlib.blake2b(('email\n'+sys.argv[1]).encode(),digest_size=16).hexdigest()[:30])" "$1"; }

# A raw message of 100 000 bytes: three parts, joined; read back whole.
python3 -c "import sys; sys.stdout.buffer.write(bytes(range(256))*390 + b'end')" >"$dir/raw.eml"
split -b 49152 "$dir/raw.eml" "$dir/part."
parts=""
for p in "$dir"/part.*; do
    code=$(curl -s -o "$dir/body" -w '%{http_code}' -H "Authorization: Bearer $gate" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$p" "$url/blobs")
    [ "$code" = 201 ] && ok || bad "blob part: $code $(cat "$dir/body")"
    parts="$parts${parts:+,}$(field "d['blob']")"
done
[ "$(post /blobs/join "{\"parts\":\"$parts\",\"type\":\"message/rfc822\"}")" = 200 ] && ok ||
    bad "join: $(cat "$dir/body")"
raw=$(field "d['blob']")
check "joined size" "$(field "d['size']")" 99843
want="b2-$(python3 -c "import hashlib; print(hashlib.blake2b(open('$dir/raw.eml','rb').read(),digest_size=32).hexdigest())")"
check "the id is the content's" "$raw" "$want"
curl -s -D "$dir/headers" -o "$dir/back.eml" -H "Authorization: Bearer $gate" "$url/blobs/$raw"
cmp -s "$dir/raw.eml" "$dir/back.eml" && ok || bad "HTTP blob differs"
grep -qi '^content-type: message/rfc822' "$dir/headers" && ok || bad "blob type: $(cat "$dir/headers")"
expect_ok blob get "$raw" --out "$dir/cli.eml"
cmp -s "$dir/raw.eml" "$dir/cli.eml" && ok || bad "CLI blob differs"
expect_fail "is not at this node" blob get "b2-$(printf '0%.0s' {1..64})"

# A mail from a known customer opens a ticket; its retry writes nothing.
m1=$(mid "CAF=first@mail.example.com")
body1="{\"id\":\"$m1\",\"message_id\":\"<CAF=first@mail.example.com>\",\"from\":\"Wang.Fang@example.com\",\"from_name\":\"王芳\",\"subject\":\"打印机卡纸\",\"text\":\"三楼打印机又卡纸了\",\"raw\":\"$raw\"}"
[ "$(post /mail/messages "$body1")" = 200 ] && ok || bad "mail.ingest: $(cat "$dir/body")"
t1=$(field "d['message']['ticket']")
check "new" "$(field "d['message']['thread_by']")" new
check "title" "$(json ticket show "$t1" -- "d['title']")" "打印机卡纸"
check "requester" "$(json ticket show "$t1" -- "d['requester']")" "wang.fang@example.com"
n=$(json ticket list -- "len(d)")
[ "$(post /mail/messages "$body1")" = 200 ] && ok || bad "retry: $(cat "$dir/body")"
check "retry: same ticket" "$(field "d['message']['ticket']")" "$t1"
check "retry: no new ticket" "$(json ticket list -- "len(d)")" "$n"
has "$t1" "$(sd message list --ticket "$t1")"
has "三楼打印机又卡纸了" "$(sd message show "$m1")"

# Resolved, then the customer answers the desk's mail: the ticket reopens with the reply.
expect_ok ticket ack "$t1"
expect_ok ticket assign "$t1" --assignee li
expect_ok ticket resolve "$t1" "cleared the jam"
m2=$(mid "CAF=second@mail.example.com")
[ "$(post /mail/messages "{\"id\":\"$m2\",\"message_id\":\"CAF=second@mail.example.com\",\"from\":\"wang.fang@example.com\",\"subject\":\"Re: [$t1] 打印机卡纸\",\"in_reply_to\":\"<sundesk.$t1.0f1e@apac.example.com>\",\"text\":\"还是卡纸\"}")" = 200 ] &&
    ok || bad "reply: $(cat "$dir/body")"
check "reply threads" "$(field "d['message']['thread_by']"):$(field "d['message']['ticket']")" "in_reply_to:$t1"
check "reopened" "$(json ticket show "$t1" -- "d['status']")" in_progress
has "还是卡纸" "$(json ticket show "$t1" -- "d['comments'][-1]['body']")"

# An auto-reply opens nothing.
m3=$(mid "ooo@example.com")
[ "$(post /mail/messages "{\"id\":\"$m3\",\"message_id\":\"ooo@example.com\",\"from\":\"wang.fang@example.com\",\"class\":\"auto\",\"subject\":\"Out of office\"}")" = 200 ] && ok || bad "auto"
check "auto ignored" "$(field "d['message']['state']")" ignored

# A stranger's mail is held until released.
m4=$(mid "stranger@example.com")
[ "$(post /mail/messages "{\"id\":\"$m4\",\"message_id\":\"stranger@example.com\",\"from\":\"new.hire@example.com\",\"subject\":\"No access\"}")" = 200 ] && ok || bad "held"
check "held" "$(field "d['message']['state']")" held
has "$m4" "$(sd message list --state held)"
out=$(sd message release "$m4")
has "state          ticket" "$out"
check "released" "$(json message show "$m4" -- "d['state'] + ' ' + d['thread_by']")" "ticket new"

# A chat conversation keeps to one ticket.
[ "$(post /chat/messages '{"source":"wecom","conversation":"g-7","sender":"wangfang","sender_name":"王芳","text":"VPN 连不上","message_id":"c1"}')" = 200 ] && ok || bad "chat: $(cat "$dir/body")"
t2=$(field "d['message']['ticket']")
[ "$(post /chat/messages '{"source":"wecom","conversation":"g-7","sender":"wangfang","text":"还是不行","message_id":"c2"}')" = 200 ] && ok || bad "chat 2"
check "chat continues" "$(field "d['message']['thread_by']"):$(field "d['message']['ticket']")" "conversation:$t2"
check "chat ticket" "$(json ticket show "$t2" -- "d['channel']")" chat

# Ingest is the gateway's right, not a requester's.
expect_ok user new zhao --name "Zhao" --role requester
rq=$(sd --json token new --user zhao 2>/dev/null | sed -n 's/.*"token":"\(sdt_[0-9a-f]*\)".*/\1/p')
code=$(curl -s -o "$dir/body" -w '%{http_code}' -H "Authorization: Bearer $rq" \
    -H 'Content-Type: application/json' --data-binary "$body1" "$url/mail/messages")
check "requester refused" "$code" 403

# A restart keeps messages and blobs.
stop_node || bad "node did not stop cleanly"
start_node --config "$dir/desk.zpl" || bad "node did not restart"
check "after restart" "$(json message show "$m1" -- "d['ticket']")" "$t1"
expect_ok blob get "$raw" --out "$dir/again.eml"
cmp -s "$dir/raw.eml" "$dir/again.eml" && ok || bad "blob lost in restart"
finish
