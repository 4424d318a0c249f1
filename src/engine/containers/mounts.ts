/**
 * Binds (`-v src:dst:mode`), Mounts (the `--mount` objects) and Tmpfs (`--tmpfs`) checked and
 * turned into MountSpecs with docker's parsing rules and messages (volume/mounts linux parser,
 * MergeTmpfsOptions). Named and anonymous volumes, the image's VOLUMEs and `--volumes-from`
 * become binds of the volumes' directories; what the volumes need (made, copied up) is listed
 * for the volume manager, which acts once the whole request is checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../common/errors';
import type { HostConfig, MountPoint } from '../../engine-api/container/types';
import type { MountSpec } from '../runtime/spec';
import { newVolumeName, validateVolumeName } from '../volumes/names';
import type { VolumeUse } from '../volumes/manager';

const PROPAGATION = ['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate'];
const CONSISTENCY = ['consistent', 'cached', 'delegated']; // macOS hints, meaningless on Linux

const NO_VOLUMES = 'named volumes are not supported yet';

/** What volumes need from the engine; without it (a spec built alone) volumes are refused. */
export interface VolumeContext {
  /** The host directory of a volume's data. */
  source(name: string): string;
  /** The binds and volumes of another container (`--volumes-from`), as its spec has them. */
  volumesFrom(ref: string): MountSpec[];
  /** Paths the image declares (VOLUME) and the request's Config.Volumes (`-v /path`). */
  anonymousPaths: string[];
  /** Filled: the volumes the container mounts, for the volume manager. */
  uses: VolumeUse[];
}

/** A volume mount and what the manager must do for it. */
interface VolumeMount {
  spec: MountSpec;
  use: VolumeUse;
}

function volumeMount(
  ctx: VolumeContext,
  name: string | undefined,
  dst: string,
  o: { readonly: boolean; nocopy: boolean; mode: string; labels?: Record<string, string> },
): VolumeMount {
  const anonymous = !name;
  const vol = name ? validateVolumeName(name) : newVolumeName();
  const options = ['rbind'];
  if (o.readonly) options.push('ro');
  return {
    spec: {
      type: 'bind',
      source: ctx.source(vol),
      target: dst,
      options,
      volume: { name: vol, mode: o.mode },
    },
    use: { name: vol, anonymous, target: dst, copy: !o.nocopy, labels: o.labels },
  };
}

/** A volume's `-v` mode: `ro|rw`, `nocopy`, `z|Z` and a consistency, each at most once. */
function parseVolumeMode(mode: string): { readonly: boolean; nocopy: boolean } | undefined {
  const seen = new Map<string, string>();
  for (const m of mode.split(',')) {
    const kind = ['ro', 'rw'].includes(m)
      ? 'rw'
      : m === 'nocopy'
        ? 'copy'
        : ['z', 'Z'].includes(m)
          ? 'label'
          : CONSISTENCY.includes(m)
            ? 'consistency'
            : undefined;
    if (!kind || seen.has(kind)) return undefined;
    seen.set(kind, m);
  }
  return { readonly: seen.get('rw') === 'ro', nocopy: seen.has('copy') };
}

/** The defaults docker puts before every tmpfs's own options. */
const TMPFS_DEFAULTS = ['noexec', 'nosuid', 'nodev'];

/** Flags a tmpfs accepts; a `no`-prefixed flag and its plain form are one setting. */
const TMPFS_FLAGS = new Set([
  'ro',
  'rw',
  'suid',
  'nosuid',
  'dev',
  'nodev',
  'exec',
  'noexec',
  'sync',
  'async',
  'dirsync',
  'mand',
  'nomand',
  'atime',
  'noatime',
  'diratime',
  'nodiratime',
  'relatime',
  'norelatime',
  'strictatime',
  'nostrictatime',
]);
const TMPFS_DATA = new Set(['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

function bindError(detail: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid mount config for type "bind": ${detail}`);
}

function target(raw: string, type: string): string {
  if (!path.posix.isAbsolute(raw)) {
    throw new InvalidArgumentError(
      `invalid mount config for type "${type}": invalid mount path: '${raw}' mount path must be absolute`,
    );
  }
  const clean = path.posix.normalize(raw).replace(/(.)\/$/, '$1');
  if (clean === '/') throw new InvalidArgumentError(`invalid specification: destination can't be '/'`);
  return clean;
}

function existingSource(src: string): string {
  if (!fs.existsSync(src)) throw bindError(`bind source path does not exist: ${src}`);
  return path.resolve(src);
}

function bindSpec(source: string, dst: string, readonly: boolean, propagation?: string): MountSpec {
  const options = ['rbind'];
  if (readonly) options.push('ro');
  if (propagation) options.push(propagation);
  return { type: 'bind', source, target: dst, options };
}

/** `ro|rw`, `z|Z`, a propagation and a consistency mode, each at most once; undefined when invalid. */
function parseBindMode(mode: string): { readonly: boolean; propagation?: string } | undefined {
  const seen = new Map<string, string>();
  for (const m of mode.split(',')) {
    const kind = ['ro', 'rw'].includes(m)
      ? 'rw'
      : ['z', 'Z'].includes(m)
        ? 'label'
        : PROPAGATION.includes(m)
          ? 'propagation'
          : CONSISTENCY.includes(m)
            ? 'consistency'
            : undefined;
    if (!kind || seen.has(kind)) return undefined;
    seen.set(kind, m);
  }
  return { readonly: seen.get('rw') === 'ro', propagation: seen.get('propagation') };
}

export function parseBind(raw: string, ctx?: VolumeContext): MountSpec | VolumeMount {
  const parts = raw.split(':');
  if (parts.length === 1) {
    if (!ctx) throw new InvalidArgumentError('anonymous volumes are not supported yet');
    if (!raw) throw new InvalidArgumentError(`invalid spec: ${raw}`);
    return volumeMount(ctx, undefined, target(raw, 'volume'), { readonly: false, nocopy: false, mode: '' });
  }
  // `/dst:ro` is a destination with a mode and no source: docker refuses it too.
  if (parts.length > 3 || parts.some((p) => p === '') || (parts.length === 2 && parseBindMode(parts[1]))) {
    throw new InvalidArgumentError(`invalid spec: ${raw}`);
  }
  const [src, dst, mode = 'rw'] = parts;
  // A source that is not absolute names a volume (a client resolves `./dir` before sending).
  if (!src.startsWith('/')) {
    if (!ctx) throw new InvalidArgumentError(NO_VOLUMES);
    const vmode = parseVolumeMode(mode);
    if (!vmode) throw new InvalidArgumentError(`invalid mode: ${mode}`);
    return volumeMount(ctx, src, target(dst, 'volume'), { ...vmode, mode: parts[2] ?? 'z' });
  }
  const parsed = parseBindMode(mode);
  if (!parsed) throw new InvalidArgumentError(`invalid mode: ${mode}`);
  return bindSpec(existingSource(src), target(dst, 'bind'), parsed.readonly, parsed.propagation);
}

function tmpfsSpec(dst: string, own: string[], readonly = false): MountSpec {
  return {
    type: 'tmpfs',
    source: 'tmpfs',
    target: dst,
    options: mergeTmpfsOptions([...TMPFS_DEFAULTS, ...(readonly ? ['ro'] : []), ...own]),
  };
}

/** Later options win over earlier ones of the same setting (`exec` over the default `noexec`). */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const settings = new Map<string, string>();
  for (const opt of options) {
    if (opt === '' || opt === 'defaults') continue;
    let key: string;
    if (TMPFS_FLAGS.has(opt)) key = opt === 'ro' || opt === 'rw' ? 'rw' : opt.replace(/^no/, '');
    else {
      const eq = opt.indexOf('=');
      key = eq < 0 ? '' : opt.slice(0, eq);
      if (!TMPFS_DATA.has(key) || eq === opt.length - 1) {
        throw new InvalidArgumentError(`invalid tmpfs option "${opt}"`);
      }
      key = `${key}=`;
    }
    settings.delete(key); // re-inserted: the last setting keeps the last place
    settings.set(key, opt);
  }
  return [...settings.values()];
}

function fromMountPoint(m: MountPoint, ctx?: VolumeContext): MountSpec | VolumeMount {
  switch (m.Type) {
    case 'bind': {
      if (!m.Source) throw bindError('field Source must not be empty');
      if (!path.isAbsolute(m.Source)) {
        throw bindError(`invalid mount path: '${m.Source}' mount path must be absolute`);
      }
      if (m.BindOptions?.CreateMountpoint) fs.mkdirSync(m.Source, { recursive: true });
      const propagation = m.BindOptions?.Propagation || undefined;
      if (propagation && !PROPAGATION.includes(propagation)) {
        throw bindError(`invalid propagation mode: ${propagation}`);
      }
      return bindSpec(existingSource(m.Source), target(m.Target, 'bind'), m.ReadOnly === true, propagation);
    }
    case 'tmpfs': {
      if (m.Source) {
        throw new InvalidArgumentError(
          'invalid mount config for type "tmpfs": field Source must not be specified',
        );
      }
      const own: string[] = [];
      const size = m.TmpfsOptions?.SizeBytes;
      const mode = m.TmpfsOptions?.Mode;
      if (size !== undefined && (!Number.isInteger(size) || size < 0)) {
        throw new InvalidArgumentError(`invalid tmpfs size: ${size}`);
      }
      if (size) own.push(`size=${size}`);
      if (mode) own.push(`mode=${mode.toString(8)}`);
      return tmpfsSpec(target(m.Target, 'tmpfs'), own, m.ReadOnly === true);
    }
    case 'volume':
      if (!ctx) throw new InvalidArgumentError(NO_VOLUMES);
      return volumeMount(ctx, m.Source || undefined, target(m.Target, 'volume'), {
        readonly: m.ReadOnly === true,
        nocopy: m.VolumeOptions?.NoCopy === true,
        mode: '',
        labels: m.VolumeOptions?.Labels,
      });
    default:
      throw new InvalidArgumentError(`mount type unknown: ${String((m as { Type: unknown }).Type)}`);
  }
}

/** `<container>[:ro|:rw]`: the other container's binds and volumes, where it has them. */
function volumesFrom(raw: string, ctx: VolumeContext): (MountSpec | VolumeMount)[] {
  const [ref, mode, ...rest] = raw.split(':');
  if (!ref || rest.length || (mode !== undefined && !['ro', 'rw'].includes(mode)))
    throw new InvalidArgumentError(`invalid mode: ${mode ?? raw}`);
  return ctx.volumesFrom(ref).map((m) => {
    const options = m.options.filter((o) => mode === undefined || (o !== 'ro' && o !== 'rw'));
    if (mode === 'ro') options.push('ro');
    const spec: MountSpec = { ...m, options };
    if (!m.volume) return spec;
    return { spec, use: { name: m.volume.name, anonymous: false, target: m.target, copy: false } };
  });
}

const specOf = (m: MountSpec | VolumeMount): MountSpec => ('spec' in m ? m.spec : m);

/**
 * Every mount the body asks for, parents before children (docker sorts by depth, so order in the
 * body never matters). With a volume context, `--volumes-from` and anonymous volumes for the
 * image's and the request's VOLUME paths fill what the request's own mounts leave.
 */
export function resolveMounts(hc: HostConfig, ctx?: VolumeContext): MountSpec[] {
  const own = [
    ...(hc.Binds ?? []).map((b) => parseBind(b, ctx)),
    ...(hc.Mounts ?? []).map((m) => fromMountPoint(m, ctx)),
    ...Object.entries(hc.Tmpfs ?? {}).map(([dst, opts]) =>
      tmpfsSpec(target(dst, 'tmpfs'), opts ? opts.split(',') : []),
    ),
  ];
  const seen = new Set<string>();
  for (const m of own.map(specOf)) {
    if (seen.has(m.target)) throw new InvalidArgumentError(`Duplicate mount point: ${m.target}`);
    seen.add(m.target);
  }
  const all = [...own];
  if (ctx) {
    for (const m of (hc.VolumesFrom ?? []).flatMap((v) => volumesFrom(v, ctx))) {
      if (seen.has(specOf(m).target)) continue;
      seen.add(specOf(m).target);
      all.push(m);
    }
    for (const p of ctx.anonymousPaths) {
      const dst = target(p, 'volume');
      if (seen.has(dst)) continue;
      seen.add(dst);
      all.push(volumeMount(ctx, undefined, dst, { readonly: false, nocopy: false, mode: '' }));
    }
    for (const m of all) if ('use' in m) ctx.uses.push(m.use);
  }
  const mounts = all.map(specOf);
  const depth = (m: MountSpec) => m.target.split('/').length;
  return mounts.sort((a, b) => depth(a) - depth(b));
}
