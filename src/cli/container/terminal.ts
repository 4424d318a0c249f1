/**
 * The local end of an attached session (`run -it`, `exec -it`, `attach`): our terminal in raw
 * mode while the process has a terminal and ours is one, our size sent at the start and on every
 * SIGWINCH, our input passed on until the detach keys, the output written until it ends. The
 * terminal is given back as it was, however the session ends.
 */
import type { Attachment } from '../../engine-api/attachment';
import { DEFAULT_DETACH_KEYS, DetachKeyFilter, parseDetachKeys } from '../../common/detach-keys';
import { FrameDecoder } from '../../common/frames';
import { TscomposeError } from '../../common/errors';

export interface SessionIo {
  stdin: NodeJS.ReadStream & { fd: number };
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface SessionOptions {
  attachment: Attachment;
  /** Pass our stdin on (-i). */
  stdin: boolean;
  detachKeys: Buffer;
  /** Gives the process's terminal our size. */
  resize?: (height: number, width: number) => Promise<void>;
  io?: SessionIo;
}

/**
 * What a session starts from, checked before anything is created: docker's refusal of `-it`
 * when stdin is a file or a pipe, the `--detach-keys` (`exitCode` when bad), and our size for
 * the process's terminal to start with ([height, width]).
 */
export function prepareSession(
  tty: boolean,
  stdin: boolean,
  opts: { detachKeys?: string; io?: SessionIo },
  exitCode = 1,
): { io: SessionIo; detachKeys: Buffer; size?: [number, number] } {
  const io = opts.io ?? processIo();
  if (tty && stdin && !io.stdin.isTTY)
    throw new TscomposeError('the input device is not a TTY', { code: 'NOT_A_TTY' });
  let detachKeys: Buffer;
  try {
    detachKeys = parseDetachKeys(opts.detachKeys || DEFAULT_DETACH_KEYS);
  } catch (err) {
    throw new TscomposeError((err as Error).message, { code: 'USAGE', exitCode });
  }
  const size: [number, number] | undefined =
    tty && io.stdout.isTTY && io.stdout.rows > 0 ? [io.stdout.rows, io.stdout.columns] : undefined;
  return { io, detachKeys, size };
}

const processIo = (): SessionIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/** 'ended' when the output ended (the process is gone), 'detached' on the detach keys. */
export async function runSession(o: SessionOptions): Promise<'ended' | 'detached'> {
  const io = o.io ?? processIo();
  const a = o.attachment;
  const undo: (() => void)[] = [];
  try {
    if (a.tty && o.stdin && io.stdin.isTTY) undo.push(rawMode(io.stdin));
    if (a.tty && o.resize) undo.push(followSize(io.stdout, o.resize));
    return await new Promise((resolve, reject) => {
      a.stream.on('data', output(a.tty, io));
      a.stream.once('end', () => resolve('ended'));
      a.stream.once('close', () => resolve('ended'));
      a.stream.once('error', reject);
      a.stream.resume(); // a hijacked socket comes paused
      if (o.stdin)
        undo.push(forwardInput(io.stdin, a, new DetachKeyFilter(o.detachKeys), () => resolve('detached')));
    });
  } finally {
    for (const fn of undo.reverse()) fn();
    a.stream.destroy();
  }
}

function output(tty: boolean, io: SessionIo): (d: Buffer) => void {
  if (tty) return (d) => void io.stdout.write(d);
  const decoder = new FrameDecoder();
  return (d) => {
    for (const f of decoder.push(d)) (f.stream === 'stdout' ? io.stdout : io.stderr).write(f.data);
  };
}

function forwardInput(
  stdin: NodeJS.ReadStream,
  a: Attachment,
  keys: DetachKeyFilter,
  detached: () => void,
): () => void {
  const onData = (d: Buffer): void => {
    const { forward, detach } = keys.push(d);
    if (forward.length && a.stream.writable) a.stream.write(forward);
    if (detach) detached();
  };
  const onEnd = (): void => void a.stream.end();
  stdin.on('data', onData);
  stdin.once('end', onEnd);
  return () => {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.pause(); // or it holds the process open
  };
}

/** Raw mode until undone, and undone too when the process exits or is told to stop. */
function rawMode(stdin: SessionIo['stdin']): () => void {
  let raw = true;
  const restore = (): void => {
    if (!raw) return;
    raw = false;
    stdin.setRawMode(false);
  };
  const onTerm = (): void => {
    restore();
    process.off('SIGTERM', onTerm);
    process.kill(process.pid, 'SIGTERM');
  };
  stdin.setRawMode(true);
  // As docker's (cfmakeraw): the container's terminal already did any \n to \r\n.
  const pty = require('../../platform/linux/pty') as typeof import('../../platform/linux/pty');
  pty.setOutputProcessing(stdin.fd, false);
  process.once('exit', restore);
  process.on('SIGTERM', onTerm);
  return () => {
    restore();
    process.off('exit', restore);
    process.off('SIGTERM', onTerm);
  };
}

function followSize(stdout: NodeJS.WriteStream, resize: (h: number, w: number) => Promise<void>): () => void {
  if (!stdout.isTTY) return () => undefined;
  // A resize may race the process's end; it has no one to tell then.
  const send = (): void => void resize(stdout.rows, stdout.columns).catch(() => undefined);
  send();
  stdout.on('resize', send);
  return () => stdout.off('resize', send);
}
