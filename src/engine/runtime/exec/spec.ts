import type { ContainerSpec, SeccompSpec } from '../spec';

/** What the exec helper needs: the container's init to join, and the process to become. */
export interface ExecSpec {
  initPid: number;
  process: ContainerSpec['process'];
  seccomp: SeccompSpec;
  /** A pseudo-terminal for the command, made in the container's devpts. */
  tty?: boolean;
  consoleSize?: { height: number; width: number };
  /** Set by the runtime: where the helper sends the terminal's master. */
  consoleSocket?: string;
}
