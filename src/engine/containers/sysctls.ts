/**
 * Only sysctls that live in a namespace the container owns may be set, or writing them would
 * change the host: runc's validator list (IPC: kernel.msg*, sem, shm*, fs.mqueue.*; network:
 * net.* when the network namespace is the container's own).
 */
import { BadRequestError } from '../api/engine-api';

const IPC_SYSCTLS = new Set([
  'kernel.msgmax',
  'kernel.msgmnb',
  'kernel.msgmni',
  'kernel.sem',
  'kernel.shmall',
  'kernel.shmmax',
  'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

export function checkSysctls(
  sysctls: Record<string, string> = {},
  networkMode: 'none' | 'host',
): Record<string, string> {
  for (const key of Object.keys(sysctls)) {
    if (IPC_SYSCTLS.has(key) || key.startsWith('fs.mqueue.')) continue;
    if (key.startsWith('net.')) {
      if (networkMode === 'host') {
        throw new BadRequestError(`sysctl "${key}" is not allowed in the host's network namespace`);
      }
      continue;
    }
    throw new BadRequestError(`sysctl "${key}" is not allowed`);
  }
  return { ...sysctls };
}
