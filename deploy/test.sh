#!/usr/bin/env bash
# test.sh - the whole test suite: installs what is missing, builds, runs ctest twice:
# a normal build, then an AddressSanitizer + UndefinedBehaviorSanitizer build; then fuzzes every
# decoder for a few seconds (clang libFuzzer build of tests/fuzz; longer runs: tests/fuzz/run.sh).
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

echo "== fuzz the decoders (clang libFuzzer + ASan/UBSan, a few seconds each) =="
# Only the harnesses and what they link are built here: the suite ran twice above.
CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSD_FUZZ=ON \
    -DSD_BENCH_PG=OFF >/dev/null
cmake --build "$root/build-fuzz" -j "$(nproc)" --target sd_fuzzers
ctest --test-dir "$root/build-fuzz" -L fuzz --output-on-failure -j 2
