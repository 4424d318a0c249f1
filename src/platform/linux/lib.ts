/**
 * The one place that loads libc through koffi. Every other file under linux/ declares its
 * functions on this handle and turns a -1 return into a typed SyscallError right away (errno is
 * only valid until the next call).
 */
import os from 'node:os';

// koffi's types are published as an ES module; its CommonJS entry is what runs here.
export const koffi = require('koffi') as typeof import('koffi', { with: { 'resolution-mode': 'import' } });

export const libc = koffi.load('libc.so.6');

const errnoNames: Record<number, string> = Object.fromEntries(
  Object.entries(os.constants.errno).map(([name, num]) => [num, name]),
);

export class SyscallError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;

  constructor(syscall: string, errno: number, detail?: string) {
    const code = errnoNames[errno] ?? `E${errno}`;
    super(`${syscall}${detail ? ` ${detail}` : ''}: ${code} (${errno})`);
    this.name = 'SyscallError';
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
  }
}

export function errno(): number {
  return koffi.errno();
}

/** Throws SyscallError when a libc call returned a negative value. */
export function check(ret: number | bigint, syscall: string, detail?: string): number {
  const n = Number(ret);
  if (n < 0) throw new SyscallError(syscall, koffi.errno(), detail);
  return n;
}
