/**
 * One attached client of a container or an exec: the Attachment's duplex, fed from the
 * process's output streams (other readers of them, such as the log writer, go on unaffected)
 * and feeding its stdin, with docker's detach keys watched for on the way in.
 */
import { Duplex, type Readable, type Writable } from 'node:stream';
import { DetachKeyFilter } from '../../common/detach-keys';
import { encodeFrame } from '../../common/frames';

export interface SessionEnds {
  outputs: ['stdout' | 'stderr', Readable][];
  /** Where stdin goes; without one, what the client sends is dropped. */
  input?: Writable;
  /** When the client closes its stdin (docker's StdinOnce). */
  closeInput?: () => void;
  /**
   * What must be over too before the stream ends: an exec's exit, noted, so that a client that
   * inspects the exec as soon as its stream ends (the docker CLI does) reads the exit code.
   */
  settled?: Promise<unknown>;
}

/** How much stdin a session keeps for a process not started yet before it stops reading. */
const EARLY_INPUT_MAX = 1024 * 1024;

export class AttachSession {
  readonly stream: Duplex;
  private ends: SessionEnds | undefined;
  private readonly release: (() => void)[] = [];
  private readonly filter: DetachKeyFilter;
  private finished = false;
  /**
   * What the client sent before the process was there to take it (the docker CLI attaches,
   * then starts, and writes its stdin at once): kept, as dockerd's stdin pipe keeps it, and
   * given on connect; a write past the bound waits for the connect.
   */
  private early: Buffer[] = [];
  private earlyBytes = 0;
  private earlyWaiting: (() => void)[] = [];
  private earlyClosed = false;

  constructor(
    private readonly tty: boolean,
    detachKeys: Buffer,
  ) {
    this.filter = new DetachKeyFilter(detachKeys);
    this.stream = new Duplex({
      read: () => undefined, // output is pushed as it comes
      write: (chunk: Buffer, _enc, done) => {
        if (this.ends) {
          this.input(chunk);
          return done();
        }
        this.early.push(chunk);
        this.earlyBytes += chunk.length;
        if (this.earlyBytes <= EARLY_INPUT_MAX) done();
        else this.earlyWaiting.push(done);
      },
      final: (done) => {
        if (this.ends) this.ends.closeInput?.();
        else this.earlyClosed = true;
        done();
      },
      destroy: (err, done) => {
        this.detach();
        done(err);
      },
    });
  }

  /** Starts passing output and input; the session ends when every output has closed. */
  connect(ends: SessionEnds): void {
    if (this.finished) return;
    this.ends = ends;
    for (const chunk of this.early.splice(0)) this.input(chunk);
    for (const done of this.earlyWaiting.splice(0)) done();
    if (this.earlyClosed) ends.closeInput?.();
    // An output that closed before we came (a terminal's stderr) counts as closed.
    const live = ends.outputs.filter(([, source]) => !source.closed);
    let open = live.length;
    const over = (): void => {
      if (!ends.settled) return this.finish();
      void ends.settled.then(
        () => this.finish(),
        () => this.finish(),
      );
    };
    const closed = (): void => {
      if (--open === 0) over();
    };
    for (const [name, source] of live) {
      const onData = (d: Buffer): void => {
        if (!this.finished) this.stream.push(this.tty ? d : encodeFrame(name, d));
      };
      source.on('data', onData);
      source.once('close', closed);
      this.release.push(() => {
        source.off('data', onData);
        source.off('close', closed);
      });
    }
    if (open === 0) over();
  }

  /** The output is over (or the client detached): the readable side ends. */
  finish(): void {
    if (this.finished) return;
    this.detach();
    this.stream.push(null);
  }

  private detach(): void {
    this.finished = true;
    for (const fn of this.release.splice(0)) fn();
  }

  private input(chunk: Buffer): void {
    if (this.finished) return;
    const { forward, detach } = this.filter.push(chunk);
    const target = this.ends?.input;
    if (forward.length && target && !target.destroyed) target.write(forward);
    if (detach) this.finish();
  }
}
