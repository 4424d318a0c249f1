/**
 * docker's parsers for the values of `run` flags, with docker's wording. A ValueError is what
 * pflag would wrap as `invalid argument "x" for "--flag" flag: …`; a UsageError stands alone.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import type { MountPoint, RestartPolicy, Ulimit } from '../../engine-api/container/types';
import { goBool } from '../format/go-format';
import { UsageError } from '../flags/usage';

import * as units from '../../common/units';

export class ValueError extends Error {}

/** go-units' RAMInBytes: binary units, case-insensitive, the `b` optional (`512m`, `1.5GiB`). */
export function ramInBytes(v: string): number {
  try {
    return units.ramInBytes(v);
  } catch (err) {
    throw new ValueError((err as Error).message);
  }
}

/** strconv.ParseInt, base 10. */
export function parseInteger(v: string): number {
  if (!/^[+-]?\d+$/.test(v)) throw new ValueError(`strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

/** `--cpus 1.5` → 1.5e9 NanoCpus, in decimal arithmetic so that `0.1` stays exact. */
export function nanoCpus(v: string): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(v);
  if (!m || `${m[2]}${m[3] ?? ''}` === '') throw new ValueError(`failed to parse ${v} as a rational number`);
  let digits = `${m[2]}${m[3] ?? ''}`;
  const shift = Number(m[4] ?? 0) - (m[3] ?? '').length + 9;
  if (shift >= 0) digits += '0'.repeat(shift);
  else if (/^0*$/.test(digits.slice(shift))) digits = digits.slice(0, shift) || '0';
  else throw new ValueError('value is too precise');
  return Number(`${m[1]}${digits}`);
}

const ULIMITS = new Set(
  'core cpu data fsize locks memlock msgqueue nice nofile nproc rss rtprio rttime sigpending stack'.split(
    ' ',
  ),
);

/** go-units' ParseUlimit: `nofile=1024:2048`, `nproc=100` (soft = hard), `infinity` is -1. */
export function parseUlimit(v: string): Ulimit {
  const eq = v.indexOf('=');
  if (eq < 0) throw new ValueError(`invalid ulimit argument: ${v}`);
  const name = v.slice(0, eq);
  if (!ULIMITS.has(name)) throw new ValueError(`invalid ulimit type: ${name}`);
  const limits = v.slice(eq + 1).split(':');
  if (limits.length > 2)
    throw new ValueError(
      `too many limit value arguments - ${v.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``,
    );
  const [soft, hard] = limits.map((l) => (l === 'infinity' ? -1 : parseInteger(l)));
  const Hard = hard ?? soft;
  if (Hard !== -1 && soft === -1)
    throw new ValueError(
      `ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${Hard}`,
    );
  if (Hard !== -1 && soft > Hard)
    throw new ValueError(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${Hard}`);
  return { Name: name, Soft: soft, Hard };
}

const POLICIES = ['no', 'always', 'on-failure', 'unless-stopped'];

/** `no`, `always`, `on-failure[:N]`, `unless-stopped`, checked as the daemon checks them. */
export function parseRestartPolicy(v: string): RestartPolicy {
  const colon = v.indexOf(':');
  const name = colon < 0 ? v : v.slice(0, colon);
  const count = colon < 0 ? '' : v.slice(colon + 1);
  if (colon === 0) throw new UsageError('invalid restart policy format: no policy provided before colon');
  if (count !== '' && !/^[+-]?\d+$/.test(count))
    throw new UsageError('invalid restart policy format: maximum retry count must be an integer');
  const retries = count === '' ? 0 : Number(count);
  if (!POLICIES.includes(name))
    throw new UsageError(
      `invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`,
    );
  if (name !== 'on-failure' && retries !== 0)
    throw new UsageError(
      `invalid restart policy: maximum retry count can only be used with 'on-failure'${retries < 0 ? ' and cannot be negative' : ''}`,
    );
  if (retries < 0) throw new UsageError('invalid restart policy: maximum retry count cannot be negative');
  const policy: RestartPolicy = { Name: name as RestartPolicy['Name'] };
  if (name === 'on-failure') policy.MaximumRetryCount = retries;
  return policy;
}

/** `-v SRC:DST[:OPTS]` or `-v DST` (an anonymous volume); a relative SRC names a volume. */
export function checkVolume(v: string): string {
  const parts = v.split(':');
  const target = parts.length === 1 ? parts[0] : parts[1];
  if (parts.length > 3 || parts.includes('') || !target.startsWith('/'))
    throw new UsageError(`invalid volume specification: '${v}'`);
  return v;
}

/** The fields of one CSV record, as Go's encoding/csv reads `--mount` (quotes allowed). */
function csvFields(v: string): string[] {
  const fields: string[] = [];
  const re = /(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g;
  for (let m = re.exec(v); m && m.index < v.length; m = re.exec(v)) {
    fields.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
    if (re.lastIndex === m.index) re.lastIndex += 1;
  }
  return fields;
}

/** `--mount type=bind,source=/a,target=/b,readonly`; volume is the default type, as docker's. */
export function parseMount(v: string, cwd: string): MountPoint {
  const mount: MountPoint = { Type: 'volume', Target: '' };
  for (const field of csvFields(v)) {
    const eq = field.indexOf('=');
    const key = eq < 0 ? field : field.slice(0, eq);
    const val = field.slice(eq + 1);
    if (eq < 0 && key !== 'readonly' && key !== 'ro' && key !== 'volume-nocopy')
      throw new ValueError(`invalid field '${field}' must be a key=value pair`);
    if (key === 'type') mount.Type = val.toLowerCase() as MountPoint['Type'];
    else if (key === 'source' || key === 'src')
      mount.Source = val === '.' || val.startsWith('./') ? path.resolve(cwd, val) : val;
    else if (key === 'target' || key === 'dst' || key === 'destination') mount.Target = val;
    else if (key === 'readonly' || key === 'ro') {
      const ro = eq < 0 ? true : goBool(val);
      if (ro === undefined) throw new ValueError(`invalid value for ${key}: ${val}`);
      mount.ReadOnly = ro;
    } else if (key === 'bind-propagation') mount.BindOptions = { Propagation: val.toLowerCase() };
    else if (key === 'tmpfs-size')
      mount.TmpfsOptions = { ...mount.TmpfsOptions, SizeBytes: tmpfsSize(key, val) };
    else if (key === 'tmpfs-mode') mount.TmpfsOptions = { ...mount.TmpfsOptions, Mode: tmpfsMode(key, val) };
    else if (key === 'volume-nocopy') {
      const nocopy = eq < 0 ? true : goBool(val);
      if (nocopy === undefined) throw new ValueError(`invalid value for ${key}: ${val}`);
      mount.VolumeOptions = { ...mount.VolumeOptions, NoCopy: nocopy };
    } else if (key === 'volume-label') {
      const [k, ...rest] = val.split('=');
      mount.VolumeOptions = {
        ...mount.VolumeOptions,
        Labels: { ...mount.VolumeOptions?.Labels, [k]: rest.join('=') },
      };
    } else if (key !== 'consistency') throw new ValueError(`unexpected key '${key}' in '${field}'`);
  }
  if (!['bind', 'volume', 'tmpfs'].includes(mount.Type))
    throw new ValueError(`invalid mount config for type "${mount.Type}": mount type unknown`);
  if (mount.Target === '') throw new ValueError('target is required');
  if (mount.BindOptions && mount.Type !== 'bind')
    throw new ValueError(`cannot mix 'bind-*' options with mount type '${mount.Type}'`);
  if (mount.VolumeOptions && mount.Type !== 'volume')
    throw new ValueError(`cannot mix 'volume-*' options with mount type '${mount.Type}'`);
  if (mount.TmpfsOptions && mount.Type !== 'tmpfs')
    throw new ValueError(`cannot mix 'tmpfs-*' options with mount type '${mount.Type}'`);
  return mount;
}

function tmpfsSize(key: string, val: string): number {
  try {
    return ramInBytes(val);
  } catch {
    throw new ValueError(`invalid value for ${key}: ${val}`);
  }
}

function tmpfsMode(key: string, val: string): number {
  if (!/^[0-7]+$/.test(val)) throw new ValueError(`invalid value for ${key}: ${val}`);
  return parseInt(val, 8);
}

/** `--add-host name:ip` or `name=ip` (also `[v6]`), sent as the `name:ip` the API takes. */
export function extraHost(v: string): string {
  const sep = v.includes('=') ? '=' : ':';
  const at = v.indexOf(sep);
  const name = v.slice(0, at);
  let ip = v.slice(at + 1);
  if (at < 0 || name === '' || name.includes(':')) throw new ValueError(`bad format for add-host: "${v}"`);
  if (ip !== 'host-gateway') {
    if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
    if (!isIP(ip)) throw new ValueError(`invalid IP address in add-host: "${ip}"`);
  }
  return `${name}:${ip}`;
}

export function ipAddress(v: string): string {
  if (!isIP(v.trim())) throw new ValueError(`IP address is not correctly formatted: ${v}`);
  return v.trim();
}

/** `KEY=VALUE`; which keys a container may set (those of its own namespaces) the engine decides. */
export function sysctl(v: string): [string, string] {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new ValueError(`sysctl '${v}' is not allowed`);
  return [v.slice(0, eq), v.slice(eq + 1)];
}

/** Go's time.ParseDuration, in nanoseconds as the API wants healthcheck durations. */
export function durationNs(v: string): number {
  const ns = units.tryParseDuration(v);
  if (ns === undefined || !/^[0-9]/.test(v)) throw new ValueError(`time: invalid duration "${v}"`);
  return ns;
}
