/** A healthcheck probe: the command exec'd in the container as its own user, killed at the timeout. */
import type { RunningContainer } from '../runtime/start';
import { execInContainer } from '../runtime/exec';
import type { ContainerRecord } from './record';
import type { ProbeResult } from './health';

const MAX_OUTPUT = 4096;

export async function probeContainer(
  record: ContainerRecord,
  running: RunningContainer,
  args: string[],
  timeoutMs: number,
): Promise<ProbeResult> {
  const exec = await execInContainer(
    { initPid: running.pid, process: { ...record.spec.process, args }, seccomp: record.spec.seccomp },
    running.cgroup,
    record.spec.stateDir,
  );
  let output = '';
  const take = (d: Buffer): void => {
    if (output.length < MAX_OUTPUT) output += d.toString('utf8');
  };
  exec.stdout.on('data', take);
  exec.stderr.on('data', take);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
  );
  const result = await Promise.race([exec.exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    try {
      process.kill(exec.pid, 'SIGKILL');
    } catch {
      // it ended just now
    }
    await exec.exited;
    return { exitCode: -1, output: `Health check exceeded timeout (${timeoutMs / 1000}s)` };
  }
  return { exitCode: result.exitCode, output };
}
