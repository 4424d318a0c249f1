/**
 * `container ls`, `container ls -a` and `container inspect` (a lookup by name) on an engine with 5
 * container records and on one with 500: the engine holds its records in memory, so the 500
 * should answer in about the time of the 5 (`ls -a` prints 100 times the rows). Through the CLI,
 * and as the same requests on the API socket, where the engine's own time is not hidden under a
 * CLI's start-up on a busy machine.
 * The records are copies of one created container written straight to disk while the engine is
 * stopped (created containers own nothing else on the host), which keeps the bench quick.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { busyboxLayers } from '../test/helpers/busybox-image';
import { loopbackOnlyConfig } from '../test/helpers/network-config';
import { median, report, timeCommand, type Timing } from './lib';

const SIZES = [5, 500];

function cli(bin: string, env: NodeJS.ProcessEnv, args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tscompose ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Copies of the record of `id` up to `total` records in all, each with an id, name and folder of its own. */
function addCopies(containers: string, id: string, total: number): void {
  const text = fs.readFileSync(path.join(containers, `${id}.json`), 'utf8');
  const have = fs.readdirSync(containers).filter((n) => n.endsWith('.json')).length;
  for (let i = have; i < total; i++) {
    const copyId = crypto.randomBytes(32).toString('hex');
    const record = JSON.parse(text.replaceAll(id, copyId)) as { name: string; created: string };
    record.name = `bench-${i}`;
    record.created = new Date(Date.now() - i * 1000).toISOString();
    fs.mkdirSync(path.join(containers, copyId), { mode: 0o700 });
    fs.writeFileSync(path.join(containers, `${copyId}.json`), JSON.stringify(record, null, 2) + '\n', {
      mode: 0o600,
    });
  }
}

/** One GET on the engine's socket; its body (a status other than 200 throws). */
function get(agent: http.Agent, socketPath: string, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ agent, socketPath, path: urlPath }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(body)
          : reject(new Error(`GET ${urlPath}: ${res.statusCode} ${body}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** `runs` GETs one after the other on a kept-alive connection (after one warm-up). */
async function timeRequest(name: string, socketPath: string, urlPath: string, runs: number): Promise<Timing> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await get(agent, socketPath, urlPath);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      await get(agent, socketPath, urlPath);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { name, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) };
  } finally {
    agent.destroy();
  }
}

export async function benchContainerRecords(bin: string, runs: number): Promise<void> {
  const n = Math.max(runs, 20);
  console.log(`\n## container ls with ${SIZES.join(' and ')} container records (${n} runs; goal: 500 ≈ 5)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-bench-records-'));
  const env = {
    ...process.env,
    TSCOMPOSE_ROOT: path.join(dir, 'root'),
    TSCOMPOSE_CONFIG: loopbackOnlyConfig(),
    TSCOMPOSE_RUNROOT: path.join(dir, 'run'),
  };
  const containers = path.join(dir, 'root', 'containers');
  try {
    cli(bin, env, ['image', 'import', busyboxLayers().layers[0], 'busybox']);
    const id = cli(bin, env, ['container', 'create', '--name', 'bench-0', 'busybox', 'true']);
    const rows: Record<string, Timing[]> = {};
    for (const size of SIZES) {
      cli(bin, env, ['engine', 'stop']);
      addCopies(containers, id, size);
      const time = (name: string, args: string[]): Timing =>
        timeCommand(`${name} (${size} records)`, process.execPath, [bin, ...args], n, { env });
      for (const [name, args] of [
        ['tscompose container ls', ['container', 'ls']],
        ['tscompose container ls -a', ['container', 'ls', '-a']],
        [
          'tscompose container inspect <name>',
          ['container', 'inspect', '-f', '{{.State.Status}}', 'bench-1'],
        ],
      ] as const) {
        (rows[name] ??= []).push(time(name, [...args]));
      }
      const socket = path.join(dir, 'run', 'engine.sock');
      for (const [name, urlPath] of [
        ['GET /containers/json', '/containers/json'],
        ['GET /containers/json?all=1', '/containers/json?all=1'],
        ['GET /containers/<name>/json', '/containers/bench-1/json'],
      ]) {
        (rows[name] ??= []).push(await timeRequest(`${name} (${size} records)`, socket, urlPath, n * 10));
      }
    }
    for (const [few, many] of Object.values(rows)) {
      report(few);
      report(many, few);
    }
  } finally {
    spawnSync(process.execPath, [bin, 'engine', 'stop'], { env });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
