/**
 * Linux capability names and numbers, Docker's default set, and cap_add/cap_drop resolved the way
 * Docker resolves them. Pure: the init turns the resulting names into capset/bounding-set calls.
 */
import { TscomposeError } from '../../common/errors';

/** Index = capability number (include/uapi/linux/capability.h). */
export const CAPABILITY_NAMES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

export const CAP_LAST_CAP = CAPABILITY_NAMES.length - 1;

const NUMBERS = new Map(CAPABILITY_NAMES.map((name, i) => [name, i]));

/** Docker's default set (CapEff 00000000a80425fb), in capability-number order. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_RAW',
  'CAP_SYS_CHROOT',
  'CAP_MKNOD',
  'CAP_AUDIT_WRITE',
  'CAP_SETFCAP',
];

export class CapabilityError extends TscomposeError {
  constructor(message: string) {
    super(message, { code: 'INVALID_CAPABILITY', exitCode: 125 });
  }
}

/** 'net_admin', 'NET_ADMIN', 'cap_net_admin' → 'CAP_NET_ADMIN'; 'all' → 'ALL'. Throws on unknown names. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL' || upper === 'CAP_ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!NUMBERS.has(full)) throw new CapabilityError(`unknown capability: "${name}"`);
  return full;
}

export function capabilityNumber(name: string): number {
  const n = NUMBERS.get(normalizeCapability(name));
  if (n === undefined) throw new CapabilityError(`"${name}" is not a single capability`);
  return n;
}

/**
 * The container's capability names, in number order, with the Docker daemon's rules
 * (moby `TweakCapabilities`): privileged → every capability; cap_add ALL → every capability
 * except those in cap_drop; cap_drop ALL → exactly cap_add; otherwise the default set minus
 * cap_drop plus cap_add — so a name in both lists stays (cap_add wins, as `docker run
 * --cap-add X --cap-drop X` keeps X), except under cap_add ALL where the drop wins.
 */
export function resolveCapabilities(
  capAdd: string[] = [],
  capDrop: string[] = [],
  privileged = false,
): string[] {
  const add = capAdd.map(normalizeCapability);
  const drop = capDrop.map(normalizeCapability);
  if (privileged) return [...CAPABILITY_NAMES];

  let set: Set<string>;
  if (add.includes('ALL')) set = new Set(CAPABILITY_NAMES.filter((c) => !drop.includes(c)));
  else if (drop.includes('ALL')) set = new Set(add);
  else set = new Set([...DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)), ...add]);
  return CAPABILITY_NAMES.filter((c) => set.has(c));
}

/** The 64-bit mask of a set of names (bit n = capability n), as /proc/<pid>/status prints it. */
export function capabilityMask(names: Iterable<string>): bigint {
  let mask = 0n;
  for (const name of names) mask |= 1n << BigInt(capabilityNumber(name));
  return mask;
}

/** `00000000a80425fb`: the 16-digit form of CapEff/CapPrm/... in /proc/<pid>/status. */
export function formatCapabilityMask(mask: bigint): string {
  return mask.toString(16).padStart(16, '0');
}

/** The names in a mask, in number order (bits beyond CAP_LAST_CAP are ignored). */
export function capabilitiesFromMask(mask: bigint): string[] {
  return CAPABILITY_NAMES.filter((_, i) => (mask >> BigInt(i)) & 1n);
}
