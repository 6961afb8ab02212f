'use strict';
// What each overlay must satisfy beyond the common policy.
const fs = require('node:fs');
const path = require('node:path');
const { REPO } = require('./render');

// Secrets production expects to find in the namespace: created by hand or by
// a secrets manager (deploy/README.md, "Secrets"), or by CloudNativePG
// (<cluster>-ca). Never in git.
const PRODUCTION_EXTERNAL_SECRETS = [
  'pledgebook-db-owner',
  'pledgebook-db-ingest',
  'pledgebook-db-report',
  'pledgebook-tokens',
  'pledgebook-ingest-tls',
  'pledgebook-report-tls',
  'pledgebook-db-ca',
];

function readme() {
  return fs.readFileSync(path.join(REPO, 'deploy', 'README.md'), 'utf8');
}

const PROFILES = {
  'overlays/dev': { externalSecrets: [], tls: false },
  'overlays/production': { externalSecrets: PRODUCTION_EXTERNAL_SECRETS, tls: true },
};

module.exports = { PROFILES, PRODUCTION_EXTERNAL_SECRETS, readme };
