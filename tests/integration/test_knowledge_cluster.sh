#!/usr/bin/env bash
# test_knowledge_cluster.sh - two sites edit one article at once (issue 16): with the hub down,
# APAC and EMEA each write a new version from version 1 without seeing the other's; once the hub
# is back every node holds the same article (equal digests) with both edits kept as versions 2
# and 3, numbered alike everywhere, the later one current.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"

# view NODE EXPR: EXPR on article $id as NODE's article.get shows it (as d).
view() {
    at "$1" --json article show "$id" 2>/dev/null | /usr/bin/python3 -c "import json,sys
d = json.load(sys.stdin); print($2)"
}
# text NODE N: the body of version N at NODE.
text() { at "$1" --json article version "$id" "$2" 2>/dev/null | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['body'])"; }
s_versions_everywhere() {
    local n
    for n in $nodes; do [ "$(view "$n" "d['version']")" = "$1" ] || return 1; done
}

cluster start && ok || bad "cluster did not start"
id=$(at apac article new --title "VPN" --body "1. open the portal" --audience public) && ok || bad "article new at APAC"
within 20 s_versions_everywhere 1 && ok || bad "the new article reaches every node"

# The hub down: APAC and EMEA no longer hear each other; each edits version 1.
pid=$(cat "$dir/c/hub.pid"); kill -TERM "$pid"; gone "$pid"
at apac article update "$id" --body "1. open the portal (APAC)" --base-version 1 >/dev/null && ok || bad "edit at APAC"
sleep 0.01 # two different clocks: the later edit is later by at least a millisecond
at emea article update "$id" --body "1. open the portal (EMEA)" --base-version 1 >/dev/null && ok || bad "edit at EMEA"
[ "$(text apac 2)" = "1. open the portal (APAC)" ] && [ "$(text emea 2)" = "1. open the portal (EMEA)" ] && ok ||
    bad "each site sees its own edit as version 2 first"

cluster start
converged 0 && ok || bad "every node converges after the hub restarts"
within 20 s_versions_everywhere 3 && ok || bad "three versions at every node"
v2=$(text hub 2) v3=$(text hub 3)
[ "$v2" = "1. open the portal (APAC)" ] && [ "$v3" = "1. open the portal (EMEA)" ] && ok ||
    bad "both edits kept, in clock order: v2='$v2' v3='$v3'"
for n in $nodes; do
    [ "$(text "$n" 2)" = "$v2" ] && [ "$(text "$n" 3)" = "$v3" ] && [ "$(view "$n" "d['body']")" = "$v3" ] &&
        [ "$(view "$n" "[v['by'] for v in d['versions']]")" = "$(view hub "[v['by'] for v in d['versions']]")" ] && ok ||
        bad "versions or current text at $n"
done
has "+1. open the portal (EMEA)" "$(at amer article diff "$id" 2 3)"

finish
