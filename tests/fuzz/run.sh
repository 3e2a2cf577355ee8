#!/usr/bin/env bash
# run.sh - a longer fuzz session: bash tests/fuzz/run.sh [SECONDS] [HARNESS...]
#
# Builds the harnesses with clang in build-fuzz (if needed) and runs each named harness (default:
# all) for SECONDS (default 600), one after another, from its seeds in tests/fuzz/corpus/<name>
# plus what earlier sessions found (build-fuzz/tests/fuzz/work/<name>/corpus). A crash, leak or
# broken property leaves the input in build-fuzz/tests/fuzz/work/<name>/ (crash-*, leak-*,
# timeout-*, oom-*); replay it with build-fuzz/tests/fuzz/fuzz_<name> FILE. Exits non-zero when
# any harness failed. Each run's last lines (executions, coverage) are printed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
seconds=${1:-600}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] ||
    harnesses=(request reply event record heartbeat sync_request sync_reply config ics mail)

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSD_FUZZ=ON \
    -DSD_BENCH_PG=OFF >/dev/null || exit 1
cmake --build "$build" -j "$(nproc)" --target sd_fuzzers >/dev/null || exit 1

failed=()
for h in "${harnesses[@]}"; do
    work=$build/tests/fuzz/work/$h
    mkdir -p "$work/corpus"
    echo "== fuzz_$h: $seconds s =="
    (cd "$work" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$here/corpus/$h" \
        >"$work/last.log" 2>&1)
    rc=$?
    grep -E "DONE|^Done|stat::number_of_executed_units" "$work/last.log" |
        tail -3
    if [ $rc -ne 0 ]; then
        failed+=("$h")
        grep -E "ERROR|SUMMARY|property broken|Test unit written" "$work/last.log" | head -5
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (logs: $build/tests/fuzz/work/<name>/last.log)"
    exit 1
fi
echo "fuzz: all ${#harnesses[@]} harnesses ran $seconds s without a finding"
