#!/usr/bin/env bash
# test_chat_robots.sh - chat robots end to end: a real sundeskd whose chat section points four
# robots (dingtalk, feishu, wecom, webhook) at robot_receiver.py, which checks each kind's
# signature and payload on its own. A P1 ticket of the network team reaches that team's robots
# and not the servers team's; its on-call page (the site is in a gap) and a bulletin reach the
# robots that want them; a burst of bulletins beyond per_minute is held in the send queue, kept
# across a kill -9, and delivered when the minute has passed; after a restart nothing is posted
# twice.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
recv_pid=""
LIB_BEFORE_RM=s_stop_receiver
s_stop_receiver() { [ -n "$recv_pid" ] && kill "$recv_pid" 2>/dev/null && wait "$recv_pid" 2>/dev/null; }

# The receiver, with the robots' secret.
printf 'SEC-e2e-%s\n' "$RANDOM$RANDOM" >"$dir/robot.secret"
chmod 600 "$dir/robot.secret"
/usr/bin/python3 "$here/robot_receiver.py" --log "$dir/recv.jsonl" --port-file "$dir/recv.port" \
    --secret-file "$dir/robot.secret" &
recv_pid=$!
within 10 test -s "$dir/recv.port" || bad "the receiver did not start"
port=$(cat "$dir/recv.port")
touch "$dir/recv.jsonl"

# The site is never at work now (its one working hour is three days from today), so a P1 pages
# the person on call at once.
day=$(/usr/bin/python3 -c "import datetime; \
print(['mon','tue','wed','thu','fri','sat','sun'][(datetime.datetime.utcnow().weekday() + 3) % 7])")
cat >"$dir/desk.zpl" <<EOT
node
    site = APAC
http
    port = $(free_port)
schedule
    tick_ms = 100
    site
        name = APAC
        zone = UTC
        hours = "$day 10:00-11:00"
    oncall
        name = desk
        zone = UTC
        members = "amy bob"
        handoff = "mon 09:00"
        start = 2026-01-05
chat
    robot
        name = net-ding
        kind = dingtalk
        url = "http://127.0.0.1:$port/dingtalk/net?access_token=T-net"
        secret_file = $dir/robot.secret
        events = new_p1, page
        teams = network
    robot
        name = net-feishu
        kind = feishu
        url = "http://127.0.0.1:$port/feishu/net"
        secret_file = $dir/robot.secret
        events = new_p1
        teams = network
    robot
        name = srv-wecom
        kind = wecom
        url = "http://127.0.0.1:$port/wecom/srv?key=K-srv"
        events = new_p1, page
        teams = servers
    robot
        name = all-hook
        kind = webhook
        url = "http://127.0.0.1:$port/webhook/all"
        secret_file = $dir/robot.secret
        events = bulletin
        per_minute = 3
EOT
out=$("$bin/node/sundeskd" --check-config --config "$dir/desk.zpl" 2>&1) && ok || bad "check-config: $out"
start_node --config "$dir/desk.zpl" || bad "node did not start"

# posts PATH-PREFIX [EVENT]: how many good requests the receiver logged for that path.
posts() {
    /usr/bin/python3 - "$dir/recv.jsonl" "$1" "${2:-}" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if not r["path"].startswith(sys.argv[2]):
        continue
    if sys.argv[3] and json.loads(r["body"]).get("event") != sys.argv[3]:
        continue
    n += 1
print(n)
EOF
}
# bad_posts: requests the receiver found wrong (signature, payload, size).
bad_posts() {
    /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if not r["ok"]:
        print(r["path"], r["problem"])' "$dir/recv.jsonl"
}
# contents PATH-PREFIX: every content posted there, one per line.
contents() {
    /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["path"].startswith(sys.argv[2]):
        print(r["content"].replace("\n", " | "))' "$dir/recv.jsonl" "$1"
}
at_least() { [ "$(posts "$1")" -ge "$2" ]; }

# A P1 of the network team: its robots hear of it, and of its page; the servers' robot does not.
id=$(sd ticket new --title "核心交换机宕机 core switch down" --requester noc@example.com \
    --impact 1 --urgency 1 --team network)
[[ $id == APAC-* ]] && ok || bad "ticket id '$id'"
within 20 at_least /dingtalk/net 2 && ok || bad "dingtalk: $(contents /dingtalk/net)"
within 20 at_least /feishu/net 1 && ok || bad "feishu: $(contents /feishu/net)"
has "$id" "$(contents /feishu/net)"
has "核心交换机宕机" "$(contents /dingtalk/net)"
# The page names the person on call.
within 10 bash -c "grep -q 'op=page' '$dir/node.log'" || bad "no page"
has "amy" "$(contents /dingtalk/net)"
# A P2 or a ticket of another team reaches nobody of these robots.
sd ticket new --title "Printer jam" --requester noc@example.com --impact 2 --urgency 2 \
    --team network >/dev/null
sleep 2 # nothing is to come: a bounded wait before the counts are read
check "dingtalk posts" "$(posts /dingtalk/net)" 2
check "wecom (team servers) posts" "$(posts /wecom/srv)" 0
# The outbox says which robots took the P1.
has "net-ding,net-feishu" "$(sd outbox list --ticket "$id")"
# A P1 of the servers team reaches the wecom robot (its notice and its page), not the network's.
id2=$(sd ticket new --title "存储阵列告警 storage array" --requester noc@example.com     --impact 1 --urgency 1 --team servers)
within 20 at_least /wecom/srv 2 && ok || bad "wecom: $(contents /wecom/srv)"
has "$id2" "$(contents /wecom/srv)"
check "dingtalk posts after the servers' P1" "$(posts /dingtalk/net)" 2

# A bulletin reaches the webhook, signed, with its fields.
now=$(s_now_ms)
sd bulletin new --title "Mail slow 邮件缓慢" --valid-until $((now + 3600000)) >/dev/null ||
    bad "bulletin new"
within 20 at_least /webhook/all 1 && ok || bad "webhook: no bulletin"
check "bulletin event" "$(posts /webhook/all bulletin)" 1
has "Mail slow 邮件缓慢" "$(contents /webhook/all)"

# A burst of five more: the robot posts 3 a minute, so two wait in the queue, then arrive.
t0=$(s_now_ms)
for i in 1 2 3 4 5; do
    sd bulletin new --title "Burst $i" --valid-until $((now + 3600000)) >/dev/null || bad "burst $i"
done
within 20 at_least /webhook/all 3 && ok || bad "webhook: the first of the burst"
sleep 3 # the limiter holds the rest: nothing more arrives inside the minute
got=$(posts /webhook/all)
t1=$(s_now_ms)
if [ $((t1 - t0)) -lt 50000 ]; then check "posts within the first minute" "$got" 3; fi
held=$(sd --json outbox list | /usr/bin/python3 -c '
import json, sys
print(sum(1 for e in json.load(sys.stdin)
          if e["channel"] == "chat" and e["kind"] == "bulletin" and e["state"] == "queued"))')
[ "$held" -ge 1 ] && ok || bad "nothing held in the outbox: $(sd outbox list)"
# The node is killed while they wait: the queue keeps them, the restarted node posts them.
kill -9 "$node_pid"; wait "$node_pid" 2>/dev/null; node_pid=""
start_node --config "$dir/desk.zpl" || bad "node did not start after kill -9"
within 120 at_least /webhook/all 6 && ok || bad "the held bulletins were not delivered: $(posts /webhook/all)"
for i in 1 2 3 4 5; do
    check "Burst $i posted once" "$(contents /webhook/all | grep -c "Burst $i")" 1
done
# Never more than per_minute (3) in a minute, the kill -9 included (59 s: the receiver's clock
# reads a post a little after the node's limiter counted it).
most=$(/usr/bin/python3 -c '
import json, sys
t = sorted(json.loads(l)["time"] for l in open(sys.argv[1], encoding="utf-8")
           if json.loads(l)["path"].startswith("/webhook/all"))
print(max(sum(1 for u in t if s <= u < s + 59) for s in t))' "$dir/recv.jsonl")
check "most webhook posts in a minute" "$most" 3

# A restart posts nothing again.
before=$(wc -l <"$dir/recv.jsonl")
stop_node || bad "unclean stop"
start_node --config "$dir/desk.zpl" || bad "node did not restart"
sd ticket new --title "After restart" --requester noc@example.com --impact 3 --urgency 3 >/dev/null
sleep 3 # a bounded wait for anything the restart would wrongly resend
check "posts after the restart" "$(wc -l <"$dir/recv.jsonl")" "$before"
out=$(bad_posts)
[ -z "$out" ] && ok || bad "the receiver refused: $out"
grep -q "SEC-e2e" "$dir/node.log" && bad "the secret is in the log" || ok
stop_node || bad "unclean stop"
finish
