'use strict';
// Every rendered object validates against the Kubernetes API schema (and the
// CloudNativePG Cluster against its hand-written subset); and the validator
// rejects a fixture of deliberately invalid objects, problem by problem.
const test = require('node:test');
const assert = require('node:assert/strict');
const { OVERLAYS, render, loadFixture } = require('./lib/render');
const { validateAll, KUBERNETES_VERSION } = require('./validate-schemas');

test(`base and overlays are valid Kubernetes ${KUBERNETES_VERSION} objects`, () => {
  const targets = ['base', ...OVERLAYS].map((dir) => ({ name: dir, objects: render(dir) }));
  const { failures, counted } = validateAll(targets);
  assert.deepEqual(failures, []);
  assert.ok(counted > 50, `only ${counted} objects`);
});

test('the validator rejects each invalid object in fixtures/invalid-schema.yaml', () => {
  const { failures } = validateAll([{ name: 'fixture', objects: loadFixture('invalid-schema.yaml') }]);
  const expected = [
    /Deployment\/broken-types: .*spec\/replicas must be integer/,
    /Deployment\/broken-types: .*livenessProbe\/grpc\/port must be integer/,
    /Deployment\/broken-types: \/spec\/template\/spec\/containers\/0\/securityContxt: unknown field/,
    /Service\/broken-service: \/spec\/ports\/0\/appProtocl: unknown field/,
    /PodDisruptionBudget\/broken-pdb: \/spec\/selectr: unknown field/,
    /Cluster\/broken-db: \/spec\/instances must be >= 1/,
    /Cluster\/broken-db: \/spec\/primaryUpdateStrategy must be equal to one of the allowed values/,
    /Cluster\/broken-db: \/spec\/postgresql\/parameters\/max_connections must be string/,
    /Cluster\/broken-db: \/spec\/managed\/roles\/0 must NOT have additional properties \(inRole\)/,
    /Widget\/unknown-kind: no schema for example.com\/v1 Widget/,
  ];
  for (const re of expected) {
    assert.ok(failures.some((f) => re.test(f)), `not reported: ${re}\nreported:\n${failures.join('\n')}`);
  }
});
