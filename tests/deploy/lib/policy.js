'use strict';
// Policy checks over rendered manifests. Each function returns a list of
// violations (strings); an empty list means the objects comply.
//
//   checkWorkloads   every pod template: securityContext, limits, probes,
//                    images, service accounts, graceful shutdown
//   checkTopology    Services, PDBs, HPAs match the Deployments they serve
//   checkReferences  ConfigMaps/Secrets exist (or are documented as created
//                    outside git), keys exist, database URLs and TLS mounts
//   checkDatabase    CloudNativePG Cluster: secrets, roles, connection budget
//   checkNetwork     evaluates the NetworkPolicies: who reaches what
//   checkFlags       every service flag is one the binaries know, or a
//                    documented pending flag
const fs = require('node:fs');
const path = require('node:path');
const { REPO, id } = require('./render');

// The non-root identity of the Pledgebook images (docker/*.Dockerfile USER).
const PLEDGEBOOK_UID = 10001;

// Flags of the security work, which the manifests may use before every binary
// in use has them (deploy/README.md, "Security flags", lists them). Only `plaintext` may be softened with
// --undefok (it changes nothing for a binary that is plaintext anyway); a
// security flag must make an older binary refuse to start.
const PENDING_FLAGS = [
  'plaintext',
  'tls_cert_file',
  'tls_key_file',
  'tls_client_ca_file',
  'token_file',
  'metrics_listen',
  'health_listen',
];
const SOFT_PENDING_FLAGS = ['plaintext'];

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod'];

const HEALTH_SERVICE = {
  'pledgebook-ingest': 'pledgebook.v1.IngestService',
  'pledgebook-report': 'pledgebook.v1.ReportService',
};

// ---------------------------------------------------------------- helpers

function podSpecOf(o) {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec && o.spec.jobTemplate.spec.template.spec;
  return o.spec && o.spec.template && o.spec.template.spec;
}

function podLabelsOf(o) {
  if (o.kind === 'Pod') return (o.metadata && o.metadata.labels) || {};
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.metadata.labels || {};
  return (o.spec.template.metadata && o.spec.template.metadata.labels) || {};
}

function workloads(objects) {
  return objects.filter((o) => WORKLOAD_KINDS.includes(o.kind) && podSpecOf(o));
}

function allContainers(spec) {
  return [
    ...(spec.initContainers || []).map((c) => ({ c, init: true })),
    ...(spec.containers || []).map((c) => ({ c, init: false })),
  ];
}

function matchSelector(sel, labels) {
  if (!sel) return false;
  labels = labels || {};
  for (const [k, v] of Object.entries(sel.matchLabels || {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions || []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && e.values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

// Quantities as numbers (cores for cpu, bytes for memory).
function quantity(q) {
  const m = String(q).match(/^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/);
  if (!m) return NaN;
  const mult = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Number(m[1]) * (m[2] ? mult[m[2]] : 1);
}

// --flag=value / --flag (booleans) → Map(name → value), dashes as underscores.
function flagsOf(args) {
  const flags = new Map();
  for (const a of args || []) {
    const m = String(a).match(/^--?([A-Za-z0-9_-]+)(?:=(.*))?$/);
    if (m) flags.set(m[1].replace(/-/g, '_'), m[2] === undefined ? true : m[2]);
  }
  return flags;
}

function imageName(image) {
  const noDigest = String(image).split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  return repo.slice(repo.lastIndexOf('/') + 1);
}

function imageTag(image) {
  const [noDigest, digest] = String(image).split('@');
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return { tag: colon > slash ? noDigest.slice(colon + 1) : '', digest: digest || '' };
}

function latestMigration() {
  const dir = path.join(REPO, 'migrations');
  const versions = fs.readdirSync(dir)
    .map((f) => f.match(/^(\d+)_.*\.sql$/))
    .filter(Boolean)
    .map((m) => Number(m[1]));
  return Math.max(...versions);
}

function settingsOf(objects) {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && /^pledgebook-settings(-|$)/.test(o.metadata.name));
  return cm ? cm.data || {} : null;
}

// ---------------------------------------------------------------- workloads

function checkWorkloads(objects) {
  const v = [];
  const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name));
  for (const w of workloads(objects)) {
    const spec = podSpecOf(w);
    const at = id(w);
    const psc = spec.securityContext || {};
    if (psc.runAsNonRoot !== true) v.push(`${at}: pod securityContext.runAsNonRoot is not true`);
    for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) {
      if (!Number.isInteger(psc[f]) || psc[f] <= 0) v.push(`${at}: pod securityContext.${f} is not a fixed non-root id`);
    }
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) v.push(`${at}: uses the host's namespaces`);
    if (spec.automountServiceAccountToken !== false) v.push(`${at}: automountServiceAccountToken is not false`);
    if (!spec.serviceAccountName || spec.serviceAccountName === 'default') {
      v.push(`${at}: runs as the default ServiceAccount`);
    } else if (!accounts.has(spec.serviceAccountName)) {
      v.push(`${at}: ServiceAccount ${spec.serviceAccountName} is not in the manifests`);
    }
    if (w.kind === 'Job' || w.kind === 'CronJob') {
      if (!['Never', 'OnFailure'].includes(spec.restartPolicy)) v.push(`${at}: restartPolicy must be Never or OnFailure`);
      const js = w.kind === 'Job' ? w.spec : w.spec.jobTemplate.spec;
      if (!Number.isInteger(js.backoffLimit)) v.push(`${at}: no backoffLimit`);
      if (!Number.isInteger(js.activeDeadlineSeconds)) v.push(`${at}: no activeDeadlineSeconds`);
    }
    for (const { c, init } of allContainers(spec)) {
      const cat = `${at} container ${c.name}`;
      const r = c.resources || {};
      for (const kind of ['requests', 'limits']) {
        for (const res of ['cpu', 'memory']) {
          if (!r[kind] || r[kind][res] === undefined) v.push(`${cat}: no ${kind}.${res}`);
        }
      }
      for (const res of ['cpu', 'memory']) {
        if (r.requests && r.limits && r.requests[res] !== undefined && r.limits[res] !== undefined &&
            quantity(r.requests[res]) > quantity(r.limits[res])) {
          v.push(`${cat}: requests.${res} above limits.${res}`);
        }
      }
      const sc = c.securityContext || {};
      if (sc.allowPrivilegeEscalation !== false) v.push(`${cat}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) v.push(`${cat}: readOnlyRootFilesystem is not true`);
      if (sc.privileged) v.push(`${cat}: privileged`);
      const caps = sc.capabilities || {};
      if (!(caps.drop || []).includes('ALL')) v.push(`${cat}: capabilities do not drop ALL`);
      if ((caps.add || []).length) v.push(`${cat}: adds capabilities ${caps.add.join(',')}`);
      if (sc.runAsNonRoot === false) v.push(`${cat}: runAsNonRoot is false`);
      if (sc.runAsUser === 0) v.push(`${cat}: runs as uid 0`);
      const seccomp = (sc.seccompProfile || psc.seccompProfile || {}).type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v.push(`${cat}: seccompProfile is not RuntimeDefault`);
      const { tag, digest } = imageTag(c.image);
      if (!digest && (!tag || tag === 'latest')) v.push(`${cat}: image ${c.image} has no pinned tag or digest`);

      const name = imageName(c.image);
      if (name.startsWith('pledgebook-')) {
        const uid = sc.runAsUser !== undefined ? sc.runAsUser : psc.runAsUser;
        if (uid !== PLEDGEBOOK_UID) v.push(`${cat}: must run as the image's uid ${PLEDGEBOOK_UID}, not ${uid}`);
      }
      if (init || !LONG_RUNNING.includes(w.kind)) continue;
      for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (!c[p]) v.push(`${cat}: no ${p}`);
      }
      const ports = c.ports || [];
      if (ports.some((p) => p.name === 'grpc')) {
        const expected = HEALTH_SERVICE[name];
        for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
          const probe = c[p];
          if (!probe) continue;
          if (!probe.grpc) { v.push(`${cat}: ${p} is not a native gRPC probe`); continue; }
          if (!ports.some((cp) => cp.containerPort === probe.grpc.port)) {
            v.push(`${cat}: ${p} probes port ${probe.grpc.port}, which the container does not declare`);
          }
          if (p !== 'livenessProbe' && expected && probe.grpc.service !== expected) {
            v.push(`${cat}: ${p} must check the health of ${expected}, not "${probe.grpc.service || ''}"`);
          }
        }
      }
      // SIGTERM → preStop sleep → server drains for --shutdown_grace_seconds;
      // all of it before the kubelet's SIGKILL.
      if (name.startsWith('pledgebook-')) {
        const grace = Number(flagsOf(c.args).get('shutdown_grace_seconds') || 20);
        const preStop = (((c.lifecycle || {}).preStop || {}).sleep || {}).seconds || 0;
        const total = spec.terminationGracePeriodSeconds === undefined ? 30 : spec.terminationGracePeriodSeconds;
        if (total <= grace + preStop) {
          v.push(`${cat}: terminationGracePeriodSeconds ${total} leaves no time for preStop ${preStop}s + shutdown grace ${grace}s`);
        }
      }
    }
  }
  return v;
}

// ---------------------------------------------------------------- topology

function checkTopology(objects) {
  const v = [];
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const services = objects.filter((o) => o.kind === 'Service');
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  const pods = workloads(objects).map((w) => ({ w, labels: podLabelsOf(w), spec: podSpecOf(w) }));
  for (const d of deployments) {
    const at = id(d);
    const labels = podLabelsOf(d);
    if (!matchSelector(d.spec.selector, labels)) v.push(`${at}: selector does not match its pod template`);
    const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata.name);
    if (!hpa) v.push(`${at}: no HorizontalPodAutoscaler`);
    else if (d.spec.replicas !== undefined) v.push(`${at}: sets spec.replicas although ${id(hpa)} scales it`);
    if (!pdbs.some((p) => matchSelector(p.spec.selector, labels))) v.push(`${at}: no PodDisruptionBudget`);
    const grpcPorts = podSpecOf(d).containers.flatMap((c) => (c.ports || []).filter((p) => p.name === 'grpc'));
    if (grpcPorts.length) {
      const svc = services.find((s) => s.spec.clusterIP !== 'None' && s.spec.selector &&
        matchSelector({ matchLabels: s.spec.selector }, labels));
      const port = svc && svc.spec.ports.find((p) => p.name === 'grpc');
      if (!port) v.push(`${at}: no ClusterIP Service with a port named grpc`);
      else if (port.appProtocol !== 'grpc') v.push(`${id(svc)}: port grpc lacks appProtocol: grpc`);
    }
  }
  for (const h of hpas) {
    if (h.apiVersion !== 'autoscaling/v2') v.push(`${id(h)}: not autoscaling/v2`);
    if (!deployments.some((d) => d.metadata.name === h.spec.scaleTargetRef.name)) v.push(`${id(h)}: targets a missing Deployment`);
    if (!(h.spec.minReplicas >= 1 && h.spec.maxReplicas >= h.spec.minReplicas)) v.push(`${id(h)}: bad replica range`);
  }
  for (const p of pdbs) {
    if (p.apiVersion !== 'policy/v1') v.push(`${id(p)}: not policy/v1`);
    if (!pods.some((x) => matchSelector(p.spec.selector, x.labels))) v.push(`${id(p)}: selects no pods`);
  }
  for (const s of services) {
    if (!s.spec.selector) continue;
    const selected = pods.filter((x) => matchSelector({ matchLabels: s.spec.selector }, x.labels));
    if (!selected.length) { v.push(`${id(s)}: selects no pods`); continue; }
    for (const p of s.spec.ports) {
      if (typeof p.targetPort !== 'string') continue;
      const ok = selected.every((x) => x.spec.containers.some((c) => (c.ports || []).some((cp) => cp.name === p.targetPort)));
      if (!ok) v.push(`${id(s)}: targetPort ${p.targetPort} is not a named port of the pods it selects`);
    }
  }
  return v;
}

// ---------------------------------------------------------------- references

// profile: { externalSecrets: [names created outside git], readme: text }
function checkReferences(objects, profile) {
  const v = [];
  const byKind = (k) => new Map(objects.filter((o) => o.kind === k).map((o) => [o.metadata.name, o]));
  const cms = byKind('ConfigMap');
  const secrets = byKind('Secret');
  const external = new Set(profile.externalSecrets || []);
  const keysOf = (o) => new Set([...Object.keys(o.data || {}), ...Object.keys(o.stringData || {}), ...Object.keys(o.binaryData || {})]);
  const ref = (at, kind, name, key, optional) => {
    const pool = kind === 'ConfigMap' ? cms : secrets;
    const o = pool.get(name);
    if (!o) {
      if (kind === 'Secret' && external.has(name)) return;
      if (!optional) v.push(`${at}: ${kind} ${name} is neither in the manifests nor a documented external Secret`);
      return;
    }
    if (key !== undefined && !keysOf(o).has(key)) v.push(`${at}: ${kind} ${name} has no key ${key}`);
  };
  for (const w of workloads(objects)) {
    const spec = podSpecOf(w);
    for (const vol of spec.volumes || []) {
      const at = `${id(w)} volume ${vol.name}`;
      if (vol.configMap) for (const it of vol.configMap.items || [{}]) ref(at, 'ConfigMap', vol.configMap.name, it.key, vol.configMap.optional);
      if (vol.secret) for (const it of vol.secret.items || [{}]) ref(at, 'Secret', vol.secret.secretName, it.key, vol.secret.optional);
      for (const src of (vol.projected && vol.projected.sources) || []) {
        if (src.configMap) for (const it of src.configMap.items || [{}]) ref(at, 'ConfigMap', src.configMap.name, it.key, src.configMap.optional);
        if (src.secret) for (const it of src.secret.items || [{}]) ref(at, 'Secret', src.secret.name, it.key, src.secret.optional);
      }
    }
    for (const { c } of allContainers(spec)) {
      const at = `${id(w)} container ${c.name}`;
      const volumes = [...(spec.volumes || []), ...((w.spec && w.spec.volumeClaimTemplates) || []).map((t) => t.metadata)];
      for (const m of c.volumeMounts || []) {
        if (!volumes.some((vol) => vol.name === m.name)) v.push(`${at}: mounts undefined volume ${m.name}`);
      }
      for (const e of c.env || []) {
        const f = e.valueFrom || {};
        if (f.configMapKeyRef) ref(`${at} env ${e.name}`, 'ConfigMap', f.configMapKeyRef.name, f.configMapKeyRef.key, f.configMapKeyRef.optional);
        if (f.secretKeyRef) ref(`${at} env ${e.name}`, 'Secret', f.secretKeyRef.name, f.secretKeyRef.key, f.secretKeyRef.optional);
      }
      for (const e of c.envFrom || []) {
        if (e.configMapRef) ref(`${at} envFrom`, 'ConfigMap', e.configMapRef.name, undefined, e.configMapRef.optional);
        if (e.secretRef) ref(`${at} envFrom`, 'Secret', e.secretRef.name, undefined, e.secretRef.optional);
      }
    }
  }
  // Every external Secret is documented in deploy/README.md.
  for (const name of external) {
    if (profile.readme !== undefined && !profile.readme.includes(name)) {
      v.push(`external Secret ${name} is not documented in deploy/README.md`);
    }
  }
  // The schema version the pods wait for is the latest migration.
  const settings = settingsOf(objects);
  if (!settings) {
    v.push('no pledgebook-settings ConfigMap');
  } else {
    const want = latestMigration();
    if (Number(settings.PLEDGEBOOK_SCHEMA_VERSION) !== want) {
      v.push(`pledgebook-settings PLEDGEBOOK_SCHEMA_VERSION is ${settings.PLEDGEBOOK_SCHEMA_VERSION}, ` +
        `but migrations/ goes up to ${want}: update deploy/base/settings.env`);
    }
  }
  // Database URLs: every container that uses one can read its sslrootcert.
  for (const w of workloads(objects)) {
    const spec = podSpecOf(w);
    for (const { c } of allContainers(spec)) {
      const e = (c.env || []).find((x) => x.name === 'PLEDGEBOOK_DATABASE_URL');
      if (!e || !e.valueFrom || !e.valueFrom.configMapKeyRef) continue;
      const cm = cms.get(e.valueFrom.configMapKeyRef.name);
      const url = cm && (cm.data || {})[e.valueFrom.configMapKeyRef.key];
      if (!url) continue;
      const params = new URL(url).searchParams;
      const root = params.get('sslrootcert');
      if (root && !(c.volumeMounts || []).some((m) => root.startsWith(m.mountPath.replace(/\/?$/, '/')))) {
        v.push(`${id(w)} container ${c.name}: sslrootcert ${root} is not on a mounted volume`);
      }
      if (/^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(url)) v.push(`${id(w)} container ${c.name}: database URL carries a password`);
    }
  }
  return v;
}

// Services that exist once the manifests are applied: the rendered ones and
// those CloudNativePG creates for each Cluster.
function effectiveServices(objects) {
  const out = objects.filter((o) => o.kind === 'Service').map((s) => ({ name: s.metadata.name, selector: s.spec.selector }));
  for (const c of objects.filter((o) => o.kind === 'Cluster')) {
    const n = c.metadata.name;
    out.push({ name: `${n}-rw`, selector: { 'cnpg.io/cluster': n, 'cnpg.io/instanceRole': 'primary' } });
    out.push({ name: `${n}-ro`, selector: { 'cnpg.io/cluster': n, 'cnpg.io/instanceRole': 'replica' } });
    out.push({ name: `${n}-r`, selector: { 'cnpg.io/cluster': n } });
  }
  return out;
}

// Pods that exist once applied: one per workload template, plus a primary and
// two replicas per CloudNativePG Cluster (labelled as the operator labels them).
function effectivePods(objects, namespace) {
  const pods = workloads(objects).map((w) => ({
    name: w.metadata.name,
    namespace,
    labels: podLabelsOf(w),
    ports: podSpecOf(w).containers.flatMap((c) => c.ports || []),
  }));
  for (const c of objects.filter((o) => o.kind === 'Cluster')) {
    const n = c.metadata.name;
    const ports = [{ name: 'postgresql', containerPort: 5432 }, { name: 'status', containerPort: 8000 }];
    pods.push({ name: `${n}-1`, namespace, labels: { 'cnpg.io/cluster': n, 'cnpg.io/instanceRole': 'primary', 'cnpg.io/podRole': 'instance' }, ports });
    for (const i of [2, 3]) {
      pods.push({ name: `${n}-${i}`, namespace, labels: { 'cnpg.io/cluster': n, 'cnpg.io/instanceRole': 'replica', 'cnpg.io/podRole': 'instance' }, ports });
    }
  }
  return pods;
}

function hostOf(url) {
  try { return new URL(url).hostname; } catch (e) { return ''; }
}

// ---------------------------------------------------------------- database

function checkDatabase(objects) {
  const v = [];
  const settings = settingsOf(objects) || {};
  const services = effectiveServices(objects);
  const writeHost = hostOf(settings.INGEST_DATABASE_URL);
  const readHost = hostOf(settings.REPORT_DATABASE_URL);
  for (const [what, host] of [['INGEST_DATABASE_URL', writeHost], ['REPORT_DATABASE_URL', readHost]]) {
    if (!services.some((s) => s.name === host)) v.push(`${what} points at ${host || '(nothing)'}, which no Service provides`);
  }
  const clusters = objects.filter((o) => o.kind === 'Cluster');
  if (clusters.length > 1) v.push('more than one CloudNativePG Cluster');
  const roles = fs.readFileSync(path.join(REPO, 'deploy', 'components', 'db-roles', 'roles.sql'), 'utf8');
  for (const c of clusters) {
    const at = id(c);
    const n = c.metadata.name;
    if (writeHost !== `${n}-rw`) v.push(`${at}: ingest-service must write through ${n}-rw, not ${writeHost}`);
    if (readHost !== `${n}-ro`) v.push(`${at}: report-service must read through ${n}-ro, not ${readHost}`);
    if (c.spec.instances < 3) v.push(`${at}: fewer than three instances`);
    const initdb = (c.spec.bootstrap || {}).initdb || {};
    for (const r of ((initdb.postInitApplicationSQLRefs || {}).configMapRefs || [])) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === r.name);
      if (!cm || !(cm.data || {})[r.key]) v.push(`${at}: postInitApplicationSQLRefs ${r.name}/${r.key} is not in the manifests`);
    }
    const managed = ((c.spec.managed || {}).roles || []);
    const report = managed.find((r) => r.name === 'pledgebook_report');
    if (!report) v.push(`${at}: no managed role pledgebook_report`);
    else if (JSON.stringify(report.inRoles || []) !== '["pledgebook_reader"]' || report.superuser ||
             report.createdb || report.createrole || report.replication || report.bypassrls) {
      v.push(`${at}: pledgebook_report must be a plain member of pledgebook_reader (migrations/0002_reader_role.sql), nothing more`);
    }
    for (const r of managed) {
      if (!new RegExp(`CREATE ROLE ${r.name}\\b`).test(roles)) v.push(`${at}: managed role ${r.name} is not created by roles.sql`);
      if (!r.passwordSecret) v.push(`${at}: managed role ${r.name} has no passwordSecret`);
    }
    if (initdb.owner && !new RegExp(`FOR ROLE ${initdb.owner}\\b`).test(roles)) {
      v.push(`${at}: roles.sql grants default privileges for another owner than ${initdb.owner}`);
    }
    // Connection budget: at the HPA's maximum plus the rolling update's
    // surge, every pod's pool fits the role's limit and max_connections.
    const maxConn = Number(((c.spec.postgresql || {}).parameters || {}).max_connections || 100);
    const reserve = 13; // superuser_reserved_connections (3) + the operator, replication, monitoring
    const budget = { pledgebook_ingest: 0, pledgebook_report: 0 };
    const onPrimary = { pledgebook_ingest: true, pledgebook_report: false };
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const hpa = objects.find((h) => h.kind === 'HorizontalPodAutoscaler' && h.spec.scaleTargetRef.name === d.metadata.name);
      const main = podSpecOf(d).containers[0];
      const user = ((main.env || []).find((e) => e.name === 'PGUSER') || {}).valueFrom;
      const secretName = user && user.secretKeyRef && user.secretKeyRef.name;
      const role = managed.find((r) => r.passwordSecret && r.passwordSecret.name === secretName);
      if (!role || !hpa) continue;
      const surge = String((((d.spec.strategy || {}).rollingUpdate || {}).maxSurge) || '25%');
      const max = hpa.spec.maxReplicas;
      const pods = max + (surge.endsWith('%') ? Math.ceil((max * parseInt(surge, 10)) / 100) : Number(surge));
      const pool = Number(flagsOf(main.args).get('db_pool_size'));
      if (!pool) { v.push(`${id(d)}: no --db_pool_size`); continue; }
      const need = pods * pool;
      budget[role.name] = (budget[role.name] || 0) + need;
      if (role.connectionLimit !== undefined && role.connectionLimit >= 0 && need > role.connectionLimit) {
        v.push(`${id(d)}: ${pods} pods x ${pool} connections = ${need} exceed ${role.name}'s connectionLimit ${role.connectionLimit}`);
      }
    }
    const primary = 1 /* migration Job */ + Object.entries(budget).filter(([r]) => onPrimary[r]).reduce((a, [, n]) => a + n, 0);
    const replica = Object.entries(budget).filter(([r]) => !onPrimary[r]).reduce((a, [, n]) => a + n, 0);
    if (primary + reserve > maxConn) v.push(`${at}: the primary needs ${primary} + ${reserve} connections, max_connections is ${maxConn}`);
    if (replica + reserve > maxConn) v.push(`${at}: a replica may need ${replica} + ${reserve} connections, max_connections is ${maxConn}`);
  }
  return v;
}

// ---------------------------------------------------------------- network

function namespaceLabels(ns, objects) {
  const o = objects && objects.find((x) => x.kind === 'Namespace' && x.metadata.name === ns);
  return { ...((o && o.metadata.labels) || {}), 'kubernetes.io/metadata.name': ns };
}

function portMatches(rulePort, port, protocol, dstPod) {
  if ((rulePort.protocol || 'TCP') !== protocol) return false;
  if (rulePort.port === undefined) return true;
  if (typeof rulePort.port === 'string') {
    const named = dstPod && (dstPod.ports || []).find((p) => p.name === rulePort.port);
    return Boolean(named && named.containerPort === port);
  }
  const end = rulePort.endPort || rulePort.port;
  return port >= rulePort.port && port <= end;
}

function ipIn(ip, cidr) {
  const [base, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (bits === 0) return true;
  const n = (s) => s.split('.').reduce((a, x) => a * 256 + Number(x), 0);
  const div = 2 ** (32 - bits);
  return Math.floor(n(ip) / div) === Math.floor(n(base) / div);
}

function peerMatches(peer, policyNs, actor, objects) {
  if (peer.ipBlock) {
    if (!actor.ip) return false;
    return ipIn(actor.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except || []).some((c) => ipIn(actor.ip, c));
  }
  if (actor.ip) return false;
  const nsOk = peer.namespaceSelector
    ? matchSelector(peer.namespaceSelector, actor.nsLabels || namespaceLabels(actor.namespace, objects))
    : actor.namespace === policyNs;
  const podOk = peer.podSelector ? matchSelector(peer.podSelector, actor.labels) : true;
  return nsOk && podOk;
}

function typesOf(p) {
  if (p.spec.policyTypes) return p.spec.policyTypes;
  return p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function allowedBy(policies, direction, self, other, port, protocol, objects, dstPod) {
  const selecting = policies.filter((p) => (p.metadata.namespace || self.namespace) === self.namespace &&
    typesOf(p).includes(direction) && matchSelector(p.spec.podSelector, self.labels));
  if (!selecting.length) return true; // not isolated in this direction
  const key = direction === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  return selecting.some((p) => (p.spec[key] || []).some((rule) => {
    const peers = rule[peersKey];
    const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, self.namespace, other, objects));
    const ports = rule.ports;
    const portOk = !ports || ports.length === 0 || ports.some((rp) => portMatches(rp, port, protocol, dstPod));
    return peerOk && portOk;
  }));
}

// Can `src` open a connection to `dst` on port/protocol? Actors outside the
// manifests' namespace (or addresses) are governed only by our side.
function canConnect(objects, src, dst, port, protocol = 'TCP') {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const egress = src.external ? true : allowedBy(policies, 'Egress', src, dst, port, protocol, objects, dst);
  const ingress = dst.external ? true : allowedBy(policies, 'Ingress', dst, src, port, protocol, objects, dst);
  return egress && ingress;
}

function checkNetwork(objects) {
  const v = [];
  const nsObj = objects.find((o) => o.kind === 'Namespace');
  const ns = nsObj ? nsObj.metadata.name : 'default';
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  if (!policies.some((p) => Object.keys(p.spec.podSelector || {}).length === 0 &&
      typesOf(p).includes('Ingress') && typesOf(p).includes('Egress') && !p.spec.ingress && !p.spec.egress)) {
    v.push('no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)');
  }
  const pods = effectivePods(objects, ns);
  const services = effectiveServices(objects);
  const podBy = (name) => pods.find((p) => p.labels['app.kubernetes.io/name'] === name);
  const ingest = podBy('pledgebook-ingest');
  const report = podBy('pledgebook-report');
  const migrate = podBy('pledgebook-migrate');
  if (!ingest || !report || !migrate) return [...v, 'missing ingest, report or migration pods'];
  const settings = settingsOf(objects) || {};
  const selected = (host) => {
    const s = services.find((x) => x.name === host);
    return s && s.selector ? pods.filter((p) => matchSelector({ matchLabels: s.selector }, p.labels)) : [];
  };
  const writePods = selected(hostOf(settings.INGEST_DATABASE_URL));
  const readPods = selected(hostOf(settings.REPORT_DATABASE_URL));
  if (!writePods.length) v.push('the write endpoint selects no pods');
  if (!readPods.length) v.push('the read endpoint selects no pods');

  const outside = (name, labels, namespace = 'apps') => ({ name, namespace, labels, external: true });
  const ingestClient = outside('ingest-client', { 'pledgebook.io/ingest-client': 'true' });
  const reportClient = outside('report-client', { 'pledgebook.io/report-client': 'true' });
  const scraper = outside('metrics-scraper', { 'pledgebook.io/metrics-scraper': 'true' }, 'monitoring');
  const stranger = outside('stranger', { app: 'other' });
  const neighbour = { name: 'unlabelled pod in the namespace', namespace: ns, labels: { app: 'debug' } };
  const dns = outside('kube-dns', { 'k8s-app': 'kube-dns' }, 'kube-system');
  const internet = { name: 'an Internet address', ip: '203.0.113.7', external: true };
  const operator = outside('cloudnative-pg operator', { 'app.kubernetes.io/name': 'cloudnative-pg' }, 'cnpg-system');

  const expect = (src, dst, port, want, why, protocol = 'TCP') => {
    const got = canConnect(objects, src, dst, port, protocol);
    if (got !== want) {
      v.push(`${src.name} → ${dst.name}:${port}/${protocol} is ${got ? 'allowed' : 'denied'}, should be ${want ? 'allowed' : 'denied'} (${why})`);
    }
  };
  for (const w of writePods) {
    expect(ingest, w, 5432, true, 'ingest-service writes through the write endpoint');
    expect(migrate, w, 5432, true, 'the migration Job writes through the write endpoint');
  }
  for (const r of readPods) expect(report, r, 5432, true, 'report-service reads through the read endpoint');
  const separate = writePods.every((w) => !readPods.includes(w));
  if (separate) {
    for (const w of writePods) expect(report, w, 5432, false, 'only ingest and the migration Job reach the write endpoint');
  }
  for (const db of [...new Set([...writePods, ...readPods])]) {
    for (const who of [neighbour, stranger, ingestClient, reportClient]) {
      expect(who, db, 5432, false, 'only Pledgebook reaches the database');
    }
  }
  const grpc = (pod) => (pod.ports.find((p) => p.name === 'grpc') || {}).containerPort;
  expect(ingestClient, ingest, grpc(ingest), true, 'labelled ingest clients call ingest-service');
  expect(reportClient, report, grpc(report), true, 'labelled report clients call report-service');
  for (const [svc, unwanted] of [[ingest, [reportClient, stranger, neighbour, report, migrate]], [report, [ingestClient, stranger, neighbour, ingest, migrate]]]) {
    for (const who of unwanted) expect(who, svc, grpc(svc), false, 'only clients with the label call a service');
  }
  for (const p of [ingest, report, migrate]) {
    expect(p, dns, 53, true, 'DNS', 'UDP');
    expect(p, dns, 53, true, 'DNS over TCP', 'TCP');
    expect(p, internet, 443, false, 'no egress beyond the database and DNS');
    expect(p, internet, 5432, false, 'no egress beyond the database and DNS');
  }
  const metrics = (pod) => (pod.ports.find((p) => p.name === 'metrics') || {}).containerPort;
  for (const svc of [ingest, report]) {
    if (!metrics(svc)) continue;
    expect(scraper, svc, metrics(svc), true, 'labelled scrapers read metrics');
    expect(stranger, svc, metrics(svc), false, 'only labelled scrapers read metrics');
  }
  const instances = pods.filter((p) => p.labels['cnpg.io/cluster']);
  const primary = instances.find((p) => p.labels['cnpg.io/instanceRole'] === 'primary');
  for (const i of instances) {
    if (i !== primary) expect(i, primary, 5432, true, 'standbys stream WAL from the primary');
    expect(operator, i, 8000, true, 'the operator reaches each instance manager');
    expect(i, internet, 5432, false, 'database pods reach only each other, DNS and the API server');
  }
  return v;
}

// ---------------------------------------------------------------- transport

// tls: the overlay must run mTLS + tokens (production); otherwise it must
// opt into plaintext explicitly (dev).
function checkTransport(objects, { tls }) {
  const v = [];
  for (const d of objects.filter((o) => o.kind === 'Deployment')) {
    for (const c of podSpecOf(d).containers) {
      if (!HEALTH_SERVICE[imageName(c.image)]) continue;
      const at = `${id(d)} container ${c.name}`;
      const flags = flagsOf(c.args);
      if (tls) {
        for (const f of ['tls_cert_file', 'tls_key_file', 'tls_client_ca_file', 'token_file']) {
          if (!flags.get(f)) v.push(`${at}: no --${f}`);
          else if (!(c.volumeMounts || []).some((m) => String(flags.get(f)).startsWith(m.mountPath.replace(/\/?$/, '/')))) {
            v.push(`${at}: --${f}=${flags.get(f)} is not on a mounted volume`);
          }
        }
        if (flags.has('plaintext')) v.push(`${at}: --plaintext in a TLS overlay`);
        const health = flags.get('health_listen');
        const port = health && Number(String(health).split(':').pop());
        for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
          if (c[p] && c[p].grpc && c[p].grpc.port !== port) {
            v.push(`${at}: ${p} must use the plaintext health port (--health_listen), kubelet probes cannot speak TLS`);
          }
        }
      } else if (!flags.has('plaintext')) {
        v.push(`${at}: plaintext transport must be opted into with --plaintext`);
      }
    }
  }
  return v;
}

// ---------------------------------------------------------------- flags

// known: { 'pledgebook-ingest': Set(flag names), 'pledgebook-report': Set }
function checkFlags(objects, known) {
  const v = [];
  const binaryOf = { 'pledgebook-ingest': 'pledgebook-ingest', 'pledgebook-report': 'pledgebook-report', 'pledgebook-migrate': 'pledgebook-ingest' };
  const notes = [];
  for (const w of workloads(objects)) {
    for (const { c } of allContainers(podSpecOf(w))) {
      const bin = binaryOf[imageName(c.image)];
      if (!bin) continue;
      const at = `${id(w)} container ${c.name}`;
      const flags = flagsOf(c.args);
      const undefok = new Set(String(flags.get('undefok') || '').split(',').filter(Boolean).map((f) => f.replace(/-/g, '_')));
      for (const [name] of flags) {
        if (name === 'undefok') continue;
        if (known[bin].has(name)) {
          if (PENDING_FLAGS.includes(name)) notes.push(`--${name} is implemented by the built binaries (PENDING_FLAGS can drop it once no older binary is deployed)`);
          continue;
        }
        if (!PENDING_FLAGS.includes(name)) { v.push(`${at}: ${bin} has no flag --${name}`); continue; }
        if (!SOFT_PENDING_FLAGS.includes(name) && undefok.has(name)) {
          v.push(`${at}: --undefok=${name} would let a binary without --${name} start insecurely`);
        }
        if (SOFT_PENDING_FLAGS.includes(name) && !undefok.has(name)) {
          v.push(`${at}: pending --${name} needs --undefok=${name} so today's binaries start`);
        }
      }
      for (const name of undefok) {
        if (!SOFT_PENDING_FLAGS.includes(name)) v.push(`${at}: --undefok=${name} is not allowed`);
      }
    }
  }
  return { violations: v, notes: [...new Set(notes)] };
}

module.exports = {
  PENDING_FLAGS,
  checkWorkloads,
  checkTopology,
  checkReferences,
  checkDatabase,
  checkNetwork,
  checkFlags,
  checkTransport,
  canConnect,
  flagsOf,
  matchSelector,
  latestMigration,
};
