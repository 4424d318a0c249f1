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
}

export class AttachSession {
  readonly stream: Duplex;
  private ends: SessionEnds | undefined;
  private readonly release: (() => void)[] = [];
  private readonly filter: DetachKeyFilter;
  private finished = false;

  constructor(
    private readonly tty: boolean,
    detachKeys: Buffer,
  ) {
    this.filter = new DetachKeyFilter(detachKeys);
    this.stream = new Duplex({
      read: () => undefined, // output is pushed as it comes
      write: (chunk: Buffer, _enc, done) => {
        this.input(chunk);
        done();
      },
      final: (done) => {
        this.ends?.closeInput?.();
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
    // An output that closed before we came (a terminal's stderr) counts as closed.
    const live = ends.outputs.filter(([, source]) => !source.closed);
    let open = live.length;
    const closed = (): void => {
      if (--open === 0) this.finish();
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
    if (open === 0) this.finish();
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
