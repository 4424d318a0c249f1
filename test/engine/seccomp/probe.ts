/**
 * Run as a child process by seccomp.test.ts: loads a filter into itself, then tries syscalls and
 * prints one JSON object { name: errno name | 'ok' }. The test runner never loads a filter.
 * Every call is chosen so that without a filter it fails harmlessly with a different errno.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { koffi, libc } from '../../../src/platform/linux/lib';
import { loadSeccompFilter } from '../../../src/engine/runtime/seccomp';
import type { SeccompSpec } from '../../../src/engine/runtime/spec';

// Test-only declarations: the runtime's own syscall bindings belong to another module.
const syscall = libc.func('long syscall(long nr, ...)');
const mount = libc.func(
  'int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const void *data)',
);
const unshare = libc.func('int unshare(int flags)');
const personality = libc.func('int personality(unsigned long persona)');
const socket = libc.func('int socket(int domain, int type, int protocol)');
const close = libc.func('int close(int fd)');

const errnoNames = Object.fromEntries(Object.entries(os.constants.errno).map(([k, v]) => [v, k]));
const result = (ret: number | bigint) =>
  Number(ret) < 0 ? (errnoNames[koffi.errno()] ?? `E${koffi.errno()}`) : 'ok';

const NR = { clone: 56, keyctl: 250, clone3: 435 };
const CLONE_NEWNS = 0x20000;
const CLONE_FS = 0x200;
const CLONE_NEWUSER = 0x10000000;
const SIGCHLD = 17;

const [specJson, capsJson, scratch] = process.argv.slice(2);
const spec = JSON.parse(specJson) as SeccompSpec;
const caps = JSON.parse(capsJson) as string[];

const started = process.hrtime.bigint();
try {
  loadSeccompFilter(spec, caps);
} catch (err) {
  process.stdout.write(JSON.stringify({ loadError: (err as Error).message, name: (err as Error).name }));
  process.exit(3);
}

const out: Record<string, string> = { loadMs: (Number(process.hrtime.bigint() - started) / 1e6).toFixed(2) };
const status = fs.readFileSync('/proc/self/status', 'utf8');
out.seccomp = /^Seccomp:\s*(\d)/m.exec(status)?.[1] ?? '?';
out.noNewPrivs = /^NoNewPrivs:\s*(\d)/m.exec(status)?.[1] ?? '?';
// A missing target: ENOENT when allowed, so nothing is ever mounted.
out.mount = result(mount('none', path.join(scratch, 'missing', 'dir'), 'tmpfs', 0, null));
// In a multithreaded process the kernel says EINVAL; the filter answers first.
out.unshare = result(unshare(CLONE_NEWUSER));
out.keyctl = result(syscall(NR.keyctl, 'int', 0, 'int', -3, 'int', 0)); // KEYCTL_GET_KEYRING_ID session
// CLONE_NEWNS with CLONE_FS is EINVAL in the kernel: no child is ever created.
out.cloneNewns = result(
  syscall(
    NR.clone,
    'unsigned long',
    CLONE_NEWNS | CLONE_FS | SIGCHLD,
    'long',
    0,
    'long',
    0,
    'long',
    0,
    'long',
    0,
  ),
);
// CLONE_FS without CLONE_VM... plus CLONE_SIGHAND alone is EINVAL too: a flag-free-of-namespaces probe.
out.cloneSighandOnly = result(
  syscall(NR.clone, 'unsigned long', 0x800 | SIGCHLD, 'long', 0, 'long', 0, 'long', 0, 'long', 0),
);
out.clone3 = result(syscall(NR.clone3, 'long', 0, 'long', 0));
out.personalityQuery = result(personality(0xffffffff));
out.personalityNoRandomize = result(personality(0x0040000));
const vsock = socket(40, 1, 0);
out.socketVsock = result(vsock);
if (vsock >= 0) close(vsock);
const unix = socket(1, 1, 0);
out.socketUnix = result(unix);
if (unix >= 0) close(unix);
try {
  fs.mkdirSync(path.join(scratch, `d${process.pid}`));
  out.mkdir = 'ok';
} catch (err) {
  out.mkdir = (err as NodeJS.ErrnoException).code ?? String(err);
}
const sh = spawnSync(
  '/bin/sh',
  ['-c', 'echo hello; ls / >/dev/null && cat /proc/self/status | grep ^Seccomp:'],
  {
    encoding: 'utf8',
  },
);
out.shell = sh.error ? String(sh.error) : `${sh.status}:${sh.stdout.replace(/\s+/g, ' ').trim()}`;
process.stdout.write(JSON.stringify(out));
