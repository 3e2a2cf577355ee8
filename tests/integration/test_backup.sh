#!/usr/bin/env bash
# test_backup.sh - `sundesk backup` while a region serves writes, and `sundesk restore` of that
# backup as if on a new machine: the restored region refuses writes until it has its own newer
# events back from the hub, then takes writes with fresh ticket ids, and all four converge.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

cluster start && ok || bad "cluster did not start"
for i in $(seq 10); do new_at emea "before $i"; new_at apac "apac $i"; done
# An EMEA ticket the backup holds (EMEA's first): read while restoring, commented after the
# backup. Not the head of EMEA's queue, which may be another site's ticket replicated later.
first=EMEA-000001
at emea ticket show "$first" >/dev/null && ok || bad "no $first at EMEA"

# A hot backup: a writer keeps creating EMEA tickets the whole time.
(for i in $(seq 150); do new_at emea "during $i" || exit 1; done) &
writer=$!
within 10 at emea ticket show EMEA-000011 >/dev/null 2>&1 || bad "the writer did not start"
out=$(at emea --json backup "$dir/backup") && ok || bad "backup failed: $out"
wait $writer && ok || bad "a write failed while the backup ran"
in_backup=$(echo "$out" | json "d['tickets']")
[ "$in_backup" -ge 10 ] && [ "$in_backup" -le 170 ] && ok || bad "backup holds $in_backup tickets"
[ "$(echo "$out" | json "d['site']")" = EMEA ] && ok || bad "backup site: $out"
[ -f "$dir/backup/data.mdb" ] && [ ! -e "$dir/backup/lock.mdb" ] && ok || bad "backup files"

# What EMEA does after the backup lives on only at its peers.
for i in $(seq 5); do new_at emea "after $i"; done
at emea ticket comment "$first" "work note after the backup" >/dev/null || bad "comment at EMEA"
converged 175 && ok || bad "cluster converged before EMEA is lost"

# Refusals: a store that exists, a running node, a remote node, no store at all.
err=$(at emea restore "$dir/backup" 2>&1); rc=$?
[ $rc -eq 1 ] && [[ $err == *"already holds a store"* ]] && ok || bad "restore over a store: $err"
err=$(at emea backup "$dir/backup" 2>&1); [[ $err == *"already holds a store"* ]] && ok ||
    bad "backup over a backup: $err"
err=$("$bin/tools/sundesk" --node ipc:///nonexistent backup "$dir/b2" 2>&1)
[[ $err == *"not --node"* ]] && ok || bad "backup with --node: $err"
err=$("$bin/tools/sundesk" --data "$dir/nothing" backup "$dir/b3" 2>&1)
[[ $err == *"no store in"* ]] && ok || bad "backup of no store: $err"

# EMEA's machine dies; a new one gets the backup while the hub is down too.
for n in emea hub; do pid=$(cat "$dir/c/$n.pid"); kill -9 "$pid"; gone "$pid"; done
mv "$dir/c/emea" "$dir/emea-lost"
at emea restore "$dir/backup" >/dev/null && ok || bad "restore failed"
[ -f "$dir/c/emea/RESTORED" ] && ok || bad "no restore marker"
"$bin/node/sundeskd" --data "$dir/c/emea" --config "$dir/c/emea.zpl" >>"$dir/c/emea.log" 2>&1 &
echo $! >"$dir/c/emea.pid"
within 10 at emea node ping >/dev/null 2>&1 || bad "the restored EMEA does not answer"
err=$(at emea ticket new --title "too early" --requester u@example.com 2>&1)
[[ $err == *"restored from a backup"* ]] && ok || bad "a write before catching up: $err"
at emea ticket show "$first" >/dev/null && ok || bad "reads are served while restoring"
metric_is emea sundesk_restoring -eq 1 && ok || bad "metrics do not show EMEA restoring"
metric_is emea 'sundesk_replication_peer_connected{peer="HUB"}' -eq 0 && ok ||
    bad "metrics show the dead hub connected"
# Still refused a while later (several heartbeats: the hub is down, nobody can catch EMEA up).
sleep 1.5
err=$(at emea ticket new --title "still too early" --requester u@example.com 2>&1)
[[ $err == *"restored from a backup"* ]] && ok || bad "a write with the hub still down: $err"
at emea node status | grep "RESTORING from a backup" >/dev/null && ok || bad "node status: restoring"

# The hub returns: EMEA gets its own newer events back, then takes writes again.
cluster start
id=""
for _ in $(seq 100); do
    id=$(at emea ticket new --title "after restore" --requester u@example.com 2>/dev/null) && break
    sleep 0.2
done
[ -n "$id" ] && ok || bad "the restored EMEA never took writes"
[ "$id" = EMEA-000166 ] && ok || bad "new ticket after restore got id '$id', want EMEA-000166"
grep "restore complete" "$dir/c/emea.log" >/dev/null && ok || bad "no 'restore complete' logged"
[ ! -e "$dir/c/emea/RESTORED" ] && ok || bad "restore marker left behind"
at emea ticket report "$first" | grep "work note after the backup" >/dev/null && ok ||
    bad "the comment made after the backup is back at EMEA"
converged 176 && ok || bad "all four converge after the restore"
metric_is emea sundesk_restoring -eq 0 && ok || bad "metrics still show EMEA restoring"
metric_is emea 'sundesk_replication_applied_events_total{peer="HUB",via="sync"}' -gt 0 && ok ||
    bad "EMEA's catch-up from the hub's sync service is not counted"
metric_is hub 'sundesk_replication_lag_events{origin="EMEA"}' -eq 0 && ok ||
    bad "the hub lags behind EMEA"
finish
