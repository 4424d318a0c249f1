/**
 * The logs of several containers on one terminal, as `docker compose logs` and an attached `up`
 * print them (`cmd/formatter/logs.go`): every line behind its container's `web-1  | ` prefix,
 * the names padded to the longest plus one, each prefix in the next colour of docker compose's
 * palette when colour is on. Output arrives in chunks that end anywhere, so each container's
 * stream keeps its unfinished line until the rest comes: lines of two containers never mix.
 */
import { StringDecoder } from 'node:string_decoder';
import { eventTime } from '../format/render-events';
import { LOG_PALETTE, paint, plainPaint, type Paint } from './colors';

export interface LogPrefixOptions {
  /** Colour the prefixes: resolved from --no-color, NO_COLOR, --ansi and whether stdout is a terminal. */
  color: boolean;
  /** false for --no-log-prefix. */
  prefix: boolean;
  /**
   * Stamp each line with the time it arrived, as an attached `up -t` does. `logs -t` asks the
   * engine for its timestamps instead, which come inside the lines.
   */
  timestamps?: boolean;
  /** Milliseconds now, and the zone's offset in minutes; tests fix both. */
  clock?: () => number;
  utcOffsetMinutes?: number;
}

export type LogStream = 'stdout' | 'stderr';

/** A line longer than this is written in pieces, so a container that never ends a line cannot fill memory. */
const MAX_PENDING = 64 * 1024;

interface Presenter {
  paint: Paint;
  prefix: string;
  pending: Record<LogStream, string>;
  decoders: Record<LogStream, StringDecoder>;
}

export class LogMultiplexer {
  private readonly presenters = new Map<string, Presenter>();
  private colors = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly err: NodeJS.WritableStream,
    private readonly o: LogPrefixOptions,
  ) {}

  /**
   * Announce a container's name (its `service-n`): register every container before the first
   * line where the set is known, so the prefix width never changes under a reader's eyes.
   */
  register(name: string): void {
    if (this.presenters.has(name)) return;
    const colour = this.o.color ? paint(LOG_PALETTE[this.colors++ % LOG_PALETTE.length]) : plainPaint;
    this.presenters.set(name, {
      paint: colour,
      prefix: '',
      pending: { stdout: '', stderr: '' },
      decoders: { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') },
    });
    // docker compose pads to the longest name plus one, and widens every prefix when a longer one comes.
    const width = Math.max(...[...this.presenters.keys()].map((n) => [...n].length)) + 1;
    for (const [n, p] of this.presenters) {
      p.prefix = this.o.prefix ? p.paint(`${n}${' '.repeat(width - [...n].length)} | `) : '';
    }
  }

  /** A chunk of a container's output: its whole lines are written at once, the rest waits. */
  write(name: string, stream: LogStream, chunk: string | Buffer): void {
    this.register(name);
    const p = this.presenters.get(name) as Presenter;
    const text = p.pending[stream] + (typeof chunk === 'string' ? chunk : p.decoders[stream].write(chunk));
    const cut = text.lastIndexOf('\n');
    let rest = cut < 0 ? text : text.slice(cut + 1);
    const lines = cut < 0 ? [] : text.slice(0, cut).split('\n');
    while (rest.length >= MAX_PENDING) {
      lines.push(rest.slice(0, MAX_PENDING));
      rest = rest.slice(MAX_PENDING);
    }
    p.pending[stream] = rest;
    if (lines.length > 0) this.emit(p, stream, lines);
  }

  /** The container's stream ended: an unfinished last line is written as a line. */
  end(name: string, stream?: LogStream): void {
    const p = this.presenters.get(name);
    if (!p) return;
    for (const s of stream ? [stream] : (['stdout', 'stderr'] as const)) {
      const rest = p.pending[s] + p.decoders[s].end();
      p.pending[s] = '';
      if (rest !== '') this.emit(p, s, [rest]);
    }
  }

  /** A line about the container rather than from it (`web-1 exited with code 0`), in its colour. */
  status(name: string, message: string): void {
    this.register(name);
    this.end(name);
    const p = this.presenters.get(name) as Presenter;
    // goterm's RESET_LINE first, as docker compose does, where ANSI codes are allowed.
    this.out.write(`${p.paint(`${this.o.color ? '\r\x1b[K' : ''}${name} ${message}`)}\n`);
  }

  /** RFC3339NanoFixed of now; whole seconds keep the nanoseconds exact in a double. */
  private stamp(): string {
    const ms = Math.floor((this.o.clock ?? Date.now)());
    const seconds = eventTime(Math.floor(ms / 1000) * 1e9, this.o.utcOffsetMinutes);
    return seconds.replace('.000000000', `.${String(ms % 1000).padStart(3, '0')}000000`);
  }

  private emit(p: Presenter, stream: LogStream, lines: string[]): void {
    const stamp = this.o.timestamps ? `${this.stamp()} ` : '';
    const text = lines.map((line) => `${p.prefix}${stamp}${line}\n`).join('');
    (stream === 'stderr' ? this.err : this.out).write(text);
  }
}
