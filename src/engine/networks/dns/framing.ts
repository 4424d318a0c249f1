/**
 * DNS over TCP: each message is preceded by its length in two bytes (RFC 1035 4.2.2), so a
 * message is at most 64 KiB and a reader never holds more than one message plus a chunk.
 */

export function frame(message: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(message.length);
  return Buffer.concat([len, message]);
}

export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /**
   * The whole messages `chunk` completes. A zero-length frame has no header to answer, so it
   * is `null`: the caller closes the connection.
   */
  push(chunk: Buffer): (Buffer | null)[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: (Buffer | null)[] = [];
    while (this.pending.length >= 2) {
      const len = this.pending.readUInt16BE(0);
      if (len === 0) {
        out.push(null);
        this.pending = Buffer.alloc(0);
        break;
      }
      if (this.pending.length < 2 + len) break;
      out.push(Buffer.from(this.pending.subarray(2, 2 + len)));
      this.pending = this.pending.subarray(2 + len);
    }
    return out;
  }

  get buffered(): number {
    return this.pending.length;
  }
}
