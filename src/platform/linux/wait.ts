/** waitpid(2) for the reaper, which collects orphans libuv does not know about. */
import { koffi, libc } from './lib';

const waitpidFn = libc.func('int waitpid(int pid, _Out_ int *status, int options)');
const WNOHANG = 1;

/** undefined while the child still runs (or is not ours); else its exit code and killing signal. */
export function reapNoHang(pid: number): { exitCode: number; signal?: number } | undefined {
  const status = [0];
  const r = waitpidFn(pid, status, WNOHANG) as number;
  if (r <= 0) {
    void koffi.errno();
    return undefined;
  }
  const s = status[0];
  const sig = s & 0x7f;
  if (sig === 0) return { exitCode: (s >> 8) & 0xff };
  return { exitCode: 128 + sig, signal: sig };
}
