/**
 * Image metadata is untrusted input (SECURITY.md): manifests, indexes and configs come from
 * registries and archives nobody here controls, and their digests become file names in the
 * store. Everything is checked here, at the edge, before any of it is used; a bad value fails
 * with one line naming the field (`rootfs.diff_ids[1]: invalid digest "sha256:../../x"`).
 */
import { TscomposeError } from '../../common/errors';

/** A bad manifest, index, config or archive: the client's input, so a 400 where there is an answer to give. */
export class InvalidImageError extends TscomposeError {
  constructor(message: string) {
    super(message, { code: 'INVALID_IMAGE', kind: 'invalid-argument' });
  }
}

const SHA256 = /^sha256:[a-f0-9]{64}$/;
/** An algorithm we do not store (sha512, blake3): named as such rather than "invalid". */
const OTHER_ALGORITHM = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):[a-zA-Z0-9=_-]+$/;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && SHA256.test(value);
}

/** Why `value` is no digest we accept, or undefined when it is one. */
export function digestProblem(value: unknown): string | undefined {
  if (isDigest(value)) return undefined;
  const alg = typeof value === 'string' ? OTHER_ALGORITHM.exec(value)?.[1] : undefined;
  if (alg && alg !== 'sha256')
    return `invalid digest ${JSON.stringify(value)}: unsupported algorithm ${alg}, only sha256 is supported`;
  return `invalid digest ${JSON.stringify(value)}`;
}

/** Throws an InvalidImageError `<what>: <field>: <problem>` for a value that is no sha256 digest. */
export function checkDigest(value: unknown, what: string, field?: string): string {
  const problem = digestProblem(value);
  if (problem) throw new InvalidImageError(`${what}: ${field ? `${field}: ` : ''}${problem}`);
  return value as string;
}

type Json = Record<string, unknown>;

/** Collects the first problem as `field: why` and throws it with the object's name. */
class Checker {
  constructor(private readonly what: string) {}

  fail(field: string, why: string): never {
    throw new InvalidImageError(`${this.what}: ${field}: ${why}`);
  }

  object(value: unknown, field: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(field, `must be an object, not ${kind(value)}`);
    return value as Json;
  }

  /** Absent and null (docker writes `"Env": null`) are both fine for an optional field. */
  optional(value: unknown): boolean {
    return value === undefined || value === null;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, `must be a string, not ${kind(value)}`);
    return value;
  }

  optString(obj: Json, key: string, prefix: string): void {
    if (!this.optional(obj[key])) this.string(obj[key], `${prefix}${key}`);
  }

  list(value: unknown, field: string, of = ''): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `must be a list${of}, not ${kind(value)}`);
    return value as unknown[];
  }

  stringArray(value: unknown, field: string): string[] {
    this.list(value, field, ' of strings').forEach((v, i) => this.string(v, `${field}[${i}]`));
    return value as string[];
  }

  optStringArray(obj: Json, key: string, prefix: string): void {
    if (!this.optional(obj[key])) this.stringArray(obj[key], `${prefix}${key}`);
  }

  optObject(obj: Json, key: string, prefix: string): Json | undefined {
    return this.optional(obj[key]) ? undefined : this.object(obj[key], `${prefix}${key}`);
  }

  size(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      this.fail(field, `must be a whole number of bytes from 0 to 2^53, not ${short(value)}`);
    return value;
  }

  digest(value: unknown, field: string): string {
    const problem = digestProblem(value);
    if (problem) this.fail(field, problem);
    return value as string;
  }

  descriptor(value: unknown, field: string): void {
    const d = this.object(value, field);
    this.string(d.mediaType, `${field}.mediaType`);
    this.digest(d.digest, `${field}.digest`);
    this.size(d.size, `${field}.size`);
    if (!this.optional(d.urls)) this.stringArray(d.urls, `${field}.urls`);
    const annotations = this.optObject(d, 'annotations', `${field}.`);
    if (annotations)
      for (const [k, v] of Object.entries(annotations))
        this.string(v, `${field}.annotations[${JSON.stringify(k)}]`);
  }
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${short(value)}`;
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The bytes as a JSON object, or one line saying why they are not. */
export function parseJsonObject(bytes: Buffer | string, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (err) {
    throw new InvalidImageError(`${what}: not JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidImageError(`${what}: must be a JSON object, not ${kind(value)}`);
  return value as Json;
}

/** An image manifest (OCI or Docker schema2): config and layers descriptors. */
export function checkManifestShape(value: unknown, what: string): void {
  const c = new Checker(what);
  const m = c.object(value, 'manifest');
  if (!c.optional(m.mediaType)) c.string(m.mediaType, 'mediaType');
  c.descriptor(m.config, 'config');
  c.list(m.layers, 'layers').forEach((l, i) => c.descriptor(l, `layers[${i}]`));
}

/** An image index (OCI index or Docker manifest list): its manifests' descriptors and platforms. */
export function checkIndexShape(value: unknown, what: string): void {
  const c = new Checker(what);
  const idx = c.object(value, 'index');
  if (!c.optional(idx.mediaType)) c.string(idx.mediaType, 'mediaType');
  c.list(idx.manifests, 'manifests').forEach((d, i) => {
    const field = `manifests[${i}]`;
    c.descriptor(d, field);
    const p = c.optObject(d as Json, 'platform', `${field}.`);
    if (p) {
      for (const key of ['os', 'architecture', 'variant', 'os.version'])
        c.optString(p, key, `${field}.platform.`);
    }
  });
}

/** An image config: the fields the engine reads, each of the type it expects. */
export function checkConfigShape(value: unknown, what: string): void {
  const c = new Checker(what);
  const cfg = c.object(value, 'config');
  for (const key of ['architecture', 'os', 'variant', 'created', 'author']) c.optString(cfg, key, '');
  const rootfs = c.object(cfg.rootfs, 'rootfs');
  c.list(rootfs.diff_ids, 'rootfs.diff_ids', ' of digests').forEach((d, i) =>
    c.digest(d, `rootfs.diff_ids[${i}]`),
  );
  if (!c.optional(cfg.history))
    c.list(cfg.history, 'history').forEach((h, i) => c.object(h, `history[${i}]`));
  const run = c.optObject(cfg, 'config', '');
  if (!run) return;
  for (const key of ['Cmd', 'Entrypoint', 'Env', 'Shell', 'OnBuild']) c.optStringArray(run, key, 'config.');
  for (const key of ['WorkingDir', 'User', 'StopSignal', 'Hostname', 'Domainname'])
    c.optString(run, key, 'config.');
  for (const key of ['ExposedPorts', 'Volumes']) c.optObject(run, key, 'config.');
  const labels = c.optObject(run, 'Labels', 'config.');
  if (labels) for (const [k, v] of Object.entries(labels)) c.string(v, `config.Labels[${JSON.stringify(k)}]`);
  const health = c.optObject(run, 'Healthcheck', 'config.');
  if (health) {
    if (!c.optional(health.Test)) c.stringArray(health.Test, 'config.Healthcheck.Test');
    for (const key of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries']) {
      const v = health[key];
      if (!c.optional(v) && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0))
        c.fail(`config.Healthcheck.${key}`, `must be a whole number from 0, not ${short(v)}`);
    }
  }
}
