/**
 * Capabilities, `--security-opt`, seccomp and the masked /proc and /sys paths, as the docker
 * daemon decides them (parseSecurityOpt, WithSeccomp, the OCI defaults). A bad seccomp profile
 * fails here, at create, not at the first start.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { HostConfig } from '../../engine-api/container/types';
import { resolveCapabilities } from '../runtime/capabilities';
import { checkSeccompSpec } from '../runtime/seccomp';
import type { SeccompSpec } from '../runtime/spec';

export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const DEFAULT_READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

export interface Security {
  privileged: boolean;
  capabilities: string[];
  noNewPrivileges: boolean;
  seccomp: SeccompSpec;
  maskedPaths: string[];
  readonlyPaths: string[];
}

interface SecurityOpts {
  noNewPrivileges: boolean;
  /** undefined: the built-in profile. */
  seccomp?: string;
  /** `systempaths=unconfined`: nothing masked, nothing read-only. */
  unmaskSystemPaths: boolean;
}

/** Go's strconv.ParseBool, which docker uses for `no-new-privileges:<bool>`. */
function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

/** `key=value`, or the older `key:value` docker still accepts. */
function parseSecurityOpts(opts: readonly string[]): SecurityOpts {
  const out: SecurityOpts = { noNewPrivileges: false, unmaskSystemPaths: false };
  for (const opt of opts) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    if (opt === 'disable') continue; // label=disable's short form: no SELinux here anyway
    const sep = opt.includes('=') ? opt.indexOf('=') : opt.indexOf(':');
    const key = sep < 0 ? opt : opt.slice(0, sep);
    const value = sep < 0 ? '' : opt.slice(sep + 1);
    const invalid = () => new InvalidArgumentError(`invalid --security-opt: ${opt}`);
    if (sep < 0) throw invalid();
    switch (key) {
      case 'label':
      case 'apparmor':
        break; // neither SELinux nor AppArmor is applied by this engine
      case 'seccomp':
        if (value === '') throw invalid();
        out.seccomp = value === 'builtin' ? undefined : value;
        break;
      case 'no-new-privileges': {
        const b = parseBool(value);
        if (b === undefined) throw invalid();
        out.noNewPrivileges = b;
        break;
      }
      case 'systempaths':
        if (value !== 'unconfined') throw invalid();
        out.unmaskSystemPaths = true;
        break;
      default:
        throw invalid();
    }
  }
  return out;
}

function seccompSpec(value: string | undefined, capabilities: readonly string[]): SeccompSpec {
  if (value === undefined) return { mode: 'default' };
  if (value === 'unconfined') return { mode: 'unconfined' };
  try {
    checkSeccompSpec({ mode: 'custom', profile: value }, capabilities);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  // The JSON value, not the checked form: the spec is stored as JSON and the checked form holds bigints.
  return { mode: 'custom', profile: JSON.parse(value) as unknown };
}

export function resolveSecurity(hc: HostConfig): Security {
  const privileged = hc.Privileged === true;
  let capabilities: string[];
  try {
    capabilities = resolveCapabilities(hc.CapAdd, hc.CapDrop, privileged);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  const opts = parseSecurityOpts(hc.SecurityOpt ?? []);
  const seccomp = seccompSpec(opts.seccomp, capabilities);
  const confined = !privileged && !opts.unmaskSystemPaths;
  return {
    privileged,
    capabilities,
    noNewPrivileges: opts.noNewPrivileges,
    // docker: a privileged container is never filtered, whatever profile was asked for.
    seccomp: privileged ? { mode: 'unconfined' } : seccomp,
    maskedPaths: confined ? [...DEFAULT_MASKED_PATHS] : [],
    readonlyPaths: confined ? [...DEFAULT_READONLY_PATHS] : [],
  };
}
