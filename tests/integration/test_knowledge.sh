#!/usr/bin/env bash
# test_knowledge.sh - the knowledge base and bulletins through the sundesk CLI against a real
# sundeskd: an article written, updated twice (three versions), a version shown, a diff, the
# transitions (publish, retire, republish; a refused one names what is allowed), a ticket
# resolved with the article (solved = 1), a link and a helpful click; a requester sees only
# published public articles (a draft is not found) and may say one helped; bulletins: new,
# list --current (one not yet valid and one withdrawn left out), and an outage bulletin that
# follows its major incident out when the ticket is resolved.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

start_node || bad "node did not start"
expect_ok user new li --name "Li Wei" --role agent

printf '# VPN 密码重置\n\n1. 打开门户\n2. 点击"忘记密码"\n3. 检查邮件\n' >"$dir/v1.md"
id=$(sd article new --title "VPN 密码重置" --body-file "$dir/v1.md" --category network/vpn \
     --language zh-CN --audience public --keywords "VPN,密码")
check "article new" "$id" LOCAL-KB-000001
check "draft" "$(json article show "$id" -- "d['state']")" draft
printf '# VPN 密码重置\n\n1. 打开门户 https://portal\n2. 点击"忘记密码"\n3. 检查邮件\n4. 重新连接 VPN\n' >"$dir/v2.md"
expect_ok article update "$id" --body-file "$dir/v2.md" --base-version 1
expect_ok article update "$id" --title "VPN 密码重置 (Windows)" --base-version 2
check "three versions" "$(json article show "$id" -- "[v['version'] for v in d['versions']]")" "[1, 2, 3]"
check "current is the last" "$(json article show "$id" -- "[d['version'], d['title']]")" "[3, 'VPN 密码重置 (Windows)']"
check "version 1's text" "$(json article version "$id" 1 -- "d['body'] == open('$dir/v1.md').read()")" True
check "show --version" "$(json article show "$id" --version 2 -- "d['title']")" "VPN 密码重置"
diff=$(sd article diff "$id" 1 2)
has "--- $id version 1" "$diff"
has "-1. 打开门户" "$diff"
has "+1. 打开门户 https://portal" "$diff"
has "+4. 重新连接 VPN" "$diff"
check "equal versions, empty diff" "$(sd article diff "$id" 2 3)" ""
check "diff ID: the last edit" "$(json article diff "$id" -- "[d['from'], d['to']]")" "[2, 3]"
expect_fail "has no version 9" article diff "$id" 1 9
expect_fail "is not allowed (allowed: update, publish" article retire "$id"
expect_ok article publish "$id"
expect_fail "is published; publish is not allowed" article publish "$id"
expect_ok article retire "$id"
expect_ok article publish "$id"
check "published" "$(json article show "$id" -- "d['state']")" published

# A ticket resolved with it: solved counts it; a linked ticket shows too.
t1=$(sd ticket new --title "VPN 连不上" --requester wang | head -1)
t2=$(sd ticket new --title "VPN again" --requester wang | head -1)
expect_ok ticket ack "$t1"
expect_ok ticket assign "$t1" --assignee li
expect_fail "article LOCAL-KB-000099 does not exist" ticket resolve "$t1" "reset" --article LOCAL-KB-000099
expect_ok ticket resolve "$t1" "reset the password" --article "$id"
check "ticket records it" "$(json ticket show "$t1" -- "d['article']")" "$id"
has "article     $id" "$(sd ticket show "$t1")"
check "solved" "$(json article show "$id" -- "d['solved']")" 1
expect_ok article link "$id" "$t2"
check "tickets" "$(json article show "$id" -- "sorted(d['tickets'])")" "['$t1', '$t2']"
expect_fail "ticket LOCAL-000099 does not exist" article link "$id" LOCAL-000099

# A requester: published public articles only; a draft is not found, not forbidden.
draft=$(sd article new --title "Internal runbook" --body "secret steps")
expect_ok user new wang --name "Wang Fang" --role requester
tok=$(sd --json token new --user wang 2>/dev/null | sed -n 's/.*"token":"\(sdt_[0-9a-f]*\)".*/\1/p')
rq() { SUNDESK_TOKEN=$tok sd "$@"; }
check "requester reads it" "$(SUNDESK_TOKEN=$tok json article show "$id" -- "d['title']")" "VPN 密码重置 (Windows)"
err=$(rq article show "$draft" 2>&1 >/dev/null)
has "article $draft does not exist" "$err"
check "requester's list" "$(SUNDESK_TOKEN=$tok json article list -- "[a['id'] for a in d]")" "['$id']"
err=$(rq article new --title x --body y 2>&1 >/dev/null)
has "forbidden" "$err"
rq article helpful "$id" >/dev/null && ok || bad "requester helpful"
expect_ok article helpful "$id"
check "helpful" "$(json article show "$id" -- "d['helpful']")" 2
check "list filter" "$(json article list --state draft -- "[a['id'] for a in d]")" "['$draft']"

# Bulletins: current now, one not yet valid, one withdrawn; and one that follows its incident.
now=$(s_now_ms)
b1=$(sd bulletin new --title "Mail slow" --severity info --valid-until $((now + 3600000)))
b2=$(sd bulletin new --title "Weekend maintenance" --severity maintenance \
     --valid-from $((now + 86400000)) --valid-until $((now + 90000000)))
b3=$(sd bulletin new --title "Old news" --valid-until $((now + 3600000)))
expect_ok bulletin withdraw "$b3"
expect_fail "is withdrawn; withdraw is not allowed" bulletin withdraw "$b3"
expect_fail "must be after valid_from" bulletin new --title x --valid-from $((now + 10)) --valid-until $now
check "list --current" "$(json bulletin list --current -- "[b['id'] for b in d]")" "['$b1']"
check "list all" "$(json bulletin list -- "len(d)")" 3
m=$(sd ticket new --title "Core switch down" --requester wang | head -1)
expect_fail "is not a major incident" bulletin new --title x --incident "$m" --valid-until $((now + 3600000))
expect_ok ticket declare-major "$m"
b4=$(sd bulletin new --title "Network outage" --severity outage --incident "$m" --valid-until $((now + 3600000)))
check "outage current" "$(json bulletin show "$b4" -- "d['current']")" True
check "requester sees current" "$(SUNDESK_TOKEN=$tok json bulletin list -- "sorted(b['id'] for b in d)")" "['$b1', '$b4']"
expect_ok ticket ack "$m"
expect_ok ticket assign "$m" --assignee li
expect_ok ticket resolve "$m" "switch replaced"
check "closed with its incident" "$(json bulletin show "$b4" -- "d['current']")" False
err=$(rq bulletin show "$b4" 2>&1 >/dev/null)
has "bulletin $b4 does not exist" "$err"
check "requester's current" "$(SUNDESK_TOKEN=$tok json bulletin list -- "[b['id'] for b in d]")" "['$b1']"

finish
