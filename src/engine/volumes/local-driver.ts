/**
 * The `local` driver's options, as docker's: none makes a plain directory; `type`, `device` and
 * `o` (together) mount that file system on the volume's `_data` (a tmpfs, a bind of a host
 * directory with `o=bind`, anything `mount` accepts). The mount lives as long as the volume does,
 * and is made again when a daemon starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../common/errors';
import {
  MNT_DETACH,
  MS_BIND,
  MS_RDONLY,
  MS_REMOUNT,
  mount,
  parseMountOptions,
  umount2,
} from '../../platform/linux/mount';

const VALID = new Set(['type', 'o', 'device']);
const MANDATORY: Record<string, string[]> = { device: ['type'], type: ['device'], o: ['device', 'type'] };

export function checkDriverOpts(opts: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(opts ?? {})) {
    if (!VALID.has(key)) throw new InvalidArgumentError(`invalid option: "${key}"`);
    if (typeof value !== 'string') throw new InvalidArgumentError(`invalid value for option "${key}"`);
    out[key] = value;
  }
  for (const key of Object.keys(out)) {
    for (const needed of MANDATORY[key] ?? []) {
      if (!(needed in out)) throw new InvalidArgumentError(`missing required option: "${needed}"`);
    }
  }
  return out;
}

const unescape = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Mount points at or below `dir` in our mount namespace. */
export function mountsBelow(dir: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => unescape(line.split(' ')[4] ?? ''))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
}

/** Mounts what the options name on `dataDir`; nothing for a plain volume or one mounted already. */
export function mountVolume(dataDir: string, opts: Record<string, string>): void {
  if (!opts.type || mountsBelow(dataDir).includes(dataDir)) return;
  const { flags, data } = parseMountOptions((opts.o ?? '').split(',').filter(Boolean));
  const bind = (flags & MS_BIND) !== 0;
  const device = bind ? path.resolve(opts.device) : opts.device;
  const fail = (err: unknown): InvalidArgumentError =>
    new InvalidArgumentError(
      `error while mounting volume '${dataDir}': failed to mount local volume: ${(err as Error).message}`,
    );
  try {
    mount(device, dataDir, bind || opts.type === 'none' ? null : opts.type, flags, data || null);
  } catch (err) {
    throw fail(err);
  }
  // A bind ignores MS_RDONLY until it is remounted.
  if (bind && flags & MS_RDONLY) {
    try {
      mount(null, dataDir, null, MS_REMOUNT | MS_BIND | MS_RDONLY);
    } catch (err) {
      unmountVolume(dataDir);
      throw fail(err);
    }
  }
}

/** Every mount on or below `dataDir` goes, deepest first; true when none is left. */
export function unmountVolume(dataDir: string): boolean {
  for (const p of mountsBelow(dataDir).sort((a, b) => b.length - a.length)) {
    try {
      umount2(p, MNT_DETACH);
    } catch {
      // answered by the check below
    }
  }
  return mountsBelow(dataDir).length === 0;
}
