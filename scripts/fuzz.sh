#!/usr/bin/env bash
# Fuzzes the parser with libFuzzer for a bounded time (default 60 s):
#   scripts/fuzz.sh [SECONDS]
# Builds fuzz/parser_fuzzer.cc with clang, -fsanitize=fuzzer,address,undefined
# in build-fuzz/ (the parser and its protos only), seeds it with the corpus
# fact sheets and the gold documents, and fails on any crash, sanitizer
# report, leak or slow input (artifacts in build-fuzz/fuzz-artifacts/).
# About 4 minutes on 2 cores from scratch, the time given once built.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-60}}
build=${FUZZ_BUILD_DIR:-build-fuzz}
scripts/install-deps.sh >/dev/null

CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPLEDGEBOOK_BUILD_TESTS=OFF -DPLEDGEBOOK_BUILD_BENCH=OFF \
  -DPLEDGEBOOK_SANITIZE=address,undefined \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined" \
  -DCMAKE_PROJECT_INCLUDE="$PWD/fuzz/fuzz.cmake" >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target parser_fuzzer

# A working corpus of its own (libFuzzer adds to it), seeded from the repo.
work=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts
mkdir -p "$work" "$artifacts"
seeds=(tests/corpus/factsheets tests/fixtures)
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "fuzzing the parser for ${seconds}s"
"$build/parser_fuzzer" "$work" "${seeds[@]}" \
  -max_total_time="$seconds" -max_len=262144 -timeout=20 -rss_limit_mb=4096 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 2>"$build/fuzz.log" || {
  tail -n 60 "$build/fuzz.log" >&2
  echo "fuzz: FAILED (input saved in $artifacts/)" >&2
  exit 1
}
grep -E "^stat::(number_of_executed_units|new_units_added|peak_rss_mb)" "$build/fuzz.log" | sort -u || true
echo "fuzz: no crash in ${seconds}s"
