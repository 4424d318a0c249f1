/**
 * Docker's json-file log driver format: one JSON object a line,
 * `{"log":"text\n","stream":"stdout","time":"2026-12-01T18:00:00.123456789Z"}`, so that tools
 * reading docker's `<id>-json.log` files read ours too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NO_ROTATION, RotatingFile, type RotationOptions } from './rotate';

export type LogStream = 'stdout' | 'stderr';

export interface JsonLogRecord {
  log: string;
  stream: LogStream;
  time: string;
}

/** Docker's copier buffer: a longer line is stored as several records, only the last with its newline. */
export const MAX_RECORD_BYTES = 16 * 1024;

export function jsonLogPath(dir: string, id: string): string {
  return path.join(dir, `${id}-json.log`);
}

const NS_PER_MS = 1_000_000n;
/** Drift allowed between the nanosecond clock and the wall clock before re-anchoring to the wall clock. */
const MAX_DRIFT_NS = 2n * NS_PER_MS;
let anchorNs = BigInt(Date.now()) * NS_PER_MS - process.hrtime.bigint();

/** Wall-clock time in nanoseconds: Date.now() has only milliseconds, records carry nanoseconds as docker's. */
export function nowNs(): bigint {
  const ns = anchorNs + process.hrtime.bigint();
  const wall = BigInt(Date.now()) * NS_PER_MS;
  if (ns > wall - MAX_DRIFT_NS && ns < wall + MAX_DRIFT_NS) return ns;
  anchorNs = wall - process.hrtime.bigint();
  return wall;
}

/** RFC 3339 with exactly nine fraction digits (docker's RFC3339NanoFixed, what `logs -t` prints). */
export function formatTimeNs(ns: bigint): string {
  const iso = new Date(Number(ns / NS_PER_MS)).toISOString();
  return `${iso.slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

const TIME_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;

/** Unix seconds of a record time; NaN when it is not a UTC RFC 3339 time. */
export function timeSeconds(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) return NaN;
  return Date.parse(`${m[1]}Z`) / 1000 + (m[2] ? Number(`0.${m[2]}`) : 0);
}

/** A record time with its fraction padded to nine digits (docker writes them trimmed). */
export function fixedTime(time: string): string {
  const m = TIME_RE.exec(time);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : time;
}

/**
 * Appends a container's output to its json-file log, one record per line of output. A line
 * still without its newline waits for more output (or flush/close), per stream, so stdout and
 * stderr lines never mix. The file rotates as `rotation` says (max-size, max-file, compress).
 */
export class JsonLogWriter {
  private out: RotatingFile | undefined;
  private readonly pending: Record<LogStream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };

  constructor(
    readonly file: string,
    private readonly now: () => string = () => formatTimeNs(nowNs()),
    rotation: RotationOptions = NO_ROTATION,
  ) {
    this.out = new RotatingFile(file, rotation);
  }

  write(stream: LogStream, chunk: Buffer): void {
    // Output may still drain from a pipe after the container's log was closed; it has nowhere to go.
    if (this.out === undefined || chunk.length === 0) return;
    const buf = this.pending[stream].length ? Buffer.concat([this.pending[stream], chunk]) : chunk;
    const time = this.now();
    const text: string[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      const lineEnd = nl < 0 ? buf.length : nl + 1;
      if (nl >= 0 && lineEnd - start <= MAX_RECORD_BYTES) {
        text.push(record(stream, buf.subarray(start, lineEnd), time));
        start = lineEnd;
      } else if (lineEnd - start > MAX_RECORD_BYTES) {
        const cut = pieceEnd(buf, start);
        text.push(record(stream, buf.subarray(start, cut), time));
        start = cut;
      } else break;
    }
    // A copy, so that the tail of a large chunk does not keep the whole chunk alive.
    this.pending[stream] = Buffer.from(buf.subarray(start));
    this.out.append(text);
  }

  /** Writes the lines still waiting for their newline, as docker does when a stream ends. */
  flush(): void {
    if (this.out === undefined) return;
    const time = this.now();
    const text: string[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream].length) text.push(record(stream, this.pending[stream], time));
      this.pending[stream] = Buffer.alloc(0);
    }
    this.out.append(text);
  }

  close(): void {
    if (this.out === undefined) return;
    this.flush();
    this.out.close();
    this.out = undefined;
    // Followers watch the file: a touch wakes them to see the end now, not at their next poll.
    try {
      const now = new Date();
      fs.utimesSync(this.file, now, now);
    } catch {
      // no file (nothing was ever written): a follower's poll finds the end
    }
  }
}

/** Where a 16 KiB piece of a long line ends: never inside a UTF-8 character, which would decode as two U+FFFD. */
function pieceEnd(buf: Buffer, start: number): number {
  const end = start + MAX_RECORD_BYTES;
  for (let cut = end; cut > end - 4; cut--) if ((buf[cut] & 0xc0) !== 0x80) return cut;
  return end;
}

function record(stream: LogStream, line: Buffer, time: string): string {
  const rec: JsonLogRecord = { log: line.toString('utf8'), stream, time };
  return `${JSON.stringify(rec)}\n`;
}
