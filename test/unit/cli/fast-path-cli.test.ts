/**
 * The real CLI twice for every argv, once by the fast path and once by oclif's
 * (TSCOMPOSE_NO_FAST_PATH), each against its own fake daemon: the same requests reach the
 * daemon, and the same output, errors and exit code come back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { encodeFrame, MULTIPLEXED_CONTENT_TYPE } from '../../../src/common/frames';
import { BIN } from '../../helpers/cli';

const ID = 'c0ffee';

/** Answers as the engine would for a container `c0ffee` that prints and exits 3; records every request. */
function fakeDaemon(socket: string): { requests: string[]; close: () => Promise<void> } {
  const requests: string[] = [];
  const json = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const frames = (res: http.ServerResponse) => {
    res.writeHead(200, { 'Content-Type': MULTIPLEXED_CONTENT_TYPE });
    res.end(Buffer.concat([encodeFrame('stdout', 'out\n'), encodeFrame('stderr', 'err\n')]));
  };
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const url = (req.url ?? '').replace(/^\/v[\d.]+/, '');
      const body = Buffer.concat(parts).toString();
      if (url !== '/version') requests.push(`${req.method} ${url} ${body}`);
      const route = `${req.method} ${url.split('?')[0]}`;
      if (route === 'GET /version')
        return json(res, 200, { Version: '0', ApiVersion: '1.41', BuildId: 'fake' });
      if (route === 'POST /containers/create') return json(res, 201, { Id: ID, Warnings: [] });
      if (route === 'GET /containers/json') return json(res, 200, []);
      if (route === `GET /containers/${ID}/json`)
        return json(res, 200, { Id: ID, Name: '/x', HostConfig: { LogConfig: { Type: 'json-file' } } });
      if (route === `GET /containers/${ID}/logs`) return frames(res);
      if (route === `POST /containers/${ID}/wait`) return json(res, 200, { StatusCode: 3 });
      if (route === `POST /containers/${ID}/exec`) return json(res, 201, { Id: 'e1' });
      if (route === 'POST /exec/e1/start') return frames(res);
      if (route === 'GET /exec/e1/json') return json(res, 200, { ExitCode: 4, Running: false });
      if (url.startsWith(`/containers/${ID}`)) return json(res, 204);
      json(res, 404, { message: `No such container: ${url.split('/')[2]}` });
    });
  });
  server.listen(socket);
  return { requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  requests: string[];
}

function cli(args: string[], env: NodeJS.ProcessEnv, daemon: { requests: string[] }): Promise<Run> {
  daemon.requests.length = 0;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr, requests: [...daemon.requests] }));
  });
}

const CASES: string[][] = [
  ['container', 'run', '--rm', 'busybox', 'true'],
  ['container', 'run', '--name', 'x', '-e', 'A=1', '-m', '64m', '-l', 'k=v', 'busybox', 'sh', '-c', 'x'],
  ['container', 'run', '-d', '--restart', 'always', 'busybox'],
  ['container', 'run', '-dit', 'busybox', 'sh'],
  ['container', 'run', '-it', 'busybox', 'sh'],
  ['container', 'exec', '-it', ID, 'sh'],
  ['container', 'exec', '-d', ID, 'sleep', '1'],
  ['container', 'run', '-m', 'lots', 'busybox'],
  ['container', 'run', '--bogus', 'busybox'],
  ['container', 'run', '--name'],
  ['container', 'run'],
  ['container', 'create', '--name', 'box', '-t', 'busybox'],
  ['container', 'exec', '-e', 'A=1', '-w', '/tmp', ID, 'ls', '-l'],
  ['container', 'exec', ID],
  ['container', 'ls', '-aq', '--filter', 'name=x'],
  ['container', 'ls', '--format', 'a', '--format', 'b'],
  ['container', 'ls', 'x'],
  ['container', 'ps', '--no-trunc'],
  ['container', 'logs', '-n', '5', ID],
  ['container', 'logs'],
  ['container', 'stop', '-t', '2', ID, 'missing'],
  ['container', 'stop', '-t', 'x', ID],
  ['container', 'kill', '-s', 'HUP', ID],
  ['container', 'rm', '-fv', ID],
  ['container', 'rm'],
  ['container', 'start', ID],
  ['container', 'restart', ID],
  ['container', 'wait', ID],
  ['container', 'inspect', '-f', '{{.Name}}', ID, 'missing'],
  ['container', 'inspect', '-f', '{{', ID],
  ['--version'],
];

/** Two fake daemons, `fast` and `oclif`, and the environment of a CLI that talks to one. */
async function withDaemons(
  body: (
    env: (name: string, extra?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv,
    daemons: Daemons,
  ) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-fast-'));
  const socket = (name: string) => path.join(dir, `${name}.sock`);
  const daemons = { fast: fakeDaemon(socket('fast')), oclif: fakeDaemon(socket('oclif')) };
  const env = (name: string, extra: NodeJS.ProcessEnv = {}) => ({
    ...process.env,
    TSCOMPOSE_NO_FAST_PATH: '',
    TSCOMPOSE_RUNROOT: path.join(dir, name),
    TSCOMPOSE_ROOT: path.join(dir, name),
    TSCOMPOSE_HOST: `unix://${socket(name)}`,
    ...extra,
  });
  try {
    await body(env, daemons);
  } finally {
    await Promise.all([daemons.fast.close(), daemons.oclif.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Daemons = Record<'fast' | 'oclif', ReturnType<typeof fakeDaemon>>;

test('the fast path and the oclif path: same requests, output, errors and exit codes', () =>
  withDaemons(async (env, { fast, oclif }) => {
    for (const args of CASES) {
      const [a, b] = await Promise.all([
        cli(args, env('fast'), fast),
        cli(args, env('oclif', { TSCOMPOSE_NO_FAST_PATH: '1' }), oclif),
      ]);
      assert.deepEqual(a, b, args.join(' '));
    }
  }));

test('the fast path loads no package: neither oclif nor yaml, tar or koffi', () =>
  withDaemons(async (env, { fast }) => {
    const list = path.join(os.tmpdir(), `tscompose-fast-modules-${process.pid}`);
    const probe = `${list}.js`;
    fs.writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, ` +
        `Object.keys(require.cache).filter((m) => m.includes('node_modules')).join('\\n')));\n`,
    );
    try {
      const served = [
        ['container', 'run', '--rm', 'busybox', 'true'],
        ['container', 'exec', ID, 'ls'],
        ['container', 'ls', '-a'],
        ['container', 'logs', ID],
        ['container', 'inspect', ID],
        ['container', 'stop', ID],
        ['--version'],
      ];
      for (const args of served) {
        const r = await cli(args, env('fast', { NODE_OPTIONS: `--require ${probe}` }), fast);
        assert.notEqual(r.status, null, args.join(' '));
        assert.equal(fs.readFileSync(list, 'utf8'), '', args.join(' '));
      }
    } finally {
      fs.rmSync(probe, { force: true });
      fs.rmSync(list, { force: true });
    }
  }));
