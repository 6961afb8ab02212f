'use strict';
// `kubectl kustomize` renders base and every overlay, without warnings, into
// the objects each environment needs.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const path = require('node:path');
const { REPO, KUBECTL, OVERLAYS, parseDocs } = require('./lib/render');

function kustomize(dir) {
  const r = spawnSync(KUBECTL, ['kustomize', path.join(REPO, 'deploy', dir)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `kubectl kustomize ${dir} failed:\n${r.stderr}`);
  assert.equal(r.stderr.trim(), '', `kubectl kustomize ${dir} warned:\n${r.stderr}`);
  return parseDocs(r.stdout);
}

const kinds = (objects) => objects.map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`);

test('kubectl has a Kustomize v5 and supports the API versions used', () => {
  const v = JSON.parse(execFileSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }));
  const minor = parseInt(v.clientVersion.minor, 10);
  assert.ok(minor >= 27, `kubectl ${v.clientVersion.gitVersion} is older than 1.27`);
  assert.match(v.kustomizeVersion, /^v5\./, `kustomize ${v.kustomizeVersion}: need v5 (components, labels)`);
  console.log(`kubectl ${v.clientVersion.gitVersion}, kustomize ${v.kustomizeVersion}`);
});

test('base renders on its own', () => {
  const objects = kustomize('base');
  for (const k of ['Deployment/pledgebook-ingest', 'Deployment/pledgebook-report', 'Job/pledgebook-migrate',
    'NetworkPolicy/default-deny-all', 'ConfigMap/pledgebook-settings']) {
    assert.ok(kinds(objects).includes(k), `base lacks ${k}`);
  }
});

for (const overlay of OVERLAYS) {
  test(`${overlay} renders with everything a deployment needs`, () => {
    const objects = kustomize(overlay);
    const k = kinds(objects);
    for (const want of [
      'Namespace/', 'ServiceAccount/pledgebook-ingest', 'ServiceAccount/pledgebook-report', 'ServiceAccount/pledgebook-migrate',
      'Deployment/pledgebook-ingest', 'Deployment/pledgebook-report', 'Job/pledgebook-migrate',
      'Service/pledgebook-ingest', 'Service/pledgebook-report',
      'PodDisruptionBudget/pledgebook-ingest', 'PodDisruptionBudget/pledgebook-report',
      'HorizontalPodAutoscaler/pledgebook-ingest', 'HorizontalPodAutoscaler/pledgebook-report',
      'NetworkPolicy/default-deny-all', 'NetworkPolicy/allow-dns-egress',
      'ConfigMap/pledgebook-settings', 'ConfigMap/pledgebook-db-roles', 'ConfigMap/pledgebook-wait-for-schema',
    ]) {
      assert.ok(k.some((x) => x.startsWith(want)), `${overlay} lacks ${want}`);
    }
    const ns = objects.find((o) => o.kind === 'Namespace').metadata.name;
    for (const o of objects) {
      if (o.kind === 'Namespace') continue;
      assert.equal(o.metadata.namespace, ns, `${o.kind}/${o.metadata.name} is not in namespace ${ns}`);
    }
    if (overlay.endsWith('dev')) {
      assert.ok(k.includes('StatefulSet/postgres'), 'dev runs PostgreSQL as a StatefulSet');
      assert.ok(!objects.some((o) => o.kind === 'Cluster'), 'dev has no operator');
    } else {
      const cluster = objects.find((o) => o.kind === 'Cluster');
      assert.ok(cluster, 'production runs a CloudNativePG Cluster');
      assert.equal(cluster.apiVersion, 'postgresql.cnpg.io/v1');
      assert.equal(cluster.spec.instances, 3);
      assert.ok(!objects.some((o) => o.kind === 'Secret'), 'production commits no Secrets');
    }
  });
}
