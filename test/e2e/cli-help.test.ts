/**
 * What a new user meets first, through the real CLI and without an engine: the topics in
 * `--help`, an unknown command, and `tscompose` run from the PATH as `npm link` puts it there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, REPO_ROOT, runCli } from '../helpers/cli';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-cli-help-'));
// Were a command to reach for an engine, it would find none here.
const env = {
  ...process.env,
  TSCOMPOSE_ROOT: path.join(scratch, 'root'),
  TSCOMPOSE_RUNROOT: path.join(scratch, 'run'),
  TSCOMPOSE_HOST: `unix://${path.join(scratch, 'none.sock')}`,
};
test.after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const TOPICS: [string, string][] = [
  ['container', 'Manage containers'],
  ['engine', 'Manage the engine daemon'],
  ['image', 'Manage images'],
  ['network', 'Manage networks'],
  ['system', 'Manage the engine: information, disk usage, pruning, events'],
  ['volume', 'Manage volumes'],
];

test('--help describes each topic in its own words, not its first command', () => {
  const root = runCli(['--help'], { env });
  assert.equal(root.status, 0, root.stderr);
  for (const [topic, text] of TOPICS) {
    assert.match(root.stdout, new RegExp(`^  ${topic} +${text}$`, 'm'), topic);
    const own = runCli([topic, '--help'], { env });
    assert.equal(own.stdout.split('\n')[0], text, `${topic} --help`);
  }
});

test('an unknown command is named in one line, exit 1; extra words of a known one are its arguments', () => {
  const cases: [string[], string][] = [
    [
      ['image', 'frobnicate', 'busybox'],
      'unknown command "image frobnicate" (tscompose image --help lists the commands)',
    ],
    [
      ['container', 'frobnicate', 'web', '-a'],
      'unknown command "container frobnicate" (tscompose container --help lists the commands)',
    ],
    [['frobnicate', 'x'], 'unknown command "frobnicate" (tscompose --help lists the commands)'],
  ];
  for (const [args, line] of cases) {
    const r = runCli(args, { env });
    assert.deepEqual([r.status, r.stdout, r.stderr], [1, '', `${line}\n`], args.join(' '));
  }
  // oclif took `container:ls:x` for a command it did not know
  const extra = runCli(['container', 'ls', 'x'], { env });
  assert.equal(extra.status, 2);
  assert.equal(extra.stderr.split('\n')[0], 'Unexpected argument: x');
});

test('tscompose runs from the PATH through the links `npm link` (npm install -g .) makes', () => {
  // npm's layout: <prefix>/lib/node_modules/tscompose → the checkout, <prefix>/bin/tscompose → its bin
  const prefix = path.join(scratch, 'prefix');
  fs.mkdirSync(path.join(prefix, 'lib', 'node_modules'), { recursive: true });
  fs.mkdirSync(path.join(prefix, 'bin'));
  fs.symlinkSync(REPO_ROOT, path.join(prefix, 'lib', 'node_modules', 'tscompose'));
  fs.symlinkSync(
    path.join('..', 'lib', 'node_modules', 'tscompose', path.relative(REPO_ROOT, BIN)),
    path.join(prefix, 'bin', 'tscompose'),
  );
  const pathEnv = { ...env, PATH: `${path.join(prefix, 'bin')}:${process.env.PATH}` };
  const version = spawnSync('tscompose', ['--version'], { env: pathEnv, encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^tscompose\/\d+\.\d+\.\d+ linux-/);
  const help = spawnSync('tscompose', ['container', '--help'], {
    env: { ...pathEnv, TSCOMPOSE_NO_FAST_PATH: '1' },
    encoding: 'utf8',
  });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Manage containers\n/);
});
