/**
 * Tars no tar writer produces: cut short, with a header field rewritten (its checksum fixed so
 * the header is still read), or with a PAX `size` record of any text.
 */
import * as tar from 'tar-stream';

const FIELDS = { size: [124, 12], mode: [100, 8], uid: [108, 8], mtime: [136, 12] } as const;

export function cutTar(tarBytes: Buffer, length: number): Buffer {
  return Buffer.from(tarBytes.subarray(0, length));
}

/**
 * A copy of `tarBytes` whose header in 512-byte block `block` has `field` set to `value` in
 * base-256 (GNU's binary form: 0x80 then big-endian for positives, two's complement after 0xff
 * for negatives), the encoding that can carry an 8 GiB or a negative size.
 */
export function withHeaderField(
  tarBytes: Buffer,
  block: number,
  field: keyof typeof FIELDS,
  value: number,
): Buffer {
  const out = Buffer.from(tarBytes);
  const [off, len] = FIELDS[field];
  const at = block * 512;
  let n = BigInt(value);
  if (n < 0n) n += 1n << BigInt(8 * (len - 1));
  for (let i = len - 1; i > 0; i--) {
    out[at + off + i] = Number(n & 0xffn);
    n >>= 8n;
  }
  out[at + off] = value < 0 ? 0xff : 0x80;
  fixChecksum(out, at);
  return out;
}

function fixChecksum(buf: Buffer, at: number): void {
  buf.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += buf[at + i];
  buf.write(sum.toString(8).padStart(6, '0') + '\0 ', at + 148, 'latin1');
}

/** One file entry `name` carrying `body`, preceded by a PAX header whose `size` record is `size`. */
export async function withPaxSize(name: string, body: string, size: string): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  pack.on('data', (c: unknown) => void parts.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => pack.on('end', resolve).on('error', reject));
  pack.entry({ name, mode: 0o644, mtime: new Date(0), pax: { size } }, body);
  pack.finalize();
  await ended;
  return Buffer.concat(parts);
}
