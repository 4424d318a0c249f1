#!/usr/bin/env node
// Runs node's test runner on every compiled *.test.js under dist/test (or under the folders
// given as arguments), one file at a time: engine tests start real containers as root. A file
// named *.netns.test.js runs in a network namespace of its own (loopback up, nothing else), so
// what it does to links, routes, nftables or port 53 never reaches the machine's own network.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
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
const isolated = files.filter((f) => f.endsWith('.netns.test.js'));
const plain = files.filter((f) => !f.endsWith('.netns.test.js'));
let status = 0;
if (plain.length) {
  // These run in the machine's own network namespace: an engine they start (in-process or a
  // daemon of the CLI) defaults to no network, so no test adds a link or a route to the machine.
  const confDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-test-config-'));
  const conf = path.join(confDir, 'engine.json');
  fs.writeFileSync(conf, JSON.stringify({ 'default-network': 'none' }));
  const env = { TSCOMPOSE_CONFIG: conf, ...process.env };
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...plain], {
    stdio: 'inherit',
    cwd: root,
    env,
  });
  fs.rmSync(confDir, { recursive: true, force: true });
  status = r.status ?? 1;
}
for (const file of isolated) {
  const script = 'ip link set lo up && exec "$0" --test "$1"';
  const r = spawnSync('unshare', ['--net', '--', 'sh', '-c', script, process.execPath, file], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);
