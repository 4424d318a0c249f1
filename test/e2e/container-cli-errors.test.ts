/**
 * The container and image commands through the real CLI, where no engine is needed: help, and
 * the arguments refused before anything is asked of the engine (docker's exit code 125).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli';

// Were an argument error missed, the CLI would look for an engine here, and find none.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-cli-errors-'));
const env = {
  ...process.env,
  TSCOMPOSE_ROOT: path.join(scratch, 'root'),
  TSCOMPOSE_RUNROOT: path.join(scratch, 'run'),
  TSCOMPOSE_HOST: `unix://${path.join(scratch, 'none.sock')}`,
};
test.after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const COMMANDS = [
  'container run',
  'container create',
  'container start',
  'container stop',
  'container restart',
  'container kill',
  'container rm',
  'container ls',
  'container logs',
  'container exec',
  'container inspect',
  'container top',
  'container wait',
  'image import',
  'image ls',
  'image inspect',
  'image rm',
];

test('--help works for every container and image command', () => {
  for (const command of COMMANDS) {
    const r = runCli([...command.split(' '), '--help'], { env });
    assert.equal(r.status, 0, `${command}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`USAGE\\n  \\$ tscompose ${command}`), command);
  }
  const ps = runCli(['container', 'ps', '--help'], { env });
  assert.equal(ps.status, 0, ps.stderr);
  assert.match(ps.stdout, /List containers/);
});

test('refused flags: one line on stderr, nothing on stdout, exit 125 as docker', () => {
  const table: [string[], string][] = [
    [
      ['container', 'run', '-m', 'x', 'busybox'],
      `invalid argument "x" for "-m, --memory" flag: invalid size: 'x'`,
    ],
    [
      ['container', 'create', '--memory=lots', 'busybox'],
      `invalid argument "lots" for "-m, --memory" flag: invalid size: 'lots'`,
    ],
    [['container', 'run', '--bogus', 'busybox'], 'unknown flag: --bogus'],
    [
      ['container', 'run', '--restart', 'often', 'busybox'],
      "invalid restart policy: unknown policy 'often'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
    ],
  ];
  for (const [argv, message] of table) {
    const r = runCli(argv, { env });
    assert.equal(r.stderr, `${message}\n`, argv.join(' '));
    assert.equal(r.stdout, '', argv.join(' '));
    assert.equal(r.status, 125, argv.join(' '));
  }
});

test("-it with a stdin that is not a terminal: docker's refusal, exit 1, before any engine starts", () => {
  const r = runCli(['container', 'run', '-it', 'busybox', 'sh'], { env });
  assert.equal(r.stderr, 'the input device is not a TTY\n');
  assert.equal(r.stdout, '');
  assert.equal(r.status, 1);
  assert.equal(runCli(['engine', 'status'], { env }).status, 1, 'no engine was started for it');
});

test('missing operands: a usage error, exit 1 as docker', () => {
  const table: [string[], string][] = [
    [['container', 'run'], "'tscompose container run' requires at least 1 argument"],
    [['container', 'run', '-d', '--rm'], "'tscompose container run' requires at least 1 argument"],
    [['container', 'exec', 'web'], "'tscompose container exec' requires at least 2 arguments"],
    [['container', 'start'], "'tscompose container start' requires at least 1 argument"],
    [['container', 'rm', '-f'], "'tscompose container rm' requires at least 1 argument"],
    [['image', 'rm'], "'tscompose image rm' requires at least 1 argument"],
    [['container', 'inspect'], "'tscompose container inspect' requires at least 1 argument"],
  ];
  for (const [argv, message] of table) {
    const r = runCli(argv, { env });
    assert.equal(r.stderr, `${message}\n`, argv.join(' '));
    assert.equal(r.stdout, '', argv.join(' '));
    assert.equal(r.status, 1, argv.join(' '));
  }
  const logs = runCli(['container', 'logs'], { env });
  assert.notEqual(logs.status, 0);
  assert.match(logs.stderr, /Missing 1 required arg/);
});
