/**
 * Docker's hijacked connections on the server side: `POST /containers/{id}/attach` and
 * `POST /exec/{id}/start` asked with `Connection: Upgrade` / `Upgrade: tcp` are answered
 * `101 UPGRADED`, and the connection then carries raw bytes both ways: the client's stdin to
 * the process, its output back (raw with a terminal, multiplexed frames without). Asked
 * without an upgrade, the output alone streams in an ordinary response.
 */
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type { AttachOptions, Attachment } from '../../engine-api/attachment';
import { checkBody } from './body-check';
import { ConflictError, InvalidArgumentError, NotFoundError, TscomposeError } from '../../common/errors';
import { type EngineApi } from '../../engine-api/engine-api';
import { clientMessage } from './error-text';
import { decodePathPart, parseRequestUrl } from './request-url';
import { statusOf } from './status';
import { encodeFrame, MULTIPLEXED_CONTENT_TYPE, RAW_CONTENT_TYPE } from '../../common/frames';
import { EXEC_LAUNCH_FAILED } from '../../engine-api/exec/types';
import { API_VERSION } from '../../engine-api/version';

const MAX_BODY = 64 * 1024;

/** The body of `POST /exec/{id}/start`. */
export interface ExecStartBody {
  Detach?: boolean;
  Tty?: boolean;
  ConsoleSize?: [number, number];
}

/** Docker's boolean query values: empty, 0, no, false and none are false. */
function flag(q: URLSearchParams, key: string): boolean {
  return !['', '0', 'no', 'false', 'none'].includes((q.get(key) ?? '').trim().toLowerCase());
}

export function attachOptions(q: URLSearchParams): AttachOptions {
  return {
    stream: flag(q, 'stream'),
    stdin: flag(q, 'stdin'),
    stdout: flag(q, 'stdout'),
    stderr: flag(q, 'stderr'),
    detachKeys: q.get('detachKeys') || undefined,
  };
}

export function contentType(a: Attachment): string {
  return a.tty ? RAW_CONTENT_TYPE : MULTIPLEXED_CONTENT_TYPE;
}

/** Without an upgrade: the output as the response body; stdin cannot come this way. */
export function streamOverResponse(res: http.ServerResponse, a: Attachment): undefined {
  res.writeHead(200, { 'Content-Type': contentType(a) });
  res.flushHeaders();
  a.stream.pipe(res);
  res.once('close', () => a.stream.destroy());
  return undefined;
}

/** The upgraded connections, so that a closing server can end them (it no longer tracks them). */
export class Hijacks {
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly api: EngineApi,
    private readonly log: (line: string) => void,
  ) {}

  handle(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    // Stdin that comes before we are ready for it waits in the socket instead of being lost.
    socket.pause();
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    this.serve(req, socket, head).catch((err: unknown) => {
      this.log(`${req.method} ${req.url}: ${(err as Error).message}`);
      socket.destroy();
    });
  }

  closeAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  private async serve(req: http.IncomingMessage, socket: net.Socket, head: Buffer): Promise<void> {
    let url: URL;
    try {
      url = parseRequestUrl(req.url ?? '/');
    } catch (err) {
      return refuse(socket, err);
    }
    const pathname = url.pathname.replace(/^\/v\d+(\.\d+)?(?=\/)/, '');
    const attach = /^\/containers\/([^/]+)\/attach$/.exec(pathname);
    const exec = /^\/exec\/([^/]+)\/start$/.exec(pathname);
    if (req.method !== 'POST' || (!attach && !exec))
      return refuse(socket, new NotFoundError('page not found'));
    let attachment: Attachment;
    let rest = head;
    try {
      if (attach) {
        attachment = await this.api.attachContainer(
          decodePathPart(attach[1]),
          attachOptions(url.searchParams),
        );
      } else {
        const read = await readBody(req, socket, head);
        rest = read.rest;
        const body = parseBody(read.body);
        const id = decodePathPart((exec as RegExpExecArray)[1]);
        if (!body.Detach) return await this.execUpgradedFirst(socket, id, body, rest);
        attachment = await this.api.startExecAttached(id, { consoleSize: body.ConsoleSize });
        attachment.stream.destroy(); // it runs on; its output goes nowhere
        return answer(socket, 'HTTP/1.1 200 OK', ['Content-Length: 0']);
      }
    } catch (err) {
      return refuse(socket, err);
    }
    answer(
      socket,
      'HTTP/1.1 101 UPGRADED',
      [`Content-Type: ${contentType(attachment)}`, 'Connection: Upgrade', 'Upgrade: tcp'],
      true,
    );
    splice(socket, attachment.stream, rest);
  }

  /**
   * As dockerd: the exec is checked, the connection upgraded, and only then the command started,
   * so the 101 reply leaves before any output. Output sent along with the reply was lost by
   * docker-py, which reads the headers through a buffer it then drops. A command that cannot
   * start is told in the stream, as stdout, and the client reads its exit code (126, as dockerd
   * records it) in the exec's inspect (a refusal made the docker CLI say "unable to upgrade to
   * tcp, received 400").
   */
  private async execUpgradedFirst(
    socket: net.Socket,
    id: string,
    body: ExecStartBody,
    rest: Buffer,
  ): Promise<void> {
    let tty: boolean;
    try {
      const info = await this.api.inspectExec(id);
      if (info.Running || info.ExitCode !== null)
        throw new ConflictError(`Exec ${id} has already been started`);
      tty = info.ProcessConfig?.tty ?? body.Tty === true;
    } catch (err) {
      return refuse(socket, err);
    }
    answer(
      socket,
      'HTTP/1.1 101 UPGRADED',
      [
        `Content-Type: ${tty ? RAW_CONTENT_TYPE : MULTIPLEXED_CONTENT_TYPE}`,
        'Connection: Upgrade',
        'Upgrade: tcp',
      ],
      true,
    );
    let attachment: Attachment;
    try {
      attachment = await this.api.startExecAttached(id, { consoleSize: body.ConsoleSize });
    } catch (err) {
      if (!isLaunchFailure(err)) this.log(`exec ${id}: ${(err as Error).message}`);
      const line = Buffer.from(`${clientMessage(err)}\r\n`);
      socket.end(tty ? line : encodeFrame('stdout', line), () => socket.destroy());
      return;
    }
    splice(socket, attachment.stream, rest);
  }
}

function isLaunchFailure(err: unknown): err is TscomposeError {
  return err instanceof TscomposeError && err.code === EXEC_LAUNCH_FAILED;
}

function answer(socket: net.Socket, status: string, headers: string[], keepOpen = false, body = ''): void {
  socket.write([status, `Api-Version: ${API_VERSION}`, ...headers, '', body].join('\r\n'));
  if (!keepOpen) socket.end(() => socket.destroy());
}

function refuse(socket: net.Socket, err: unknown): void {
  const status = statusOf(err);
  const body = JSON.stringify({ message: clientMessage(err) });
  answer(
    socket,
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`,
    ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'],
    false,
    body,
  );
}

/** Both ways at once; the output's end closes the connection, the client's end of stdin closes stdin. */
function splice(socket: net.Socket, stream: Duplex, rest: Buffer): void {
  if (rest.length) stream.write(rest);
  socket.pipe(stream);
  stream.pipe(socket);
  socket.once('close', () => stream.destroy());
}

/**
 * An upgraded request's JSON body, read off the socket by hand (no parser reads it any more);
 * what follows it is already stdin.
 */
function readBody(
  req: http.IncomingMessage,
  socket: net.Socket,
  head: Buffer,
): Promise<{ body: Buffer; rest: Buffer }> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (!Number.isInteger(length) || length < 0 || length > MAX_BODY)
    return Promise.reject(new InvalidArgumentError('invalid Content-Length'));
  return new Promise((resolve, reject) => {
    let buf = head;
    const done = (): boolean => {
      if (buf.length < length) return false;
      socket.pause();
      socket.off('data', onData);
      socket.off('end', onEnd);
      resolve({ body: buf.subarray(0, length), rest: buf.subarray(length) });
      return true;
    };
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      done();
    };
    const onEnd = (): void => reject(new InvalidArgumentError('the request body ended early'));
    if (done()) return;
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.resume();
  });
}

function parseBody(body: Buffer): ExecStartBody {
  const text = body.toString('utf8').trim();
  let parsed: unknown = {};
  try {
    if (text) parsed = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`invalid JSON body: ${(err as Error).message}`);
  }
  return checkBody<ExecStartBody>('execStart', parsed);
}
