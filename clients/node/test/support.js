'use strict';
// Test support: where the services are, and a fake report-service.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const pledgebook = require('../src/index');
const { root } = require('../src/proto');

const FIXTURES = process.env.PLEDGEBOOK_TEST_FIXTURES || path.join(__dirname, '..', '..', '..', 'tests', 'fixtures');
const FACT_SHEET = path.join(FIXTURES, 'hled-2022-factsheet.txt');

/** The real services' addresses, set by tests/clients/with-services.sh; never skipped. */
function serviceAddresses() {
  const ingestAddr = process.env.PLEDGEBOOK_INGEST_ADDR;
  const reportAddr = process.env.PLEDGEBOOK_REPORT_ADDR;
  if (!ingestAddr || !reportAddr) {
    throw new Error('PLEDGEBOOK_INGEST_ADDR/PLEDGEBOOK_REPORT_ADDR are not set: run these tests through '
      + 'tests/clients/with-services.sh BUILD_DIR - node --test test/*.test.js');
  }
  return { ingestAddr, reportAddr };
}

/** A throw-away certificate for localhost/127.0.0.1: { key, cert } PEM Buffers. */
function selfSignedCertificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pledgebook-node-test-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'),
      '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The server's error shape: a google.rpc.Status with ErrorInfo and BadRequest, serialized. */
function statusDetails() {
  const pack = (typeName, object) => {
    const type = root.lookupType(typeName);
    return { type_url: `type.googleapis.com/${typeName}`, value: type.encode(type.fromObject(object)).finish() };
  };
  const Status = root.lookupType('google.rpc.Status');
  return Buffer.from(Status.encode(Status.fromObject({
    code: grpc.status.INVALID_ARGUMENT,
    message: 'bad filter',
    details: [
      pack('google.rpc.ErrorInfo', { reason: 'INVALID_FILTER', domain: 'pledgebook.dev' }),
      pack('google.rpc.BadRequest', { field_violations: [{ field: 'filter', description: 'unknown field' }] }),
    ],
  })).finish());
}

/** A fake ReportService on a free loopback port that records every call's metadata. */
async function startFakeServer({ tls } = {}) {
  const metadata = [];
  const record = (call) => metadata.push(call.metadata.getMap());
  const server = new grpc.Server();
  server.addService(pledgebook.api.ReportService.service, {
    GetDocument(call, callback) {
      record(call);
      callback(null, { document: { name: call.request.name, document_id: 'abc' } });
    },
    ListDocuments(call, callback) {
      // Three documents in pages of two: '' → a, b (token '2'); '2' → c.
      record(call);
      const start = Number(call.request.page_token || 0);
      callback(null, {
        documents: ['a', 'b', 'c'].slice(start, start + 2).map((id) => ({ document_id: id })),
        next_page_token: start + 2 < 3 ? String(start + 2) : '',
      });
    },
    GetFundingReport(call, callback) {
      record(call);
      const trailer = new grpc.Metadata();
      trailer.set('grpc-status-details-bin', statusDetails());
      callback({ code: grpc.status.INVALID_ARGUMENT, details: 'bad filter', metadata: trailer });
    },
  });
  const credentials = tls
    ? grpc.ServerCredentials.createSsl(null, [{ private_key: tls.key, cert_chain: tls.cert }])
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, p) => (error ? reject(error) : resolve(p)));
  });
  return { address: `127.0.0.1:${port}`, metadata, stop: () => server.forceShutdown() };
}

module.exports = { pledgebook, FACT_SHEET, serviceAddresses, selfSignedCertificate, startFakeServer };
