/**
 * Containers and execs with a pseudo-terminal, on an in-process engine: the pty comes from the
 * container's own devpts, its master reaches the engine, input, window size and ^C work through
 * it, and nothing (no pty descriptor either) is left once the container is gone.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Attachment } from '../../../src/engine-api/attachment';
import { FrameDecoder } from '../../../src/common/frames';
import { startTestEngine, type TestEngine } from '../../helpers/engine';
import { assertNoLeaks } from '../../helpers/leaks';
import { assertNoPtyLeaks, ptyFds } from '../../helpers/pty-fds';

const TIMEOUT = { timeout: 30_000 };

function demux(raw: Buffer): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  for (const f of new FrameDecoder().push(raw))
    if (f.stream === 'stdout' || f.stream === 'stderr') out[f.stream] += f.data;
  return out;
}

/** Everything the attachment says, and a way to wait for a piece of it. */
function reader(a: Attachment): {
  text: () => string;
  waitFor: (re: RegExp, ms?: number) => Promise<string>;
  ended: Promise<void>;
} {
  let text = '';
  const ended = new Promise<void>((resolve) => a.stream.once('end', resolve));
  a.stream.on('data', (d: Buffer) => (text += d.toString('utf8')));
  const waitFor = async (re: RegExp, ms = 10_000): Promise<string> => {
    const deadline = Date.now() + ms;
    while (!re.test(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; got ${JSON.stringify(text)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return text;
  };
  return { text: () => text, waitFor, ended };
}

describe('terminals', () => {
  let t: TestEngine;
  let baseline: string[];
  before(async () => {
    baseline = ptyFds();
    t = await startTestEngine();
  });
  after(async () => {
    await t?.close();
  });
  afterEach(async () => {
    const ids = (await t.engine.listContainers({ all: true })).map((c) => c.Id);
    for (const id of ids) await t.engine.removeContainer(id, { force: true });
    await assertNoLeaks(t.root);
    await assertNoPtyLeaks('self', baseline);
  });

  const create = async (cmd: string[], extra: object = {}): Promise<string> =>
    (
      await t.engine.createContainer({
        Image: 'busybox',
        Cmd: cmd,
        Tty: true,
        OpenStdin: true,
        ...extra,
      })
    ).Id;

  test(
    'run: /dev/pts/0 from the container devpts, /dev/console, size, input, one stream',
    TIMEOUT,
    async () => {
      const id = await create(
        [
          'sh',
          '-c',
          'tty; stat -c %t:%T /dev/console; stty size; echo err >&2; read x; echo "got $x"; exit 3',
        ],
        { HostConfig: { ConsoleSize: [30, 100] } },
      );
      const a = await t.engine.attachContainer(id, { stream: true, stdin: true, stdout: true, stderr: true });
      assert.equal(a.tty, true);
      const out = reader(a);
      await t.engine.startContainer(id);
      await out.waitFor(/30 100\r\nerr\r\n/);
      a.stream.write('hello\n');
      await out.ended;
      assert.equal(out.text(), '/dev/pts/0\r\n88:0\r\n30 100\r\nerr\r\nhello\r\ngot hello\r\n');
      assert.equal((await t.engine.waitContainer(id)).StatusCode, 3);
      const logs: string[] = [];
      for await (const c of t.engine.containerLogs(id, { stdout: true, stderr: true })) logs.push(c.stream);
      assert.deepEqual([...new Set(logs)], ['stdout']);
    },
  );

  test('a user and a read-only root: the user owns its terminal (group tty)', TIMEOUT, async () => {
    const script = 'tty; stat -c %u:%g:%a /dev/pts/0; [ -c /dev/console ] && echo console';
    const id = await create(['sh', '-c', script], { User: 'app', HostConfig: { ReadonlyRootfs: true } });
    const a = await t.engine.attachContainer(id, { stream: true, stdout: true, stderr: true });
    const out = reader(a);
    await t.engine.startContainer(id);
    await out.ended;
    assert.equal(out.text(), '/dev/pts/0\r\n1000:5:620\r\nconsole\r\n');
  });

  test(
    'resize, ^C to the foreground process group, and a detach that leaves it running',
    TIMEOUT,
    async () => {
      const id = await create(['sh']);
      const a = await t.engine.attachContainer(id, { stream: true, stdin: true, stdout: true, stderr: true });
      const out = reader(a);
      await t.engine.startContainer(id);
      await t.engine.resizeContainer(id, 40, 120);
      a.stream.write('stty size\n');
      await out.waitFor(/40 120/);
      a.stream.write('sleep 100\n');
      await new Promise((r) => setTimeout(r, 300));
      a.stream.write('\x03'); // the shell gets its prompt back; sleep died of SIGINT
      await out.waitFor(/\^C[^]*# /);
      a.stream.write('echo status=$?\n');
      await out.waitFor(/status=130/);
      a.stream.write('\x10\x11'); // ctrl-p ctrl-q
      await out.ended;
      assert.equal((await t.engine.inspectContainer(id)).State.Running, true);
      const again = await t.engine.attachContainer(id, { stream: true, stdin: true, stdout: true });
      const out2 = reader(again);
      again.stream.write('exit 7\n');
      await out2.ended;
      assert.equal((await t.engine.waitContainer(id)).StatusCode, 7);
    },
  );

  test('exec -t: the next /dev/pts, its own size and input, its exit code', TIMEOUT, async () => {
    const id = await create(['sleep', '100']);
    await t.engine.startContainer(id);
    const { Id: execId } = await t.engine.createExec(id, {
      Cmd: ['sh', '-c', 'tty; stty size; read x; echo "got $x"; exit 5'],
      Tty: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      ConsoleSize: [20, 60],
    });
    const a = await t.engine.startExecAttached(execId);
    const out = reader(a);
    await out.waitFor(/20 60\r\n/);
    a.stream.write('there\n');
    await out.ended;
    assert.equal(out.text(), '/dev/pts/1\r\n20 60\r\nthere\r\ngot there\r\n');
    for (let i = 0; i < 100 && (await t.engine.inspectExec(execId)).Running; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal((await t.engine.inspectExec(execId)).ExitCode, 5);
  });

  test(
    '-i without a terminal: stdin reaches the container, and closing it is EOF there',
    TIMEOUT,
    async () => {
      const { Id: id } = await t.engine.createContainer({
        Image: 'busybox',
        Cmd: ['sh', '-c', 'cat; echo "eof $?" >&2'],
        OpenStdin: true,
        StdinOnce: true,
      });
      const a = await t.engine.attachContainer(id, { stream: true, stdin: true, stdout: true, stderr: true });
      assert.equal(a.tty, false);
      const frames: Buffer[] = [];
      a.stream.on('data', (d: Buffer) => frames.push(d));
      const ended = new Promise((resolve) => a.stream.once('end', resolve));
      await t.engine.startContainer(id);
      a.stream.write('one\ntwo\n');
      a.stream.end();
      await ended;
      const { stdout, stderr } = demux(Buffer.concat(frames));
      assert.equal(stdout, 'one\ntwo\n');
      assert.equal(stderr, 'eof 0\n');
      assert.equal((await t.engine.waitContainer(id)).StatusCode, 0);
    },
  );

  test('exec -i without a terminal: stdin through a pipe', TIMEOUT, async () => {
    const id = await create(['sleep', '100']);
    await t.engine.startContainer(id);
    const { Id: execId } = await t.engine.createExec(id, {
      Cmd: ['sh', '-c', 'wc -l'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
    });
    const a = await t.engine.startExecAttached(execId);
    const frames: Buffer[] = [];
    a.stream.on('data', (d: Buffer) => frames.push(d));
    const ended = new Promise((resolve) => a.stream.once('end', resolve));
    a.stream.end('a\nb\nc\n');
    await ended;
    assert.equal(demux(Buffer.concat(frames)).stdout.trim(), '3');
  });

  test('exec without a terminal into a terminal container gets pipes', TIMEOUT, async () => {
    const id = await create(['sleep', '100']);
    await t.engine.startContainer(id);
    const { Id: execId } = await t.engine.createExec(id, {
      Cmd: ['sh', '-c', 'tty; echo err >&2'],
      AttachStdout: true,
      AttachStderr: true,
    });
    const a = await t.engine.startExecAttached(execId);
    assert.equal(a.tty, false);
    const chunks: Buffer[] = [];
    for await (const c of a.stream) chunks.push(c as Buffer);
    assert.deepEqual(demux(Buffer.concat(chunks)), { stdout: 'not a tty\n', stderr: 'err\n' });
  });
});
