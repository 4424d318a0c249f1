/**
 * The containers of one engine: their records, their lifecycle over Docker's states, their logs
 * and exit codes. The daemon is the parent of every container init, so it learns each exit here.
 * Operations on one container are serialized; different containers never wait for each other.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ListContainersOptions, OutputChunk, WaitCondition } from '../api/engine-api';
import { BadRequestError, ConflictError, EngineError, NotFoundError } from '../api/engine-api';
import type {
  ContainerCreateBody,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerTopResponse,
  ContainerWaitResponse,
  LogsOptions,
} from '../api/types';
import { ImageNotFoundError, type ImageStore } from '../images/store';
import { jsonLogPath, JsonLogWriter } from '../logs/json-file';
import { readLogs } from '../logs/reader';
import { cgroupDriver } from '../runtime/cgroups';
import { StartError, startContainer, type ExitStatus, type RunningContainer } from '../runtime/start';
import { RecordStore } from '../state/records';
import { generateName, lookup, nameConflict, newContainerId, validateName } from './names';
import { initialState, matchesFilters, toInspect, toSummary, type ContainerRecord } from './record';
import { buildContainerSpec } from './spec-builder';
import { parseSignal } from './signals';
import { topOf } from './top';

const FILTER_KEYS = new Set(['label', 'name', 'id', 'status']);

interface Live {
  running: RunningContainer;
  writer: JsonLogWriter;
  /** Resolves once the exit is recorded (state, logs flushed, auto-remove done). */
  done: Promise<void>;
}

export class ContainerManager {
  private readonly records: RecordStore<ContainerRecord>;
  private readonly live = new Map<string, Live>();
  private readonly events = new EventEmitter();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly dir: string,
    private readonly images: ImageStore,
    private readonly cgroupParent: string,
  ) {
    this.records = new RecordStore(dir);
    this.events.setMaxListeners(0);
  }

  /**
   * A daemon that starts finds the records of its previous life. Re-adopting running containers
   * comes with crash survival; until then they are stopped, so nothing is leaked.
   */
  async recover(): Promise<void> {
    for (const { record } of this.records.list()) {
      if (!record.state.Running) continue;
      const cg = cgroupDriver().open(record.spec.cgroup.parent, record.spec.cgroup.name);
      await cg.killAll().catch(() => undefined);
      await cg.destroy().catch(() => undefined);
      this.setState(record, {
        Status: 'exited',
        Running: false,
        Pid: 0,
        ExitCode: 255,
        Error: 'the engine restarted',
      });
    }
  }

  private all(): ContainerRecord[] {
    return this.records.list().map((e) => e.record);
  }

  private find(ref: string): ContainerRecord {
    return lookup(this.all(), ref);
  }

  /** Runs `fn` after every earlier operation on the same container. */
  private serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    });
    return next;
  }

  private setState(r: ContainerRecord, patch: Partial<ContainerRecord['state']>): void {
    r.state = { ...r.state, ...patch };
    this.records.put(r.id, r);
  }

  async create(body: ContainerCreateBody, name?: string): Promise<ContainerCreateResponse> {
    if (!body || typeof body.Image !== 'string' || !body.Image)
      throw new BadRequestError('config cannot be empty in order to create a container');
    let image;
    try {
      image = this.images.resolve(body.Image);
    } catch (err) {
      if (err instanceof ImageNotFoundError) throw new NotFoundError(err.message);
      throw new BadRequestError((err as Error).message);
    }
    return this.serial('/names', async () => {
      const existing = this.all();
      const wanted = name ? validateName(name) : generateName((n) => existing.some((c) => c.name === n));
      const clash = existing.find((c) => c.name === wanted);
      if (clash) throw nameConflict(wanted, clash.id);
      const id = newContainerId();
      const { HostConfig: _hostConfig, ...containerConfig } = body;
      const stateDir = path.join(this.dir, id);
      const spec = buildContainerSpec({
        id,
        name: wanted,
        body,
        image,
        stateDir,
        cgroupParent: this.cgroupParent,
        hostEtc: hostEtcFiles(),
      });
      const record: ContainerRecord = {
        id,
        name: wanted,
        created: new Date().toISOString(),
        image: body.Image,
        imageId: image.id,
        // inspect's Config is the container's own merged over the image's, as docker shows it
        config: { ...containerConfig, StopSignal: body.StopSignal || image.config.config.StopSignal },
        hostConfig: body.HostConfig ?? {},
        state: initialState(),
        restartCount: 0,
        logPath: jsonLogPath(stateDir, id),
        spec,
      };
      fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      this.records.put(id, record);
      return { Id: id, Warnings: [] };
    });
  }

  async start(ref: string): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, () => this.startNow(id));
  }

  private async startNow(id: string): Promise<void> {
    const r = this.records.get(id);
    if (!r) throw new NotFoundError(`No such container: ${id}`);
    if (r.state.Running) return; // docker answers 304 Not Modified
    let running: RunningContainer;
    try {
      running = await startContainer(r.spec);
    } catch (err) {
      const e = err as StartError;
      const exitCode = err instanceof StartError ? e.exitCode : 125;
      this.setState(r, { ExitCode: exitCode, Error: e.message });
      if (r.hostConfig.AutoRemove) await this.removeNow(id, { force: true });
      throw new EngineError(400, `failed to start container ${id.slice(0, 12)}: ${e.message}`, { exitCode });
    }
    const writer = new JsonLogWriter(r.logPath);
    const ended = [running.stdout, running.stderr].map((sock, i) => {
      const stream = i === 0 ? 'stdout' : 'stderr';
      sock.on('data', (d: Buffer) => writer.write(stream, d));
      return new Promise<void>((resolve) => sock.once('close', () => resolve()));
    });
    const done = running.exited.then((status) => this.onExit(id, status, ended));
    this.live.set(id, { running, writer, done });
    this.setState(r, {
      Status: 'running',
      Running: true,
      Pid: running.pid,
      ExitCode: 0,
      Error: '',
      OOMKilled: false,
      StartedAt: running.startedAt.toISOString(),
    });
  }

  private async onExit(id: string, status: ExitStatus, ended: Promise<void>[]): Promise<void> {
    const live = this.live.get(id);
    // Output still in the FIFOs drains first; a process that escaped the cgroup cannot hold it long.
    await Promise.race([Promise.all(ended), new Promise((r) => setTimeout(r, 2000))]);
    live?.running.stdout.destroy();
    live?.running.stderr.destroy();
    live?.writer.close();
    this.live.delete(id);
    const r = this.records.get(id);
    if (!r) return;
    this.setState(r, {
      Status: 'exited',
      Running: false,
      Pid: 0,
      ExitCode: status.exitCode,
      OOMKilled: status.oomKilled,
      FinishedAt: status.finishedAt.toISOString(),
    });
    this.events.emit(`exit:${id}`, status.exitCode);
    if (r.hostConfig.AutoRemove) await this.removeNow(id, { force: true }).catch(() => undefined);
  }

  async stop(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, () => this.stopNow(id, opts));
  }

  private async stopNow(id: string, opts: { timeout?: number; signal?: string }): Promise<void> {
    const live = this.live.get(id);
    const r = this.records.get(id);
    if (!live || !r) return; // not running: docker answers 304
    const sig = parseSignal(opts.signal || r.config.StopSignal || 'SIGTERM');
    const seconds = opts.timeout ?? r.config.StopTimeout ?? 10;
    live.running.signal(sig);
    if (seconds >= 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((res) => (timer = setTimeout(() => res(true), seconds * 1000)));
      const late = await Promise.race([live.running.exited.then(() => false), timedOut]);
      clearTimeout(timer);
      if (late) await live.running.cgroup.killAll();
    }
    await live.done;
  }

  async restart(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, async () => {
      await this.stopNow(id, opts);
      await this.startNow(id);
    });
  }

  async kill(ref: string, signal?: string): Promise<void> {
    const { id } = this.find(ref);
    const sig = parseSignal(signal ?? 'SIGKILL');
    const live = this.live.get(id);
    if (!live) throw new ConflictError(`Cannot kill container: ${ref}: Container ${id} is not running`);
    if (sig === os.constants.signals.SIGKILL) await live.running.cgroup.killAll();
    else live.running.signal(sig);
  }

  async remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, () => this.removeNow(id, opts));
  }

  private async removeNow(id: string, opts: { force?: boolean }): Promise<void> {
    const r = this.records.get(id);
    if (!r) return;
    const live = this.live.get(id);
    if (live) {
      if (!opts.force) {
        throw new ConflictError(
          `cannot remove container "/${r.name}": container is running: stop the container before removing or force remove`,
        );
      }
      await live.running.cgroup.killAll();
      await live.done;
    }
    if (!this.records.get(id)) return; // auto-removed meanwhile
    this.setState(r, { Status: 'removing' });
    fs.rmSync(path.join(this.dir, id), { recursive: true, force: true });
    this.records.remove(id);
    this.events.emit(`removed:${id}`);
  }

  list(opts: ListContainersOptions = {}): ContainerSummary[] {
    for (const key of Object.keys(opts.filters ?? {})) {
      if (!FILTER_KEYS.has(key)) throw new BadRequestError(`invalid filter '${key}'`);
    }
    const now = Date.now();
    return this.all()
      .filter((r) => opts.all || r.state.Running)
      .filter((r) => matchesFilters(r, opts.filters))
      .sort((a, b) => b.created.localeCompare(a.created))
      .map((r) => toSummary(r, now));
  }

  inspect(ref: string): ContainerInspect {
    return toInspect(this.find(ref));
  }

  logs(ref: string, opts: LogsOptions, signal?: AbortSignal): AsyncIterable<OutputChunk> {
    const r = this.find(ref);
    return readLogs(r.logPath, opts, signal, () => !this.live.has(r.id));
  }

  async wait(
    ref: string,
    condition: WaitCondition = 'not-running',
    signal?: AbortSignal,
  ): Promise<ContainerWaitResponse> {
    const r = this.find(ref);
    if (condition === 'not-running' && !this.live.has(r.id)) return { StatusCode: r.state.ExitCode };
    const event = condition === 'removed' ? `removed:${r.id}` : `exit:${r.id}`;
    await new Promise<void>((resolve, reject) => {
      const onEvent = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.events.off(event, onEvent);
        reject(new EngineError(499, 'wait cancelled'));
      };
      this.events.once(event, onEvent);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    const after = this.records.get(r.id);
    return { StatusCode: (after ?? r).state.ExitCode };
  }

  top(ref: string, psArgs?: string): ContainerTopResponse {
    const r = this.find(ref);
    const live = this.live.get(r.id);
    if (!live) throw new ConflictError(`container ${r.id} is not running`);
    return topOf(live.running.cgroup.pids(), psArgs);
  }

  /** For exec: the running init and the record. */
  running(ref: string): { record: ContainerRecord; running: RunningContainer } {
    const record = this.find(ref);
    const live = this.live.get(record.id);
    if (!live) throw new ConflictError(`container ${record.id} is not running`);
    return { record, running: live.running };
  }

  /** Stops watching: containers keep running (a restarted daemon deals with them). */
  async close(): Promise<void> {
    for (const live of this.live.values()) {
      live.running.stdout.destroy();
      live.running.stderr.destroy();
      live.writer.close();
    }
  }
}

function hostEtcFiles(): { hosts: string; resolvConf: string } {
  const read = (p: string): string => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return '';
    }
  };
  return { hosts: read('/etc/hosts'), resolvConf: read('/etc/resolv.conf') };
}
