#!/usr/bin/env bash
# test_cluster_script.sh - deploy/local-cluster.sh itself: a node killed with -9 is started again,
# a node frozen with SIGSTOP is reported and never waited on, and the test clock is taken on
# every start, not only when the configs are first written.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster_lib.sh"

# The script with its output; under timeout, since blocking on a frozen node is what is tested.
lc() { timeout 60 bash "$root/deploy/local-cluster.sh" "$1" "$dir/c" "${@:2}" 2>&1; }
# The day NODE's clock reads, e.g. 2026-03-02.
day() { at "$1" --timeout 3000 schedule now | awk '/^node clock/ { print $3 }'; }
# NODE's line in the output of status.
state() { lc status | awk -v n="== $1 " 'index($0, n) == 1 { getline; print; exit }'; }
s_not_running() { [[ $(state "$1") == zombie* || $(state "$1") == dead* ]]; }
s_state_is() { [[ $(state "$1") == "$2"* ]]; }

export SD_CLOCK_START=2026-03-02T06:00:00Z SD_CLOCK_SPEED=1 SD_CLOCK_ORIGIN_MS=$(date +%s%3N)
out=$(lc start) && ok || bad "cluster did not start: $out"
for n in $nodes; do [ "$(day "$n")" = 2026-03-02 ] && ok || bad "$n clock reads $(day "$n")"; done

# Killed with -9: until reaped it is a zombie (kill -0 still succeeds), then dead; either way
# status says so and start starts it again.
old=$(cat "$dir/c/emea.pid")
kill -9 "$old"
within 10 s_not_running emea && ok || bad "status after kill -9: $(state emea)"
out=$(lc start) && ok || bad "start after kill -9: $out"
[[ $out == *"emea: zombie"* || $out == *"emea: dead"* ]] && ok || bad "start did not say why: $out"
new=$(cat "$dir/c/emea.pid")
[ "$new" != "$old" ] && kill -0 "$new" 2>/dev/null && ok || bad "emea not started again"
at emea --timeout 3000 node ping >/dev/null && ok || bad "the restarted emea does not answer"
s_running() { ! s_not_running "$1" && ! s_state_is "$1" stopped && ! s_state_is "$1" "not running"; }
s_running emea && ok || bad "status of the restarted emea: $(state emea)"

# Frozen with SIGSTOP: status and start report it and return; start leaves it stopped.
amer=$(cat "$dir/c/amer.pid")
kill -STOP "$amer"
within 10 s_state_is amer stopped && ok || bad "status of a stopped node: $(state amer)"
out=$(lc start); rc=$?
[ $rc -eq 0 ] && ok || bad "start with a stopped node: rc=$rc $out"
[[ $out == *"amer: stopped (pid $amer"* ]] && ok || bad "start did not report amer: $out"
[[ $out == *"hub: running"* ]] && ok || bad "start did not go on past amer: $out"
[ "$(awk '{ print $3 }' "/proc/$amer/stat")" = T ] && ok || bad "start resumed amer"
[ "$(cat "$dir/c/amer.pid")" = "$amer" ] && ok || bad "start started a second amer"
kill -CONT "$amer"
at amer --timeout 3000 node ping >/dev/null && ok || bad "amer does not answer after SIGCONT"

# A changed clock is taken on the next start, with the nodes frozen or not when stopped.
kill -STOP "$amer"
out=$(lc stop) && ok || bad "stop with a stopped node: $out"
for n in $nodes; do [ -e "$dir/c/$n.pid" ] && bad "$n.pid left"; done
pgrep -f "sundeskd --data $dir" >/dev/null && bad "processes left behind by stop" || ok
export SD_CLOCK_START=2027-01-04T06:00:00Z SD_CLOCK_ORIGIN_MS=$(date +%s%3N)
out=$(lc start) && ok || bad "start with a new clock: $out"
for n in $nodes; do [ "$(day "$n")" = 2027-01-04 ] && ok || bad "$n clock reads $(day "$n")"; done

# A running node keeps its clock until restarted, and start says so; unset, the clock stays.
export SD_CLOCK_START=2028-06-05T06:00:00Z
out=$(lc start) && ok || bad "start of a running cluster: $out"
[[ $out == *"apac: its config changed"* ]] && ok || bad "start did not say apac runs the old clock: $out"
[ "$(day apac)" = 2027-01-04 ] && ok || bad "running apac clock reads $(day apac)"
unset SD_CLOCK_START SD_CLOCK_SPEED SD_CLOCK_ORIGIN_MS
lc stop apac >/dev/null
out=$(lc start) && ok || bad "start of apac: $out"
[ "$(day apac)" = 2028-06-05 ] && ok || bad "restarted apac clock reads $(day apac)"
SD_CLOCK_START=off lc stop apac >/dev/null
SD_CLOCK_START=off lc start >/dev/null && ok || bad "start without the test clock"
d0=$(date -u +%F) got=$(day apac) d1=$(date -u +%F)
[ "$got" = "$d0" ] || [ "$got" = "$d1" ] && ok || bad "apac off the test clock reads $got"

out=$(lc stop) && ok || bad "stop: $out"
pgrep -f "sundeskd --data $dir" >/dev/null && bad "processes left behind" || ok
finish
