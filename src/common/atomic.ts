/** Files replaced whole or not at all: write a temp file beside the target, fsync, rename, fsync the folder. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * On any failure (a full disk, an I/O error) the temp file is removed and the target is left as
 * it was, so a failed write costs no space and loses nothing that was on disk. Private by default
 * (SECURITY.md rule 4): records and configs hold environments and commands.
 */
export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = fs.openSync(tmp, 'wx', mode);
  let open = true;
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    // writeSync may write less than asked (a disk filling meanwhile): a short file must not replace the record.
    for (let done = 0; done < buf.length;) done += fs.writeSync(fd, buf, done);
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
  } catch (err) {
    if (open) {
      try {
        fs.closeSync(fd);
      } catch {
        // Linux releases the descriptor even when close reports an error.
      }
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  const dfd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}
