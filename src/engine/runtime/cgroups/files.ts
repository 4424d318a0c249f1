/** Reading and writing cgroup control files, with errors that name the file and the value. */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CgroupError } from './errors';

export function writeValue(dir: string, file: string, value: string | number): void {
  const p = path.join(dir, file);
  try {
    fs.writeFileSync(p, String(value));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new CgroupError(`cannot write "${value}" to ${p}: ${code}`, { cause: err });
  }
}

export function readValue(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8').trim();
}

export function readOptional(dir: string, file: string): string | undefined {
  try {
    return readValue(dir, file);
  } catch {
    return undefined;
  }
}

export function exists(dir: string, file: string): boolean {
  return fs.existsSync(path.join(dir, file));
}

/** `key value` lines (cgroup.events, memory.events, cpu.stat, memory.oom_control) → a map. */
export function readKeyed(dir: string, file: string): Map<string, number> {
  const out = new Map<string, number>();
  const text = readOptional(dir, file);
  if (text === undefined) return out;
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}

export function readPids(dir: string): number[] {
  const text = readOptional(dir, 'cgroup.procs');
  if (!text) return [];
  return text
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
}

/** 'tscompose/x' or '/tscompose/x' → '/tscompose/x'; refuses '..' and empty parts. */
export function normalizeCgroupPath(parent: string, name?: string): string {
  const parts = parent.split('/').filter(Boolean);
  if (name !== undefined) {
    if (!name || name.includes('/')) throw new CgroupError(`invalid cgroup name "${name}"`);
    parts.push(name);
  }
  if (parts.some((p) => p === '.' || p === '..')) throw new CgroupError(`invalid cgroup path "${parent}"`);
  return '/' + parts.join('/');
}

/** rmdir that tolerates ENOENT and retries EBUSY (tasks still exiting) until the deadline. */
export async function removeDir(dir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.rmdirSync(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() > deadline) {
        throw new CgroupError(`cannot remove cgroup ${dir}: ${code}`, { cause: err });
      }
    }
    await sleep(10);
  }
}

/** Every directory strictly below `dir`, deepest first (the order rmdir needs). */
export function subdirs(dir: string): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const p = path.join(dir, e.name);
    out.push(...subdirs(p), p);
  }
  return out;
}

export async function waitFor(what: () => boolean, timeoutMs: number, failure: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  while (!what()) {
    if (Date.now() > deadline) throw new CgroupError(failure());
    await sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
}
