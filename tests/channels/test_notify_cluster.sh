#!/usr/bin/env bash
# test_notify_cluster.sh - only the owner site's node sends: a hub and three regions
# (deploy/local-cluster.sh) replicating, every node with mail on through a recording sendmail of
# its own. A ticket opened at APAC gets one acknowledgement, from APAC, though every node holds
# the ticket; handed over to EMEA, a public reply written at AMER is mailed by EMEA alone. (Each
# node's own bulletin, mailed by it, shows that its channels thread has read past the events that
# came before.)
set -uo pipefail
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/cluster_lib.sh"

cluster start && ok || bad "cluster did not start"
cluster stop
for n in $nodes; do
    mkdir -p "$dir/mails/$n"
    printf '#!/bin/sh\ncat >"%s/mails/%s/$(date +%%s%%N).eml"\n' "$dir" "$n" >"$dir/sendmail-$n"
    chmod 755 "$dir/sendmail-$n"
    printf 'mail\n    address = desk@example.com\n    domain = desk.example.com\n    transport = sendmail\n    sendmail = %s\n    bulletin_to = staff-%s@example.com\n' \
        "$dir/sendmail-$n" "$n" >>"$dir/c/$n.zpl"
done
cluster start && ok || bad "cluster did not restart with mail"

mails() { ls "$dir/mails/$1" | wc -l; }
has_mails() { [ "$(mails "$1")" -ge "$2" ]; }
# tos NODE: the To of each mail NODE sent, sorted, on one line.
tos() { cat "$dir"/mails/"$1"/* 2>/dev/null | sed -n 's/^To: //p' | sort | tr '\n' ' '; }
# bulletins H E A: a bulletin at each node but APAC, each mailed by its node: then every node has
# read past what came before (H, E, A: the mails hub, emea and amer should have then).
n_bl=0
bulletins() {
    local -A want
    for n in hub emea amer; do
        n_bl=$((n_bl + 1))
        at "$n" bulletin new --title "B$n_bl" --valid-until 2100-01-01 >/dev/null || bad "bulletin at $n"
    done
    want=([hub]="$1" [emea]="$2" [amer]="$3")
    for n in hub emea amer; do
        within 30 has_mails "$n" "${want[$n]}" || bad "$n did not mail its bulletin"
    done
}

t=$(at apac ticket new --title "VPN down" --requester wang@example.com --channel email | head -1)
within 30 has_mails apac 1 || bad "APAC did not acknowledge"
converged 1 && ok || bad "the ticket and its history reached every node"
bulletins 1 1 1
check "APAC: the acknowledgement" "$(tos apac)" "wang@example.com "
for n in hub emea amer; do check "$n: its bulletin only" "$(tos $n)" "staff-$n@example.com "; done

expect_handover() { at apac ticket handover "$t" --to EMEA >/dev/null && ok || bad "handover"; }
expect_handover
converged 1 && ok || bad "the handover reached every node"
at amer ticket comment "$t" "We are on it." --public >/dev/null && ok || bad "comment at AMER"
within 30 has_mails emea 2 || bad "EMEA did not mail the reply"
converged 1 && ok || bad "the reply reached every node"
bulletins 2 3 2
check "EMEA: its bulletins and the reply" "$(tos emea)" "staff-emea@example.com staff-emea@example.com wang@example.com "
check "APAC: nothing more" "$(tos apac)" "wang@example.com "
for n in hub amer; do check "$n: its bulletins only" "$(tos $n)" "staff-$n@example.com staff-$n@example.com "; done
finish
