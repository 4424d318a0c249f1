/**
 * Docker's multiplexed stream framing (logs, attach and exec without a TTY): every frame is an
 * 8-byte header — the stream byte, three zero bytes, the payload length as uint32 big-endian —
 * then the payload. Stream 3 carries an error the daemon hit after the response had begun, when
 * the HTTP status can no longer say it.
 */

export const FRAME_STREAMS = ['stdin', 'stdout', 'stderr', 'systemerr'] as const;
export type FrameStream = (typeof FRAME_STREAMS)[number];

export interface Frame {
  stream: FrameStream;
  data: Buffer;
}

export const MULTIPLEXED_CONTENT_TYPE = 'application/vnd.docker.multiplexed-stream';
/** A terminal's output (attach, exec start with Tty): no frames, one stream. */
export const RAW_CONTENT_TYPE = 'application/vnd.docker.raw-stream';

const HEADER_SIZE = 8;

export function encodeFrame(stream: FrameStream, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  const frame = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  frame.writeUInt32BE(FRAME_STREAMS.indexOf(stream) << 24, 0);
  frame.writeUInt32BE(payload.length, 4);
  payload.copy(frame, HEADER_SIZE);
  return frame;
}

/**
 * Decodes frames from chunks cut anywhere (inside a header or a payload). Payload pieces are
 * kept as a list and joined once, so a large frame arriving in many chunks costs one copy.
 */
export class FrameDecoder {
  private readonly header = Buffer.alloc(HEADER_SIZE);
  private headerFill = 0;
  private stream: FrameStream = 'stdout';
  /** Bytes of the current payload still to come; -1 while a header is being read. */
  private remaining = -1;
  private parts: Buffer[] = [];

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let off = 0;
    while (off < chunk.length) {
      if (this.remaining < 0) {
        const n = Math.min(HEADER_SIZE - this.headerFill, chunk.length - off);
        chunk.copy(this.header, this.headerFill, off, off + n);
        this.headerFill += n;
        off += n;
        if (this.headerFill < HEADER_SIZE) break;
        this.startFrame();
        if (this.remaining > 0) continue;
      } else {
        const n = Math.min(this.remaining, chunk.length - off);
        this.parts.push(chunk.subarray(off, off + n));
        this.remaining -= n;
        off += n;
      }
      if (this.remaining === 0) {
        frames.push({ stream: this.stream, data: Buffer.concat(this.parts) });
        this.parts = [];
        this.remaining = -1;
      }
    }
    return frames;
  }

  /** True between frames: an input that ends now was not cut short. */
  get atBoundary(): boolean {
    return this.remaining < 0 && this.headerFill === 0;
  }

  private startFrame(): void {
    const kind = this.header[0];
    if (kind >= FRAME_STREAMS.length || this.header[1] || this.header[2] || this.header[3])
      throw new Error(`not a multiplexed stream: bad frame header ${this.header.toString('hex')}`);
    this.stream = FRAME_STREAMS[kind];
    this.remaining = this.header.readUInt32BE(4);
    this.headerFill = 0;
  }
}
