/**
 * The HTTP layer alone: the real server and client over a real unix socket, in front of a fake
 * EngineApi that records what reached it and answers in the ways the engine can.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { engineClient, type EngineClient } from '../../../src/engine-api/client';
import {
  ConflictError,
  ForbiddenError,
  InvalidArgumentError,
  NotFoundError,
  TscomposeError,
  UnauthorizedError,
  type ErrorKind,
} from '../../../src/common/errors';
import { type EngineApi } from '../../../src/engine-api/engine-api';
import type { SystemInfo } from '../../../src/engine-api/system/types';
import { type OutputChunk } from '../../../src/engine-api/output';
import {
  type ProgressHandler,
  type ProgressMessage,
  type PullImageOptions,
  type PushImageOptions,
  type RegistryAuthConfig,
} from '../../../src/engine-api/registry/api';
import { FrameDecoder } from '../../../src/common/frames';
import { serveEngine } from '../../../src/engine/server/server';
import type { ContainerStats } from '../../../src/engine-api/container/stats-types';
import type { ContainerInspect } from '../../../src/engine-api/container/types';
import type { EngineEvent } from '../../../src/engine-api/events/types';
import type { VersionResponse } from '../../../src/engine-api/system/types';
import type { Volume, VolumeCreateOptions } from '../../../src/engine-api/volume/types';
import type { NetworkInspect } from '../../../src/engine-api/network/types';

const VERSION: VersionResponse = {
  Version: '0.1.0',
  ApiVersion: '1.41',
  MinAPIVersion: '1.24',
  Os: 'linux',
  Arch: 'amd64',
  KernelVersion: '6.1',
  BuildId: 'b1',
};

const chunk = (stream: OutputChunk['stream'], text: string): OutputChunk => ({
  stream,
  data: Buffer.from(text),
});

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
}

/** What a client is told of an error that is not the engine's own. */
const INTERNAL = "internal server error: see the engine's log";

/** Ids that make it fail: `missing` (404), `busy` (409), `bad` (400), `boom` and `bug` (500). */
function failFor(id: string): void {
  if (id === 'missing') throw new NotFoundError(`No such container: ${id}`);
  if (id === 'busy') throw new ConflictError(`container ${id} is running`);
  if (id === 'bad') throw new InvalidArgumentError('invalid signal: BOGUS');
  if (id === 'boom') throw new Error('disk on fire');
  if (id === 'bug') (undefined as unknown as { x: { y: number } }).x.y++;
}

class FakeEngine implements EngineApi {
  calls: unknown[][] = [];
  aborted: string[] = [];
  drained: string[] = [];

  private record(...args: unknown[]): void {
    this.calls.push(args);
  }

  async version() {
    return VERSION;
  }
  async listNetworks(o?: object) {
    this.record('listNetworks', o);
    return [];
  }
  async inspectNetwork(ref: string) {
    this.record('inspectNetwork', ref);
    if (ref === 'missing') throw new NotFoundError(`network ${ref} not found`);
    return { Name: ref } as unknown as NetworkInspect;
  }
  async createNetwork(body: object) {
    this.record('createNetwork', body);
    return { Id: 'n1', Warning: '' };
  }
  async removeNetwork(ref: string) {
    this.record('removeNetwork', ref);
    if (ref === 'bridge') throw new ForbiddenError('bridge is a pre-defined network and cannot be removed');
  }
  async connectNetwork(ref: string, body: object) {
    this.record('connectNetwork', ref, body);
  }
  async disconnectNetwork(ref: string, body: object) {
    this.record('disconnectNetwork', ref, body);
  }
  async pruneNetworks(o?: object) {
    this.record('pruneNetworks', o);
    return { NetworksDeleted: ['old'] };
  }
  async createContainer(body: object, name?: string) {
    this.record('create', body, name);
    if (name === 'taken') throw new ConflictError('Conflict. The container name "/taken" is already in use');
    return { Id: 'c1', Warnings: [] };
  }
  async startContainer(id: string) {
    failFor(id);
    this.record('start', id);
  }
  async stopContainer(id: string, opts?: object) {
    failFor(id);
    this.record('stop', id, opts);
  }
  async restartContainer(id: string, opts?: object) {
    this.record('restart', id, opts);
  }
  async killContainer(id: string, signal?: string) {
    failFor(id);
    this.record('kill', id, signal);
  }
  async removeContainer(id: string, opts?: object) {
    failFor(id);
    this.record('remove', id, opts);
  }
  async listContainers(opts?: object) {
    this.record('list', opts);
    return [];
  }
  async inspectContainer(id: string) {
    failFor(id);
    return { Id: id, Name: `/${id}` } as ContainerInspect;
  }
  async *containerLogs(id: string, opts: object, signal?: AbortSignal): AsyncGenerator<OutputChunk> {
    failFor(id);
    this.record('logs', id, opts);
    yield chunk('stdout', 'out\n');
    yield chunk('stderr', 'err\n');
    if (id === 'follow') {
      await untilAborted(signal);
      this.aborted.push(id);
    }
    if (id === 'vanish') throw new TscomposeError('log file vanished');
  }
  async waitContainer(id: string, condition?: string, signal?: AbortSignal) {
    this.record('wait', id, condition);
    if (id === 'forever') {
      await untilAborted(signal);
      this.aborted.push(id);
    }
    return { StatusCode: 3 };
  }
  async topContainer(id: string, psArgs?: string) {
    this.record('top', id, psArgs);
    return { Titles: ['PID', 'CMD'], Processes: [['1', 'sh']] };
  }
  async createExec(id: string, body: object) {
    failFor(id);
    this.record('exec', id, body);
    return { Id: 'e1' };
  }
  async *startExec(execId: string, signal?: AbortSignal): AsyncGenerator<OutputChunk> {
    failFor(execId);
    this.record('execStart', execId, !!signal);
    for (let i = 0; i < 3; i++) yield chunk(i % 2 ? 'stderr' : 'stdout', `line ${i}\n`);
    this.drained.push(execId);
  }
  async inspectExec(execId: string) {
    return { ID: execId, ContainerID: 'c1', Running: false, ExitCode: 0, Pid: 0 };
  }
  async pauseContainer(id: string) {
    failFor(id);
    this.record('pause', id);
  }
  async unpauseContainer(id: string) {
    failFor(id);
    this.record('unpause', id);
  }
  async renameContainer(id: string, name: string) {
    failFor(id);
    this.record('rename', id, name);
  }
  async updateContainer(id: string, body: unknown) {
    failFor(id);
    this.record('update', id, body);
    return { Warnings: [] };
  }
  async pruneContainers(filters?: Record<string, string[]>) {
    this.record('pruneContainers', filters);
    return { ContainersDeleted: ['c9'], SpaceReclaimed: 0 };
  }
  async *containerStats(id: string, opts?: object, signal?: AbortSignal): AsyncGenerator<ContainerStats> {
    failFor(id);
    this.record('stats', id, opts);
    yield { id, name: `/${id}` } as ContainerStats;
    if (id === 'follow') {
      await untilAborted(signal);
      this.aborted.push(`stats ${id}`);
    }
  }
  async *events(opts?: { filters?: Record<string, string[]> }): AsyncGenerator<EngineEvent> {
    this.record('events', opts);
    if (opts?.filters?.colour) throw new InvalidArgumentError("invalid filter 'colour'");
    for (const Action of ['create', 'start'])
      yield {
        Type: 'container',
        Action,
        Actor: { ID: 'c1', Attributes: { name: 'x' } },
        scope: 'local',
        time: 1,
        timeNano: 1e9,
      };
  }
  // Hijacked connections are tested against a real engine (tty.test.ts, e2e/interactive.test.ts).
  async attachContainer(): Promise<never> {
    throw new Error('not served here');
  }
  async startExecAttached(): Promise<never> {
    throw new Error('not served here');
  }
  async resizeContainer(): Promise<void> {}
  async resizeExec(): Promise<void> {}
  async importImage(tar: Readable, opts?: { repo?: string }) {
    if (opts?.repo === 'bad') throw new InvalidArgumentError('invalid reference format');
    let size = 0;
    for await (const part of tar) size += (part as Buffer).length;
    this.record('import', size, opts);
    return { Id: 'sha256:abc' };
  }
  async listImages() {
    return [{ Id: 'sha256:abc', RepoTags: ['x:1'], RepoDigests: [], Created: 1, Size: 2, Labels: {} }];
  }
  async inspectImage(ref: string) {
    if (ref === 'missing') throw new NotFoundError(`No such image: ${ref}`);
    return { Id: 'sha256:abc', RepoTags: [ref] };
  }
  async removeImage(ref: string, opts?: object) {
    this.record('rmi', ref, opts);
    return [{ Untagged: ref }, { Deleted: 'sha256:abc' }];
  }
  async tagImage(source: string, repo: string, tag?: string) {
    failFor(source);
    this.record('tag', source, repo, tag);
  }
  async imageHistory(ref: string) {
    if (ref === 'missing') throw new NotFoundError(`No such image: ${ref}`);
    return [{ Id: 'sha256:abc', Created: 1, CreatedBy: 'sh', Tags: [ref], Size: 2, Comment: '' }];
  }
  async info() {
    return { ID: 'engine-id', Containers: 0, Driver: 'overlay2' } as unknown as SystemInfo;
  }
  async diskUsage() {
    return { LayersSize: 0, Images: [], Containers: [], Volumes: [], BuildCache: null, BuilderSize: 0 };
  }
  async pruneBuildCache() {
    return { CachesDeleted: null, SpaceReclaimed: 0 };
  }
  async pruneImages(opts?: { all?: boolean }) {
    this.record('prune', opts);
    return { ImagesDeleted: [{ Deleted: 'sha256:abc' }], SpaceReclaimed: 42 };
  }
  saveImages(refs: string[]) {
    for (const r of refs) if (r === 'missing') throw new NotFoundError(`No such image: ${r}`);
    this.record('save', refs);
    return Readable.from([Buffer.from('tar of '), Buffer.from(refs.join(','))]);
  }
  async pullImage(ref: string, opts: PullImageOptions = {}, onProgress?: ProgressHandler) {
    if (ref.startsWith('denied')) throw new UnauthorizedError('pull access denied for denied');
    this.record('pull', ref, opts.platform, opts.auth);
    onProgress?.({ status: 'Pulling from x', id: 'latest' });
    if (ref.startsWith('late')) throw new Error('digest mismatch');
    onProgress?.({ status: 'Status: Downloaded newer image for x:latest' });
  }
  async pushImage(ref: string, opts: PushImageOptions = {}, onProgress?: ProgressHandler) {
    this.record('push', ref, opts.auth);
    onProgress?.({ status: 'The push refers to repository [x]' });
  }
  async checkAuth(auth: RegistryAuthConfig) {
    if (auth.password !== 'good') throw new UnauthorizedError('unauthorized: incorrect username or password');
    return { Status: 'Login Succeeded', IdentityToken: '' };
  }
  async loadImages(tar: Readable) {
    let size = 0;
    for await (const part of tar) size += (part as Buffer).length;
    this.record('load', size);
    return ['Loaded image: x:1', 'Loaded image ID: sha256:abc'];
  }
  async createVolume(opts: VolumeCreateOptions) {
    this.record('volume create', opts);
    return volumeOf(opts.Name ?? 'anon');
  }
  async listVolumes(opts?: { filters?: Record<string, string[]> }) {
    this.record('volume ls', opts?.filters);
    return { Volumes: [volumeOf('v1')], Warnings: [] };
  }
  async inspectVolume(name: string) {
    if (name === 'missing') throw new NotFoundError(`get ${name}: no such volume`);
    return volumeOf(name);
  }
  async removeVolume(name: string, opts?: { force?: boolean }) {
    if (name === 'busy') throw new ConflictError(`remove ${name}: volume is in use - [c1]`);
    this.record('volume rm', name, opts?.force);
  }
  async pruneVolumes(opts?: { filters?: Record<string, string[]> }) {
    this.record('volume prune', opts?.filters);
    return { VolumesDeleted: ['v1'], SpaceReclaimed: 7 };
  }
  async statContainerPath(id: string, p: string) {
    if (p === '/missing') throw new NotFoundError(`Could not find the file ${p} in container ${id}`);
    return { name: p.slice(1), size: 3, mode: 0o644, mtime: '2001-02-03T04:05:06Z', linkTarget: '' };
  }
  async getContainerArchive(id: string, p: string) {
    return { stat: await this.statContainerPath(id, p), tar: Readable.from([Buffer.from(`tar of ${p}`)]) };
  }
  async putContainerArchive(id: string, p: string, tar: Readable, opts?: object) {
    let size = 0;
    for await (const part of tar) size += (part as Buffer).length;
    this.record('put archive', id, p, size, opts);
  }
  async exportContainer(id: string) {
    return Readable.from([Buffer.from(`export of ${id}`)]);
  }
  async containerChanges(id: string) {
    this.record('changes', id);
    return [{ Path: '/tmp', Kind: 0 as const }];
  }
  async commitContainer(opts: object) {
    this.record('commit', opts);
    return { Id: 'sha256:abc' };
  }
}

function volumeOf(name: string): Volume {
  return {
    Name: name,
    Driver: 'local',
    Mountpoint: `/v/${name}/_data`,
    CreatedAt: '2024-01-01T00:00:00Z',
    Labels: {},
    Scope: 'local',
    Options: null,
  };
}

interface Setup {
  dir: string;
  socket: string;
  fake: FakeEngine;
  client: EngineClient;
  /** The server's log lines. */
  logged: string[];
}

async function setup(t: { after: (fn: () => Promise<void> | void) => void }): Promise<Setup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-api-'));
  const socket = path.join(dir, 'run', 'engine.sock');
  const fake = new FakeEngine();
  const logged: string[] = [];
  const server = await serveEngine(fake, socket, { log: (l) => logged.push(l) });
  const client = engineClient(socket);
  t.after(async () => {
    client.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dir, socket, fake, client, logged };
}

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function raw(socket: string, method: string, p: string, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: socket, method, path: p, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function collect(it: AsyncIterable<OutputChunk>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(`${c.stream}:${c.data.toString()}`);
  return out;
}

test('every container route reaches its api method with the parsed arguments', async (t) => {
  const { fake, client } = await setup(t);
  assert.deepEqual(await client.version(), VERSION);
  assert.deepEqual(await client.createContainer({ Image: 'busybox', Cmd: ['true'] }, 'web-1'), {
    Id: 'c1',
    Warnings: [],
  });
  await client.startContainer('c1');
  await client.stopContainer('c1', { timeout: 0, signal: 'SIGUSR1' });
  await client.restartContainer('c1', { timeout: 3 });
  await client.killContainer('c1', 'SIGHUP');
  await client.removeContainer('c1', { force: true, volumes: true });
  await client.removeContainer('c2');
  await client.listContainers({ all: true, filters: { label: ['a=b', 'c'], status: ['running'] } });
  await client.listContainers();
  assert.deepEqual(await client.inspectContainer('web 1/x'), { Id: 'web 1/x', Name: '/web 1/x' });
  assert.deepEqual(await client.waitContainer('c1', 'next-exit'), { StatusCode: 3 });
  await client.waitContainer('c1');
  assert.deepEqual(await client.topContainer('c1', '-ef'), {
    Titles: ['PID', 'CMD'],
    Processes: [['1', 'sh']],
  });
  assert.deepEqual(await client.createExec('c1', { Cmd: ['ls'], Env: ['A=1'] }), { Id: 'e1' });
  assert.deepEqual(await client.inspectExec('e1'), {
    ID: 'e1',
    ContainerID: 'c1',
    Running: false,
    ExitCode: 0,
    Pid: 0,
  });
  assert.deepEqual(fake.calls, [
    ['create', { Image: 'busybox', Cmd: ['true'] }, 'web-1'],
    ['start', 'c1'],
    ['stop', 'c1', { timeout: 0, signal: 'SIGUSR1' }],
    ['restart', 'c1', { timeout: 3, signal: undefined }],
    ['kill', 'c1', 'SIGHUP'],
    ['remove', 'c1', { force: true, volumes: true }],
    ['remove', 'c2', { force: false, volumes: false }],
    ['list', { all: true, filters: { label: ['a=b', 'c'], status: ['running'] } }],
    ['list', { all: false, filters: undefined }],
    ['wait', 'c1', 'next-exit'],
    ['wait', 'c1', 'not-running'],
    ['top', 'c1', '-ef'],
    ['exec', 'c1', { Cmd: ['ls'], Env: ['A=1'] }],
  ]);
});

test('image routes: list, inspect and remove by a name with slashes, import uploads the tar', async (t) => {
  const { fake, client, socket } = await setup(t);
  assert.equal((await client.listImages())[0].Id, 'sha256:abc');
  assert.deepEqual(await client.inspectImage('library/busybox:latest'), {
    Id: 'sha256:abc',
    RepoTags: ['library/busybox:latest'],
  });
  const plain = await raw(socket, 'GET', '/v1.41/images/docker.io/library/busybox:1/json');
  assert.deepEqual(JSON.parse(plain.body.toString()).RepoTags, ['docker.io/library/busybox:1']);
  assert.deepEqual(await client.removeImage('a/b:c', { force: true }), [
    { Untagged: 'a/b:c' },
    { Deleted: 'sha256:abc' },
  ]);
  const tar = Readable.from(
    (function* () {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(16 * 1024, i);
    })(),
  );
  const changes = ['CMD ["sh"]', 'ENV A=b c'];
  assert.deepEqual(await client.importImage(tar, { repo: 'me/app', tag: 'v1', changes }), {
    Id: 'sha256:abc',
  });
  assert.deepEqual(fake.calls.slice(-2), [
    ['rmi', 'a/b:c', { force: true }],
    ['import', 1024 * 1024, { repo: 'me/app', tag: 'v1', changes }],
  ]);
  // Refused before the upload is read: the error still arrives and nothing hangs.
  const big = Readable.from(
    (function* () {
      for (let i = 0; i < 256; i++) yield Buffer.alloc(64 * 1024);
    })(),
  );
  await assert.rejects(client.importImage(big, { repo: 'bad' }), (err: unknown) => {
    assert.ok(err instanceof InvalidArgumentError);
    assert.equal(err.message, 'Error response from daemon: invalid reference format');
    return true;
  });
  const reply = await raw(socket, 'POST', '/images/create?fromSrc=-', 'tar bytes');
  assert.equal(reply.status, 200);
  assert.equal(reply.body.toString(), '{"status":"sha256:abc"}\r\n');
  const pull = await raw(socket, 'POST', '/images/create?fromImage=busybox');
  assert.equal(pull.status, 200); // a pull now (see the pull, push and auth test)
});

test('errors: docker statuses and messages, the client maps them back to their classes', async (t) => {
  const { client } = await setup(t);
  const cases: [Promise<unknown>, new (...a: never[]) => TscomposeError, ErrorKind, string][] = [
    [client.inspectContainer('missing'), NotFoundError, 'not-found', 'No such container: missing'],
    [client.startContainer('busy'), ConflictError, 'conflict', 'container busy is running'],
    [client.killContainer('bad', 'BOGUS'), InvalidArgumentError, 'invalid-argument', 'invalid signal: BOGUS'],
    [client.removeContainer('boom'), TscomposeError, 'system', INTERNAL],
    [
      client.createContainer({ Image: 'x' }, 'taken'),
      ConflictError,
      'conflict',
      'Conflict. The container name "/taken" is already in use',
    ],
    [client.inspectImage('missing'), NotFoundError, 'not-found', 'No such image: missing'],
    [collect(client.containerLogs('missing', {})), NotFoundError, 'not-found', 'No such container: missing'],
    [collect(client.startExec('missing')), NotFoundError, 'not-found', 'No such container: missing'],
  ];
  for (const [p, cls, kind, message] of cases) {
    await assert.rejects(p, (err: unknown) => {
      assert.ok(err instanceof cls, `${message}: ${String(err)}`);
      assert.equal((err as TscomposeError).kind, kind);
      assert.equal((err as Error).message, `Error response from daemon: ${message}`);
      return true;
    });
  }
});

test('raw HTTP: version prefix optional, status codes, JSON error bodies, bad parameters', async (t) => {
  const { socket } = await setup(t);
  const ping = await raw(socket, 'GET', '/_ping');
  assert.equal(ping.status, 200);
  assert.equal(ping.body.toString(), 'OK');
  assert.equal(ping.headers['api-version'], '1.41');
  assert.equal((await raw(socket, 'HEAD', '/v1.41/_ping')).status, 200);
  assert.equal(JSON.parse((await raw(socket, 'GET', '/version')).body.toString()).BuildId, 'b1');
  assert.equal((await raw(socket, 'POST', '/v1.41/containers/create', '{"Image":"x"}')).status, 201);
  assert.equal((await raw(socket, 'POST', '/v1.40/containers/c1/start')).status, 204);
  assert.equal((await raw(socket, 'POST', '/containers/c1/exec', '{"Cmd":["ls"]}')).status, 201);
  const cases: [string, string, number, string][] = [
    ['GET', '/v1.41/nothing/here', 404, 'page not found'],
    ['PUT', '/containers/c1/start', 404, 'page not found'],
    ['GET', '/containers/missing/json', 404, 'No such container: missing'],
    ['POST', '/containers/boom/stop', 500, INTERNAL],
    ['POST', '/containers/c1/stop?t=soon', 400, 'invalid value for t: "soon"'],
    ['GET', '/containers/json?filters=nope', 400, 'invalid filters: nope'],
    ['GET', '/containers/c1/logs', 400, 'Bad parameters: you must choose at least one stream'],
    ['POST', '/containers/c1/wait?condition=later', 400, 'invalid condition: "later"'],
  ];
  for (const [method, p, status, message] of cases) {
    const r = await raw(socket, method, p);
    assert.equal(r.status, status, `${method} ${p}`);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body.toString()), { message }, `${method} ${p}`);
  }
  const bad = await raw(socket, 'POST', '/containers/create', '{"Image":');
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body.toString()).message, /^invalid JSON body/);
});

test('raw HTTP: the older filters form, and query booleans as docker reads them', async (t) => {
  const { socket, fake } = await setup(t);
  const filters = encodeURIComponent('{"label":{"a=b":true,"off":false}}');
  await raw(socket, 'GET', `/containers/json?all=True&filters=${filters}`);
  await raw(socket, 'DELETE', '/containers/c1?force=no&v=1');
  assert.deepEqual(fake.calls, [
    ['list', { all: true, filters: { label: ['a=b'] } }],
    ['remove', 'c1', { force: false, volumes: true }],
  ]);
});

test('logs: multiplexed frames with docker content type, parsed options, both streams', async (t) => {
  const { socket, fake, client } = await setup(t);
  const opts = {
    follow: false,
    stdout: true,
    stderr: false,
    since: 1.5,
    until: 20,
    timestamps: true,
    tail: '5',
  };
  assert.deepEqual(await collect(client.containerLogs('c1', opts)), ['stdout:out\n', 'stderr:err\n']);
  assert.deepEqual(fake.calls[0], ['logs', 'c1', opts]);
  const r = await raw(socket, 'GET', '/containers/c1/logs?stdout=1&stderr=1');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
  const d = new FrameDecoder();
  assert.deepEqual(
    d.push(r.body).map((f) => `${f.stream}:${f.data}`),
    ['stdout:out\n', 'stderr:err\n'],
  );
});

test('logs: aborting a follow ends the iteration and aborts the api call on the server', async (t) => {
  const { fake, client } = await setup(t);
  const ac = new AbortController();
  const seen: string[] = [];
  for await (const c of client.containerLogs('follow', { follow: true }, ac.signal)) {
    seen.push(c.data.toString());
    if (seen.length === 2) ac.abort();
  }
  assert.deepEqual(seen, ['out\n', 'err\n']);
  for (let i = 0; i < 100 && fake.aborted.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(fake.aborted, ['follow']);
  // An abort before the request is sent ends it empty, too.
  assert.deepEqual(await collect(client.containerLogs('c1', {}, AbortSignal.abort())), []);
});

test('logs: breaking out of the loop closes the stream on the server', async (t) => {
  const { fake, client } = await setup(t);
  for await (const c of client.containerLogs('follow', { follow: true })) {
    assert.equal(c.data.toString(), 'out\n');
    break;
  }
  for (let i = 0; i < 100 && fake.aborted.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(fake.aborted, ['follow']);
});

test('an error after the stream began arrives as an error of the iteration', async (t) => {
  const { client } = await setup(t);
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const c of client.containerLogs('vanish', {})) seen.push(c.data.toString());
    })(),
    (err: unknown) =>
      err instanceof TscomposeError && err.message === 'Error response from daemon: log file vanished',
  );
  assert.deepEqual(seen, ['out\n', 'err\n']);
});

test('wait: aborting the client aborts the wait on the server', async (t) => {
  const { fake, client } = await setup(t);
  const ac = new AbortController();
  const waiting = client.waitContainer('forever', 'not-running', ac.signal);
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(waiting, { name: 'AbortError' });
  for (let i = 0; i < 100 && fake.aborted.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(fake.aborted, ['forever']);
});

test('exec start: output as frames; detached answers at once and the output is drained', async (t) => {
  const { socket, fake, client } = await setup(t);
  assert.deepEqual(await collect(client.startExec('e1')), [
    'stdout:line 0\n',
    'stderr:line 1\n',
    'stdout:line 2\n',
  ]);
  const r = await raw(socket, 'POST', '/exec/e2/start', '{"Detach":true,"Tty":false}');
  assert.equal(r.status, 200);
  assert.equal(r.body.length, 0);
  for (let i = 0; i < 100 && !fake.drained.includes('e2'); i++)
    await new Promise((res) => setTimeout(res, 10));
  assert.deepEqual(fake.drained, ['e1', 'e2']);
  assert.equal((await raw(socket, 'POST', '/exec/missing/start', '{"Detach":true}')).status, 404);
});

test('socket: mode 0660; a stale socket is replaced; a live one or another file is refused', async (t) => {
  const { dir, socket } = await setup(t);
  assert.equal(fs.statSync(socket).mode & 0o777, 0o660);
  await assert.rejects(serveEngine(new FakeEngine(), socket), {
    message: `another engine is running on ${socket}`,
  });
  const stale = path.join(dir, 'stale.sock');
  // A server killed outright leaves its socket file behind, with nobody listening on it.
  const script = `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script]);
  assert.ok(fs.lstatSync(stale).isSocket());
  const server = await serveEngine(new FakeEngine(), stale);
  const client = engineClient(stale);
  assert.equal((await client.version()).BuildId, 'b1');
  client.close();
  await server.close();
  assert.equal(fs.existsSync(stale), false);
  const file = path.join(dir, 'file.sock');
  fs.writeFileSync(file, 'not a socket');
  await assert.rejects(serveEngine(new FakeEngine(), file), {
    message: `${file} exists and is not a socket`,
  });
  assert.equal(fs.readFileSync(file, 'utf8'), 'not a socket');
});

test('close ends the followers still connected and frees the socket', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-api-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const socket = path.join(dir, 'engine.sock');
  const fake = new FakeEngine();
  const server = await serveEngine(fake, socket);
  const client = engineClient(socket);
  const seen: string[] = [];
  const following = (async () => {
    try {
      for await (const c of client.containerLogs('follow', { follow: true })) seen.push(c.data.toString());
    } catch {
      // The connection goes away under the follower: that is what this test is about.
    }
  })();
  while (seen.length < 2) await new Promise((r) => setTimeout(r, 10));
  await server.close();
  await following;
  client.close();
  assert.deepEqual(fake.aborted, ['follow']);
  assert.equal(fs.existsSync(socket), false);
  await assert.rejects(client.version(), { code: 'ENGINE_UNREACHABLE' });
});

test('image routes: tag, prune, save streams a tar (404 before it starts), load uploads one', async (t) => {
  const { fake, client, socket } = await setup(t);
  await client.tagImage('library/busybox:latest', 'me/box', 'v2');
  await assert.rejects(client.tagImage('missing', 'x'), NotFoundError);
  assert.deepEqual(await client.pruneImages({ all: true }), {
    ImagesDeleted: [{ Deleted: 'sha256:abc' }],
    SpaceReclaimed: 42,
  });
  await client.pruneImages();
  const parts: Buffer[] = [];
  for await (const c of client.saveImages(['a/b:c', 'd'])) parts.push(c as Buffer);
  assert.equal(Buffer.concat(parts).toString(), 'tar of a/b:c,d');
  const refused = client.saveImages(['missing']);
  await assert.rejects(async () => {
    for await (const _ of refused) void _;
  }, /Error response from daemon: No such image: missing/);
  assert.equal((await raw(socket, 'GET', '/images/a/get')).body.toString(), 'tar of a');
  assert.deepEqual(await client.loadImages(Readable.from([Buffer.alloc(1000)])), [
    'Loaded image: x:1',
    'Loaded image ID: sha256:abc',
  ]);
  assert.deepEqual(fake.calls, [
    ['tag', 'library/busybox:latest', 'me/box', 'v2'],
    ['prune', { filters: { dangling: ['false'] } }],
    ['prune', { filters: undefined }],
    ['save', ['a/b:c', 'd']],
    ['save', ['a']],
    ['load', 1000],
  ]);
});

test('pull, push and auth: references split and joined as docker does, X-Registry-Auth passed on, progress lines streamed, errors early or late', async (t) => {
  const { fake, client, socket } = await setup(t);
  const seen: ProgressMessage[] = [];
  await client.pullImage('127.0.0.1:5000/a/b:v1', { platform: 'linux/arm64', auth: 'e30=' }, (m) =>
    seen.push(m),
  );
  await client.pullImage('a/b@sha256:' + 'a'.repeat(64));
  await client.pushImage('127.0.0.1:5000/a/b:v2', {}, (m) => seen.push(m));
  assert.deepEqual(fake.calls, [
    ['pull', '127.0.0.1:5000/a/b:v1', 'linux/arm64', 'e30='],
    ['pull', `a/b@sha256:${'a'.repeat(64)}`, undefined, undefined],
    ['push', '127.0.0.1:5000/a/b:v2', 'e30='],
  ]);
  assert.deepEqual(
    seen.map((m) => m.status),
    ['Pulling from x', 'Status: Downloaded newer image for x:latest', 'The push refers to repository [x]'],
  );
  await assert.rejects(
    client.pullImage('denied/x'),
    (err: Error) => err instanceof UnauthorizedError && /pull access denied for denied$/.test(err.message),
  );
  const late = await raw(socket, 'POST', '/images/create?fromImage=late&tag=1');
  assert.equal(late.status, 200);
  assert.deepEqual(
    late.body
      .toString()
      .trim()
      .split('\r\n')
      .map((l) => JSON.parse(l)),
    [
      { status: 'Pulling from x', id: 'latest' },
      { errorDetail: { message: 'digest mismatch' }, error: 'digest mismatch' },
    ],
  );
  await assert.rejects(client.pullImage('late/x'), { message: 'digest mismatch' });
  assert.deepEqual(await client.checkAuth({ username: 'u', password: 'good' }), {
    Status: 'Login Succeeded',
    IdentityToken: '',
  });
  await assert.rejects(
    client.checkAuth({ username: 'u', password: 'bad' }),
    (err: Error) => err instanceof UnauthorizedError,
  );
});

test('pause, unpause, stats and events: routes, query parameters, JSON lines', async (t) => {
  const { fake, client } = await setup(t);
  await client.pauseContainer('c1');
  await client.unpauseContainer('c1');
  await client.renameContainer('c1', 'new name?');
  assert.deepEqual(fake.calls.at(-1), ['rename', 'c1', 'new name?']);
  await assert.rejects(client.pauseContainer('missing'), NotFoundError);
  await assert.rejects(client.renameContainer('missing', 'x'), NotFoundError);
  const stats = [];
  for await (const s of client.containerStats('c1', { stream: false })) stats.push(s);
  assert.deepEqual(stats, [{ id: 'c1', name: '/c1' }]);
  for await (const _ of client.containerStats('c1')) void _;
  await assert.rejects(async () => {
    for await (const _ of client.containerStats('busy')) void _;
  }, ConflictError);
  const events = [];
  for await (const e of client.events({ since: 1.5, until: 2, filters: { type: ['container'] } }))
    events.push(e.Action);
  assert.deepEqual(events, ['create', 'start']);
  await assert.rejects(async () => {
    for await (const _ of client.events({ filters: { colour: ['red'] } })) void _;
  }, /invalid filter 'colour'/);
  assert.deepEqual(fake.calls.slice(0, 7), [
    ['pause', 'c1'],
    ['unpause', 'c1'],
    ['rename', 'c1', 'new name?'],
    ['stats', 'c1', { stream: false, oneShot: false }],
    ['stats', 'c1', { stream: true, oneShot: false }],
    ['events', { since: 1.5, until: 2, filters: { type: ['container'] } }],
    ['events', { since: undefined, until: undefined, filters: { colour: ['red'] } }],
  ]);
  // a stream ends when the client goes away
  const ac = new AbortController();
  for await (const _ of client.containerStats('follow', {}, ac.signal)) ac.abort();
  for (let i = 0; i < 50 && !fake.aborted.includes('stats follow'); i++)
    await new Promise((r) => setTimeout(r, 10));
  assert.ok(fake.aborted.includes('stats follow'));
});

test('bodies: null is an absent field, a StrSlice may be one string, unknown fields pass through', async (t) => {
  const { socket, fake } = await setup(t);
  const body = {
    Image: 'x',
    Cmd: 'echo hi',
    Entrypoint: null,
    Env: ['A=1', null],
    Labels: { 'multi.line': 'one\ntwo' },
    HostConfig: { CapAdd: null, Binds: null, Memory: null, Bogus: 1, LogConfig: { Type: '', Config: null } },
    NetworkingConfig: { EndpointsConfig: { default: { IPAMConfig: null, Aliases: null } } },
  };
  const r = await raw(socket, 'POST', '/containers/create', JSON.stringify(body));
  assert.equal(r.status, 201, r.body.toString());
  assert.deepEqual(fake.calls.at(-1), [
    'create',
    {
      Image: 'x',
      Cmd: ['echo hi'],
      Env: ['A=1'],
      Labels: { 'multi.line': 'one\ntwo' },
      HostConfig: { Bogus: 1, LogConfig: { Type: '' } },
      NetworkingConfig: { EndpointsConfig: { default: {} } },
    },
    undefined,
  ]);
  assert.equal((await raw(socket, 'POST', '/containers/create', 'null')).status, 201);
});

test('bodies: a value of the wrong type is a 400 in Go json words, and reaches no route', async (t) => {
  const { socket, fake } = await setup(t);
  const go = (v: string, field: string, type: string) =>
    `json: cannot unmarshal ${v} into Go struct field ${field} of type ${type}`;
  const cases: [string, unknown, string][] = [
    [
      '/containers/create',
      { HostConfig: { Memory: '1g' } },
      go('string', 'HostConfig.HostConfig.Memory', 'int64'),
    ],
    [
      '/containers/create',
      { HostConfig: { Memory: 1.5 } },
      go('number 1.5', 'HostConfig.HostConfig.Memory', 'int64'),
    ],
    [
      '/containers/create',
      { HostConfig: { BlkioWeight: -1 } },
      go('number -1', 'HostConfig.HostConfig.BlkioWeight', 'uint16'),
    ],
    [
      '/containers/create',
      { HostConfig: { Privileged: 'yes' } },
      go('string', 'HostConfig.HostConfig.Privileged', 'bool'),
    ],
    [
      '/containers/create',
      { HostConfig: { Sysctls: ['a'] } },
      go('array', 'HostConfig.HostConfig.Sysctls', 'map[string]string'),
    ],
    [
      '/containers/create',
      { HostConfig: { CapAdd: 5 } },
      go('number', 'HostConfig.HostConfig.CapAdd', 'strslice.StrSlice'),
    ],
    [
      '/containers/create',
      { HostConfig: { Binds: {} } },
      go('object', 'HostConfig.HostConfig.Binds', '[]string'),
    ],
    [
      '/containers/create',
      { HostConfig: { Ulimits: [{ Name: 'nofile', Soft: '1' }] } },
      go('string', 'Ulimit.HostConfig.Ulimits.Soft', 'int64'),
    ],
    [
      '/containers/create',
      { HostConfig: { Mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { Mode: 'rw' } }] } },
      go('string', 'TmpfsOptions.HostConfig.Mounts.TmpfsOptions.Mode', 'fs.FileMode'),
    ],
    ['/containers/create', { Image: 'x', Hostname: 5 }, go('number', 'CreateRequest.Hostname', 'string')],
    ['/containers/create', { Env: {} }, go('object', 'CreateRequest.Env', '[]string')],
    ['/containers/create', { Env: [1] }, go('number', 'CreateRequest.Env', 'string')],
    ['/containers/create', { Labels: [] }, go('array', 'CreateRequest.Labels', 'map[string]string')],
    ['/containers/create', { Labels: { a: 1 } }, go('number', 'CreateRequest.Labels', 'string')],
    ['/containers/create', { Tty: 1 }, go('number', 'CreateRequest.Tty', 'bool')],
    [
      '/containers/create',
      { Healthcheck: [] },
      go('array', 'CreateRequest.Healthcheck', 'container.HealthConfig'),
    ],
    [
      '/containers/create',
      { Healthcheck: { Interval: '5s' } },
      go('string', 'HealthConfig.Healthcheck.Interval', 'time.Duration'),
    ],
    [
      '/containers/create',
      { Healthcheck: { Test: 'true' } },
      go('string', 'HealthConfig.Healthcheck.Test', '[]string'),
    ],
    [
      '/containers/create',
      { NetworkingConfig: { EndpointsConfig: { default: { Aliases: 'a' } } } },
      go('string', 'EndpointSettings.NetworkingConfig.EndpointsConfig.Aliases', '[]string'),
    ],
    [
      '/containers/create',
      { NetworkingConfig: { EndpointsConfig: [] } },
      go(
        'array',
        'NetworkingConfig.NetworkingConfig.EndpointsConfig',
        'map[string]*network.EndpointSettings',
      ),
    ],
    ['/containers/create', [], 'json: cannot unmarshal array into Go value of type container.CreateRequest'],
    ['/containers/c1/exec', { Cmd: 'ls' }, go('string', 'ExecOptions.Cmd', '[]string')],
    ['/containers/c1/exec', { Cmd: ['ls'], Env: [5] }, go('number', 'ExecOptions.Env', 'string')],
    ['/exec/e1/start', { Detach: 'yes' }, go('string', 'ExecStartOptions.Detach', 'bool')],
    ['/auth', { username: 1 }, go('number', 'AuthConfig.username', 'string')],
  ];
  const before = fake.calls.length;
  for (const [p, body, message] of cases) {
    const r = await raw(socket, 'POST', p, JSON.stringify(body));
    assert.equal(r.status, 400, `${p} ${JSON.stringify(body)}: ${r.body.toString()}`);
    assert.deepEqual(JSON.parse(r.body.toString()), { message });
  }
  assert.equal(fake.calls.length, before, 'no bad body reached the engine');
});

test('a fault inside the engine is a 500 without its text; the log keeps the stack', async (t) => {
  const { socket, logged } = await setup(t);
  const r = await raw(socket, 'POST', '/containers/bug/stop');
  assert.equal(r.status, 500);
  assert.deepEqual(JSON.parse(r.body.toString()), { message: INTERNAL });
  assert.ok(
    logged.some((l) => l.includes('TypeError') && /\n\s+at /.test(l)),
    logged.join('\n'),
  );
  assert.equal((await raw(socket, 'GET', '/_ping')).status, 200);
});

test('a malformed URL escape in a path or a query is a 400, and the next request is served', async (t) => {
  const { socket } = await setup(t);
  const cases: [string, string][] = [
    ['/containers/%zz/json', 'invalid URL escape "%zz"'],
    ['/v1.41/containers/%/json', 'invalid URL escape "%/j"'],
    ['/containers/json?filters=%zz', 'invalid URL escape "%zz"'],
    ['/containers/json?all=1%', 'invalid URL escape "%"'],
    ['/containers/%ff/json', 'invalid URL escape in "%ff"'],
  ];
  for (const [p, message] of cases) {
    const r = await raw(socket, 'GET', p);
    assert.equal(r.status, 400, `${p}: ${r.body.toString()}`);
    assert.deepEqual(JSON.parse(r.body.toString()), { message }, p);
  }
  assert.equal((await raw(socket, 'GET', '/_ping')).status, 200);
});

test('a body over the size limit is a 400', async (t) => {
  const { socket } = await setup(t);
  const huge = `{"Image":"${'x'.repeat(17 * 1024 * 1024)}"}`;
  const r = await raw(socket, 'POST', '/containers/create', huge).catch((err: NodeJS.ErrnoException) => err);
  // The server may answer before the whole body is sent; the client then sees its write cut.
  if (!(r instanceof Error)) {
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.body.toString()), { message: 'request body too large' });
  } else assert.match(String(r.code), /EPIPE|ECONNRESET/);
  assert.equal((await raw(socket, 'GET', '/_ping')).status, 200);
});

test('volume routes: create, list with filters, inspect, rm (404, 409 as kinds), prune', async (t) => {
  const { fake, client } = await setup(t);
  const made = await client.createVolume({ Name: 'data', Labels: { a: 'b' }, DriverOpts: { type: 'tmpfs' } });
  assert.equal(made.Name, 'data');
  assert.deepEqual(
    (await client.listVolumes({ filters: { dangling: ['true'] } })).Volumes.map((v) => v.Name),
    ['v1'],
  );
  assert.equal((await client.inspectVolume('data')).Mountpoint, '/v/data/_data');
  await assert.rejects(
    client.inspectVolume('missing'),
    (err: Error) => err instanceof NotFoundError && /get missing: no such volume/.test(err.message),
  );
  await assert.rejects(client.removeVolume('busy'), ConflictError);
  await client.removeVolume('data', { force: true });
  assert.deepEqual(await client.pruneVolumes({ filters: { all: ['true'] } }), {
    VolumesDeleted: ['v1'],
    SpaceReclaimed: 7,
  });
  await assert.rejects(
    client.createVolume({ Name: 'x', Labels: { a: 1 } as unknown as Record<string, string> }),
    InvalidArgumentError,
  );
  assert.deepEqual(fake.calls, [
    ['volume create', { Name: 'data', Labels: { a: 'b' }, DriverOpts: { type: 'tmpfs' } }],
    ['volume ls', { dangling: ['true'] }],
    ['volume rm', 'data', true],
    ['volume prune', { all: ['true'] }],
  ]);
});

test("networks: each route on docker's path reaches its api method; a malformed body is a 400 that never reaches it", async (t) => {
  const { fake, client, socket } = await setup(t);
  assert.deepEqual(await client.listNetworks({ filters: { name: ['fr'] } }), []);
  const body = {
    Name: 'front',
    Internal: true,
    IPAM: { Config: [{ Subnet: '10.9.0.0/24' }] },
    Labels: { a: 'b' },
  };
  assert.deepEqual(await client.createNetwork(body), { Id: 'n1', Warning: '' });
  assert.deepEqual(await client.inspectNetwork('front'), { Name: 'front' });
  await client.connectNetwork('front', { Container: 'c1', EndpointConfig: { Aliases: ['db'] } });
  await client.disconnectNetwork('front', { Container: 'c1', Force: true });
  await client.removeNetwork('front');
  assert.deepEqual(await client.pruneNetworks(), { NetworksDeleted: ['old'] });
  await assert.rejects(
    client.inspectNetwork('missing'),
    (e: Error) => e instanceof NotFoundError && /network missing not found/.test(e.message),
  );
  await assert.rejects(
    client.removeNetwork('bridge'),
    (e: Error) => e instanceof ForbiddenError && /pre-defined network/.test(e.message),
  );
  const seen = fake.calls.filter((c) => String(c[0]).includes('etwork'));
  assert.deepEqual(seen.slice(0, 7), [
    ['listNetworks', { filters: { name: ['fr'] } }],
    [
      'createNetwork',
      {
        ...body,
        Driver: undefined,
        Attachable: undefined,
        EnableIPv6: undefined,
        Options: undefined,
        IPAM: {
          Driver: undefined,
          Config: [{ Subnet: '10.9.0.0/24', IPRange: undefined, Gateway: undefined }],
          Options: undefined,
        },
      },
    ],
    ['inspectNetwork', 'front'],
    [
      'connectNetwork',
      'front',
      { Container: 'c1', EndpointConfig: { Aliases: ['db'], MacAddress: undefined, IPAMConfig: undefined } },
    ],
    ['disconnectNetwork', 'front', { Container: 'c1', Force: true }],
    ['removeNetwork', 'front'],
    ['pruneNetworks', { filters: undefined }],
  ]);
  const before = fake.calls.length;
  for (const [p, b] of [
    ['/networks/create', '{"Name": 5}'],
    ['/networks/create', '{"Name": "x", "IPAM": {"Config": ["10.0.0.0/8"]}}'],
    ['/networks/create', '[1]'],
    ['/networks/create', '{bad'],
    ['/networks/front/connect', '{"Container": "c1", "EndpointConfig": {"Aliases": "db"}}'],
    ['/networks/front/connect', '{}'],
  ]) {
    const r = await raw(socket, 'POST', `/v1.41${p}`, b);
    assert.equal(r.status, 400, `${p} ${b}: ${r.body.toString()}`);
    assert.match(JSON.parse(r.body.toString()).message, /^\S.*$/);
  }
  assert.equal(fake.calls.length, before, 'no malformed body reached the engine');
});

test('update and container prune: bodies checked as Go reads them, filters passed on', async (t) => {
  const { fake, client } = await setup(t);
  await client.updateContainer('c1', { Memory: 64 << 20, RestartPolicy: { Name: 'always' } });
  assert.deepEqual(fake.calls.at(-1), [
    'update',
    'c1',
    { Memory: 64 << 20, RestartPolicy: { Name: 'always' } },
  ]);
  await assert.rejects(
    client.updateContainer('c1', { Memory: 'x' } as never),
    /UpdateConfig.Memory of type int64/,
  );
  assert.deepEqual(await client.pruneContainers({ label: ['a=b'] }), {
    ContainersDeleted: ['c9'],
    SpaceReclaimed: 0,
  });
  assert.deepEqual(fake.calls.at(-1), ['pruneContainers', { label: ['a=b'] }]);
});

test('archive routes: HEAD and GET carry the base64 path stat, PUT streams the tar, changes and commit reach the api', async (t) => {
  const { socket, client, fake } = await setup(t);
  const head = await raw(socket, 'HEAD', '/v1.41/containers/c1/archive?path=/etc');
  assert.equal(head.status, 200);
  const stat = JSON.parse(
    Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString(),
  );
  assert.deepEqual(stat, {
    name: 'etc',
    size: 3,
    mode: 0o644,
    mtime: '2001-02-03T04:05:06Z',
    linkTarget: '',
  });
  assert.equal((await raw(socket, 'HEAD', '/containers/c1/archive?path=/missing')).status, 404);
  assert.equal((await raw(socket, 'HEAD', '/containers/c1/archive')).status, 400);
  assert.equal((await client.statContainerPath('c1', '/etc')).name, 'etc');
  await assert.rejects(client.statContainerPath('c1', '/missing'), /Error response from daemon/);
  const got = await client.getContainerArchive('c1', '/x');
  const parts: Buffer[] = [];
  for await (const c of got.tar) parts.push(c as Buffer);
  assert.equal(Buffer.concat(parts).toString(), 'tar of /x');
  assert.equal(got.stat.name, 'x');
  await client.putContainerArchive('c1', '/dst', Readable.from([Buffer.alloc(700)]), { copyUIDGID: true });
  assert.deepEqual(await client.containerChanges('c1'), [{ Path: '/tmp', Kind: 0 }]);
  assert.deepEqual(
    await client.commitContainer({ container: 'c1', repo: 'r', tag: 't', changes: ['CMD x'] }),
    {
      Id: 'sha256:abc',
    },
  );
  assert.deepEqual(fake.calls.slice(-3), [
    ['put archive', 'c1', '/dst', 700, { noOverwriteDirNonDir: false, copyUIDGID: true }],
    ['changes', 'c1'],
    [
      'commit',
      {
        container: 'c1',
        repo: 'r',
        tag: 't',
        comment: undefined,
        author: undefined,
        changes: ['CMD x'],
        pause: true,
      },
    ],
  ]);
  const exported: Buffer[] = [];
  for await (const c of await client.exportContainer('c1')) exported.push(c as Buffer);
  assert.equal(Buffer.concat(exported).toString(), 'export of c1');
});
