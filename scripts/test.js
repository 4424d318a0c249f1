#!/usr/bin/env node
// Runs node's test runner on every compiled *.test.js under dist/test (or under the folders
// given as arguments), one file at a time: engine tests start real containers as root.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['dist/test'];
const files = [];
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith('.test.js')) files.push(p);
  }
}
for (const d of dirs) {
  const abs = path.resolve(root, d);
  if (fs.statSync(abs).isDirectory()) walk(abs);
  else files.push(abs);
}
files.sort();
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
