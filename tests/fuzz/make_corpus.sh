#!/usr/bin/env bash
# make_corpus.sh - (re)writes the seed corpora in tests/fuzz/corpus from real encodings: starts a
# sundeskd of BUILD (a build directory with SD_FUZZ, default build-fuzz) on a temporary data
# directory, sends it a desk's day of requests (fuzz_corpus node), stops it, and reads its store
# (fuzz_corpus store); configs and calendars come from deploy/examples and tests/node/data.
# Files named regress-* (inputs of past findings) are kept. Run it after a wire format changes,
# then commit tests/fuzz/corpus.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build-fuzz}" && pwd)
corpus=$here/corpus
work=$(mktemp -d "${TMPDIR:-/tmp}/sd-corpus-XXXXXX")
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

ASAN_OPTIONS=detect_leaks=0 "$build/node/sundeskd" --data "$work/node" >"$work/node.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -S "$work/node/sundesk.sock" ] && break; sleep 0.1; done
mkdir -p "$work/out"
"$build/tests/fuzz/fuzz_corpus" node "ipc://$work/node/sundesk.sock" "$work/out"
kill "$pid"
wait "$pid" || true
pid=""
"$build/tests/fuzz/fuzz_corpus" store "$work/node" LOCAL "$work/out"

for h in request reply event record heartbeat sync_request sync_reply; do
    mkdir -p "$corpus/$h"
    find "$corpus/$h" -type f ! -name 'regress-*' -delete
    cp "$work/out/$h"/* "$corpus/$h/"
done
mkdir -p "$corpus/config" "$corpus/ics" "$corpus/mail"
cp "$root/deploy/examples/"*.zpl "$corpus/config/"
cp "$root/tests/node/data/holidays.ics" "$corpus/ics/"
cp "$root/tests/channels/mail/corpus/"*.eml "$corpus/mail/"
echo "fuzz corpora written to $corpus:"
for d in "$corpus"/*/; do echo "  $(basename "$d"): $(ls "$d" | wc -l) files"; done
