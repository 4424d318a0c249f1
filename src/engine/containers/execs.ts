/**
 * Exec instances, as Docker's: created against a running container, started once, inspected
 * for their exit code afterwards. The command's user is resolved in the running container's
 * own /etc/passwd, through /proc/<pid>/root. Started attached, an exec's stdio is one stream
 * (a pty with Tty), as a hijacked `POST /exec/{id}/start` is to docker's clients.
 */
import crypto from 'node:crypto';
import type { Attachment, ExecStartOptions } from '../../engine-api/attachment';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../common/detach-keys';
import type { OutputChunk } from '../../engine-api/output';
import { ConflictError, InvalidArgumentError, NotFoundError, NotRunningError } from '../../common/errors';
import { EXEC_LAUNCH_FAILED, type ExecCreateBody, type ExecInspect } from '../../engine-api/exec/types';
import { execInContainer, type RunningExec } from '../runtime/exec';
import { execInspectFromBody } from './exec-inspect';
import type { Terminal } from '../runtime/terminal';
import { resolveCapabilities } from '../runtime/capabilities';
import { AttachSession, type SessionEnds } from './attach-session';
import { resolveExecUser } from './image-users';
import type { ContainerManager } from './manager';
import { mergeOutput } from './output';

interface ExecInstance {
  id: string;
  containerId: string;
  body: ExecCreateBody;
  running: boolean;
  started: boolean;
  exitCode: number | null;
  pid: number;
  terminal?: Terminal;
}

/** Ended execs a running container keeps for inspection (their exit codes), newest first. */
export const KEPT_ENDED_EXECS = 32;

export class ExecManager {
  private readonly execs = new Map<string, ExecInstance>();

  constructor(private readonly containers: ContainerManager) {}

  create(ref: string, body: ExecCreateBody): { Id: string } {
    const { record } = this.containers.running(ref);
    if (!Array.isArray(body?.Cmd) || body.Cmd.length === 0)
      throw new InvalidArgumentError('No exec command specified');
    this.sweep();
    const id = crypto.randomBytes(32).toString('hex');
    this.execs.set(id, {
      id,
      containerId: record.id,
      body,
      running: false,
      started: false,
      exitCode: null,
      pid: 0,
    });
    this.containers.emit(record, `exec_create: ${commandText(body.Cmd)}`, { execID: id });
    return { Id: id };
  }

  /**
   * Forgets the ended execs of containers that no longer run, as dockerd drops a container's
   * execs with it, and a running container's ended execs beyond the newest KEPT_ENDED_EXECS
   * (a client reads an exit code right after the end): kept for ever, a long-running container
   * exec'd over and over grew the daemon without bound. An exec still being launched has no
   * exit code yet and stays.
   */
  private sweep(): void {
    const running = new Map<string, boolean>();
    const runs = (containerId: string): boolean => {
      let known = running.get(containerId);
      if (known === undefined) {
        try {
          this.containers.running(containerId);
          known = true;
        } catch {
          known = false;
        }
        running.set(containerId, known);
      }
      return known;
    };
    const ended = new Map<string, string[]>();
    for (const [id, e] of this.execs) {
      if (e.running) continue;
      if (!runs(e.containerId)) this.execs.delete(id);
      else if (e.exitCode !== null) {
        const ids = ended.get(e.containerId) ?? [];
        ids.push(id);
        ended.set(e.containerId, ids);
      }
    }
    // The map keeps creation order: the oldest go first.
    for (const ids of ended.values()) for (const id of ids.slice(0, -KEPT_ENDED_EXECS)) this.execs.delete(id);
  }

  private get(id: string): ExecInstance {
    const e = this.execs.get(id);
    if (!e) throw new NotFoundError(`No such exec instance: ${id}`);
    return e;
  }

  async *start(id: string, signal?: AbortSignal): AsyncGenerator<OutputChunk> {
    const { exec, exited } = await this.launch(this.claim(id), false);
    yield* mergeOutput(exec.stdout, exec.stderr, signal);
    await exited;
  }

  async startAttached(id: string, opts: ExecStartOptions = {}): Promise<Attachment> {
    const e = this.claim(id);
    const tty = e.body.Tty === true;
    const session = new AttachSession(tty, parseDetachKeys(e.body.DetachKeys || DEFAULT_DETACH_KEYS));
    const { exec, exited } = await this.launch(e, true, opts.consoleSize ?? e.body.ConsoleSize);
    session.connect({ ...execEnds(exec, e.body), settled: exited });
    // Output nobody reads (not attached, or after a detach) is dropped, never left to block the command.
    for (const s of [exec.stdout, exec.stderr]) s.resume();
    return { tty, stream: session.stream };
  }

  async resize(id: string, height: number, width: number): Promise<void> {
    const e = this.get(id);
    if (!e.running) throw new NotRunningError(`Exec ${id} is not running`);
    e.terminal?.resize(height, width);
  }

  private claim(id: string): ExecInstance {
    const e = this.get(id);
    if (e.started) throw new ConflictError(`Exec ${id} has already been started`);
    e.started = true;
    return e;
  }

  /** `attached`: a client may send stdin (a hijacked start); otherwise it is /dev/null. */
  private async launch(
    e: ExecInstance,
    attached: boolean,
    consoleSize?: [number, number],
  ): Promise<{ exec: RunningExec; exited: Promise<void> }> {
    const { record, running } = this.containers.running(e.containerId);
    const proc = record.spec.process;
    const user = e.body.User
      ? resolveExecUser([`/proc/${running.pid}/root`], e.body.User, record.hostConfig.GroupAdd)
      : { uid: proc.uid, gid: proc.gid, additionalGids: proc.additionalGids };
    const capabilities = e.body.Privileged ? resolveCapabilities([], [], true) : proc.capabilities;
    let exec;
    try {
      exec = await execInContainer(
        {
          initPid: running.pid,
          process: {
            ...proc,
            ...user,
            args: e.body.Cmd,
            env: mergeEnv(proc.env, e.body.Env ?? []),
            cwd: e.body.WorkingDir || proc.cwd,
            capabilities,
          },
          seccomp: e.body.Privileged ? { mode: 'unconfined' } : record.spec.seccomp,
          tty: e.body.Tty === true,
          consoleSize: consoleSize && { height: consoleSize[0], width: consoleSize[1] },
        },
        running.cgroup,
        record.spec.stateDir,
        { stdin: attached && e.body.AttachStdin === true && e.body.Tty !== true },
      );
    } catch (err) {
      // dockerd records 126 for any exec that fails to start, a missing command included (127 is
      // the run's): the docker CLI returns what the exec's inspect says
      e.exitCode = 126;
      // dockerd's words (runc's through containerd), which the docker CLI prints as they come
      throw new InvalidArgumentError(
        `OCI runtime exec failed: exec failed: unable to start container process: ${(err as Error).message}: unknown`,
        { code: EXEC_LAUNCH_FAILED, exitCode: e.exitCode },
      );
    }
    e.running = true;
    e.pid = exec.pid;
    this.containers.emit(record, `exec_start: ${commandText(e.body.Cmd)}`, { execID: e.id });
    e.terminal = exec.terminal;
    const exited = exec.exited.then((s) => {
      e.running = false;
      e.exitCode = s.exitCode;
      this.containers.emit(record, 'exec_die', { execID: e.id, exitCode: String(s.exitCode) });
      e.terminal = undefined;
    });
    return { exec, exited };
  }

  inspect(id: string): ExecInspect {
    const e = this.get(id);
    return {
      ID: e.id,
      ContainerID: e.containerId,
      Running: e.running,
      ExitCode: e.exitCode,
      Pid: e.pid,
      ...execInspectFromBody(e.body),
    };
  }
}

function execEnds(exec: RunningExec, body: ExecCreateBody): SessionEnds {
  if (exec.terminal) {
    return {
      outputs: body.AttachStdout || body.AttachStderr ? [['stdout', exec.terminal.stream]] : [],
      input: body.AttachStdin ? exec.terminal.stream : undefined,
    };
  }
  const outputs: SessionEnds['outputs'] = [];
  if (body.AttachStdout) outputs.push(['stdout', exec.stdout]);
  if (body.AttachStderr) outputs.push(['stderr', exec.stderr]);
  const { stdin } = exec;
  return stdin ? { outputs, input: stdin, closeInput: () => stdin.end() } : { outputs };
}

/** As dockerd names an exec in its events: the program, a space, then its arguments. */
function commandText(cmd: string[]): string {
  return `${cmd[0]} ${cmd.slice(1).join(' ')}`;
}

function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const out = new Map(base.map((kv) => [kv.split('=')[0], kv]));
  for (const kv of extra) out.set(kv.split('=')[0], kv);
  return [...out.values()];
}
