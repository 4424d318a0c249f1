/**
 * The hot container commands through the fast path, against the real daemon: output, exit codes
 * and --rm as before, and oclif never loaded on the way.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { busyboxMissing } from '../helpers/busybox-image';
import type { CliResult } from '../helpers/cli';
import { useCliEngine } from '../helpers/cli-engine';

describe('the fast path against the real daemon', { skip: busyboxMissing() }, () => {
  const c = useCliEngine('tscompose-fast-e2e-');
  // Preloaded into the CLI: on exit, writes down whether anything of oclif was loaded.
  const probe = path.join(c.dir, 'probe.js');
  const report = path.join(c.dir, 'oclif-loaded');
  fs.writeFileSync(
    probe,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(report)}, ` +
      `String(Object.keys(require.cache).some((m) => m.includes('@oclif')))));\n`,
  );
  const fast = (...args: string[]): CliResult & { oclif: string } => {
    const r = c.cliWith({ env: { ...c.env, NODE_OPTIONS: `--require ${probe}` } }, ...args);
    return { ...r, oclif: fs.readFileSync(report, 'utf8') };
  };

  test('run --rm: the output, the exit code, the container gone, and no oclif', () => {
    const r = fast('container', 'run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3');
    assert.deepEqual(
      { status: r.status, stdout: r.stdout, stderr: r.stderr, oclif: r.oclif },
      { status: 3, stdout: 'out\n', stderr: 'err\n', oclif: 'false' },
    );
    const ok = fast('container', 'run', '--rm', 'busybox', 'true');
    assert.deepEqual(
      { status: ok.status, stdout: ok.stdout, oclif: ok.oclif },
      { status: 0, stdout: '', oclif: 'false' },
    );
    assert.deepEqual(c.ids(), []);
  });

  test('run -d, inspect, ls, logs, stop, rm', () => {
    const id = fast('container', 'run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'echo up; sleep 60');
    assert.equal(id.status, 0, id.stderr);
    assert.match(id.stdout, /^[0-9a-f]{64}\n$/);
    const steps: [string[], RegExp][] = [
      [['container', 'inspect', '-f', '{{.State.Status}}', 'web'], /^running\n$/],
      [['container', 'ls', '--format', '{{.Names}}'], /^web\n$/],
      [['container', 'logs', 'web'], /^up\n$/],
      [['container', 'stop', '-t', '1', 'web'], /^web\n$/],
      [['container', 'rm', 'web'], /^web\n$/],
    ];
    for (const [args, stdout] of steps) {
      const r = fast(...args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, stdout, args.join(' '));
      assert.equal(r.oclif, 'false', args.join(' '));
    }
    assert.deepEqual(c.ids(), []);
  });
});
