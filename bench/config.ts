/**
 * `config` on a generated 200-service project with extends and two override files, against
 * Python docker-compose 1.29 (Debian's) on the same files when it is installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { report, timeCommand, which } from './lib';

export function generateProject(dir: string, services = 200): string[] {
  const base: Record<string, unknown> = {
    version: '3.8',
    services: {} as Record<string, unknown>,
    volumes: {} as Record<string, unknown>,
  };
  const svcs = base.services as Record<string, unknown>;
  svcs.common = {
    image: 'busybox:latest',
    environment: { LOG_LEVEL: '${LOG_LEVEL:-info}', REGION: 'eu' },
    labels: { team: 'core' },
    restart: 'unless-stopped',
  };
  for (let i = 0; i < services; i++) {
    svcs[`svc${i}`] = {
      extends: { service: 'common' },
      command: ['sh', '-c', `echo ${i}`],
      ports: [`${10000 + i}:80`],
      environment: { INDEX: String(i) },
      volumes: [`data${i % 10}:/data`, './conf:/conf:ro'],
      ...(i > 0 ? { depends_on: [`svc${i - 1}`] } : {}),
    };
  }
  for (let v = 0; v < 10; v++) (base.volumes as Record<string, unknown>)[`data${v}`] = {};
  const o1: Record<string, unknown> = { version: '3.8', services: {} };
  const o2: Record<string, unknown> = { version: '3.8', services: {} };
  for (let i = 0; i < services; i += 2) {
    (o1.services as Record<string, unknown>)[`svc${i}`] = {
      environment: { OVERRIDE: 'one' },
      labels: { tier: 'a' },
    };
  }
  for (let i = 0; i < services; i += 3) {
    (o2.services as Record<string, unknown>)[`svc${i}`] = { ports: [`${20000 + i}:81`], mem_limit: '64m' };
  }
  const files = ['docker-compose.yml', 'override-1.yml', 'override-2.yml'];
  [base, o1, o2].forEach((doc, i) => fs.writeFileSync(path.join(dir, files[i]), YAML.stringify(doc)));
  fs.mkdirSync(path.join(dir, 'conf'), { recursive: true });
  return files;
}

export function benchConfig(bin: string, runs: number): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-bench-config-'));
  try {
    const files = generateProject(dir);
    const fileArgs = files.flatMap((f) => ['-f', f]);
    console.log(`\n## config: 200 services with extends and 2 override files (${runs} runs)`);
    const peerBin = which('docker-compose');
    let peer;
    if (peerBin) {
      try {
        peer = timeCommand(
          'docker-compose 1.29 config',
          peerBin,
          [...fileArgs, '-p', 'bench', 'config'],
          runs,
          { cwd: dir },
        );
      } catch (err) {
        console.log(`peer skipped: docker-compose failed: ${(err as Error).message}`);
      }
    } else {
      console.log('peer skipped: docker-compose (Debian package docker-compose, v1.29) is not installed');
    }
    const ours = timeCommand(
      'tscompose config',
      process.execPath,
      [bin, ...fileArgs, '-p', 'bench', 'config'],
      runs,
      { cwd: dir },
    );
    report(ours, peer);
    if (peer) report(peer);
    const small = path.join(dir, 'small.yml');
    fs.writeFileSync(small, 'services:\n  web:\n    image: busybox\n');
    report(
      timeCommand('tscompose config (one service)', process.execPath, [bin, '-f', small, 'config'], runs),
    );
    report(timeCommand('tscompose --version', process.execPath, [bin, '--version'], runs));
    report(timeCommand('node -e 0 (floor)', process.execPath, ['-e', '0'], runs));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
