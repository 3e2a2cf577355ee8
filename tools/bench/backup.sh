#!/usr/bin/env bash
# backup.sh - how long `sundesk backup` takes on a filled store, against LMDB's own compacting copy
# (`mdb_copy -c`, the real alternative), and what a backup running in a loop costs the writes the
# node is taking meanwhile.
#
#   bash tools/bench/backup.sh [TICKETS] [WRITES]     (defaults 200000 and 50000)
#
# Starts a node on a fresh directory under $TMPDIR (default /tmp; it must be on the disk to
# measure), fills it with TICKETS tickets, times three backups of each kind, then times WRITES
# more ticket creations alone and again with backups running back to back. Prints a markdown
# table. Binaries come from $SD_BIN (default build/ beside tools/).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${SD_BIN:-$root/build}
tickets=${1:-200000} writes=${2:-50000}
command -v mdb_copy >/dev/null || { echo "needs mdb_copy (Debian package lmdb-utils)" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/sd-bench-backup.XXXXXX")
node=""
trap '[ -n "$node" ] && kill "$node" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
"$bin/node/sundeskd" --data "$dir/d" >"$dir/node.log" 2>&1 &
node=$!
for _ in $(seq 100); do "$bin/tools/sundesk" --data "$dir/d" node ping >/dev/null 2>&1 && break; sleep 0.1; done
endpoint="ipc://$dir/d/sundesk.sock"
load() { /usr/bin/python3 "$root/tests/integration/load.py" "$endpoint" "$1" "$2"; }
# secs CMD ARGS: runs it (output dropped) and prints the seconds it took.
secs() {
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    printf '%.3f\n' "$(echo "scale=3; ($t1 - $t0) / 1000000000" | bc)"
}
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

echo "filling the store with $tickets tickets ..." >&2
load "$tickets" fill >/dev/null
size=$(stat -c %s "$dir/d/data.mdb")
sd=() lm=()
for i in 1 2 3; do
    sd+=("$(secs "$bin/tools/sundesk" --data "$dir/d" backup "$dir/sd$i")")
    mkdir "$dir/lm$i" # mdb_copy writes into an existing directory
    lm+=("$(secs mdb_copy -c "$dir/d" "$dir/lm$i")")
done
copy=$(stat -c %s "$dir/sd1/data.mdb")
alone=$(secs load "$writes" alone)
( while [ ! -e "$dir/stop" ]; do rm -rf "$dir/loop"; "$bin/tools/sundesk" --data "$dir/d" backup "$dir/loop" >/dev/null; echo x >>"$dir/count"; done ) &
looper=$!
during=$(secs load "$writes" during)
touch "$dir/stop"; wait $looper
backups=$(wc -l <"$dir/count")
sdm=$(median "${sd[@]}") lmm=$(median "${lm[@]}")
cat <<EOT

$(nproc) cores, $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), TMPDIR on $(df -P "$dir" | awk 'NR==2 {print $1}')
store: $tickets tickets, data.mdb $((size >> 20)) MiB, backup $((copy >> 20)) MiB

| what | result |
|---|---|
| \`sundesk backup\` (median of 3) | ${sdm} s |
| \`mdb_copy -c\` (median of 3) | ${lmm} s |
| ratio sundesk / mdb_copy | $(printf '%.2f' "$(echo "scale=3; $sdm / $lmm" | bc)") |
| $writes creates, node alone | ${alone} s ($(echo "$writes / $alone" | bc) tickets/s) |
| $writes creates, backups back to back ($backups made) | ${during} s ($(echo "$writes / $during" | bc) tickets/s) |
EOT
