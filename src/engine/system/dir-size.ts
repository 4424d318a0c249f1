/**
 * The bytes of the files beneath a directory, as docker's `system df` counts a container's
 * writable layer or a volume: regular files by their size, each inode once, symlinks not
 * followed, unreadable parts skipped (a container may be changing them meanwhile).
 */
import fs from 'node:fs';
import path from 'node:path';

export function dirSize(dir: string): number {
  const seen = new Set<string>();
  let total = 0;
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try {
          const st = fs.lstatSync(p);
          const key = `${st.dev}:${st.ino}`;
          if (!seen.has(key)) total += st.size;
          seen.add(key);
        } catch {
          // gone meanwhile
        }
      }
    }
  };
  walk(dir);
  return total;
}
