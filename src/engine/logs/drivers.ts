/**
 * Docker's log drivers that keep logs on the host: `json-file`, `local` and `none`, with their
 * options checked at create as dockerd checks them, the daemon's defaults merged in as
 * `log-driver`/`log-opts` of daemon.json are, and one writer and one reader per driver.
 *
 * `local` is stored as rotated json lines in `<id>-local.log`, not in docker's protobuf frames:
 * no tool reads docker's local files (docker calls them internal), so the one reader of json
 * lines serves both, and the other name keeps tools that read `<id>-json.log` off it. What
 * differs from json-file is what `local` promises: rotation and compression by default.
 * json-file's labels, env and tag options are accepted but not recorded (docker adds `attrs`).
 */
import { InvalidArgumentError, NotImplementedError, TscomposeError } from '../../common/errors';
import type { OutputChunk } from '../../engine-api/output';
import type { HostConfig, LogsOptions } from '../../engine-api/container/types';
import { fromHumanSize } from '../../common/units';
import { JsonLogWriter, type LogDropped, type LogReport, type LogStream } from './json-file';
import { readLogs } from './reader';
import type { RotationOptions } from './rotate';

export type LogConfig = NonNullable<HostConfig['LogConfig']>;

/** Never throws: output it cannot store is dropped and counted in `dropped`. */
export interface ContainerLogWriter {
  write(stream: LogStream, chunk: Buffer): void;
  close(): void;
  readonly dropped: LogDropped;
}

export const DEFAULT_LOG_CONFIG: LogConfig = { Type: 'json-file', Config: {} };

const JSON_FILE_OPTS = [
  'max-file',
  'max-size',
  'compress',
  'labels',
  'labels-regex',
  'env',
  'env-regex',
  'tag',
];
const LOCAL_OPTS = ['max-file', 'max-size', 'compress'];
/** docker's local driver: 20 MiB a file, 5 files, compressed. */
const LOCAL_DEFAULTS = { maxSize: 20 * 1024 * 1024, maxFiles: 5, compress: true };

function atoi(v: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

function parseBool(v: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** The rotation a json-file or local config asks for; throws docker's message for a bad value. */
export function rotationOf(config: LogConfig): RotationOptions {
  const opts = config.Config ?? {};
  const local = config.Type === 'local';
  let maxSize = local ? LOCAL_DEFAULTS.maxSize : undefined;
  if (opts['max-size'] !== undefined) {
    maxSize = fromHumanSize(opts['max-size']);
    if (maxSize <= 0) throw new Error('max-size must be a positive number');
  }
  let maxFiles = local ? LOCAL_DEFAULTS.maxFiles : 1;
  if (opts['max-file'] !== undefined) {
    maxFiles = atoi(opts['max-file']);
    if (maxFiles < 1) throw new Error('max-file cannot be less than 1');
  }
  let compress = local ? LOCAL_DEFAULTS.compress : false;
  if (opts.compress !== undefined) {
    compress = parseBool(opts.compress);
    if (!local && compress && (maxFiles === 1 || maxSize === undefined))
      throw new Error('compress cannot be true when max-file is less than 2 or max-size is not set');
  }
  // Without a size there is nothing to rotate; a single file is truncated, so not compressed.
  return { maxSize, maxFiles, compress: compress && maxFiles > 1 };
}

/** Driver and option names as dockerd checks them, then the values as the driver would at start. */
function validate(config: LogConfig): void {
  const keys = Object.keys(config.Config ?? {});
  if (config.Type === 'none') return;
  if (config.Type === 'json-file') {
    const bad = keys.find((k) => !JSON_FILE_OPTS.includes(k));
    if (bad) throw new Error(`unknown log opt '${bad}' for json-file log driver`);
  } else if (config.Type === 'local') {
    const bad = keys.find((k) => !LOCAL_OPTS.includes(k));
    if (bad) throw new Error(`unknown log opt '${bad}' for log driver local`);
  } else throw new Error(`logger: no log driver named '${config.Type}' is registered`);
  rotationOf(config);
}

/**
 * A container's log config with the daemon's defaults merged in, as dockerd does at create: an
 * empty type is the daemon's driver, and the daemon's options fill in those a container of that
 * same driver does not set. Throws a InvalidArgumentError (docker's 400) when it cannot be used.
 */
export function resolveLogConfig(
  own: LogConfig | undefined,
  defaults: LogConfig = DEFAULT_LOG_CONFIG,
): LogConfig {
  const type = own?.Type || defaults.Type;
  const config = { ...(own?.Config ?? {}) };
  if (type === defaults.Type) for (const [k, v] of Object.entries(defaults.Config ?? {})) config[k] ??= v;
  const resolved = { Type: type, Config: config };
  try {
    validate(resolved);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return resolved;
}

/** The daemon's `log-driver` and `log-opts` (engine.json), checked as a container's would be. */
export function daemonLogConfig(
  settings: { 'log-driver'?: unknown; 'log-opts'?: unknown },
  file: string,
): LogConfig {
  const type = settings['log-driver'] ?? DEFAULT_LOG_CONFIG.Type;
  const opts = settings['log-opts'] ?? {};
  try {
    if (typeof type !== 'string') throw new Error('"log-driver" must be a string');
    if (!opts || typeof opts !== 'object' || Object.values(opts).some((v) => typeof v !== 'string'))
      throw new Error('"log-opts" must map option names to strings');
    const config = { Type: type, Config: opts as Record<string, string> };
    validate(config);
    return config;
  } catch (err) {
    throw new TscomposeError(`${file}: ${(err as Error).message}`, { code: 'ENGINE_CONFIG' });
  }
}

/** Where a driver keeps the log of the container whose json-file log is `logPath`. */
function fileOf(logPath: string, config: LogConfig): string {
  return config.Type === 'local' ? logPath.replace(/-json\.log$/, '-local.log') : logPath;
}

/** Records made before log drivers existed have no config: they are json-file without options. */
const configOf = (config: LogConfig | undefined): LogConfig => config ?? DEFAULT_LOG_CONFIG;

export function openLogWriter(
  logPath: string,
  logConfig: LogConfig | undefined,
  report?: LogReport,
  held?: () => boolean,
): ContainerLogWriter {
  const config = configOf(logConfig);
  if (config.Type === 'none')
    return { write: () => undefined, close: () => undefined, dropped: { Lines: 0, Bytes: 0 } };
  return new JsonLogWriter(fileOf(logPath, config), undefined, rotationOf(config), report, held);
}

export function readContainerLogs(
  logPath: string,
  logConfig: LogConfig | undefined,
  opts: LogsOptions,
  signal?: AbortSignal,
  isDone?: () => boolean,
): AsyncIterable<OutputChunk> {
  const config = configOf(logConfig);
  if (config.Type === 'none') return refuse();
  return readLogs(fileOf(logPath, config), opts, signal, isDone);
}

// dockerd answers 501 Not Implemented for a driver without a reader.
// eslint-disable-next-line require-yield
async function* refuse(): AsyncGenerator<OutputChunk> {
  throw new NotImplementedError('configured logging driver does not support reading');
}
