#!/usr/bin/env bash
# Installs every Debian 12 package Pledgebook needs to build, test and run.
# Idempotent and quick when everything is already there.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libpqxx-dev libpq-dev libabsl-dev libre2-dev libutf8proc-dev libssl-dev libgumbo-dev libcmark-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  postgresql-15 postgresql-contrib
  python3-grpcio python3-protobuf # Python client, its tests, the API reference generator
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js client and buf: Debian's nodejs and npm, unless a node with npm is
# already installed (e.g. NodeSource's nodejs, which bundles npm).
command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages of the Node.js client and of the API checks (buf), pinned by
# clients/node/package-lock.json; reinstalled only when the lock file changes.
node_dir=$(cd "$(dirname "$0")/.." && pwd)/clients/node
lock_sum=$(sha256sum "$node_dir/package-lock.json" | cut -d' ' -f1)
if [[ "$(cat "$node_dir/node_modules/.pledgebook-lock" 2>/dev/null)" != "$lock_sum" ]]; then
  echo "installing npm packages in clients/node"
  (cd "$node_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$lock_sum" >"$node_dir/node_modules/.pledgebook-lock"
fi
