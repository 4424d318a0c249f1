/** The exec wire types, as the Docker Engine API's (v1.41). */

/** POST /containers/{id}/exec */
export interface ExecCreateBody {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Tty?: boolean;
  /** [height, width] of the exec's terminal (API 1.42). */
  ConsoleSize?: [number, number];
  DetachKeys?: string;
  Env?: string[];
  Cmd: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

/** GET /exec/{id}/json */
export interface ExecInspect {
  ID: string;
  ContainerID: string;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
  OpenStdin?: boolean;
  OpenStdout?: boolean;
  OpenStderr?: boolean;
  CanRemove?: boolean;
  DetachKeys?: string;
  /** The command as created; `entrypoint` is its first word. */
  ProcessConfig?: {
    tty: boolean;
    entrypoint: string;
    arguments: string[];
    privileged: boolean;
    user: string;
  };
}

/** The code of the error of an exec whose command could not be started (not found, not executable). */
export const EXEC_LAUNCH_FAILED = 'EXEC_LAUNCH_FAILED';
