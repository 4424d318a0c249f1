/**
 * The engine process (`tscompose engine run`): one per state root, guarded by a lock the kernel
 * drops if it dies. It serves the engine's API until SIGTERM or SIGINT, then stops its
 * containers as dockerd does; one that crashes leaves them running for the next to adopt.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TscomposeError } from '../common/errors';
import { buildId, engineFiles, type EngineInfo } from '../engine-api/connect';
import { serveEngine, type EngineServer } from './server/server';
import { createEngine, type Engine } from './engine';
import { LOCK_EX, tryFlock, unflock } from '../platform/linux/flock';
import { writeLogLine } from './log-line';
import { enginePaths } from '../engine-api/paths';
import { sealHelperExecutable } from './runtime/sealed-exe';
import { writeJsonAtomic } from '../common/atomic';

/** Milliseconds since this process started, once the engine's modules are loaded. */
const modulesLoadedAt = performance.now();

export interface DaemonOptions {
  env?: NodeJS.ProcessEnv;
  version: string;
  /** Started by the CLI on demand, which may then replace it when its build is stale. */
  autoStarted?: boolean;
  /** Stops the daemon as SIGTERM does (a daemon run inside a test). */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Resolves once the daemon has shut down after a stop request. */
export async function runDaemon(opts: DaemonOptions): Promise<void> {
  const paths = enginePaths(opts.env ?? process.env);
  const files = engineFiles(paths);
  const log = opts.log ?? writeLogLine;
  const entered = performance.now();
  const lockFd = takeLock(files.lock, paths.runRoot);
  let engine: Engine | undefined;
  let server: EngineServer | undefined;
  let unseal: (() => void) | undefined;
  let serving = false;
  try {
    unseal = sealHelperExecutable(paths.runRoot);
    const id = buildId();
    const creating = performance.now();
    engine = await createEngine({ paths, buildId: id, version: opts.version, log });
    const created = performance.now();
    server = await serveEngine(engine, paths.socket, { log });
    const info: EngineInfo = {
      pid: process.pid,
      buildId: id,
      version: opts.version,
      socket: paths.socket,
      autoStarted: !!opts.autoStarted,
      startedAt: new Date().toISOString(),
    };
    writeJsonAtomic(files.info, info);
    serving = true;
    log(`engine ${opts.version} (build ${id}, pid ${process.pid}) listening on unix://${paths.socket}`);
    // Where a start spends its time, for a start that feels slow (the CLI waits for this line).
    const ms = (t: number): string => t.toFixed(0);
    log(
      `started in ${ms(performance.now())} ms: node and modules ${ms(modulesLoadedAt)}, command ` +
        `${ms(entered - modulesLoadedAt)}, engine ${ms(created - creating)}, listen ${ms(performance.now() - created)}`,
    );
    log(`${await stopRequested(opts.signal)}: shutting down`);
  } finally {
    await server?.close();
    // A daemon that could not start (its socket path taken, say) leaves the containers it
    // adopted running for the next one, as a crash does: stopping them is a stop's job.
    if (serving) await engine?.close();
    unseal?.();
    removeOwnInfo(files.info);
    unflock(lockFd);
    fs.closeSync(lockFd);
  }
  log('engine stopped');
}

function takeLock(lockFile: string, runRoot: string): number {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  // Node opens files close-on-exec, so container processes never inherit (and keep) the lock.
  const fd = fs.openSync(lockFile, 'a');
  if (tryFlock(fd, LOCK_EX)) return fd;
  fs.closeSync(fd);
  throw new TscomposeError(`another engine is running on ${runRoot} (${lockFile} is locked)`, {
    code: 'ENGINE_RUNNING',
  });
}

function stopRequested(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string): void => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      signal?.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onTerm = (): void => done('SIGTERM');
    const onInt = (): void => done('SIGINT');
    const onAbort = (): void => done('stop requested');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    if (signal?.aborted) done('stop requested');
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Only our own: a daemon that failed to start must not delete the running one's file. */
function removeOwnInfo(file: string): void {
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as EngineInfo;
    if (info.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // No file, or not ours to judge.
  }
}
