#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer:
#   scripts/test-sanitizers.sh [CTEST ARGS...]
# Builds everything in build-asan/ with -DPLEDGEBOOK_SANITIZE=address,undefined
# (tests on, benchmarks off) and runs ctest there. Any sanitizer report fails
# the test that triggered it (halt_on_error; leaks included). The deployment
# checks (label `deploy`) are left out: they look at manifests, Dockerfiles and
# the runtime libraries of release binaries, which a sanitizer build changes
# by design.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD_DIR:-build-asan}
scripts/install-deps.sh >/dev/null
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPLEDGEBOOK_BUILD_TESTS=ON -DPLEDGEBOOK_BUILD_BENCH=OFF \
  -DPLEDGEBOOK_SANITIZE=address,undefined \
  -DCMAKE_CXX_FLAGS="-O1 -fno-sanitize-recover=undefined" >/dev/null
cmake --build "$build" -j "${JOBS:-2}"

# Every process the tests start (services, CLI, test binaries) inherits these.
# A small quarantine: tests that bound memory growth (report_corpus) measure RSS.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:quarantine_size_mb=16:thread_local_quarantine_size_kb=256:${ASAN_OPTIONS:-}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}
export LSAN_OPTIONS=suppressions=$PWD/tests/support/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}
cd "$build"
# GCC 12's ASan runtime can deadlock a test process at exit (its thread
# registry against the dynamic loader's lock, with gRPC threads still
# exiting): seen once, in a watch test that had passed. A hung process is
# stopped after 10 minutes (tests that need longer set their own TIMEOUT) and
# a test gets one more try; a real sanitizer report fails both tries.
ctest --output-on-failure -j "${JOBS:-2}" -LE deploy --timeout 600 --repeat until-pass:2 "$@"
