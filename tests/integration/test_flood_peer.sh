#!/usr/bin/env bash
# test_flood_peer.sh - a peer holding an admitted key (APAC's, stolen) sends 3,000 sync requests to
# the hub and never reads a reply: the hub's memory stays within its bound (node/repl/replica.h),
# it keeps answering a client and replicating, it counts what it dropped, and its log gets at
# most SD_LOG_LIMIT_LINES lines a minute about the peer.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"
# The bounds asserted on the hub's VmRSS, in kB: its growth while the flood is held (replica.h:
# about 16 MiB per requester connection that does not read), and an absolute 256 MB.
# Before these bounds, the same flood took the hub past 1.3 GB in 15 s (4.2 GB seen in the field).
bound_kb=$((64 * 1024))
limit_kb=$((256 * 1024))
flood_py="$(dirname "$0")/flood.py"
# Under AddressSanitizer (CI's second run) freed memory waits in a 256 MB quarantine that is not
# the node's own use: measure without it. Other builds ignore the variable.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
flooder=""
s_stop_all() { [ -z "$flooder" ] || kill "$flooder" 2>/dev/null; s_stop_cluster; }
LIB_BEFORE_RM=s_stop_all
repl_field() {
    at hub --json repl status | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"
}
hub_has() {
    at hub --json repl status | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['vector'].get('$1', 0))"
}
s_hub_has_all() { [ "$(hub_has APAC)" -ge 600 ] && [ "$(hub_has EMEA)" -ge 300 ] && [ "$(hub_has AMER)" -ge 300 ]; }
tickets() {
    /usr/bin/python3 "$flood_py" tickets "ipc://$(realpath "$dir/c/$1")/sundesk.sock" "$2" 8000
}

cluster start && ok || bad "cluster did not start"
hub_pid=$(cat "$dir/c/hub.pid")
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$hub_pid/status"; }
# Events of ~8 kB: a sync reply for APAC from seq 1 is the full 4 MiB of replication's limit,
# for EMEA and AMER 2.4 MB; the flood asks for each of them every time its answer is due.
[ "$(tickets apac 600)/$(tickets emea 300)/$(tickets amer 300)" = 600/300/300 ] && ok ||
    bad "the regions did not take the tickets"
within 30 s_hub_has_all && ok || bad "the hub holds $(hub_has APAC)/$(hub_has EMEA)/$(hub_has AMER) events"
before=$(rss)

/usr/bin/python3 "$flood_py" peer "tcp://127.0.0.1:$((SD_PORT_BASE + 2))" "$dir/c/keys/apac.cert" \
    "$dir/c/certs/hub.cert" 3000 APAC HUB EMEA AMER >"$dir/flood.out" 2>&1 &
flooder=$! # python itself, so that killing it closes its connection
s_sent() { grep -q "sent 3000" "$dir/flood.out"; }
s_dropped() { [ "$(repl_field sync_dropped)" -ge 1000 ]; }
most=$before
s_sample() { local now; now=$(rss); [ "$now" -gt "$most" ] && most=$now; s_sent && s_dropped; }
within 40 s_sample && ok || bad "the flood did not go out or was not dropped: $(cat "$dir/flood.out")"

# While the flood is held: the hub answers a client, and an EMEA ticket reaches APAC through it.
new_at emea "during the flood"
s_relayed() { s_sample; [ "$(count apac)" -ge 1201 ]; }
within 20 s_relayed && ok || bad "an EMEA ticket did not reach APAC through the hub"
for i in $(seq 5); do
    at hub node ping >/dev/null || bad "ping $i at the hub went unanswered"
    s_sample
done
echo "hub VmRSS: before ${before} kB, during the flood at most ${most} kB" \
    "(bounds: +${bound_kb} kB, ${limit_kb} kB)"
[ $((most - before)) -lt "$bound_kb" ] && ok || bad "VmRSS grew by $((most - before)) kB"
[ "$most" -lt "$limit_kb" ] && ok || bad "VmRSS reached $most kB"
echo "sync requests dropped: $(repl_field sync_dropped), replies dropped:" \
    "$(repl_field sync_replies_dropped), log lines held: $(repl_field log_lines_held)"
[ "$(repl_field sync_replies_dropped)" -gt 0 ] && ok || bad "no sync reply was dropped"
[ "$(repl_field log_lines_held)" -gt 0 ] && ok || bad "no refusal line was held back"
# At most 10 lines a minute about the peer, then one summary: this test takes under two minutes
# (ctest's timeout), where each of the ~3,000 dropped requests used to make a line.
lines=$(grep -c "sync re[a-z]* [a-z]*: peer=APAC" "$dir/c/hub.log")
[ "$lines" -ge 1 ] && [ "$lines" -le 21 ] && ok || bad "$lines log lines about APAC's requests"

# The flooder gone: the hub still serves and replicates, and its memory stays within the bound.
kill "$flooder"; wait "$flooder" 2>/dev/null; flooder=""
at hub node ping >/dev/null && ok || bad "no answer after the flood"
new_at amer "after the flood"
s_relayed_after() { [ "$(count apac)" -ge 1202 ]; }
within 20 s_relayed_after && ok || bad "an AMER ticket did not reach APAC after the flood"
after=$(rss)
echo "hub VmRSS after the flooder left: ${after} kB"
# The hub's own work goes on after the flood, so "after" is held to the same bound as "during".
[ $((after - before)) -lt "$bound_kb" ] && ok || bad "VmRSS after the flood grew by $((after - before)) kB"
cluster stop
pgrep -f "sundeskd --data $dir" >/dev/null && bad "processes left behind" || ok
finish
