/**
 * A real registry for tests: Debian's docker-registry (distribution v2) with its own config on
 * 127.0.0.1 and a free port, storage in a temp dir, in plain mode, with htpasswd Basic auth
 * (bcrypt hashes from apache2-utils' htpasswd) or in token mode behind a token server the test
 * runs itself (test/helpers/token-server.ts). Stopped and removed by `stop()`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTokenServer, type TokenServer, type TokenServerOptions } from './token-server';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface RegistryOptions {
  auth?: 'none' | 'htpasswd' | 'token';
  /** user → password, for htpasswd and token modes. */
  users?: Record<string, string>;
  token?: Omit<TokenServerOptions, 'users' | 'service' | 'issuer'>;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the domain of references. */
  host: string;
  port: number;
  storage: string;
  tokens?: TokenServer;
  /** The file the registry serves a blob from (to corrupt it). */
  blobFile(digest: string): string;
  /** Stops the registry without removing its storage; `start()` brings it back on the same port. */
  halt(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** For `test(..., { skip: registryMissing() })`. */
export function registryMissing(): string | false {
  if (!fs.existsSync(REGISTRY_BIN))
    return 'docker-registry is not installed (apt-get install docker-registry)';
  return false;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-registry-'));
  const storage = path.join(dir, 'storage');
  const port = await freePort();
  const mode = opts.auth ?? 'none';
  let tokens: TokenServer | undefined;
  let auth = '';
  if (mode === 'htpasswd') {
    const file = path.join(dir, 'htpasswd');
    fs.writeFileSync(
      file,
      Object.entries(opts.users ?? {})
        .map(([u, p]) => htpasswdLine(u, p))
        .join(''),
    );
    auth = `auth:\n  htpasswd:\n    realm: tscompose-test\n    path: ${file}\n`;
  } else if (mode === 'token') {
    tokens = await startTokenServer({
      ...opts.token,
      users: opts.users ?? {},
      service: 'tscompose-test-registry',
      issuer: 'tscompose-test-issuer',
    });
    auth =
      `auth:\n  token:\n    realm: ${tokens.realm}\n    service: tscompose-test-registry\n` +
      `    issuer: tscompose-test-issuer\n    rootcertbundle: ${tokens.certFile}\n`;
  }
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    'version: 0.1\n' +
      'log:\n  level: error\n  accesslog:\n    disabled: true\n' +
      `storage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\n` +
      '  maintenance:\n    uploadpurging:\n      enabled: false\n' +
      `http:\n  addr: 127.0.0.1:${port}\n  secret: tscompose-test-${process.pid}\n` +
      auth,
  );
  let child: ChildProcess | undefined;
  const log = path.join(dir, 'registry.log');
  const start = async (): Promise<void> => {
    const out = fs.openSync(log, 'a');
    child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    await waitForPort(port, child, log);
  };
  const halt = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await gone;
  };
  await start();
  return {
    host: `127.0.0.1:${port}`,
    port,
    storage,
    tokens,
    blobFile: (digest) => {
      const hex = digest.replace(/^sha256:/, '');
      return path.join(storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    },
    halt,
    start,
    stop: async () => {
      await halt();
      await tokens?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function htpasswdLine(user: string, password: string): string {
  const r = spawnSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`htpasswd failed (apt-get install apache2-utils): ${r.stderr || r.error?.message}`);
  return `${r.stdout.trim()}\n`;
}

async function waitForPort(port: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`docker-registry exited: ${fs.readFileSync(log, 'utf8').slice(-500)}`);
    const up = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/v2/', agent: false }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(
    `docker-registry did not listen on 127.0.0.1:${port}: ${fs.readFileSync(log, 'utf8').slice(-500)}`,
  );
}
