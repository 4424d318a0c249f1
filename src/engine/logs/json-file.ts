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

/** Output a log could not store (a full disk, an I/O error), counted as records and output bytes. */
export interface LogDropped {
  Lines: number;
  Bytes: number;
}

/** A line for the daemon's log about this writer's trouble (the caller names the container). */
export type LogReport = (line: string) => void;

/**
 * Writes that work this long after the last failure end a failing spell. On a disk that stays
 * nearly full a busy container's writes alternate (a record fits, the next does not): that is one
 * spell, one line, not a line per flip.
 */
const SPELL_END_MS = 5000;

interface FailingSpell extends LogDropped {
  since: string;
  lastFailure: number;
}

/**
 * Appends a container's output to its json-file log, one record per line of output. A line
 * still without its newline waits for more output (or flush/close), per stream, so stdout and
 * stderr lines never mix. The file rotates as `rotation` says (max-size, max-file, compress).
 *
 * Output that cannot be written is dropped and counted, never thrown: a container filling the
 * disk must not take the daemon down. The report gets one line when writes start failing and
 * one summary once they have worked again for a while (or the log closes), not one a failed write.
 */
export class JsonLogWriter {
  private out: RotatingFile | undefined;
  private readonly pending: Record<LogStream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  readonly dropped: LogDropped = { Lines: 0, Bytes: 0 };
  /** The drops since writes last worked, for the summary line. */
  private failing: FailingSpell | undefined;

  constructor(
    readonly file: string,
    private readonly now: () => string = () => formatTimeNs(nowNs()),
    rotation: RotationOptions = NO_ROTATION,
    private readonly report: LogReport = () => undefined,
    /** True while the disk's last room is kept for the engine's records: nothing is written. */
    private readonly held: () => boolean = () => false,
  ) {
    this.out = new RotatingFile(file, rotation);
  }

  write(stream: LogStream, chunk: Buffer): void {
    // Output may still drain from a pipe after the container's log was closed; it has nowhere to go.
    if (this.out === undefined || chunk.length === 0) return;
    const buf = this.pending[stream].length ? Buffer.concat([this.pending[stream], chunk]) : chunk;
    const time = this.now();
    const lines: Buffer[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      const lineEnd = nl < 0 ? buf.length : nl + 1;
      if (nl >= 0 && lineEnd - start <= MAX_RECORD_BYTES) {
        lines.push(buf.subarray(start, lineEnd));
        start = lineEnd;
      } else if (lineEnd - start > MAX_RECORD_BYTES) {
        const cut = pieceEnd(buf, start);
        lines.push(buf.subarray(start, cut));
        start = cut;
      } else break;
    }
    // A copy, so that the tail of a large chunk does not keep the whole chunk alive.
    this.pending[stream] = Buffer.from(buf.subarray(start));
    this.store(stream, lines, time);
  }

  /** Writes the lines still waiting for their newline, as docker does when a stream ends. */
  flush(): void {
    if (this.out === undefined) return;
    const time = this.now();
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream].length) this.store(stream, [this.pending[stream]], time);
      this.pending[stream] = Buffer.alloc(0);
    }
  }

  close(): void {
    if (this.out === undefined) return;
    this.flush();
    try {
      this.out.close();
    } catch {
      // Every record was written or counted already; a close error loses nothing more.
    }
    this.out = undefined;
    if (this.failing) this.report(`log closed: ${summary(this.failing)}`);
    this.failing = undefined;
    // Followers watch the file: a touch wakes them to see the end now, not at their next poll.
    try {
      const now = new Date();
      fs.utimesSync(this.file, now, now);
    } catch {
      // no file (nothing was ever written): a follower's poll finds the end
    }
  }

  private store(stream: LogStream, lines: Buffer[], time: string): void {
    if (!this.out || !lines.length) return;
    const { dropped, error } = this.held()
      ? { dropped: lines.map((_, i) => i), error: HELD }
      : this.out.append(lines.map((line) => record(stream, line, time)));
    if (!dropped.length) {
      if (this.failing && Date.now() - this.failing.lastFailure >= SPELL_END_MS) {
        this.report(`log writes resumed: ${summary(this.failing)}`);
        this.failing = undefined;
      }
      return;
    }
    const bytes = dropped.reduce((n, i) => n + lines[i].length, 0);
    this.dropped.Lines += dropped.length;
    this.dropped.Bytes += bytes;
    if (!this.failing) {
      this.failing = { Lines: 0, Bytes: 0, since: new Date().toISOString(), lastFailure: 0 };
      this.report(
        `log write failed (${error?.message ?? 'unknown error'}): output is dropped until it can be written`,
      );
    }
    this.failing.lastFailure = Date.now();
    this.failing.Lines += dropped.length;
    this.failing.Bytes += bytes;
  }
}

const HELD = new Error('no space left on device: the room left is kept for container records');

function summary(d: FailingSpell): string {
  return `${d.Lines} lines (${d.Bytes} bytes) of output dropped since ${d.since}`;
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
