/**
 * What `GET /info` reports about the host, read as dockerd reads it: /etc/os-release, the
 * backing file system of the state root (from mountinfo), sysctls, the descriptors open.
 */
import fs from 'node:fs';
import path from 'node:path';

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** PRETTY_NAME and VERSION_ID, docker's OperatingSystem and OSVersion. */
export function osRelease(): { name: string; version: string } {
  const fields: Record<string, string> = {};
  for (const line of readOr('/etc/os-release', '').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return { name: fields.PRETTY_NAME ?? 'Linux', version: fields.VERSION_ID ?? '' };
}

/** docker's names for the file systems overlay2 sits on (ext2/3/4 are all `extfs`). */
const FS_NAMES: Record<string, string> = { ext2: 'extfs', ext3: 'extfs', ext4: 'extfs' };

/** The type of the mount holding `dir` (the longest mount point that is a prefix of it). */
export function backingFilesystem(dir: string): string {
  let best = { point: '', type: '<unknown>' };
  const target = path.resolve(dir);
  for (const line of readOr('/proc/self/mountinfo', '').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const point = left.split(' ')[4]?.replace(/\\040/g, ' ') ?? '';
    const inside = target === point || target.startsWith(point === '/' ? '/' : `${point}/`);
    if (inside && point.length >= best.point.length) best = { point, type: right.split(' ')[0] };
  }
  return FS_NAMES[best.type] ?? best.type;
}

/** A 0/1 sysctl; false when absent (br_netfilter not loaded), as dockerd reads it. */
export function sysctlOn(name: string): boolean {
  return readOr(path.join('/proc/sys', name.replace(/\./g, '/')), '0').trim() === '1';
}

export function openDescriptors(): number {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}

/** The proxy settings docker reports, from the daemon's environment. */
export function proxyEnv(name: string): string {
  return process.env[name] ?? process.env[name.toLowerCase()] ?? '';
}
