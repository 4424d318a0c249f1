/**
 * Host files a hostile input must not reach: a temp directory outside any store holding a file,
 * a directory and a file in it, all with old fixed times. `assertUntouched()` compares content,
 * link count, mode, owner, inode and modification time of each (and the listing) with the
 * snapshot taken when they were planted.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Canaries {
  dir: string;
  /** `dir/secret` */
  file: string;
  /** `dir/sub` (holding `dir/sub/inner`) */
  sub: string;
  assertUntouched(message?: string): void;
}

const OLD = new Date('2001-02-03T04:05:06Z');

/**
 * Every entry at and under `top` with what a hostile input must leave as it was: content, link
 * count, mode, owner, inode and times, paths relative to `base`.
 */
export function snapshotTree(base: string, top = base): unknown[] {
  const out: unknown[] = [];
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    out.push({
      path: path.relative(base, p),
      mode: st.mode,
      nlink: st.nlink,
      uid: st.uid,
      gid: st.gid,
      ino: st.ino,
      mtime: st.mtimeMs,
      content: st.isFile() ? fs.readFileSync(p, 'utf8') : undefined,
    });
    if (st.isDirectory()) for (const n of fs.readdirSync(p).sort()) walk(path.join(p, n));
  };
  walk(top);
  return out;
}

export function plantCanaries(t: { after: (fn: () => void) => void }): Canaries {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-canary-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'secret');
  const sub = path.join(dir, 'sub');
  fs.writeFileSync(file, 'host secret\n', { mode: 0o600 });
  fs.mkdirSync(sub, { mode: 0o700 });
  fs.writeFileSync(path.join(sub, 'inner'), 'inner\n', { mode: 0o640 });
  for (const p of [path.join(sub, 'inner'), file, sub, dir]) fs.utimesSync(p, OLD, OLD);
  fs.chmodSync(dir, 0o755);
  fs.utimesSync(dir, OLD, OLD);
  const before = snapshotTree(dir);
  return {
    dir,
    file,
    sub,
    assertUntouched: (message) =>
      assert.deepEqual(snapshotTree(dir), before, message ?? 'host canaries changed'),
  };
}
