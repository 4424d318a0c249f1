/** `container run` / `exec` against a fake engine: the calls made, the output, the exit codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineApi } from '../../../src/engine-api/engine-api';
import type { OutputChunk } from '../../../src/engine-api/output';
import { InvalidArgumentError, NotFoundError, TscomposeError } from '../../../src/common/errors';
import type { ContainerCreateBody } from '../../../src/engine-api/container/types';
import { runExec } from '../../../src/cli/container/exec-run';
import { runAttached, runDetached } from '../../../src/cli/container/run';

const DAEMON = 'Error response from daemon: ';

function sink() {
  const text: string[] = [];
  const stream = {
    write: (d: Buffer | string) => {
      text.push(String(d));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { stream, text: () => text.join('') };
}

async function* chunks(...parts: [OutputChunk['stream'], string][]): AsyncGenerator<OutputChunk> {
  for (const [stream, data] of parts) yield { stream, data: Buffer.from(data) };
}

function fakeEngine(overrides: Partial<EngineApi> = {}) {
  const calls: unknown[][] = [];
  const record =
    <T>(name: string, result: T) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
      return result;
    };
  const engine = {
    createContainer: record('create', Promise.resolve({ Id: 'c0ffee', Warnings: ['low memory'] })),
    startContainer: record('start', Promise.resolve()),
    containerLogs: record('logs', chunks(['stdout', 'hello\n'], ['stderr', 'oops\n'])),
    waitContainer: record('wait', Promise.resolve({ StatusCode: 3 })),
    removeContainer: record('remove', Promise.resolve()),
    inspectContainer: record(
      'inspect',
      Promise.resolve({ HostConfig: { LogConfig: { Type: 'json-file' } } }),
    ),
    ...overrides,
  } as unknown as EngineApi;
  // inspect only tells the CLI which log driver the container has: not a step of the run
  const steps = (): unknown[][] => calls.filter((c) => c[0] !== 'inspect');
  return { engine, steps };
}

const body = (rm: boolean): ContainerCreateBody => ({
  Image: 'busybox',
  Cmd: ['sh'],
  HostConfig: { AutoRemove: rm },
});

test('a foreground run: output to ours, the exit code, --rm done by the CLI after the log is read', async () => {
  const { engine, steps } = fakeEngine();
  const out = sink();
  const err = sink();
  const code = await runAttached(
    engine,
    { name: 'x', body: body(true) },
    { out: out.stream, err: err.stream },
  );
  const calls = steps();
  assert.equal(code, 3);
  assert.equal(out.text(), 'hello\n');
  assert.equal(err.text(), 'WARNING: low memory\noops\n');
  assert.deepEqual(
    calls.map((c) => c[0]),
    ['create', 'start', 'logs', 'wait', 'remove'],
  );
  assert.deepEqual(calls[0], [
    'create',
    { Image: 'busybox', Cmd: ['sh'], HostConfig: { AutoRemove: false } },
    'x',
  ]);
  assert.deepEqual(calls[2][2], { follow: true, stdout: true, stderr: true });
  assert.deepEqual(calls[3], ['wait', 'c0ffee', 'not-running']);
  assert.deepEqual(calls[4], ['remove', 'c0ffee', { force: true, volumes: true }]);
});

test('without --rm nothing is removed; -d prints the id and leaves AutoRemove to the engine', async () => {
  const io = { out: sink().stream, err: sink().stream };
  const plain = fakeEngine();
  await runAttached(plain.engine, { body: body(false) }, io);
  assert.deepEqual(
    plain.steps().map((c) => c[0]),
    ['create', 'start', 'logs', 'wait'],
  );
  const detached = fakeEngine();
  assert.equal(await runDetached(detached.engine, { body: body(true) }, io), 'c0ffee');
  assert.deepEqual(detached.steps()[0][1], body(true));
  assert.deepEqual(
    detached.steps().map((c) => c[0]),
    ['create', 'start'],
  );
});

test('start failures exit 127 (not found), 126 (cannot run), 125 (anything else)', async () => {
  const table: [string, number][] = [
    ['exec: "nope": executable file not found in $PATH', 127],
    ['exec: "/bin/x": no such file or directory', 127],
    ['exec: "/etc": permission denied', 126],
    ['exec: "/etc": is a directory', 126],
    ['cgroup: no such controller', 125],
  ];
  for (const [why, exitCode] of table) {
    const msg = `${DAEMON}failed to start container c0ffee: ${why}`;
    const { engine, steps } = fakeEngine({
      startContainer: () => Promise.reject(new InvalidArgumentError(msg)),
    });
    await assert.rejects(
      runAttached(engine, { body: body(true) }, { out: sink().stream, err: sink().stream }),
      {
        message: msg,
        exitCode,
      },
    );
    assert.equal(steps().at(-1)?.[0], 'remove', why);
  }
});

test("an image that is not there: docker's line, a pull, then the create again; a failed pull exits 125", async () => {
  const missing = (): Promise<never> =>
    Promise.reject(new NotFoundError(`${DAEMON}No such image: busybox:latest`));
  const err = sink();
  let creates = 0;
  const pulled: unknown[] = [];
  const { engine } = fakeEngine({
    createContainer: () => (++creates === 1 ? missing() : Promise.resolve({ Id: 'c0ffee', Warnings: [] })),
    pullImage: (ref: string) => (pulled.push(ref), Promise.resolve()),
  });
  assert.equal(
    await runDetached(engine, { body: body(false) }, { out: sink().stream, err: err.stream }),
    'c0ffee',
  );
  assert.deepEqual(pulled, ['busybox']);
  assert.equal(creates, 2);
  assert.equal(err.text(), "Unable to find image 'busybox:latest' locally\n");

  const refused = sink();
  const denied = new TscomposeError(`${DAEMON}pull access denied for busybox`);
  const { engine: offline } = fakeEngine({
    createContainer: missing,
    pullImage: () => Promise.reject(denied),
  });
  await assert.rejects(
    runDetached(offline, { body: body(false) }, { out: sink().stream, err: refused.stream }),
    {
      message: `${DAEMON}pull access denied for busybox`,
      exitCode: 125,
    },
  );
  assert.equal(refused.text(), "Unable to find image 'busybox:latest' locally\n");
});

test("exec: output to ours and the exec's exit code; a refused start exits with the engine's code", async () => {
  const inspect = { ID: 'e1', ContainerID: 'c0ffee', Running: false, ExitCode: 7, Pid: 0 };
  const calls: unknown[] = [];
  const engine = {
    createExec: (id: string, b: unknown) => (calls.push([id, b]), Promise.resolve({ Id: 'e1' })),
    startExec: () => chunks(['stdout', 'out\n'], ['stderr', 'err\n']),
    inspectExec: () => Promise.resolve(inspect),
  } as unknown as EngineApi;
  const out = sink();
  const err = sink();
  const code = await runExec(
    engine,
    'c0ffee',
    { Cmd: ['ls', '-l'] },
    { io: { out: out.stream, err: err.stream } },
  );
  assert.equal(code, 7);
  assert.equal(out.text(), 'out\n');
  assert.equal(err.text(), 'err\n');
  assert.deepEqual(calls, [['c0ffee', { Cmd: ['ls', '-l'] }]]);

  const refusing = {
    ...engine,
    startExec: async function* () {
      yield* [];
      throw new InvalidArgumentError(
        `${DAEMON}exec failed: exec: "nope": executable file not found in $PATH`,
      );
    },
    inspectExec: () => Promise.resolve({ ...inspect, ExitCode: 127 }),
  } as unknown as EngineApi;
  await assert.rejects(runExec(refusing, 'c0ffee', { Cmd: ['nope'] }), (e: TscomposeError) => {
    assert.equal(e.exitCode, 127);
    assert.match(e.message, /^Error response from daemon: exec failed: .*executable file not found/);
    return true;
  });
});
