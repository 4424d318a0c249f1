import type { ContainerSpec, SeccompSpec } from '../spec';

/** What the exec helper needs: the container's init to join, and the process to become. */
export interface ExecSpec {
  initPid: number;
  process: ContainerSpec['process'];
  seccomp: SeccompSpec;
}
