'use strict';
// The npm packages the checks use are installed, at the versions
// package-lock.json pins (scripts/install-deps.sh runs `npm ci` here).
const fs = require('node:fs');
const path = require('node:path');

const lock = JSON.parse(fs.readFileSync(path.join(__dirname, 'package-lock.json'), 'utf8'));
let bad = 0;
let count = 0;
for (const [where, meta] of Object.entries(lock.packages)) {
  if (!where) continue;
  count++;
  let version;
  try {
    version = JSON.parse(fs.readFileSync(path.join(__dirname, where, 'package.json'), 'utf8')).version;
  } catch (e) {
    console.error(`missing ${where}: run scripts/install-deps.sh`);
    bad++;
    continue;
  }
  if (version !== meta.version) {
    console.error(`${where} is ${version}, package-lock.json pins ${meta.version}: run scripts/install-deps.sh`);
    bad++;
  }
}
if (count === 0) bad++;
console.log(`${count - bad} of ${count} npm packages as package-lock.json pins them`);
process.exit(bad ? 1 : 0);
