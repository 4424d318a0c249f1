/**
 * The containers of one engine: their records, their lifecycle over Docker's states, their logs,
 * exit codes, restart policies and healthchecks. The daemon is the parent of every container
 * init it starts, so it learns each exit; a container a crashed daemon left running is adopted,
 * its exit learnt from the reaper. Operations on one container are serialized; different
 * containers never wait for each other.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ListContainersOptions, WaitCondition } from '../../engine-api/container/api';
import type { OutputChunk } from '../../engine-api/output';
import {
  CancelledError,
  ConflictError,
  InvalidArgumentError,
  NotFoundError,
  NotRunningError,
  TscomposeError,
} from '../../common/errors';
import type {
  ContainerCreateBody,
  ContainerCreateResponse,
  ContainerInspect,
  ContainerSummary,
  ContainerTopResponse,
  ContainerUpdateBody,
  ContainerUpdateResponse,
  ContainersPruneResponse,
  ContainerWaitResponse,
  LogsOptions,
} from '../../engine-api/container/types';
import { ImageNotFoundError, type ImageStore, type ResolvedImage } from '../images/store';
import type { ContainerStats, StatsOptions } from '../../engine-api/container/stats-types';
import {
  openLogWriter,
  readContainerLogs,
  resolveLogConfig,
  type ContainerLogWriter,
  type LogConfig,
} from '../logs/drivers';
import { adoptContainer, recordedExit } from '../runtime/adopt';
import { removeExitRecord, removeExitRecordsExcept } from '../runtime/exit-records';
import { cgroupDriver } from '../runtime/cgroups';
import {
  finishContainer,
  StartError,
  startContainer,
  type ExitStatus,
  type RunningContainer,
} from '../runtime/start';
import type { EventBus } from '../events';
import type { ContainerNetworking } from '../networks/attach';
import type { InitPool } from '../runtime/init-pool';
import type { LoadReport } from '../state/record-index';
import type { VolumeManager, VolumeUse } from '../volumes/manager';
import type { SpaceReserve } from '../state/reserve';
import { isOutOfSpace, writeFailure } from '../state/write-errors';
import { CONTAINER_RECORD_VERSION, ContainerIndex } from './container-index';
import { generateName, nameConflict, newContainerId, validateName } from './names';
import { HealthMonitor } from './health';
import { newRecord } from './new-record';
import { setAsideCorrupt } from './set-aside';
import { whenClosed } from './output';
import { probeContainer } from './probe';
import { statsStream } from './stats';
import { containerFilter, filtersImplyAll } from './list-filters';
import { updatedHostConfig } from './container-update';
import { pruneFilter } from './prune-filter';
import { usedBytes } from '../volumes/volume-files';
import { addDropped, toInspect, toSummary, type ContainerRecord } from './record';
import { nextDelay, shouldRestart, startsWithEngine } from './restart-policy';
import { parseSignal } from './signals';
import { topOf } from './top';

interface Live {
  running: RunningContainer;
  writer: ContainerLogWriter;
  health?: HealthMonitor;
  /** Resolves once the exit is handled (state, logs flushed, restart or auto-remove decided). */
  done: Promise<void>;
}

interface PendingRestart {
  timer: NodeJS.Timeout;
  delayMs: number;
}

export interface ManagerOptions {
  dir: string;
  images: ImageStore;
  cgroupParent: string;
  runRoot: string;
  bus: EventBus;
  /** Inits spawned ahead (the daemon); without one each start spawns its own. */
  pool?: InitPool;
  /** The daemon's log-driver and log-opts, for containers that name none. */
  logDefaults?: LogConfig;
  /** The daemon's log: trouble it should know of (a full disk) and that no request reports. */
  log?: (line: string) => void;
  /** Room on the state disk given up for records when containers have filled it. */
  reserve?: SpaceReserve;
  /** The engine's volumes: what `-v name:/path`, VOLUME and `--volumes-from` mount. */
  volumes?: VolumeManager;
  /** Bridge networks (the engine's); without them `bridge` is a loopback-only namespace. */
  networks?: ContainerNetworking;
}

/** How often records a full disk kept in memory, and the reserve, are tried again. */
const FLUSH_MS = 2000;

export class ContainerManager {
  /** Every container's record, in memory from the construction on and written through. */
  private readonly records: ContainerIndex;
  /** What the load found that `recover` sets aside or reports. */
  private readonly loaded: LoadReport;
  private readonly live = new Map<string, Live>();
  private readonly restarts = new Map<string, PendingRestart>();
  /** The last back-off delay of each container, kept across its restarts. */
  private readonly delays = new Map<string, number>();
  private readonly waiters = new EventEmitter();
  private readonly queues = new Map<string, Promise<unknown>>();
  private closing = false;
  private readonly dir: string;
  /** Retries the records a failed write kept in memory and takes the reserve back, while needed. */
  private flushTimer: NodeJS.Timeout | undefined;
  private recordsFailing = false;
  /** The reserve was given up to records: logs wait until it is taken again. */
  private reserveGivenUp = false;

  constructor(private readonly o: ManagerOptions) {
    this.dir = o.dir;
    this.records = new ContainerIndex(o.dir);
    this.waiters.setMaxListeners(0);
    if (o.reserve && !o.reserve.take()) this.retryLater();
    this.loaded = this.records.load();
    this.persisted(this.loaded.writeError);
  }

  /**
   * A daemon that starts finds the records of its previous life: containers still running are
   * adopted, those that ended meanwhile get the exit code the reaper recorded (restart policies
   * then apply), and `always` / `unless-stopped` ones come back as at a docker daemon's start.
   * A record that cannot be read is set aside and the rest served. An exit record is removed
   * only once the exit is in the container's record: a daemon that dies in between leaves it for
   * the next.
   */
  async recover(): Promise<void> {
    const { unreadable, newer, migrated } = this.loaded;
    if (migrated.length)
      this.log(
        `${migrated.length} container record(s) brought to schema version ${CONTAINER_RECORD_VERSION}`,
      );
    for (const bad of unreadable) {
      await setAsideCorrupt(this.records, bad, {
        dir: this.dir,
        cgroupParent: this.o.cgroupParent,
        runRoot: this.o.runRoot,
        log: (line) => this.log(line),
      });
    }
    for (const { file, version } of newer)
      this.log(
        `container record ${file} is of a newer schema (version ${version}): left as it is, not served`,
      );
    for (const id of this.records.ids()) {
      const r = this.records.get(id);
      if (!r) continue; // auto-removed meanwhile
      if (r.state.Running && r.state.Pid && r.pidStartTime !== undefined) {
        const { Pid: pid, StartedAt } = r.state;
        const startTime = r.pidStartTime;
        const running = adoptContainer(r.spec, pid, startTime, new Date(StartedAt), this.o.runRoot);
        if (running) {
          this.attach(r, running);
          const ack = (): void => removeExitRecord(this.o.runRoot, pid, startTime);
          void this.live.get(r.id)?.done.then(ack, () => undefined);
          continue;
        }
        const code = recordedExit(this.o.runRoot, pid, startTime) ?? 255;
        const cgroup = cgroupDriver().open(r.spec.cgroup.parent, r.spec.cgroup.name);
        await this.onExit(r.id, await finishContainer(cgroup, { exitCode: code }), []);
        removeExitRecord(this.o.runRoot, pid, startTime);
      } else if (r.state.Running) {
        this.setState(r, { Status: 'exited', Running: false, Restarting: false, Pid: 0, ExitCode: 255 });
      }
    }
    const adopted = new Set([...this.live.values()].map((l) => l.running.pid));
    removeExitRecordsExcept(this.o.runRoot, adopted);
    for (const id of this.records.ids()) {
      const r = this.records.get(id);
      if (r && !r.state.Running && startsWithEngine(r.hostConfig.RestartPolicy, !!r.stoppedByUser)) {
        await this.start(r.id).catch(() => undefined);
      }
    }
  }

  /** A copy of the record `ref` names, from memory. */
  private find(ref: string): ContainerRecord {
    return this.records.find(ref);
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
    this.persist(r);
  }

  private update(id: string, fn: (r: ContainerRecord) => void): void {
    const r = this.records.get(id);
    if (!r) return;
    fn(r);
    this.persist(r);
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  /**
   * A change the engine has made already (started, exited, stopping, being removed) is noted; a
   * disk with no room for it does not undo or abort it: the record is served from memory and
   * written once there is room (one log line when that starts, one when it ends).
   */
  private persist(r: ContainerRecord): void {
    let err = this.records.save(r);
    if (err && isOutOfSpace(err) && this.giveUpReserve(err)) err = this.records.save(r);
    this.persisted(err);
  }

  /** The outcome of a write (none: it went through), logged and retried as the note above says. */
  private persisted(err: Error | undefined): void {
    if (err && !this.recordsFailing) {
      this.recordsFailing = true;
      this.log(
        `cannot write container records (${writeFailure(err)}): kept in memory until they can be written`,
      );
    }
    if (err || this.o.reserve?.held === false) this.retryLater();
  }

  /** A start's files (etc files, its config) on a full disk: in the reserve's room, once. */
  private async startWithRoom(r: ContainerRecord): Promise<RunningContainer> {
    // The networks of now: connects and disconnects since its create count.
    const started = await this.o.networks?.forStart(r.id, r.hostConfig.NetworkMode ?? '', {
      hostConfig: r.hostConfig,
      hostname: r.spec.hostname,
      domainname: r.spec.domainname,
    });
    const spec = started
      ? {
          ...r.spec,
          network: started.network,
          etcFiles: started.etcFiles ? { ...r.spec.etcFiles, ...started.etcFiles } : r.spec.etcFiles,
        }
      : r.spec;
    try {
      return await startContainer(spec, this.o.pool);
    } catch (err) {
      if (!isOutOfSpace(err) || !this.giveUpReserve(err)) throw err;
      return startContainer(spec, this.o.pool);
    }
  }

  /** False when there is no reserve left to give. */
  private giveUpReserve(err: unknown): boolean {
    if (!this.o.reserve?.release()) return false;
    this.reserveGivenUp = true;
    this.log(
      `the state disk is full (${writeFailure(err)}): its reserve goes to container records, container logs are dropped until there is room`,
    );
    this.retryLater();
    return true;
  }

  private retryLater(): void {
    if (this.flushTimer) return;
    this.flushTimer = setInterval(() => this.flushRecords(), FLUSH_MS);
    this.flushTimer.unref();
  }

  private flushRecords(): void {
    if (this.records.flush() > 0) return;
    if (this.recordsFailing) this.log('container records written again');
    this.recordsFailing = false;
    if (this.o.reserve && !this.o.reserve.take()) return;
    if (this.reserveGivenUp)
      this.log('the state disk has room again: its reserve is kept, container logs are written');
    this.reserveGivenUp = false;
    clearInterval(this.flushTimer);
    this.flushTimer = undefined;
  }

  /** While the reserve is given up, the room it frees is for records: logs wait for room. */
  private readonly logsHeld = (): boolean => this.reserveGivenUp;

  /** A container event with docker's attributes (its labels, image and name); execs emit theirs too. */
  emit(r: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    this.o.bus.emit('container', action, r.id, {
      ...(r.config.Labels ?? {}),
      image: r.image,
      name: r.name,
      ...extra,
    });
  }

  async create(body: ContainerCreateBody, name?: string): Promise<ContainerCreateResponse> {
    if (!body || typeof body.Image !== 'string' || !body.Image) {
      throw new InvalidArgumentError('config cannot be empty in order to create a container');
    }
    const LogConfig = resolveLogConfig(body.HostConfig?.LogConfig, this.o.logDefaults);
    const given = body.HostConfig?.NetworkMode;
    const NetworkMode = this.o.networks ? this.o.networks.resolveMode(given) : given;
    body = {
      ...body,
      HostConfig: { ...body.HostConfig, LogConfig, ...(NetworkMode ? { NetworkMode } : {}) },
    };
    // Under the image store's lock until the record exists: an `image rm` or prune waiting for
    // it then sees this container and keeps the layers it needs.
    const volumes = this.o.volumes;
    return this.o.images.update(() =>
      volumes ? volumes.exclusive(() => this.createLocked(body, name)) : this.createLocked(body, name),
    );
  }

  private async createLocked(body: ContainerCreateBody, name?: string): Promise<ContainerCreateResponse> {
    let image: ResolvedImage;
    try {
      image = this.o.images.resolve(body.Image);
    } catch (err) {
      if (err instanceof ImageNotFoundError) throw new NotFoundError(err.message);
      throw new InvalidArgumentError((err as Error).message);
    }
    return this.serial('/names', async () => {
      const taken = (n: string): string | undefined => this.records.idsBy('name', n)[0];
      const wanted = name ? validateName(name) : generateName((n) => taken(n) !== undefined);
      const clash = taken(wanted);
      if (clash) throw nameConflict(wanted, clash);
      const id = newContainerId();
      const uses: VolumeUse[] = [];
      const volumes = this.o.volumes;
      const record = newRecord({
        id,
        name: wanted,
        body,
        image,
        dir: this.dir,
        cgroupParent: this.o.cgroupParent,
        volumes: volumes && {
          source: (n) => volumes.source(n),
          volumesFrom: (ref) => this.find(ref).spec.mounts.filter((m) => m.type === 'bind'),
          uses,
        },
      });
      volumes?.prepare(uses, image, volumes.dir);
      // Its endpoints (addresses reserved) before its record: a refusal leaves nothing.
      await this.o.networks?.containerCreated(
        id,
        wanted,
        record.hostConfig.NetworkMode ?? '',
        body.NetworkingConfig,
      );
      try {
        fs.mkdirSync(path.join(this.dir, id), { recursive: true, mode: 0o700 });
        this.records.put(record);
      } catch (err) {
        // Nothing of a container that could not be recorded stays behind.
        await this.o.networks?.containerRemoved(id).catch(() => undefined);
        fs.rmSync(path.join(this.dir, id), { recursive: true, force: true });
        throw new TscomposeError(`${writeFailure(err)}: cannot write container record`);
      }
      this.emit(record, 'create');
      return { Id: id, Warnings: [] };
    });
  }

  async start(ref: string): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, () => this.startNow(id, false));
  }

  /** `auto`: a restart policy's start, which counts; a user's start resets the count. */
  private async startNow(id: string, auto: boolean): Promise<void> {
    const r = this.records.get(id);
    if (!r) throw new NotFoundError(`No such container: ${id}`);
    if (this.live.has(id)) return; // docker answers 304 Not Modified
    this.cancelRestart(id);
    let running: RunningContainer;
    try {
      running = await this.startWithRoom(r);
    } catch (err) {
      const e = err as StartError;
      const exitCode = err instanceof StartError ? e.exitCode : 125;
      // A full disk in the system's words, without the engine's paths.
      const message = isOutOfSpace(err) ? writeFailure(err) : e.message;
      this.setState(r, {
        Status: r.state.Status === 'restarting' ? 'exited' : r.state.Status,
        Running: false,
        Restarting: false,
        ExitCode: exitCode,
        Error: message,
      });
      if (r.hostConfig.AutoRemove) await this.removeNow(id, { force: true, volumes: true });
      throw new InvalidArgumentError(`failed to start container ${id.slice(0, 12)}: ${message}`, {
        exitCode,
      });
    }
    if (auto) r.restartCount++;
    else {
      r.restartCount = 0;
      r.stoppedByUser = false;
      this.delays.delete(id);
    }
    r.pidStartTime = running.pidStartTime;
    this.setState(r, {
      Status: 'running',
      Running: true,
      Restarting: false,
      Pid: running.pid,
      ExitCode: 0,
      Error: '',
      OOMKilled: false,
      StartedAt: running.startedAt.toISOString(),
      Health: r.config.Healthcheck ? { Status: 'starting', FailingStreak: 0, Log: [] } : undefined,
    });
    this.attach(r, running);
    try {
      await this.o.networks?.containerStarted(id);
    } catch (err) {
      // Its ports could not be published (a host port taken): a start that fails leaves nothing running.
      await this.stopNow(id, { timeout: 0, signal: 'SIGKILL' }, true).catch(() => undefined);
      throw err;
    }
    // dockerd's: a restart by the policy is a `start` after the `die`; `restart` is a user's
    this.emit(r, 'start');
  }

  /** Logs, healthcheck and exit handling of a running container, started or adopted. */
  private attach(r: ContainerRecord, running: RunningContainer): void {
    const writer = openLogWriter(
      r.logPath,
      r.hostConfig.LogConfig,
      (line) => this.log(`container ${r.id.slice(0, 12)}: ${line}`),
      this.logsHeld,
    );
    const ended = [running.stdout, running.stderr].map((sock, i) => {
      const stream = i === 0 ? 'stdout' : 'stderr';
      sock.on('data', (d: Buffer) => writer.write(stream, d));
      // A read error ends the stream (close follows); unhandled, it would end the daemon.
      sock.on('error', () => undefined);
      return whenClosed(sock);
    });
    let health: HealthMonitor | undefined;
    if (r.config.Healthcheck) {
      health = new HealthMonitor(
        r.config.Healthcheck,
        // As dockerd's: no exec into a paused container, so its probes fail without running.
        async (args, timeoutMs) =>
          this.records.get(r.id)?.state.Paused
            ? { exitCode: -1, output: `Container ${r.id} is paused, unpause the container before exec` }
            : probeContainer(r, running, args, timeoutMs),
        (state, changed) => {
          this.update(r.id, (rec) => (rec.state.Health = structuredClone(state)));
          if (changed) this.emit(r, `health_status: ${state.Status}`);
        },
      );
      health.start();
    }
    const done = running.exited.then((status) => this.onExit(r.id, status, ended));
    this.live.set(r.id, { running, writer, health, done });
  }

  private async onExit(id: string, status: ExitStatus, ended: Promise<void>[]): Promise<void> {
    const live = this.live.get(id);
    live?.health?.stop();
    await this.o.networks?.containerStopped(id).catch(() => undefined);
    // Output still in the FIFOs drains first; a process that escaped the cgroup cannot hold it long.
    await Promise.race([Promise.all(ended), new Promise((r) => setTimeout(r, 2000))]);
    live?.running.stdout.destroy();
    live?.running.stderr.destroy();
    live?.writer.close();
    this.live.delete(id);
    const r = this.records.get(id);
    if (!r) return;
    if (live?.writer.dropped.Lines) r.logDropped = addDropped(r.logDropped, live.writer.dropped);
    const base = {
      Pid: 0,
      Paused: false,
      ExitCode: status.exitCode,
      OOMKilled: status.oomKilled,
      FinishedAt: status.finishedAt.toISOString(),
    };
    if (status.oomKilled) this.emit(r, 'oom');
    this.emit(r, 'die', { exitCode: String(status.exitCode) });
    const restart =
      !this.closing &&
      shouldRestart(r.hostConfig.RestartPolicy, status.exitCode, r.restartCount, !!r.stoppedByUser);
    if (restart) {
      this.setState(r, { ...base, Status: 'restarting', Running: true, Restarting: true });
      this.waiters.emit(`exit:${id}`);
      this.scheduleRestart(r, Date.now() - Date.parse(r.state.StartedAt));
      return;
    }
    this.setState(r, { ...base, Status: 'exited', Running: false, Restarting: false });
    this.waiters.emit(`exit:${id}`);
    this.waiters.emit(`stopped:${id}`);
    if (r.hostConfig.AutoRemove && !this.closing)
      await this.removeNow(id, { force: true, volumes: true }).catch(() => undefined);
  }

  private scheduleRestart(r: ContainerRecord, ranMs: number): void {
    const delayMs = nextDelay(this.delays.get(r.id) ?? 0, ranMs);
    this.delays.set(r.id, delayMs);
    const timer = setTimeout(() => {
      this.restarts.delete(r.id);
      void this.serial(r.id, () => this.startNow(r.id, true)).catch(() => {
        this.waiters.emit(`stopped:${r.id}`);
      });
    }, delayMs);
    this.restarts.set(r.id, { timer, delayMs });
  }

  /** A pending restart is called off; true when there was one. */
  private cancelRestart(id: string): boolean {
    const pending = this.restarts.get(id);
    if (!pending) return false;
    clearTimeout(pending.timer);
    this.restarts.delete(id);
    return true;
  }

  async stop(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, () => this.stopNow(id, opts, true));
  }

  private async stopNow(
    id: string,
    opts: { timeout?: number; signal?: string },
    byUser: boolean,
  ): Promise<void> {
    const r = this.records.get(id);
    if (!r) return;
    if (byUser) this.update(id, (rec) => (rec.stoppedByUser = true));
    if (this.cancelRestart(id)) {
      this.setState(r, { Status: 'exited', Running: false, Restarting: false });
      this.waiters.emit(`stopped:${id}`);
    }
    const live = this.live.get(id);
    if (!live) return; // not running: docker answers 304
    const sig = parseSignal(opts.signal || r.config.StopSignal || 'SIGTERM');
    const seconds = opts.timeout ?? r.config.StopTimeout ?? 10;
    // dockerd's stop: `kill` (its signal), then `die`, then `stop`
    this.emit(r, 'kill', { signal: String(sig) });
    live.running.signal(sig);
    this.thaw(r, live);
    if (seconds >= 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((res) => (timer = setTimeout(() => res(true), seconds * 1000)));
      const late = await Promise.race([live.running.exited.then(() => false), timedOut]);
      clearTimeout(timer);
      if (late) {
        this.emit(r, 'kill', { signal: String(os.constants.signals.SIGKILL) });
        await live.running.cgroup.killAll();
      }
    }
    await live.done;
    if (byUser) this.emit(r, 'stop');
  }

  async restart(ref: string, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, async () => {
      await this.stopNow(id, opts, true);
      await this.startNow(id, false);
      // As dockerd's containerRestart: die, stop and start, then `restart` (docker compose's events show it).
      const r = this.records.get(id);
      if (r) this.emit(r, 'restart');
    });
  }

  async kill(ref: string, signal?: string): Promise<void> {
    const { id } = this.find(ref);
    const sig = parseSignal(signal ?? 'SIGKILL');
    const r = this.records.get(id);
    const live = this.live.get(id);
    if (!live || !r)
      throw new NotRunningError(`Cannot kill container: ${ref}: Container ${id} is not running`);
    this.update(id, (rec) => (rec.stoppedByUser = true));
    this.emit(r, 'kill', { signal: String(sig) });
    if (sig === os.constants.signals.SIGKILL) {
      this.thaw(r, live);
      await live.running.cgroup.killAll();
    } else {
      live.running.signal(sig);
      // As dockerd: a paused container resumes for its stop signal (it would die at the thaw anyway).
      if (sig === parseSignal(r.config.StopSignal || 'SIGTERM')) this.thaw(r, live);
    }
  }

  async pause(ref: string): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, async () => {
      const r = this.records.get(id);
      const live = this.live.get(id);
      if (!r?.state.Running) throw new NotRunningError(`Container ${id} is not running`);
      if (r.state.Paused) throw new ConflictError(`Container ${id} is already paused`);
      if (!live)
        throw new ConflictError(`Container ${id} is restarting, wait until the container is running`);
      try {
        await live.running.cgroup.freeze();
      } catch (err) {
        live.running.cgroup.thaw();
        throw err;
      }
      this.setState(r, { Status: 'paused', Paused: true });
      this.emit(r, 'pause');
    });
  }

  async unpause(ref: string): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, async () => {
      const r = this.records.get(id);
      const live = this.live.get(id);
      if (!r?.state.Paused || !live) throw new ConflictError(`Container ${id} is not paused`);
      this.thaw(r, live);
    });
  }

  /** Docker's rename: under the names lock, so no create or other rename takes the name meanwhile. */
  async rename(ref: string, newName: string): Promise<void> {
    if (!newName) throw new InvalidArgumentError('Neither old nor new names may be empty');
    const { id } = this.find(ref);
    const wanted = validateName(newName);
    await this.serial('/names', () =>
      this.serial(id, async () => {
        const r = this.records.get(id);
        if (!r) throw new NotFoundError(`No such container: ${ref}`);
        if (r.name === wanted)
          throw new InvalidArgumentError('Renaming a container with the same name as its current name');
        const clash = this.records.idsBy('name', wanted)[0];
        if (clash) throw nameConflict(wanted, clash);
        const oldName = r.name;
        r.name = wanted;
        this.records.put(r);
        await this.o.networks?.containerRenamed?.(id, wanted);
        this.emit(r, 'rename', { oldName: `/${oldName}` });
      }),
    );
  }

  /** `docker update`: the record, and the live cgroup of a running container (container-update.ts). */
  async updateContainer(ref: string, body: ContainerUpdateBody): Promise<ContainerUpdateResponse> {
    const { id } = this.find(ref);
    return this.serial(id, async () => {
      const r = this.records.get(id);
      if (!r) throw new NotFoundError(`No such container: ${ref}`);
      const { hostConfig, limits, live } = updatedHostConfig(r.id, r.hostConfig, body);
      if (live) this.live.get(id)?.running.cgroup.setLimits(live);
      r.hostConfig = hostConfig;
      r.spec = { ...r.spec, cgroup: { ...r.spec.cgroup, limits } };
      this.persist(r);
      this.emit(r, 'update');
      return { Warnings: [] };
    });
  }

  /** `docker container prune`: every container that does not run and passes the filters. */
  async prune(filters: Record<string, string[]> = {}): Promise<ContainersPruneResponse> {
    const matches = pruneFilter(filters);
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const r of [...this.records.values()]) {
      if (r.state.Running || r.state.Status === 'removing' || !matches(r)) continue;
      try {
        await this.serial(r.id, async () => {
          const now = this.records.get(r.id);
          if (!now || now.state.Running) return;
          // docker counts what the container wrote: its writable layer
          const size = usedBytes(path.join(now.spec.stateDir, 'upper'));
          await this.removeNow(r.id, {});
          deleted.push(r.id);
          reclaimed += size;
        });
      } catch {
        // removed or started meanwhile: not this prune's
      }
    }
    this.o.bus.emit('container', 'prune', '', { reclaimed: String(reclaimed) });
    return { ContainersDeleted: deleted, SpaceReclaimed: reclaimed };
  }

  /** A paused container resumes (a no-op otherwise): unpause, and stop, kill or removal of it. */
  private thaw(r: ContainerRecord, live: Live): void {
    if (!r.state.Paused) return;
    live.running.cgroup.thaw();
    this.setState(r, { Status: 'running', Paused: false });
    this.emit(r, 'unpause');
  }

  async remove(ref: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const { id } = this.find(ref);
    await this.serial(id, () => this.removeNow(id, opts));
  }

  private async removeNow(id: string, opts: { force?: boolean; volumes?: boolean }): Promise<void> {
    const r = this.records.get(id);
    if (!r) return;
    const live = this.live.get(id);
    if (live || this.restarts.has(id)) {
      if (!opts.force) {
        throw new ConflictError(
          `cannot remove container "/${r.name}": container is ${r.state.Status}: stop the container before removing or force remove`,
        );
      }
      this.update(id, (rec) => (rec.stoppedByUser = true));
      this.cancelRestart(id);
      if (live) {
        this.emit(r, 'kill', { signal: String(os.constants.signals.SIGKILL) });
        this.thaw(r, live);
        await live.running.cgroup.killAll();
        await live.done;
      }
    }
    if (!this.records.get(id)) return; // auto-removed meanwhile
    this.setState(r, { Status: 'removing' });
    fs.rmSync(path.join(this.dir, id), { recursive: true, force: true });
    this.records.remove(id);
    await this.o.networks
      ?.containerRemoved(id)
      .catch((err: Error) =>
        this.log(`container ${id.slice(0, 12)}: releasing its networks: ${err.message}`),
      );
    // The room a removal frees goes to what waits for it first (records, the reserve).
    if (this.flushTimer) this.flushRecords();
    this.delays.delete(id);
    this.emit(r, 'destroy');
    this.waiters.emit(`removed:${id}`);
    // `rm -v` and `--rm`: its anonymous volumes go too, unless another container uses them.
    const names = r.spec.mounts.flatMap((m) => (m.volume ? [m.volume.name] : []));
    if (opts.volumes && names.length) await this.o.volumes?.release(names);
  }

  /** Volume name → the containers that mount it, read from the records (a restart finds the same). */
  volumeUsers(): Map<string, string[]> {
    const users = new Map<string, string[]>();
    for (const r of this.records.values()) {
      for (const m of r.spec.mounts)
        if (m.volume) users.set(m.volume.name, [...(users.get(m.volume.name) ?? []), r.id]);
    }
    return users;
  }

  list(opts: ListContainersOptions = {}): ContainerSummary[] {
    const matches = containerFilter(
      opts.filters,
      (ref) => this.imageIdOf(ref),
      (r) =>
        Object.entries(
          this.o.networks?.settings(r.id, r.hostConfig.NetworkMode ?? '', r.state.Running).Networks ?? {},
        ).map(([name, e]) => ({ name, id: e.NetworkID ?? '' })),
      (ref) => this.find(ref).created,
    );
    const now = Date.now();
    const all = opts.all || filtersImplyAll(opts.filters);
    return (
      [...this.records.values()]
        .filter((r) => all || r.state.Running)
        .filter(matches)
        // Newest first; ISO times in one format order as plain strings (a locale's collation is slower).
        .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0))
        .map((r) => ({
          ...toSummary(
            r,
            now,
            this.o.networks?.settings(r.id, r.hostConfig.NetworkMode ?? '', r.state.Running),
          ),
          ...(opts.size ? this.sizes(r) : {}),
        }))
    );
  }

  /** The image a reference or id names now; undefined when there is none. */
  private imageIdOf(ref: string): string | undefined {
    try {
      return this.o.images.resolve(ref).id;
    } catch {
      return undefined;
    }
  }

  /** docker's sizes: what the container wrote (its writable layer), and that with its image. */
  private sizes(r: ContainerRecord): { SizeRw: number; SizeRootFs: number } {
    const SizeRw = usedBytes(path.join(r.spec.stateDir, 'upper'));
    let image = 0;
    try {
      image = this.o.images.size(this.o.images.resolve(r.imageId));
    } catch {
      // its image is gone: the writable layer alone
    }
    return { SizeRw, SizeRootFs: SizeRw + image };
  }

  inspect(ref: string, opts: { size?: boolean } = {}): ContainerInspect {
    const r = this.find(ref);
    const writer = this.live.get(r.id)?.writer;
    if (writer?.dropped.Lines) r.logDropped = addDropped(r.logDropped, writer.dropped);
    const inspect = { ...toInspect(r), ...(opts.size ? this.sizes(r) : {}) };
    const networks = this.o.networks;
    if (!networks) return inspect;
    return {
      ...inspect,
      NetworkSettings: networks.settings(r.id, r.hostConfig.NetworkMode ?? '', r.state.Running),
    };
  }

  logs(ref: string, opts: LogsOptions, signal?: AbortSignal): AsyncIterable<OutputChunk> {
    const r = this.find(ref);
    return readContainerLogs(r.logPath, r.hostConfig.LogConfig, opts, signal, () => !this.live.has(r.id));
  }

  /** Samples while it runs (a zeroed one once it does not), as `docker stats`. */
  stats(ref: string, opts: StatsOptions, signal?: AbortSignal): AsyncIterable<ContainerStats> {
    const { id } = this.find(ref);
    return statsStream(
      () => ({ record: this.records.get(id), running: this.live.get(id)?.running }),
      opts,
      signal,
    );
  }

  async wait(
    ref: string,
    condition: WaitCondition = 'not-running',
    signal?: AbortSignal,
  ): Promise<ContainerWaitResponse> {
    const r = this.find(ref);
    const stopped = !this.live.has(r.id) && !this.restarts.has(r.id);
    if (condition === 'not-running' && stopped) return { StatusCode: r.state.ExitCode };
    const event = {
      removed: `removed:${r.id}`,
      'next-exit': `exit:${r.id}`,
      'not-running': `stopped:${r.id}`,
    }[condition];
    // A removal takes the record along: its exit code is the one of the last exit seen.
    let lastExit = r.state.ExitCode;
    const onExit = (): void => void (lastExit = this.records.get(r.id)?.state.ExitCode ?? lastExit);
    this.waiters.on(`exit:${r.id}`, onExit);
    await new Promise<void>((resolve, reject) => {
      const onEvent = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.waiters.off(event, onEvent);
        reject(new CancelledError('wait cancelled'));
      };
      this.waiters.once(event, onEvent);
      signal?.addEventListener('abort', onAbort, { once: true });
    }).finally(() => this.waiters.off(`exit:${r.id}`, onExit));
    return { StatusCode: this.records.get(r.id)?.state.ExitCode ?? lastExit };
  }

  top(ref: string, psArgs?: string): ContainerTopResponse {
    const r = this.find(ref);
    const live = this.live.get(r.id);
    if (!live) throw new NotRunningError(`container ${r.id} is not running`);
    return topOf(live.running.cgroup.pids(), psArgs);
  }

  /** For exec: the running init and the record. */
  running(ref: string): { record: ContainerRecord; running: RunningContainer } {
    const record = this.find(ref);
    const live = this.live.get(record.id);
    if (!live) throw new NotRunningError(`container ${record.id} is not running`);
    if (record.state.Paused)
      throw new ConflictError(`Container ${record.id} is paused, unpause the container before exec`);
    return { record, running: live.running };
  }

  /**
   * For the file endpoints (archive, export, changes, commit): the record and, while it runs, its
   * init's pid, with the container's queue held until `release` so that no start mounts its
   * overlay while the caller has the stopped container's mounted.
   */
  async holdFiles(ref: string): Promise<{ record: ContainerRecord; pid?: number; release: () => void }> {
    const { id } = this.find(ref);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<{ record: ContainerRecord; pid?: number }>((resolve, reject) => {
      void this.serial(id, async () => {
        const record = this.records.get(id);
        if (!record) return reject(new NotFoundError(`No such container: ${ref}`));
        resolve({ record, pid: this.live.get(id)?.running.pid });
        await released;
      });
    });
    return { ...(await held), release };
  }

  /**
   * The daemon's shutdown, as a docker daemon's without live-restore: running containers are
   * stopped (each with its own grace period) but not marked stopped by a user, so restart
   * policies bring them back at the next start.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const id of [...this.restarts.keys()]) this.cancelRestart(id);
    await Promise.all(
      [...this.live.keys()].map((id) =>
        this.serial(id, () => this.stopNow(id, {}, false)).catch(() => undefined),
      ),
    );
    clearInterval(this.flushTimer);
    this.flushTimer = undefined;
    const unsaved = this.records.flush();
    // The next daemon reads what is on disk: a running container whose exit could not be noted
    // gets the exit code the reaper recorded.
    if (unsaved) this.log(`${unsaved} container records could not be written: the disk is full`);
  }
}
