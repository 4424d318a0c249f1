/**
 * Reading a log's rotated files (`<file>.N`, `<file>.N.gz`): their contents, whether the current
 * file was rotated away under a follower, and what rotated meanwhile.
 */
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { rotatedFiles } from './rotate';

const gunzip = promisify(zlib.gunzip);

/** The rotated files' contents, oldest first (they no longer change; max-size bounds each). */
export async function loadRotated(file: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const r of rotatedFiles(file)) {
    try {
      const raw = await fs.promises.readFile(r.path);
      out.push(r.gzip ? await gunzip(raw) : raw);
    } catch (err) {
      // Rotated out of existence while we listed: its lines are gone, as with docker.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out;
}

export async function isReplaced(fh: FileHandle, file: string): Promise<boolean> {
  const [own, now] = [await fh.stat(), await fs.promises.stat(file).catch(() => undefined)];
  return !now || now.ino !== own.ino || now.dev !== own.dev;
}

/**
 * Several rotations between two looks: the files rotated after the one just finished (found by
 * its inode among the uncompressed ones), oldest first. A compressed file has a new inode, so
 * after several rotations of a compressed log between two polls the ones in between are skipped.
 */
export async function missedRotations(file: string, ino: number): Promise<Buffer[]> {
  const rotated = rotatedFiles(file);
  const own = rotated.findIndex(
    (r) => !r.gzip && fs.statSync(r.path, { throwIfNoEntry: false })?.ino === ino,
  );
  if (own < 0) return [];
  const out: Buffer[] = [];
  for (const r of rotated.slice(own + 1)) {
    const raw = await fs.promises.readFile(r.path).catch(() => undefined);
    if (raw) out.push(r.gzip ? await gunzip(raw) : raw);
  }
  return out;
}
