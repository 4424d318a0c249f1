import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reorderGlobalFlags } from '../../src/cli/flags/global-flags';
import { runCli } from '../helpers/cli';

test('global flags before the command move behind the command id', () => {
  const table: [string[], string[]][] = [
    [
      ['-f', 'a.yml', 'config'],
      ['config', '--file=a.yml'],
    ],
    [
      ['-f', 'a.yml', '-p', 'x', 'up', '-d'],
      ['up', '--file=a.yml', '--project-name=x', '-d'],
    ],
    [
      ['-f', 'a.yml', 'logs', '-f'],
      ['logs', '--file=a.yml', '-f'],
    ],
    [
      ['--profile', 'dev', 'config'],
      ['config', '--profile=dev'],
    ],
    [
      ['--file=a.yml', 'config', '--services'],
      ['config', '--file=a.yml', '--services'],
    ],
    [
      ['--dry-run', 'container', 'run', 'busybox'],
      ['container', 'run', '--dry-run', 'busybox'],
    ],
    [
      ['config', '-f', 'a.yml'],
      ['config', '-f', 'a.yml'],
    ],
    [['--version'], ['--version']],
    [
      ['-f', 'a.yml', 'rm', '-f', 'web'],
      ['rm', '--file=a.yml', '-f', 'web'],
    ],
    [
      ['-H', 'unix:///x.sock', 'system', 'events', '--since', '1m'],
      ['system', 'events', '--host=unix:///x.sock', '--since', '1m'],
    ],
  ];
  for (const [input, expected] of table)
    assert.deepEqual(reorderGlobalFlags(input), expected, input.join(' '));
});

test('tscompose --version and version print the package version', () => {
  const a = runCli(['--version']);
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /^tscompose\/\d+\.\d+\.\d+/);
  const b = runCli(['version', '--format', 'json']);
  assert.equal(b.status, 0, b.stderr);
  assert.match(JSON.parse(b.stdout).version, /^v\d+\.\d+\.\d+$/);
});
