'use strict';
// The policy every overlay must meet (securityContext, limits, probes,
// topology, references, database roles and connection budget, network
// reachability, transport), proven able to fail: by a deliberately broken
// fixture, and by breaking the real renderings one thing at a time.
const test = require('node:test');
const assert = require('node:assert/strict');
const { OVERLAYS, render, loadFixture } = require('./lib/render');
const P = require('./lib/policy');
const { PROFILES, readme } = require('./lib/profiles');

function allViolations(objects, profile) {
  return [
    ...P.checkWorkloads(objects),
    ...P.checkTopology(objects),
    ...P.checkReferences(objects, { ...profile, readme: readme() }),
    ...P.checkDatabase(objects),
    ...P.checkNetwork(objects),
    ...P.checkTransport(objects, profile),
  ];
}

const clone = (x) => JSON.parse(JSON.stringify(x));
const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name));
const podSpec = (o) => o.spec.template.spec;

for (const overlay of OVERLAYS) {
  test(`${overlay} meets the policy`, () => {
    assert.deepEqual(allViolations(render(overlay), PROFILES[overlay]), []);
  });
}

test('fixtures/broken-workload.yaml: every planted violation is reported', () => {
  const v = allViolations(loadFixture('broken-workload.yaml'), { externalSecrets: [], tls: false });
  const expected = [
    'pod securityContext.runAsNonRoot is not true',
    'pod securityContext.runAsUser is not a fixed non-root id',
    'pod securityContext.fsGroup is not a fixed non-root id',
    'automountServiceAccountToken is not false',
    'runs as the default ServiceAccount',
    'container ingest: no limits.cpu',
    'container ingest: no limits.memory',
    'container ingest: allowPrivilegeEscalation is not false',
    'container ingest: readOnlyRootFilesystem is not true',
    'container ingest: privileged',
    'container ingest: capabilities do not drop ALL',
    'container ingest: adds capabilities NET_ADMIN',
    'container ingest: runs as uid 0',
    'container ingest: seccompProfile is not RuntimeDefault',
    'container ingest: image pledgebook-ingest:latest has no pinned tag or digest',
    'container ingest: no livenessProbe',
    'container ingest: no startupProbe',
    'container ingest: readinessProbe is not a native gRPC probe',
    'terminationGracePeriodSeconds 10 leaves no time',
    'sets spec.replicas although',
    'no PodDisruptionBudget',
    'port grpc lacks appProtocol: grpc',
    'Secret missing-secret is neither in the manifests nor a documented external Secret',
    'PLEDGEBOOK_SCHEMA_VERSION is 0',
    'database URL carries a password',
    'INGEST_DATABASE_URL points at db, which no Service provides',
    'no default-deny NetworkPolicy',
    'plaintext transport must be opted into with --plaintext',
  ];
  for (const e of expected) assert.ok(v.some((x) => x.includes(e)), `not reported: ${e}\nreported:\n${v.join('\n')}`);
});

// Each mutation breaks one rule in a real rendering; the checks must say so.
const MUTATIONS = [
  ['overlays/production', 'ingest loses its readiness probe', 'no readinessProbe',
    (o) => { delete podSpec(find(o, 'Deployment', 'pledgebook-ingest')).containers[0].readinessProbe; }],
  ['overlays/dev', 'report readiness probes the wrong health service', 'must check the health of pledgebook.v1.ReportService',
    (o) => { podSpec(find(o, 'Deployment', 'pledgebook-report')).containers[0].readinessProbe.grpc.service = ''; }],
  ['overlays/dev', 'report probes a port it does not declare', 'which the container does not declare',
    (o) => { podSpec(find(o, 'Deployment', 'pledgebook-report')).containers[0].livenessProbe.grpc.port = 9999; }],
  ['overlays/production', 'the migration Job loses its memory limit', 'container migrate: no limits.memory',
    (o) => { delete podSpec(find(o, 'Job', 'pledgebook-migrate')).containers[0].resources.limits.memory; }],
  ['overlays/dev', 'report may escalate privileges', 'container report: allowPrivilegeEscalation is not false',
    (o) => { podSpec(find(o, 'Deployment', 'pledgebook-report')).containers[0].securityContext.allowPrivilegeEscalation = true; }],
  ['overlays/production', 'an init container gets a writable root filesystem', 'container wait-for-schema: readOnlyRootFilesystem is not true',
    (o) => { podSpec(find(o, 'Deployment', 'pledgebook-ingest')).initContainers[0].securityContext.readOnlyRootFilesystem = false; }],
  ['overlays/dev', 'PostgreSQL keeps its capabilities', 'container postgres: capabilities do not drop ALL',
    (o) => { podSpec(find(o, 'StatefulSet', 'postgres')).containers[0].securityContext.capabilities.drop = []; }],
  ['overlays/production', 'ingest runs as root', 'pod securityContext.runAsUser is not a fixed non-root id',
    (o) => { podSpec(find(o, 'Deployment', 'pledgebook-ingest')).securityContext.runAsUser = 0; }],
  ['overlays/production', 'seccomp is dropped', 'seccompProfile is not RuntimeDefault',
    (o) => { const s = podSpec(find(o, 'Deployment', 'pledgebook-report')); delete s.securityContext.seccompProfile; delete s.containers[0].securityContext.seccompProfile; }],
  ['overlays/dev', 'the grace period is too short for the drain', 'leaves no time for preStop',
    (o) => { podSpec(find(o, 'Deployment', 'pledgebook-ingest')).terminationGracePeriodSeconds = 20; }],
  ['overlays/production', 'report may reach the primary', 'pledgebook-report → pledgebook-db-1:5432/TCP is allowed, should be denied',
    (o) => { o.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'oops', namespace: 'pledgebook' },
      spec: { podSelector: {}, policyTypes: ['Egress', 'Ingress'], egress: [{}], ingress: [{}] } }); }],
  ['overlays/production', 'the default deny is deleted', 'no default-deny NetworkPolicy',
    (o) => { o.splice(o.indexOf(find(o, 'NetworkPolicy', 'default-deny-all')), 1); }],
  ['overlays/dev', 'DNS egress is deleted', '→ kube-dns:53/UDP is denied, should be allowed',
    (o) => { o.splice(o.indexOf(find(o, 'NetworkPolicy', 'allow-dns-egress')), 1); }],
  ['overlays/dev', 'services accept any caller', 'stranger → pledgebook-ingest:50051/TCP is allowed',
    (o) => { find(o, 'NetworkPolicy', 'pledgebook-ingest-from-clients').spec.ingress[0].from = []; }],
  ['overlays/production', 'report reads from the primary', 'report-service must read through pledgebook-db-ro',
    (o) => { const s = find(o, 'ConfigMap', 'pledgebook-settings'); s.data.REPORT_DATABASE_URL = s.data.INGEST_DATABASE_URL; }],
  ['overlays/production', 'report scales past the connection budget', "exceed pledgebook_report's connectionLimit",
    (o) => { find(o, 'HorizontalPodAutoscaler', 'pledgebook-report').spec.maxReplicas = 30; }],
  ['overlays/dev', 'the schema version falls behind migrations/', 'PLEDGEBOOK_SCHEMA_VERSION is 0',
    (o) => { find(o, 'ConfigMap', 'pledgebook-settings').data.PLEDGEBOOK_SCHEMA_VERSION = '0'; }],
  ['overlays/dev', 'a Secret the pods need is missing', 'Secret pledgebook-db-ingest',
    (o) => { o.splice(o.indexOf(find(o, 'Secret', 'pledgebook-db-ingest')), 1); }],
  ['overlays/production', 'the database CA is not mounted', 'sslrootcert /etc/pledgebook/db-ca/ca.crt is not on a mounted volume',
    (o) => { const c = podSpec(find(o, 'Job', 'pledgebook-migrate')).containers[0]; c.volumeMounts = c.volumeMounts.filter((m) => m.name !== 'db-ca'); }],
  ['overlays/production', 'probes go to the TLS port', 'must use the plaintext health port',
    (o) => { podSpec(find(o, 'Deployment', 'pledgebook-ingest')).containers[0].livenessProbe.grpc.port = 50051; }],
  ['overlays/production', 'a token file flag is lost', 'no --token_file',
    (o) => { const c = podSpec(find(o, 'Deployment', 'pledgebook-report')).containers[0]; c.args = c.args.filter((a) => !a.startsWith('--token_file')); }],
  ['overlays/dev', 'dev forgets --plaintext', 'plaintext transport must be opted into',
    (o) => { const c = podSpec(find(o, 'Deployment', 'pledgebook-ingest')).containers[0]; c.args = c.args.filter((a) => a !== '--plaintext'); }],
  ['overlays/production', 'HPA and replicas fight', 'sets spec.replicas although',
    (o) => { find(o, 'Deployment', 'pledgebook-report').spec.replicas = 2; }],
  ['overlays/production', 'the PDB is deleted', 'Deployment/pledgebook-ingest: no PodDisruptionBudget',
    (o) => { o.splice(o.indexOf(find(o, 'PodDisruptionBudget', 'pledgebook-ingest')), 1); }],
  ['overlays/production', 'the read-only role gains rights', 'pledgebook_report must be a plain member of pledgebook_reader',
    (o) => { find(o, 'Cluster', 'pledgebook-db').spec.managed.roles.find((r) => r.name === 'pledgebook_report').superuser = true; }],
];

const rendered = {};
for (const [overlay, what, message, mutate] of MUTATIONS) {
  test(`mutation caught: ${overlay}: ${what}`, () => {
    rendered[overlay] = rendered[overlay] || render(overlay);
    const objects = clone(rendered[overlay]);
    mutate(objects);
    const v = allViolations(objects, PROFILES[overlay]);
    assert.ok(v.some((x) => x.includes(message)), `expected "${message}", got:\n${v.join('\n') || '(nothing)'}`);
  });
}
