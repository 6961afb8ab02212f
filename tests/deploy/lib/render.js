'use strict';
// Renders a Kustomize directory with `kubectl kustomize` and parses the
// result into plain objects.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const REPO = path.resolve(__dirname, '..', '..', '..');
const KUBECTL = process.env.KUBECTL || 'kubectl';

// The overlays CI renders and validates; base is rendered too (it must build
// on its own) but is not deployable without an overlay.
const OVERLAYS = ['overlays/dev', 'overlays/production'];

function render(dir) {
  const abs = path.resolve(REPO, 'deploy', dir);
  const out = execFileSync(KUBECTL, ['kustomize', abs], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20,
  });
  return parseDocs(out);
}

function parseDocs(text) {
  return YAML.parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(`YAML: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter((o) => o && typeof o === 'object');
}

function loadFixture(file) {
  return parseDocs(fs.readFileSync(path.resolve(__dirname, '..', 'fixtures', file), 'utf8'));
}

function id(o) {
  return `${o.kind}/${o.metadata && o.metadata.name}`;
}

module.exports = { REPO, KUBECTL, OVERLAYS, render, parseDocs, loadFixture, id };
