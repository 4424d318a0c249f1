/**
 * The CLI's side of the daemon: connect, start it on first need (detached, as users never
 * start it themselves), replace one we started when it runs an older build, report and stop it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TscomposeError } from '../common/errors';
import { enginePaths, type EnginePaths } from './paths';
import { engineClient, EngineUnreachableError, type EngineClient } from './client';
import type { EngineApi } from './engine-api';
import type { VersionResponse } from './system/types';

/** What the daemon writes to `<runRoot>/engine.json` while it runs. */
export interface EngineInfo {
  pid: number;
  buildId: string;
  version: string;
  socket: string;
  autoStarted: boolean;
  startedAt: string;
}

export interface EngineStatus {
  running: boolean;
  socket: string;
  pid?: number;
  version?: VersionResponse;
  autoStarted?: boolean;
}

const DIST_SRC = path.resolve(__dirname, '..');
/** The engine's own entry: the reaper and daemon it starts never load the CLI's command framework. */
const ENTRY = path.resolve(DIST_SRC, 'engine', 'entry.js');
/** The CLI waits for a start while the engine lives, up to start-wait's bound; this covers it. */
const START_LOCK_MS = 70_000;
const STOP_TIMEOUT_MS = 15_000;
const PROBE_TIMEOUT_MS = 5_000;

export function engineFiles(paths: EnginePaths): {
  info: string;
  lock: string;
  startLock: string;
  log: string;
} {
  const at = (name: string): string => path.join(paths.runRoot, name);
  return {
    info: at('engine.json'),
    lock: at('engine.lock'),
    startLock: at('engine-start.lock'),
    log: at('engine.log'),
  };
}

let ownBuildId: string | undefined;

/** Where scripts/build.js records the build id, with the mtime of this file as the build left it. */
const BUILD_ID_FILE = path.resolve(DIST_SRC, '..', 'build-id.json');

/** The sizes and mtimes of the compiled sources: no file is read, but every one is stat'ed. */
function sourcesId(): string {
  const hash = (require('node:crypto') as typeof import('node:crypto')).createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.js')) {
        const st = fs.statSync(p);
        hash.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  walk(DIST_SRC);
  return hash.digest('hex').slice(0, 16);
}

/** Run by scripts/build.js once the sources are compiled. */
export function recordBuildId(): void {
  const record = { id: sourcesId(), mtimeMs: fs.statSync(__filename).mtimeMs };
  fs.writeFileSync(BUILD_ID_FILE, `${JSON.stringify(record)}\n`);
}

/**
 * Changes with every build. The walk of the sources costs 3–10 ms, which every CLI command would
 * pay, so the id recorded at build is taken while this file is as that build left it. A compile
 * that rewrote it (tsc alone) or a copy of dist/src alone is walked; an incremental compile that
 * left it alone keeps the recorded id (npm run build records a new one).
 */
export function buildId(): string {
  if (ownBuildId) return ownBuildId;
  try {
    const record = JSON.parse(fs.readFileSync(BUILD_ID_FILE, 'utf8')) as { id: string; mtimeMs: number };
    if (record.mtimeMs === fs.statSync(__filename).mtimeMs) ownBuildId = record.id;
  } catch {
    // No record: walk.
  }
  ownBuildId ??= sourcesId();
  return ownBuildId;
}

export function readEngineInfo(paths: EnginePaths): EngineInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(engineFiles(paths).info, 'utf8')) as EngineInfo;
  } catch {
    return undefined;
  }
}

export async function connectEngine(
  opts: { env?: NodeJS.ProcessEnv; autoStart?: boolean } = {},
): Promise<EngineApi> {
  const paths = enginePaths(opts.env ?? process.env);
  const client = engineClient(paths.socket);
  const running = await probe(client);
  if (running && !isStale(paths, running)) return client;
  if (opts.autoStart === false) {
    if (running) return client;
    throw new EngineUnreachableError(paths.socket, undefined);
  }
  // One CLI starts the daemon; the others wait here and then find it running.
  const { withLock } = require('../platform/linux/file-lock') as typeof import('../platform/linux/file-lock');
  await withLock(
    engineFiles(paths).startLock,
    async () => {
      const now = await probe(client);
      if (now && !isStale(paths, now)) return;
      if (now) await stopEngine(opts.env ?? process.env);
      await startDaemon(paths, opts.env ?? process.env, client);
    },
    START_LOCK_MS + STOP_TIMEOUT_MS,
  );
  return client;
}

export async function engineStatus(env: NodeJS.ProcessEnv = process.env): Promise<EngineStatus> {
  const paths = enginePaths(env);
  const client = engineClient(paths.socket);
  try {
    const version = await probe(client);
    if (!version) return { running: false, socket: paths.socket };
    const info = readEngineInfo(paths);
    const ours = info && isEngineProcess(info.pid) ? info : undefined;
    return { running: true, socket: paths.socket, pid: ours?.pid, version, autoStarted: ours?.autoStarted };
  } finally {
    client.close();
  }
}

/**
 * SIGTERM to the engine of these paths and wait for it to go, the reaper too (the next engine
 * would otherwise meet a reaper still collecting); undefined when none runs. The reaper passes
 * the signal on to its daemon, and also ends while its daemon is down between restarts.
 */
export async function stopEngine(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = STOP_TIMEOUT_MS,
): Promise<{ pid: number } | undefined> {
  const paths = enginePaths(env);
  const info = readEngineInfo(paths);
  const daemon = info && isEngineProcess(info.pid) ? info.pid : undefined;
  const reaper = readReaperPid(paths);
  const target = reaper ?? daemon;
  if (target === undefined) return undefined;
  process.kill(target, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  for (const pid of [daemon, reaper]) {
    while (pid !== undefined && isEngineProcess(pid)) {
      if (Date.now() > deadline)
        throw new TscomposeError(`the engine (pid ${pid}) did not stop within ${timeoutMs / 1000} s`, {
          code: 'ENGINE_STOP_TIMEOUT',
        });
      await sleep(25);
    }
  }
  return { pid: daemon ?? target };
}

/** A daemon we started from another build: engine.json must be the answering daemon's own. */
function isStale(paths: EnginePaths, running: VersionResponse): boolean {
  if (running.BuildId === buildId()) return false;
  const info = readEngineInfo(paths);
  return !!info && info.autoStarted && info.buildId === running.BuildId && isEngineProcess(info.pid);
}

async function probe(client: EngineClient): Promise<VersionResponse | undefined> {
  try {
    return await client.version(AbortSignal.timeout(PROBE_TIMEOUT_MS));
  } catch (err) {
    if (err instanceof EngineUnreachableError) return undefined;
    const name = (err as Error).name;
    if (name === 'AbortError' || name === 'TimeoutError')
      throw new TscomposeError(`the engine at unix://${client.socketPath} does not answer`, {
        code: 'ENGINE_TIMEOUT',
        cause: err,
      });
    throw err;
  }
}

async function startDaemon(paths: EnginePaths, env: NodeJS.ProcessEnv, client: EngineClient): Promise<void> {
  const { log } = engineFiles(paths);
  fs.mkdirSync(paths.runRoot, { recursive: true });
  const out = fs.openSync(log, 'a', 0o600);
  fs.fchmodSync(out, 0o600); // a log an older build made readable to all
  const logStart = fs.fstatSync(out).size;
  let exit: string | undefined;
  // A reaper whose daemon crashed starts it again itself; a second engine would only collide.
  const reaper = readReaperPid(paths);
  try {
    if (reaper !== undefined)
      return await waitForDaemon(client, log, logStart, () =>
        isEngineProcess(reaper) ? undefined : 'its reaper ended',
      );
    // Required here: a command that finds its daemon running (nearly all) never spawns.
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    const child = spawn(process.execPath, [ENTRY, 'engine', 'run', '--auto-started'], {
      detached: true,
      stdio: ['ignore', out, out],
      env,
      // Not the user's directory: a daemon must not keep it busy.
      cwd: '/',
    });
    child.on('error', (err) => (exit = err.message));
    child.on('exit', (code, signal) => (exit = signal ? `killed by ${signal}` : `exit code ${code}`));
    child.unref();
  } finally {
    fs.closeSync(out);
  }
  await waitForDaemon(client, log, logStart, () => exit);
}

/** The reaper of these paths while it runs (its start time tells it from a recycled pid). */
function readReaperPid(paths: EnginePaths): number | undefined {
  try {
    const { pid, startTime } = JSON.parse(
      fs.readFileSync(path.join(paths.runRoot, 'reaper.json'), 'utf8'),
    ) as {
      pid: number;
      startTime?: number;
    };
    if (!Number.isInteger(pid) || pid <= 0 || !isEngineProcess(pid)) return undefined;
    if (startTime !== undefined && processStartTime(pid) !== startTime) return undefined;
    return pid;
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat, as the reaper records its own. */
function processStartTime(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

async function waitForDaemon(
  client: EngineClient,
  log: string,
  logStart: number,
  died: () => string | undefined,
): Promise<void> {
  const { waitForStart } = require('./start-wait') as typeof import('./start-wait');
  const result = await waitForStart({
    answers: async () => !!(await probe(client)),
    died,
    progress: (line) => process.stderr.write(`${line}\n`),
    now: Date.now,
    sleep,
  });
  if (result.ok) return;
  const last = lastLine(log, logStart);
  throw new TscomposeError(`the tscompose engine ${result.why}${last ? `: ${last}` : ''}; see ${log}`, {
    code: 'ENGINE_START',
  });
}

/** The daemon's own process, not a pid reused by another program after a crash (or a zombie). */
function isEngineProcess(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((arg, i) => arg === 'engine' && argv[i + 1] === 'run');
  } catch {
    return false;
  }
}

/** The last line the daemon wrote since `from` (what it said before it died). */
function lastLine(file: string, from: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const start = Math.max(from, fs.fstatSync(fd).size - buf.length);
      const n = fs.readSync(fd, buf, 0, buf.length, start);
      return buf.subarray(0, n).toString('utf8').trimEnd().split('\n').pop() ?? '';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
