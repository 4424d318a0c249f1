/**
 * The volumes of one engine: their records under `<root>/volumes/<name>/`, the local driver's
 * mounts, and which containers use which (always computed from the container records, so a
 * daemon restart finds the same counts). Volume operations and the volume half of a container's
 * create run one at a time: a volume cannot be removed between a create that found it and the
 * record that makes the container its user.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConflictError, InvalidArgumentError, NotFoundError, TscomposeError } from '../../common/errors';
import type { Volume, VolumeCreateOptions, VolumesPruneResponse } from '../../engine-api/volume/types';
import type { ResolvedImage } from '../images/store';
import { PRIVATE_DIR } from '../state/private';
import { copyUp } from './copy-up';
import { checkDriverOpts, mountVolume, unmountVolume } from './local-driver';
import { ANONYMOUS_LABEL, newVolumeName, validateVolumeName } from './names';
import { isVolumeRecord, RECORD_FILE, toVolume, type VolumeRecord } from './record';
import {
  dataDir,
  isEmptyDir,
  makeVolumeDir,
  reclaimRemovals,
  removeVolumeDir,
  usedBytes,
} from './volume-files';

/** A volume a container being created mounts. */
export interface VolumeUse {
  name: string;
  /** Made for this container (`-v /path`, the image's VOLUME): removed with it by `rm -v`. */
  anonymous: boolean;
  /** Where it is mounted in the container: what copy-up copies from the image. */
  target: string;
  /** Copy-up wanted (not `nocopy`, not a `--volumes-from` volume). */
  copy: boolean;
  /** Those of a volume made for this mount (`--mount ...,volume-label=`). */
  labels?: Record<string, string>;
}

export interface VolumeManagerOptions {
  dir: string;
  /** Volume name → the ids of the containers that mount it. */
  users: () => Map<string, string[]>;
  log?: (line: string) => void;
}

const LIST_FILTERS = new Set(['dangling', 'label', 'name', 'driver']);
const PRUNE_FILTERS = new Set(['label', 'label!', 'all']);

function truth(key: string, v: string): boolean {
  if (['true', '1'].includes(v.toLowerCase())) return true;
  if (['false', '0'].includes(v.toLowerCase())) return false;
  throw new InvalidArgumentError(`invalid filter '${key}=${v}'`);
}

function hasLabel(labels: Record<string, string>, v: string): boolean {
  const i = v.indexOf('=');
  return i < 0 ? v in labels : labels[v.slice(0, i)] === v.slice(i + 1);
}

function checkKeys(filters: Record<string, string[]>, valid: Set<string>): void {
  for (const key of Object.keys(filters)) {
    if (!valid.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
  }
}

export class VolumeManager {
  readonly dir: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: VolumeManagerOptions) {
    this.dir = o.dir;
    fs.mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR });
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  /** Runs `fn` after every earlier volume operation. */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * A start finds the volumes of the previous life: removals a crash cut short are finished,
   * an unreadable record is set aside (`volume.json.corrupt`, its data kept) with one log line,
   * and the local driver's mounts are made again.
   */
  recover(): void {
    reclaimRemovals(this.dir, (l) => this.log(l));
    for (const name of fs.readdirSync(this.dir)) {
      if (name.startsWith('.')) continue;
      const file = path.join(this.dir, name, RECORD_FILE);
      if (!fs.existsSync(file)) continue;
      let r: VolumeRecord | undefined;
      try {
        r = this.read(name);
      } catch (err) {
        this.setAside(name, (err as Error).message);
        continue;
      }
      if (!r) continue;
      try {
        mountVolume(dataDir(this.dir, name), r.options);
      } catch (err) {
        this.log(`volume ${name}: ${(err as Error).message}`);
      }
    }
  }

  private setAside(name: string, reason: string): void {
    const file = path.join(this.dir, name, RECORD_FILE);
    try {
      fs.renameSync(file, `${file}.corrupt`);
      this.log(`volume record ${file} cannot be read (${reason}); set aside as ${file}.corrupt`);
    } catch (err) {
      this.log(
        `volume record ${file} cannot be read (${reason}); could not move it aside: ${(err as Error).message}`,
      );
    }
  }

  /** The record, undefined when there is none; throws when it cannot be read. */
  private read(name: string): VolumeRecord | undefined {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.dir, name, RECORD_FILE), 'utf8');
    } catch (err) {
      if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw err;
    }
    const parsed: unknown = JSON.parse(text);
    if (!isVolumeRecord(parsed, name)) throw new Error('not a record of the expected shape');
    return parsed;
  }

  /** Every readable volume; a record gone bad since the start is set aside, the rest served. */
  private all(): VolumeRecord[] {
    const out: VolumeRecord[] = [];
    for (const name of fs.readdirSync(this.dir).sort()) {
      if (name.startsWith('.')) continue;
      try {
        const r = this.read(name);
        if (r) out.push(r);
      } catch (err) {
        this.setAside(name, (err as Error).message);
      }
    }
    return out;
  }

  private find(name: string): VolumeRecord {
    let r: VolumeRecord | undefined;
    try {
      r =
        typeof name === 'string' && name && !name.includes('/') && !name.startsWith('.')
          ? this.read(name)
          : undefined;
    } catch {
      r = undefined;
    }
    if (!r) throw new NotFoundError(`get ${name}: no such volume`);
    return r;
  }

  private createNow(opts: VolumeCreateOptions): VolumeRecord {
    const driver = opts.Driver || 'local';
    if (driver !== 'local')
      throw new NotFoundError(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    const name = opts.Name ? validateVolumeName(opts.Name) : newVolumeName();
    const options = checkDriverOpts(opts.DriverOpts);
    const existing = fs.existsSync(path.join(this.dir, name)) ? this.readOrConflict(name) : undefined;
    if (existing) return existing; // docker answers the volume there is
    const r: VolumeRecord = {
      name,
      driver: 'local',
      createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      labels: { ...(opts.Labels ?? {}) },
      options,
    };
    try {
      makeVolumeDir(this.dir, r);
    } catch (err) {
      throw new TscomposeError(`create ${name}: ${(err as Error).message}`);
    }
    try {
      mountVolume(dataDir(this.dir, name), options);
    } catch (err) {
      removeVolumeDir(this.dir, name);
      throw err;
    }
    return r;
  }

  private readOrConflict(name: string): VolumeRecord {
    try {
      const r = this.read(name);
      if (r) return r;
    } catch {
      // answered below
    }
    throw new ConflictError(`create ${name}: a volume of that name exists and its record cannot be read`);
  }

  create(opts: VolumeCreateOptions): Promise<Volume> {
    return this.exclusive(() => toVolume(this.createNow(opts ?? {}), this.dir));
  }

  list(filters: Record<string, string[]> = {}): Volume[] {
    checkKeys(filters, LIST_FILTERS);
    for (const v of filters.dangling ?? []) truth('dangling', v); // refused even with no volume to test
    const users = this.o.users();
    const tests: Record<string, (r: VolumeRecord, v: string) => boolean> = {
      dangling: (r, v) => truth('dangling', v) === !users.get(r.name)?.length,
      label: (r, v) => hasLabel(r.labels, v),
      name: (r, v) => r.name.includes(v),
      driver: (r, v) => r.driver === v,
    };
    return this.all()
      .filter((r) =>
        Object.entries(filters).every(([key, values]) =>
          key === 'label' ? values.every((v) => tests[key](r, v)) : values.some((v) => tests[key](r, v)),
        ),
      )
      .map((r) => toVolume(r, this.dir));
  }

  inspect(name: string): Volume {
    return toVolume(this.find(name), this.dir);
  }

  remove(name: string, force = false): Promise<void> {
    return this.exclusive(() => {
      let r: VolumeRecord;
      try {
        r = this.find(name);
      } catch (err) {
        if (force && err instanceof NotFoundError) return;
        throw err;
      }
      const users = this.o.users().get(r.name) ?? [];
      if (users.length) throw new ConflictError(`remove ${r.name}: volume is in use - [${users.join(', ')}]`);
      removeVolumeDir(this.dir, r.name);
    });
  }

  prune(filters: Record<string, string[]> = {}): Promise<VolumesPruneResponse> {
    checkKeys(filters, PRUNE_FILTERS);
    const all = (filters.all ?? []).some((v) => truth('all', v));
    return this.exclusive(() => {
      const users = this.o.users();
      const deleted: string[] = [];
      let bytes = 0;
      for (const r of this.all()) {
        if (users.get(r.name)?.length) continue;
        if (!all && !(ANONYMOUS_LABEL in r.labels)) continue;
        if (!(filters.label ?? []).every((v) => hasLabel(r.labels, v))) continue;
        if ((filters['label!'] ?? []).some((v) => hasLabel(r.labels, v))) continue;
        const size = usedBytes(dataDir(this.dir, r.name));
        try {
          removeVolumeDir(this.dir, r.name);
        } catch (err) {
          this.log(`prune: ${(err as Error).message}`);
          continue;
        }
        deleted.push(r.name);
        bytes += size;
      }
      return { VolumesDeleted: deleted, SpaceReclaimed: bytes };
    });
  }

  /** The host directory a volume of this name is mounted from (whether or not it exists yet). */
  source(name: string): string {
    return dataDir(this.dir, name);
  }

  /**
   * The volume half of a container's create, once its request is checked: missing volumes are
   * made, and a new empty one mounted over image content gets that content. Anonymous volumes
   * made here go again when this fails. Call inside `exclusive`, until the container is recorded.
   */
  prepare(uses: readonly VolumeUse[], image: ResolvedImage, scratch: string): void {
    const made: string[] = [];
    try {
      for (const use of uses) {
        let r: VolumeRecord | undefined;
        try {
          r = this.read(use.name);
        } catch {
          throw new ConflictError(`volume ${use.name}: its record cannot be read`);
        }
        if (!r) {
          r = this.createNow({
            Name: use.name,
            Labels: { ...use.labels, ...(use.anonymous ? { [ANONYMOUS_LABEL]: '' } : {}) },
          });
          if (use.anonymous) made.push(r.name);
        }
        const data = dataDir(this.dir, r.name);
        if (use.copy && isEmptyDir(data)) copyUp(image, use.target, data, scratch);
      }
    } catch (err) {
      for (const name of made) {
        try {
          removeVolumeDir(this.dir, name);
        } catch {
          // its own log line would only repeat the create's error
        }
      }
      throw err;
    }
  }

  /** A removed container's anonymous volumes go with it (`rm -v`, `--rm`) unless another uses them. */
  release(names: readonly string[]): Promise<void> {
    return this.exclusive(() => {
      const users = this.o.users();
      for (const name of names) {
        let r: VolumeRecord | undefined;
        try {
          r = this.read(name);
        } catch {
          continue;
        }
        if (!r || !(ANONYMOUS_LABEL in r.labels) || users.get(name)?.length) continue;
        try {
          removeVolumeDir(this.dir, name);
        } catch (err) {
          this.log(`removing volume ${name}: ${(err as Error).message}`);
        }
      }
    });
  }

  /** The daemon's stop: the local driver's mounts are released (the next start makes them again). */
  close(): Promise<void> {
    return this.exclusive(() => {
      for (const r of this.all()) {
        if (r.options.type && !unmountVolume(dataDir(this.dir, r.name)))
          this.log(`volume ${r.name}: its mount could not be released`);
      }
    });
  }
}
