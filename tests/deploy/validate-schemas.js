'use strict';
// Every object `kubectl kustomize` renders for base and each overlay must be
// valid against the Kubernetes API schema of KUBERNETES_VERSION:
//   1. kubernetes-models (its JSON-schema validators, generated from that
//      version's OpenAPI document): types, formats, required fields, enums;
//   2. TypeScript's excess-property check against the same models' type
//      declarations: fields the API does not have (what `kubectl apply
//      --validate=strict` rejects, and what JSON schema 1. lets through);
//   3. the CloudNativePG Cluster against a hand-written, clearly labelled
//      subset of its CRD schema (schemas/cnpg-cluster-v1.subset.schema.json).
// Any object of a kind with no schema fails.
//
//   node validate-schemas.js [WORK_DIR]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const ts = require('typescript');
const { OVERLAYS, render, id } = require('./lib/render');

// The version kubernetes-models 4.5.1 was generated from (it has
// Lifecycle.stopSignal, new in 1.33, and no PodSpec.hostnameOverride, new
// in 1.34). Manifests also need >= 1.30 (preStop sleep) and >= 1.27 (gRPC
// probes, GA).
const KUBERNETES_VERSION = '1.33';
const MODELS = path.join(__dirname, 'node_modules', 'kubernetes-models');

const CRD_SCHEMAS = {
  'postgresql.cnpg.io/v1/Cluster': 'schemas/cnpg-cluster-v1.subset.schema.json',
};

function modelModule(o) {
  return `kubernetes-models/${o.apiVersion}/${o.kind}`;
}

function hasModel(o) {
  return fs.existsSync(path.join(MODELS, o.apiVersion, `${o.kind}.d.ts`));
}

function validateAll(targets) {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const crd = {};
  for (const [key, file] of Object.entries(CRD_SCHEMAS)) {
    crd[key] = ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8')));
  }
  const failures = [];
  const tsObjects = [];
  let counted = 0;
  for (const { name, objects } of targets) {
    for (const o of objects) {
      counted++;
      const where = `${name}: ${id(o)}`;
      if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
        failures.push(`${where}: no apiVersion/kind`);
        continue;
      }
      const crdKey = `${o.apiVersion}/${o.kind}`;
      if (crd[crdKey]) {
        if (!crd[crdKey](o)) {
          for (const e of crd[crdKey].errors) {
            failures.push(`${where}: ${e.instancePath || '/'} ${e.message}` +
              (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''));
          }
        }
        continue;
      }
      if (!hasModel(o)) {
        failures.push(`${where}: no schema for ${o.apiVersion} ${o.kind} in Kubernetes ${KUBERNETES_VERSION}`);
        continue;
      }
      const Model = require(modelModule(o))[o.kind];
      try {
        new Model(o).validate();
      } catch (e) {
        failures.push(`${where}: ${e.message}`);
      }
      tsObjects.push({ where, o });
    }
  }
  failures.push(...strictFields(tsObjects));
  return { failures, counted };
}

// The models' TypeScript declarations are generated from the same OpenAPI
// document; the type checker knows, for every object literal, the declared
// type it must have. A property that type does not declare (and no index
// signature allows) is a field the API server would reject under strict
// field validation. Every such field is reported, each with its path; type
// errors the compiler finds are reported too.
function strictFields(items) {
  if (!items.length) return [];
  const work = fs.mkdtempSync(path.join(process.env.DEPLOY_WORK_DIR || os.tmpdir(), 'k8s-strict-'));
  const imports = new Map();
  const lines = items.map(({ o }, i) => {
    const mod = modelModule(o);
    if (!imports.has(mod)) imports.set(mod, `T${imports.size}`);
    return `export const o${i}: ${imports.get(mod)} = ${JSON.stringify(o)};`;
  });
  const header = [...imports].map(([mod, alias]) => {
    const kind = mod.split('/').pop();
    return `import type { I${kind} as ${alias} } from ${JSON.stringify(mod)};`;
  });
  const file = path.join(work, 'manifests.ts');
  fs.writeFileSync(file, header.join('\n') + '\n' + lines.join('\n') + '\n');
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: work,
    paths: { '*': [path.join(__dirname, 'node_modules', '*')] },
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const out = [];
  const whereOf = (node) => {
    let n = node;
    while (n && !ts.isVariableStatement(n)) n = n.parent;
    const name = n && n.declarationList.declarations[0].name.text;
    return name ? items[Number(name.slice(1))].where : '?';
  };
  const pathOf = (node) => {
    const parts = [];
    for (let n = node; n && !ts.isVariableDeclaration(n); n = n.parent) {
      if (ts.isPropertyAssignment(n)) parts.unshift(n.name.text);
      else if (ts.isArrayLiteralExpression(n.parent) && !ts.isArrayLiteralExpression(n)) {
        parts.unshift(String(n.parent.elements.indexOf(n)));
      }
    }
    return '/' + parts.join('/');
  };
  const visit = (node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const contextual = checker.getContextualType(node);
      if (contextual) {
        const types = contextual.isUnion() ? contextual.types : [contextual];
        const objects = types.filter((t) => t.flags & ts.TypeFlags.Object);
        const open = objects.length === 0 || objects.some((t) =>
          checker.getIndexInfosOfType(t).length > 0 || t.getProperties().length === 0);
        if (!open) {
          for (const p of node.properties) {
            if (!ts.isPropertyAssignment(p)) continue;
            const key = p.name.text;
            if (!objects.some((t) => t.getProperty(key))) {
              out.push(`${whereOf(p)}: ${pathOf(p)}: unknown field "${key}"`);
            }
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (/may only specify known properties/.test(msg)) continue; // reported above
    let where = '?';
    if (d.file === source && d.start !== undefined) {
      const node = findNode(source, d.start);
      where = `${whereOf(node)}: ${pathOf(node)}`;
    } else if (d.file) {
      where = path.basename(d.file.fileName);
    }
    out.push(`${where}: ${msg}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  return out;
}

function findNode(source, pos) {
  let found = source;
  const visit = (node) => {
    if (node.getStart(source) <= pos && pos < node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(source, visit);
  return found;
}

function main() {
  const targets = ['base', ...OVERLAYS].map((dir) => ({ name: dir, objects: render(dir) }));
  const { failures, counted } = validateAll(targets);
  for (const f of failures) console.error(`FAIL ${f}`);
  console.log(`${counted} objects in ${targets.length} renderings checked against Kubernetes ` +
    `${KUBERNETES_VERSION} (kubernetes-models 4.5.1 + strict fields) and the CloudNativePG Cluster subset schema`);
  if (failures.length) {
    console.error(`${failures.length} schema violation(s)`);
    process.exit(1);
  }
}

module.exports = { validateAll, KUBERNETES_VERSION };
if (require.main === module) main();
