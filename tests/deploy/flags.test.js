'use strict';
// Every flag the manifests pass to a Pledgebook binary is one the binary
// knows (from its --helpfull), or a documented pending flag (the security
// work) used the way PENDING_FLAGS allows. Needs the built binaries:
// PLEDGEBOOK_BUILD_DIR=<cmake build dir>.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { OVERLAYS, render } = require('./lib/render');
const { checkFlags, PENDING_FLAGS } = require('./lib/policy');
const { readme } = require('./lib/profiles');

const build = process.env.PLEDGEBOOK_BUILD_DIR;

function knownFlags(binary) {
  assert.ok(build, 'PLEDGEBOOK_BUILD_DIR is not set');
  assert.ok(fs.existsSync(binary), `${binary} is not built`);
  const r = spawnSync(binary, ['--helpfull'], { encoding: 'utf8' });
  const names = [...`${r.stdout}${r.stderr}`.matchAll(/^\s+--([a-z0-9_]+) \(/gm)].map((m) => m[1]);
  assert.ok(names.includes('database_url'), `${binary} --helpfull lists no --database_url:\n${r.stdout}${r.stderr}`);
  return new Set(names);
}

const known = build && {
  'pledgebook-ingest': knownFlags(path.join(build, 'ingest-service', 'pledgebook-ingest')),
  'pledgebook-report': knownFlags(path.join(build, 'report-service', 'pledgebook-report')),
};

for (const overlay of OVERLAYS) {
  test(`${overlay}: the binaries accept every flag`, () => {
    assert.ok(known, 'PLEDGEBOOK_BUILD_DIR is not set');
    const { violations, notes } = checkFlags(render(overlay), known);
    for (const n of notes) console.log(`note: ${n}`);
    assert.deepEqual(violations, []);
  });
}

test('a misspelt flag, and --undefok on a security flag, are caught', () => {
  assert.ok(known, 'PLEDGEBOOK_BUILD_DIR is not set');
  const objects = render('overlays/production');
  const ingest = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'pledgebook-ingest');
  ingest.spec.template.spec.containers[0].args.push('--shutdown_grace_secs=5', '--undefok=tls_cert_file');
  const { violations } = checkFlags(objects, known);
  assert.ok(violations.some((v) => v.includes('has no flag --shutdown_grace_secs')), violations.join('\n'));
  // "would let a binary without it start insecurely" before the flag exists,
  // "is not allowed" once it does: never on a security flag, either way.
  assert.ok(violations.some((v) => v.includes('--undefok=tls_cert_file')), violations.join('\n'));
});

test('deploy/README.md documents every pending flag', () => {
  const text = readme();
  for (const f of PENDING_FLAGS) assert.ok(text.includes(`--${f}`), `deploy/README.md does not mention --${f}`);
});
