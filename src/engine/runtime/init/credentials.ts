/**
 * The last steps before execve, shared by the container init and the exec helper: bounding set,
 * no_new_privs, seccomp (while CAP_SYS_ADMIN is still held: without no_new_privs loading a filter
 * needs it), resource limits, ids, capabilities (Docker's rule: a non-root user keeps only the
 * bounding set, as execve would leave it), then signals and descriptors as a fresh process has them.
 */
import fs from 'node:fs';
import type { SyscallError } from '../../../platform/linux/lib';
import {
  capset,
  execve,
  prctl,
  PR_CAP_AMBIENT,
  PR_CAP_AMBIENT_CLEAR_ALL,
  PR_CAPBSET_DROP,
  PR_SET_NO_NEW_PRIVS,
  prepareStdioForExec,
  resetSignals,
  setgroups,
  setresgid,
  setresuid,
  setrlimit,
} from '../../../platform/linux/process';
import { capabilityMask, capabilityNumber } from '../capabilities';
import { installFilter, type CompiledFilter } from '../seccomp';
import type { ContainerSpec } from '../spec';

/** The kernel may know fewer capabilities than our table (an older kernel): those cannot be dropped. */
function lastCap(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  } catch {
    return 40;
  }
}

/** Read while /proc is the host's: the kernel's answer does not change, and it is needed later. */
export const KERNEL_LAST_CAP = lastCap();

/**
 * What this process may hand on: a host (or an outer container) can withhold capabilities, and
 * capset refuses more than that, so `privileged` means every capability the engine itself has.
 */
function ownPermitted(): bigint {
  const m = fs.readFileSync('/proc/self/status', 'utf8').match(/^CapPrm:\s+([0-9a-f]+)$/m);
  return m ? BigInt(`0x${m[1]}`) : (1n << BigInt(KERNEL_LAST_CAP + 1)) - 1n;
}
const OWN_PERMITTED = ownPermitted();

export function applyCredentials(proc: ContainerSpec['process'], filter: CompiledFilter | undefined): void {
  const keep = new Set(proc.capabilities.map(capabilityNumber));
  for (let cap = 0; cap <= KERNEL_LAST_CAP; cap++) if (!keep.has(cap)) prctl(PR_CAPBSET_DROP, cap);
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL);
  if (proc.noNewPrivileges) prctl(PR_SET_NO_NEW_PRIVS, 1);
  if (filter) installFilter(filter);
  for (const r of proc.rlimits) setrlimit(r.type, r.soft, r.hard);
  setgroups(proc.additionalGids);
  setresgid(proc.gid);
  setresuid(proc.uid);
  const mask = proc.uid === 0 ? capabilityMask(proc.capabilities) & OWN_PERMITTED : 0n;
  capset(mask, mask, 0n);
  resetSignals();
  prepareStdioForExec();
}

export class ExecLookupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** argv[0] on the container's PATH, as runc's LookPath (run inside the container's root). */
export function lookPath(file: string, env: readonly string[]): string {
  if (file.includes('/')) {
    if (isExecutableFile(file)) return file;
    const missing = !fs.existsSync(file);
    throw new ExecLookupError(
      `exec: "${file}": ${missing ? 'no such file or directory' : 'permission denied'}`,
      missing ? 127 : 126,
    );
  }
  const pathVar =
    env.find((e) => e.startsWith('PATH='))?.slice(5) ??
    '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  for (const dir of pathVar.split(':')) {
    const candidate = `${dir || '.'}/${file}`;
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new ExecLookupError(`exec: "${file}": executable file not found in $PATH`, 127);
}

/** execve, with its failures in the words and exit codes docker uses. */
export function execProcess(file: string, args: readonly string[], env: readonly string[]): never {
  try {
    return execve(file, args, env);
  } catch (err) {
    const code = (err as SyscallError).code;
    if (code === 'EACCES') throw new ExecLookupError(`exec: "${args[0]}": permission denied`, 126);
    if (code === 'ENOENT') throw new ExecLookupError(`exec: "${args[0]}": no such file or directory`, 127);
    throw err;
  }
}
