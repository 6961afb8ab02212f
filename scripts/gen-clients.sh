#!/usr/bin/env bash
# Generates the Python and Node.js clients' code from proto/ (idempotent):
#   clients/python/pledgebook/_gen/   protoc --python_out + Debian's grpc_python_plugin
#   clients/node/gen/pledgebook.binpb a descriptor set that @grpc/proto-loader loads
# Both folders are git-ignored. Installs what is missing first (apt packages,
# and the npm packages of clients/node/package-lock.json, via
# scripts/install-deps.sh). Run it again after every change to proto/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"

# Every proto the clients need: the API, and the googleapis types it uses
# (error_details for the errors' BadRequest and ErrorInfo details).
protos=(pledgebook/v1/records.proto pledgebook/v1/ingest_service.proto pledgebook/v1/report_service.proto
        google/rpc/status.proto google/rpc/error_details.proto google/type/money.proto google/type/date.proto)
includes=(-I "$root/proto" -I "$root/third_party/googleapis")

# Generated into a temporary folder, then swapped in, so that a failed run
# leaves the previous code and a concurrent reader never sees half of it.
py_dir=$root/clients/python/pledgebook/_gen
mkdir -p "$(dirname "$py_dir")"
tmp=$(mktemp -d "$root/clients/python/pledgebook/.gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
protoc "${includes[@]}" --python_out="$tmp" --grpc_out="$tmp" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin "${protos[@]}"
rm -rf "$py_dir.old"
[[ -d $py_dir ]] && mv "$py_dir" "$py_dir.old"
mv "$tmp" "$py_dir"
chmod 755 "$py_dir"
rm -rf "$py_dir.old"

node_gen=$root/clients/node/gen
mkdir -p "$node_gen"
protoc "${includes[@]}" --include_imports --descriptor_set_out="$node_gen/pledgebook.binpb.tmp" "${protos[@]}"
mv "$node_gen/pledgebook.binpb.tmp" "$node_gen/pledgebook.binpb"

echo "generated: clients/python/pledgebook/_gen/, clients/node/gen/pledgebook.binpb"
