/**
 * How fast the CLI starts: `--version`, `container ls`, `inspect` and `run --rm` through the fast
 * path beside the same commands through oclif (TSCOMPOSE_NO_FAST_PATH=1), in the same run, on an
 * auto-started daemon of their own.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxLayers } from '../test/helpers/busybox-image';
import { loopbackOnlyConfig } from '../test/helpers/network-config';
import { report, timeCommand } from './lib';

const COMMANDS: [string, string[]][] = [
  ['tscompose --version', ['--version']],
  ['tscompose container ls', ['container', 'ls']],
  ['tscompose container inspect', ['container', 'inspect', '-f', '{{.State.Status}}', 'bench']],
  [
    'tscompose container run --rm busybox true',
    ['container', 'run', '--rm', '--network', 'none', 'busybox', 'true'],
  ],
];

export function benchStartup(bin: string, runs: number): void {
  const n = Math.max(runs, 20);
  console.log(`\n## CLI start-up: fast path beside oclif (${n} runs; goal: run --rm ≤ 160 ms)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-bench-startup-'));
  const env = {
    ...process.env,
    TSCOMPOSE_ROOT: path.join(dir, 'root'),
    TSCOMPOSE_CONFIG: loopbackOnlyConfig(),
    TSCOMPOSE_RUNROOT: path.join(dir, 'run'),
  };
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  try {
    for (const args of [
      ['image', 'import', busyboxLayers().layers[0], 'busybox'],
      ['container', 'create', '--name', 'bench', 'busybox', 'true'],
    ]) {
      const r = cli(...args);
      if (r.status !== 0) throw new Error(`tscompose ${args.join(' ')}: ${r.stderr.trim()}`);
    }
    for (const [name, args] of COMMANDS) {
      const time = (label: string, extra: NodeJS.ProcessEnv) =>
        timeCommand(label, process.execPath, [bin, ...args], n, { env: { ...env, ...extra } });
      const oclif = time(`${name} (oclif)`, { TSCOMPOSE_NO_FAST_PATH: '1' });
      report(time(name, {}), oclif);
      report(oclif);
    }
  } finally {
    cli('container', 'rm', '-f', 'bench');
    cli('engine', 'stop');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
