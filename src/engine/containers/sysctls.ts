/**
 * Only sysctls that live in a namespace the container owns may be set, or writing them would
 * change the host: runc's validator list (IPC: kernel.msg*, sem, shm*, fs.mqueue.*; network:
 * net.* when the network namespace is the container's own).
 */
import { InvalidArgumentError } from '../../common/errors';

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

/** Dotted (or slashed) names under /proc/sys: no `..`, no empty part, nothing but a name's characters. */
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_@:+-]*([./][A-Za-z0-9_][A-Za-z0-9_@:+-]*)*$/;
/** Printable text; a space or tab separates the numbers of kernel.sem and the like. */
const VALUE = /^[\x20-\x7e\t]*$/;
const MAX_VALUE = 4096;

export function checkSysctls(
  sysctls: Record<string, string> = {},
  networkMode: 'none' | 'host' | 'bridge' | 'container',
): Record<string, string> {
  for (const [key, value] of Object.entries(sysctls)) {
    // The key names a file under /proc/sys and the value is written into it.
    if (key.length > 255 || !KEY.test(key))
      throw new InvalidArgumentError(`invalid sysctl key ${JSON.stringify(key)}`);
    if (value.length > MAX_VALUE || !VALUE.test(value))
      throw new InvalidArgumentError(`invalid value for sysctl "${key}": ${JSON.stringify(value)}`);
    if (IPC_SYSCTLS.has(key) || key.startsWith('fs.mqueue.')) continue;
    if (key.startsWith('net.')) {
      if (networkMode === 'host') {
        throw new InvalidArgumentError(`sysctl "${key}" is not allowed in the host's network namespace`);
      }
      if (networkMode === 'container') {
        throw new InvalidArgumentError(
          `sysctl "${key}" is not allowed in another container's network namespace`,
        );
      }
      continue;
    }
    throw new InvalidArgumentError(`sysctl "${key}" is not allowed`);
  }
  return { ...sysctls };
}
