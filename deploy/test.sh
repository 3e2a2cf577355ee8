#!/usr/bin/env bash
# test.sh - the whole test suite: installs what is missing, builds, runs ctest twice:
# a normal build, then an AddressSanitizer + UndefinedBehaviorSanitizer build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/deps.sh"

echo "== build and test (RelWithDebInfo) =="
BUILD_DIR="$root/build" "$root/deploy/build.sh"
ctest --test-dir "$root/build" --output-on-failure -j 2

echo "== build and test (ASan + UBSan) =="
BUILD_DIR="$root/build-asan" "$root/deploy/build.sh" -DSD_SANITIZE=ON -DSD_BENCH_PG=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$root/build-asan" --output-on-failure -j 2
