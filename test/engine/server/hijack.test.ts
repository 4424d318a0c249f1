/**
 * Hijacked connections over the engine's socket, against a fake engine whose attachments echo
 * their input upper-cased: the 101 upgrade both ways (stdin in, output out, the client's EOF
 * reaching the engine), an exec start's body followed at once by stdin in the same packet,
 * docker's error answers instead of an upgrade, output-only attach without an upgrade, and the
 * resize routes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import type { AttachOptions, Attachment, ExecStartOptions } from '../../../src/engine-api/attachment';
import { engineClient } from '../../../src/engine-api/client';
import { InvalidArgumentError, NotFoundError } from '../../../src/common/errors';
import { type EngineApi } from '../../../src/engine-api/engine-api';
import { serveEngine } from '../../../src/engine/server/server';

/** Upper-cases what it is given; ends its output when its input ends. */
function echo(): { stream: Duplex; ended: Promise<void> } {
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const stream = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _e, cb) => {
      stream.push(chunk.toString().toUpperCase());
      cb();
    },
    final: (cb) => {
      ended();
      stream.push('BYE');
      stream.push(null);
      cb();
    },
  });
  return { stream, ended: done };
}

class Fake {
  calls: unknown[][] = [];
  async attachContainer(id: string, opts: AttachOptions): Promise<Attachment> {
    if (id === 'missing') throw new NotFoundError(`No such container: ${id}`);
    this.calls.push(['attach', id, opts]);
    return { tty: id !== 'plain', stream: echo().stream };
  }
  async inspectExec(id: string) {
    if (id === 'missing') throw new NotFoundError(`No such exec instance: ${id}`);
    if (id === 'done') return { ID: id, ContainerID: 'c', Running: false, ExitCode: 0, Pid: 0 };
    return { ID: id, ContainerID: 'c', Running: false, ExitCode: null, Pid: 0 };
  }
  async startExecAttached(id: string, opts: ExecStartOptions = {}): Promise<Attachment> {
    if (id === 'bad')
      throw new InvalidArgumentError('exec failed: exec: "nosuch": executable file not found in $PATH');
    this.calls.push(['exec', id, opts]);
    return { tty: true, stream: echo().stream };
  }
  async resizeContainer(id: string, h: number, w: number): Promise<void> {
    this.calls.push(['resize', id, h, w]);
  }
  async resizeExec(id: string, h: number, w: number): Promise<void> {
    this.calls.push(['resizeExec', id, h, w]);
  }
}

async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-hijack-'));
  const socket = path.join(dir, 'engine.sock');
  const fake = new Fake();
  const server = await serveEngine(fake as unknown as EngineApi, socket);
  const client = engineClient(socket);
  t.after(async () => {
    client.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { socket, fake, client };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const d of stream) text += String(d);
  return text;
}

test('attach upgrades the connection: stdin in, output out, EOF through', async (t) => {
  const { fake, client } = await setup(t);
  const a = await client.attachContainer('c1', {
    stream: true,
    stdin: true,
    stdout: true,
    detachKeys: 'ctrl-x',
  });
  assert.equal(a.tty, true);
  a.stream.write('hello ');
  a.stream.end('world');
  assert.equal(await readAll(a.stream), 'HELLO WORLDBYE');
  assert.deepEqual(fake.calls, [
    ['attach', 'c1', { stream: true, stdin: true, stdout: true, stderr: false, detachKeys: 'ctrl-x' }],
  ]);
  const plain = await client.attachContainer('plain', { stream: true, stdout: true });
  assert.equal(plain.tty, false); // multiplexed frames
  plain.stream.destroy();
});

test('an exec start reads its body, and stdin sent in the same packet is not lost', async (t) => {
  const { socket, fake, client } = await setup(t);
  const a = await client.startExecAttached('e1', { consoleSize: [20, 60] });
  a.stream.end('x');
  assert.equal(await readAll(a.stream), 'XBYE');
  const body = JSON.stringify({ Detach: false, Tty: true });
  const conn = net.connect(socket);
  conn.write(
    `POST /v1.41/exec/e2/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}early`,
  );
  conn.end();
  const answer = await readAll(conn);
  assert.match(answer, /^HTTP\/1.1 101 UPGRADED\r\n/);
  assert.match(answer, /\r\nContent-Type: application\/vnd.docker.raw-stream\r\n/);
  assert.ok(answer.endsWith('\r\n\r\nEARLYBYE'), answer);
  assert.deepEqual(fake.calls, [
    ['exec', 'e1', { consoleSize: [20, 60] }],
    ['exec', 'e2', { consoleSize: undefined }],
  ]);
});

test('a refusal answers docker error instead of an upgrade', async (t) => {
  const { client } = await setup(t);
  await assert.rejects(client.attachContainer('missing', { stream: true }), (err: unknown) => {
    assert.ok(err instanceof NotFoundError);
    assert.equal(err.message, 'Error response from daemon: No such container: missing');
    return true;
  });
  // An exec is checked before the upgrade, and started after it (as dockerd): what the start
  // says then comes in the stream.
  await assert.rejects(client.startExecAttached('missing'), (err: unknown) => {
    assert.ok(err instanceof NotFoundError);
    assert.equal(err.message, 'Error response from daemon: No such exec instance: missing');
    return true;
  });
  await assert.rejects(client.startExecAttached('done'), /has already been started/);
  const bad = await client.startExecAttached('bad');
  let said = '';
  for await (const c of bad.stream) said += (c as Buffer).toString();
  assert.match(said, /executable file not found in \$PATH\r\n$/);
});

test('without an upgrade, attach streams the output in an ordinary response; resize routes', async (t) => {
  const { socket, fake, client } = await setup(t);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http
      .request(
        { socketPath: socket, method: 'POST', path: '/containers/c1/attach?stream=1&stdout=1', agent: false },
        resolve,
      )
      .on('error', reject)
      .end(),
  );
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/vnd.docker.raw-stream');
  res.destroy();
  await client.resizeContainer('c1', 30, 100);
  await client.resizeExec('e1', 0, 0);
  assert.deepEqual(fake.calls.slice(-2), [
    ['resize', 'c1', 30, 100],
    ['resizeExec', 'e1', 0, 0],
  ]);
  const bad = await new Promise<number>((resolve, reject) =>
    http
      .request(
        { socketPath: socket, method: 'POST', path: '/containers/c1/resize?h=-1&w=x', agent: false },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      )
      .on('error', reject)
      .end(),
  );
  assert.equal(bad, 400);
});

test('an upgraded exec start with a body of the wrong shape is refused in Go json words', async (t) => {
  const { socket, fake } = await setup(t);
  const body = JSON.stringify({ Detach: null, Tty: 'yes' });
  const conn = net.connect(socket);
  conn.write(
    `POST /v1.41/exec/e2/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  conn.end();
  const answer = await readAll(conn);
  assert.match(answer, /^HTTP\/1.1 400 Bad Request\r\n/);
  const message = 'json: cannot unmarshal string into Go struct field ExecStartOptions.Tty of type bool';
  assert.ok(answer.endsWith(`\r\n\r\n${JSON.stringify({ message })}`), answer);
  assert.deepEqual(fake.calls, []);
});

test('an upgrade to a path with a malformed escape is refused with a 400', async (t) => {
  const { socket, fake } = await setup(t);
  for (const [p, message] of [
    ['/v1.41/containers/%zz/attach?stream=1', 'invalid URL escape "%zz"'],
    ['/v1.41/exec/%c3%28/start', 'invalid URL escape in "%c3%28"'],
  ]) {
    const conn = net.connect(socket);
    conn.end(
      `POST ${p} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`,
    );
    const answer = await readAll(conn);
    assert.match(answer, /^HTTP\/1.1 400 Bad Request\r\n/, p);
    assert.ok(answer.endsWith(`\r\n\r\n${JSON.stringify({ message })}`), answer);
  }
  assert.deepEqual(fake.calls, []);
});
