#!/usr/bin/env bash
# test_intake_cluster.sh - one mail delivered to two sites (two MX hosts) while they cannot hear
# each other (the hub down): each node takes it (its own ticket, its own blob); once the hub is
# back every node holds one message record for it (the id is the Message-ID's), the same
# everywhere (equal digests); the mail's retry at a third site answers that record and writes
# nothing; a node without the blob answers not_found naming the site that has it.
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/cluster_lib.sh"

msgid="CAF=twice@mail.example.com"
id=$(python3 -c "import hashlib,sys; print('M-'+hashlib.blake2b(('email\n'+sys.argv[1]).encode(),digest_size=16).hexdigest()[:30])" "$msgid")
# mail NODE [RAW]: the gateway's mail.ingest at NODE (as the bootstrap admin); prints the message.
mail() {
    at "$1" --json message mail --id "$id" --message-id "$msgid" --from wang.fang@example.com \
        --subject "打印机卡纸" --text "三楼打印机卡纸" ${2:+--raw "$2"}
}
field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['message']['$1'])"; }
view() { at "$1" --json message show "$id" 2>/dev/null | /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }

cluster start && ok || bad "cluster did not start"
converged 0 && ok || bad "an empty cluster converges"

# The hub down: APAC and EMEA each take the mail, its raw form a blob of their own.
pid=$(cat "$dir/c/hub.pid"); kill -TERM "$pid"; gone "$pid"
raw=$(at apac --json blob put --data "raw bytes of the mail" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['blob'])")
ta=$(mail apac "$raw" | field ticket) && [ -n "$ta" ] && ok || bad "mail at APAC"
te=$(mail emea | field ticket) && [ -n "$te" ] && ok || bad "mail at EMEA"
[ "$ta" != "$te" ] && ok || bad "each site opened its own ticket: $ta $te"

# The hub back: one record everywhere, the same at every node.
cluster start
converged 2 && ok || bad "every node converges (two tickets, equal digests)"
site=$(view hub "d['site']")
for n in $nodes; do
    [ "$(view "$n" "d['site'] + ' ' + d['ticket']")" = "$(view hub "d['site'] + ' ' + d['ticket']")" ] && ok ||
        bad "message at $n differs"
done
[ "$(at hub --json message list | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" = 1 ] &&
    ok || bad "one message record"

# The retry at AMER: the record as it is, nothing written.
before=$(digest amer)
t=$(mail amer | field ticket)
[ "$t" = "$(view amer "d['ticket']")" ] && ok || bad "retry at AMER answers the record"
[ "$(digest amer)" = "$before" ] && ok || bad "retry at AMER wrote something"

# The blob is APAC's: AMER names the site of the message that holds it (when APAC's write of
# the message won) or says it is not there.
err=$(at amer blob get "$raw" 2>&1 >/dev/null)
if [ "$site" = APAC ]; then has "site APAC has it" "$err"; else has "is not at this node" "$err"; fi
at apac blob get "$raw" --out "$dir/raw" 2>/dev/null && [ "$(cat "$dir/raw")" = "raw bytes of the mail" ] && ok ||
    bad "APAC serves its blob"
finish
