'use strict';
// The API's descriptors, made from proto/ by scripts/gen-clients.sh
// (gen/pledgebook.binpb, a FileDescriptorSet with its imports).
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');
require('protobufjs/ext/descriptor');

const DESCRIPTOR_SET = path.join(__dirname, '..', 'gen', 'pledgebook.binpb');
if (!fs.existsSync(DESCRIPTOR_SET)) {
  throw new Error(`pledgebook: ${DESCRIPTOR_SET} is missing; run scripts/gen-clients.sh`);
}
const bytes = fs.readFileSync(DESCRIPTOR_SET);

// Messages as plain objects with the proto field names (snake_case, as in
// docs/api/; a descriptor set keeps them as declared), 64-bit integers as
// decimal strings (exact), enums as their names, unset fields as defaults.
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };
const packageDefinition = protoLoader.loadFileDescriptorSetFromBuffer(bytes, LOADER_OPTIONS);
const api = grpc.loadPackageDefinition(packageDefinition).pledgebook.v1;

// The same descriptors as a protobufjs Root, to decode error details and to
// know the enums' names.
const root = protobuf.Root.fromDescriptor(bytes);

module.exports = { api, root, packageDefinition, LOADER_OPTIONS };
