/**
 * Docker's detach keys (`--detach-keys`, default `ctrl-p,ctrl-q`): a comma-separated list of
 * single characters and `ctrl-<key>` names, watched for in an attached stdin. While a prefix of
 * the sequence is being typed its bytes are held back; a byte that breaks it releases them.
 */
import { InvalidArgumentError } from './errors';

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** `ctrl-@` is 0, `ctrl-a`..`ctrl-z` are 1..26, then `ctrl-[`, `ctrl-\`, `ctrl-]`, `ctrl-^`, `ctrl-_`. */
const CTRL_NAMES = '@abcdefghijklmnopqrstuvwxyz[\\]^_';

export function parseDetachKeys(spec: string): Buffer {
  const codes: number[] = [];
  for (const key of spec.split(',')) {
    if (key.length === 1) {
      codes.push(key.charCodeAt(0));
      continue;
    }
    const ctrl = /^ctrl-(.)$/.exec(key);
    const code = ctrl ? CTRL_NAMES.indexOf(ctrl[1]) : -1;
    if (code >= 0) codes.push(code);
    else if (key === 'DEL') codes.push(127);
    else
      throw new InvalidArgumentError(`Invalid detach keys (${spec}) provided: Unknown character: '${key}'`);
  }
  return Buffer.from(codes);
}

export class DetachKeyFilter {
  private matched = 0;

  constructor(private readonly keys: Buffer) {}

  /** What to pass on from `chunk`, and whether the sequence was completed (the rest is dropped). */
  push(chunk: Buffer): { forward: Buffer; detach: boolean } {
    if (this.keys.length === 0) return { forward: chunk, detach: false };
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.matched]) {
        this.matched += 1;
        if (this.matched === this.keys.length) return { forward: Buffer.from(out), detach: true };
        continue;
      }
      // A broken sequence: what was held back goes on, and this byte may start a new one.
      out.push(...this.keys.subarray(0, this.matched));
      this.matched = byte === this.keys[0] ? 1 : 0;
      if (this.matched === 0) out.push(byte);
    }
    return { forward: Buffer.from(out), detach: false };
  }
}
