/**
 * Docker's seccomp profile format (what `--security-opt seccomp=<file>` reads), checked into a
 * typed form with errors that say where the profile is wrong.
 */
import { TscomposeError } from '../../../common/errors';

export interface SeccompArg {
  index: number;
  value: number | bigint;
  valueTwo?: number | bigint;
  op: string;
}

export interface SeccompCondition {
  caps?: string[];
  arches?: string[];
  /** 'major.minor': the rule applies from this kernel on. */
  minKernel?: string;
}

export interface SeccompSyscall {
  names: string[];
  action: string;
  args?: SeccompArg[];
  includes?: SeccompCondition;
  excludes?: SeccompCondition;
  errnoRet?: number;
}

export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures: string[] }[];
  syscalls: SeccompSyscall[];
}

export class SeccompProfileError extends TscomposeError {
  constructor(message: string, source?: string) {
    super(source ? `seccomp profile ${source}: ${message}` : `seccomp profile: ${message}`, {
      code: 'SECCOMP_PROFILE',
      exitCode: 125,
    });
  }
}

export const ACTIONS = [
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
];

export const OPERATORS = [
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function stringList(v: unknown, where: string, source?: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    throw new SeccompProfileError(`${where} must be a list of strings`, source);
  }
  return v as string[];
}

function action(v: unknown, where: string, source?: string): string {
  if (typeof v !== 'string' || !ACTIONS.includes(v)) {
    const hint = v === 'SCMP_ACT_NOTIFY' ? ' (user notification is not supported)' : '';
    throw new SeccompProfileError(`${where}: unknown action ${JSON.stringify(v)}${hint}`, source);
  }
  return v;
}

function integer(v: unknown, where: string, source?: string): number | bigint {
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new SeccompProfileError(
      `${where} must be a non-negative integer, not ${JSON.stringify(v)}`,
      source,
    );
  }
  return v;
}

function errnoValue(v: unknown, where: string, source?: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = integer(v, where, source);
  if (Number(n) > 0xffff) throw new SeccompProfileError(`${where} must be at most 65535`, source);
  return Number(n);
}

function condition(v: unknown, where: string, source?: string): SeccompCondition | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new SeccompProfileError(`${where} must be an object`, source);
  const out: SeccompCondition = {};
  if (v.caps != null) out.caps = stringList(v.caps, `${where}.caps`, source);
  if (v.arches != null) out.arches = stringList(v.arches, `${where}.arches`, source);
  if (v.minKernel != null) {
    if (typeof v.minKernel !== 'string' || !/^\d+\.\d+/.test(v.minKernel)) {
      throw new SeccompProfileError(`${where}.minKernel must look like "4.8"`, source);
    }
    out.minKernel = v.minKernel;
  }
  return out;
}

/** Checks a parsed JSON value against Docker's profile format; returns the typed profile. */
export function validateSeccompProfile(value: unknown, source?: string): SeccompProfile {
  if (!isObject(value)) throw new SeccompProfileError('must be a JSON object', source);
  const profile: SeccompProfile = {
    defaultAction: action(value.defaultAction, 'defaultAction', source),
    syscalls: [],
  };
  profile.defaultErrnoRet = errnoValue(value.defaultErrnoRet, 'defaultErrnoRet', source);
  if (value.architectures != null && value.archMap != null) {
    throw new SeccompProfileError('use either "architectures" or "archMap", not both', source);
  }
  if (value.architectures != null)
    profile.architectures = stringList(value.architectures, 'architectures', source);
  if (value.archMap != null) {
    if (!Array.isArray(value.archMap)) throw new SeccompProfileError('archMap must be a list', source);
    profile.archMap = value.archMap.map((m: unknown, i) => {
      if (!isObject(m) || typeof m.architecture !== 'string') {
        throw new SeccompProfileError(`archMap[${i}] needs an "architecture" string`, source);
      }
      return {
        architecture: m.architecture,
        subArchitectures: stringList(m.subArchitectures, `archMap[${i}].subArchitectures`, source),
      };
    });
  }
  if (value.syscalls != null && !Array.isArray(value.syscalls)) {
    throw new SeccompProfileError('syscalls must be a list', source);
  }
  for (const [i, s] of ((value.syscalls as unknown[] | undefined) ?? []).entries()) {
    const where = `syscalls[${i}]`;
    if (!isObject(s)) throw new SeccompProfileError(`${where} must be an object`, source);
    if (s.name != null && s.names != null) {
      throw new SeccompProfileError(`${where}: use either "name" or "names", not both`, source);
    }
    let names: string[];
    if (typeof s.name === 'string') names = [s.name];
    else if (s.name != null) throw new SeccompProfileError(`${where}.name must be a string`, source);
    else names = stringList(s.names, `${where}.names`, source);
    if (names.length === 0) throw new SeccompProfileError(`${where} names no syscall`, source);
    const rule: SeccompSyscall = { names, action: action(s.action, `${where}.action`, source) };
    rule.errnoRet = errnoValue(s.errnoRet, `${where}.errnoRet`, source);
    if (s.args != null) {
      if (!Array.isArray(s.args)) throw new SeccompProfileError(`${where}.args must be a list`, source);
      rule.args = s.args.map((a: unknown, j) => {
        const w = `${where}.args[${j}]`;
        if (!isObject(a)) throw new SeccompProfileError(`${w} must be an object`, source);
        const index = Number(integer(a.index, `${w}.index`, source));
        if (index > 5) throw new SeccompProfileError(`${w}.index must be 0..5`, source);
        if (typeof a.op !== 'string' || !OPERATORS.includes(a.op)) {
          throw new SeccompProfileError(`${w}: unknown op ${JSON.stringify(a.op)}`, source);
        }
        return {
          index,
          value: integer(a.value ?? 0, `${w}.value`, source),
          valueTwo: integer(a.valueTwo ?? 0, `${w}.valueTwo`, source),
          op: a.op,
        };
      });
    }
    rule.includes = condition(s.includes, `${where}.includes`, source);
    rule.excludes = condition(s.excludes, `${where}.excludes`, source);
    profile.syscalls.push(rule);
  }
  return profile;
}

/** The text of a `seccomp=<file>` profile → a checked profile (errors name the file). */
export function parseSeccompProfile(text: string, source?: string): SeccompProfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SeccompProfileError(`not valid JSON: ${(err as Error).message}`, source);
  }
  return validateSeccompProfile(value, source);
}
