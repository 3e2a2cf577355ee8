#!/usr/bin/env bash
# test_backup_damage.sh - copies that are safe to trust, with the real binaries: a backup made
# under any umask is 0600 in a 0700 directory (or in a directory that existed); a backup or a
# restore killed mid-copy leaves no data.mdb, a node refuses the half-made directory, and the next
# copy works; and damaged store files (cut short at several points, empty, garbage, a meta that
# claims pages past the end) make `sundeskd --data`, `sundesk restore` and `sundesk backup` say
# one line - the file, what is wrong, what to do - and exit 1, never crash.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
mode() { stat -c %a "$1"; }
size() { stat -c %s "$1"; }

start_node && ok || bad "the node did not start"
/usr/bin/python3 "$(dirname "$0")/load.py" "ipc://$(realpath "$data")/sundesk.sock" 3000 \
    >/dev/null && ok || bad "could not fill the store"

# Modes whatever the umask: a directory the backup makes is 0700, the file 0600.
(umask 000 && sd backup "$dir/b1" >/dev/null) && ok || bad "backup under umask 000"
[ "$(mode "$dir/b1")" = 700 ] && [ "$(mode "$dir/b1/data.mdb")" = 600 ] && ok ||
    bad "umask 000: directory $(mode "$dir/b1"), file $(mode "$dir/b1/data.mdb")"
[ "$(ls -A "$dir/b1")" = data.mdb ] && ok || bad "backup directory holds: $(ls -A "$dir/b1")"
(umask 000 && mkdir "$dir/b2" && sd backup "$dir/b2" >/dev/null) && ok ||
    bad "backup into an existing directory"
[ "$(mode "$dir/b2/data.mdb")" = 600 ] && ok || bad "existing directory: file $(mode "$dir/b2/data.mdb")"
(umask 0277 && sd backup "$dir/b3" >/dev/null) && ok || bad "backup under umask 0277"
[ "$(mode "$dir/b3")" = 700 ] && [ "$(mode "$dir/b3/data.mdb")" = 600 ] && ok ||
    bad "umask 0277: directory $(mode "$dir/b3"), file $(mode "$dir/b3/data.mdb")"

# A backup killed mid-copy: the kernel stops it with SIGXFSZ half-way through the file, as
# abruptly as SIGKILL (no cleanup runs). No data.mdb, a restore from it refuses, the next works.
half=$(($(size "$dir/b1/data.mdb") / 2 / 1024))
# (The braces keep bash's "File size limit exceeded" report out of the test's output.)
{ (ulimit -c 0 && ulimit -f $half && exec "$bin/tools/sundesk" --data "$data" backup "$dir/cut"); } \
    >/dev/null 2>&1
rc=$?
[ "$(kill -l $((rc - 128)) 2>/dev/null)" = XFSZ ] && ok || bad "the backup was not cut (exit $rc)"
[ ! -e "$dir/cut/data.mdb" ] && [ -s "$dir/cut/data.mdb.partial" ] && ok ||
    bad "a killed backup left: $(ls -A "$dir/cut")"
err=$("$bin/tools/sundesk" --data "$dir/cut-restored" restore "$dir/cut" 2>&1 >/dev/null)
[[ $err == *"no store in"* ]] && ok || bad "restore of a killed backup: $err"
sd backup "$dir/cut" >/dev/null && ok || bad "the next backup into that directory failed"
[ "$(ls -A "$dir/cut")" = data.mdb ] && [ "$(mode "$dir/cut/data.mdb")" = 600 ] && ok ||
    bad "after the next backup: $(ls -A "$dir/cut")"

# SIGKILL at the first sight of the partial file: whenever it lands, a data.mdb is whole or absent.
"$bin/node/sundeskd" --data "$data" --backup "$dir/k" >/dev/null 2>&1 &
pid=$!
# Running: alive and not a zombie (kill -0 succeeds on a zombie until it is waited for).
running() { local s; read -r s 2>/dev/null </proc/$1/stat && [[ $s != *") Z "* ]]; }
until [ -e "$dir/k/data.mdb.partial" ] || ! running $pid; do :; done
{ kill -9 $pid && wait $pid; } 2>/dev/null
if [ -e "$dir/k/data.mdb" ]; then
    "$bin/tools/sundesk" --data "$dir/k-restored" restore "$dir/k" >/dev/null && ok ||
        bad "the backup that finished before SIGKILL does not restore"
else
    [ -e "$dir/k/data.mdb.partial" ] && ok || bad "killed backup: $(ls -A "$dir/k")"
    sd backup "$dir/k" >/dev/null && [ "$(ls -A "$dir/k")" = data.mdb ] && ok ||
        bad "the backup after a SIGKILL: $(ls -A "$dir/k")"
fi
stop_node && ok || bad "the node did not stop cleanly"

# A restore killed mid-copy: the node refuses the half-made directory; a new restore works.
{ (ulimit -c 0 && ulimit -f $half && exec "$bin/tools/sundesk" --data "$dir/r" restore "$dir/b1"); } \
    >/dev/null 2>&1
[ ! -e "$dir/r/data.mdb" ] && [ -e "$dir/r/RESTORED" ] && ok || bad "a killed restore left: $(ls -A "$dir/r")"
# (timeout: a node that wrongly starts would serve until stopped; it must refuse at once.)
err=$(timeout -s KILL 30 "$bin/node/sundeskd" --data "$dir/r" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && [[ $err == *"stopped half-way left: run the restore again"* ]] && ok ||
    bad "a node on a killed restore: exit $rc: $err"
"$bin/tools/sundesk" --data "$dir/r" restore "$dir/b1" >/dev/null && ok || bad "restore again"
[ "$(mode "$dir/r/data.mdb")" = 600 ] && [ ! -e "$dir/r/data.mdb.partial" ] && ok ||
    bad "after the restore: $(ls -A "$dir/r")"

# Damaged files, made from the whole backup b1 (compacted: every page of it is in use).
whole="$dir/b1/data.mdb"
ps=$(getconf PAGESIZE)
[ "$ps" -le 32768 ] || ps=32768 # LMDB's largest page
damage() { # NAME: makes $dir/dmg-NAME (0700) with a data.mdb from stdin
    mkdir -m 700 "$dir/dmg-$1" && cat >"$dir/dmg-$1/data.mdb"
}
damage empty </dev/null
head -c 100 "$whole" | damage in-page-0
head -c $((ps + 100)) "$whole" | damage in-meta-1
head -c $((2 * ps)) "$whole" | damage two-pages
head -c $(($(size "$whole") / 2)) "$whole" | damage mid-data
head -c $(($(size "$whole") - ps)) "$whole" | damage last-page
yes "garbage, not a store" | head -c $((4 * ps)) | damage garbage
# Both metas claim 100 pages more than the file has: MDB_meta.mm_last_pg, after a 16-byte
# page header and 120 bytes of meta on a 64-bit machine (mdb.c).
damage beyond <"$whole"
/usr/bin/python3 - "$dir/dmg-beyond/data.mdb" "$ps" <<'EOF'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    for page in (0, int(sys.argv[2])):
        f.seek(page + 136)
        last = struct.unpack("=Q", f.read(8))[0]
        f.seek(page + 136)
        f.write(struct.pack("=Q", last + 100))
EOF
# Exit 1 and exactly one line on stderr that names the file and holds $2.
one_line() { # RC ERR FILE WANT WHAT
    [ "$1" -eq 1 ] && [ "$(printf '%s\n' "$2" | wc -l)" -eq 1 ] && [[ $2 == *"$3"* ]] &&
        [[ $2 == *"$4"* ]] && ok || bad "$5: exit $1: $2"
}
for name in empty in-page-0 in-meta-1 two-pages mid-data last-page garbage beyond; do
    d="$dir/dmg-$name"
    f="$d/data.mdb"
    before=$(size "$f")
    err=$(timeout -s KILL 30 "$bin/node/sundeskd" --data "$d" 2>&1 >/dev/null); rc=$?
    one_line $rc "$err" "$f" "restore a backup" "sundeskd on $name"
    [ "$(size "$f")" = "$before" ] && ok || bad "sundeskd changed the $name file"
    err=$("$bin/tools/sundesk" --data "$dir/r-$name" restore "$d" 2>&1 >/dev/null); rc=$?
    one_line $rc "$err" "$f" "restore from another backup" "restore of $name"
    [ ! -e "$dir/r-$name/data.mdb" ] && ok || bad "restore of $name made a store"
    err=$("$bin/tools/sundesk" --data "$d" backup "$dir/x-$name" 2>&1 >/dev/null); rc=$?
    one_line $rc "$err" "$f" "restore a backup" "backup of $name"
    [ ! -e "$dir/x-$name/data.mdb" ] && ok || bad "backup of $name made a store"
done
finish
