#!/usr/bin/env bash
# Configures and builds into build/ (incremental: a second run rebuilds only
# what changed). Two jobs: the machine has two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build build -j "${JOBS:-2}"
