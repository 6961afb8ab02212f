#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, and runs ctest.
# ctest starts and stops its own PostgreSQL (tests/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
ctest --output-on-failure -j "${JOBS:-2}" "$@"
