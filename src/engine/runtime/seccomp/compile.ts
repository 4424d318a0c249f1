/**
 * A checked profile + the container's capabilities + this machine → the exact rules handed to
 * libseccomp (Docker's selection rules: includes/excludes on capabilities, architecture and
 * kernel version; one rule per argument when an argument index repeats).
 */
import os from 'node:os';
import {
  NR_SCMP_ERROR,
  SCMP_ACT_ALLOW,
  SCMP_ACT_ERRNO,
  SCMP_ACT_KILL_PROCESS,
  SCMP_ACT_KILL_THREAD,
  SCMP_ACT_LOG,
  SCMP_ACT_TRACE,
  SCMP_ACT_TRAP,
  SCMP_CMP,
  seccomp_arch_native,
  seccomp_arch_resolve_name,
  seccomp_syscall_resolve_name,
} from '../../../platform/linux/seccomp';
import {
  SeccompProfileError,
  type SeccompCondition,
  type SeccompProfile,
  type SeccompSyscall,
} from './profile';

const EPERM = 1;

export interface ArgCmp {
  arg: number;
  op: number;
  datum_a: bigint;
  datum_b: bigint;
}

export interface FilterRule {
  /** The syscall's name, for error messages. */
  name: string;
  /** libseccomp's number: the native one, or a negative pseudo number for other architectures. */
  nr: number;
  action: number;
  args: ArgCmp[];
}

export interface CompiledFilter {
  defaultAction: number;
  /** Architecture tokens beyond the native one. */
  arches: number[];
  rules: FilterRule[];
}

export interface Machine {
  /** libseccomp arch token of this process (seccomp_arch_native). */
  nativeArch: number;
  /** 'major.minor' of the running kernel. */
  kernel: string;
}

// libseccomp token → Go's GOARCH, the names Docker profiles use in includes/excludes "arches".
const GOARCH: Record<string, string> = {
  x86_64: 'amd64',
  x86: '386',
  x32: 'x32',
  aarch64: 'arm64',
  arm: 'arm',
  riscv64: 'riscv64',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  mips64el: 'mips64le',
};
const ARCH_NAMES = Object.keys(GOARCH);

// Computed while modules load: nothing after pivot_root may need more than libseccomp itself.
const THIS_MACHINE: Machine = {
  nativeArch: seccomp_arch_native(),
  kernel: os.release(),
};

function archToken(name: string, source?: string): number {
  const short = name.replace(/^SCMP_ARCH_/i, '').toLowerCase();
  const token = seccomp_arch_resolve_name(short);
  if (!token) throw new SeccompProfileError(`unknown architecture "${name}"`, source);
  return token;
}

function archNames(token: number): string[] {
  const name = ARCH_NAMES.find((n) => seccomp_arch_resolve_name(n) === token);
  return name ? [name, GOARCH[name]] : [];
}

function kernelAtLeast(kernel: string, min: string): boolean {
  const [a = 0, b = 0] = kernel.split(/[.-]/).map(Number);
  const [c = 0, d = 0] = min.split('.').map(Number);
  return a > c || (a === c && b >= d);
}

function actionValue(action: string, errnoRet: number | undefined): number {
  switch (action) {
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD':
      return SCMP_ACT_KILL_THREAD;
    case 'SCMP_ACT_KILL_PROCESS':
      return SCMP_ACT_KILL_PROCESS;
    case 'SCMP_ACT_TRAP':
      return SCMP_ACT_TRAP;
    case 'SCMP_ACT_ERRNO':
      return SCMP_ACT_ERRNO(errnoRet ?? EPERM);
    case 'SCMP_ACT_TRACE':
      return SCMP_ACT_TRACE(errnoRet ?? EPERM);
    case 'SCMP_ACT_LOG':
      return SCMP_ACT_LOG;
    default:
      return SCMP_ACT_ALLOW;
  }
}

function applies(rule: SeccompSyscall, caps: Set<string>, arch: string[], machine: Machine): boolean {
  const inc: SeccompCondition = rule.includes ?? {};
  const exc: SeccompCondition = rule.excludes ?? {};
  const cap = (c: string) => caps.has(normalizeCap(c));
  if (inc.caps?.length && !inc.caps.every(cap)) return false;
  if (inc.arches?.length && !inc.arches.some((a) => arch.includes(a))) return false;
  if (inc.minKernel && !kernelAtLeast(machine.kernel, inc.minKernel)) return false;
  if (exc.caps?.some(cap)) return false;
  if (exc.arches?.some((a) => arch.includes(a))) return false;
  if (exc.minKernel && kernelAtLeast(machine.kernel, exc.minKernel)) return false;
  return true;
}

const normalizeCap = (c: string) => {
  const u = c.toUpperCase();
  return u.startsWith('CAP_') ? u : `CAP_${u}`;
};

export function compileSeccomp(
  profile: SeccompProfile,
  capabilities: readonly string[],
  machine: Machine = THIS_MACHINE,
  source?: string,
): CompiledFilter {
  const caps = new Set(capabilities.map(normalizeCap));
  const arch = archNames(machine.nativeArch);
  const defaultAction = actionValue(profile.defaultAction, profile.defaultErrnoRet);

  const tokens = new Set<number>();
  for (const a of profile.architectures ?? []) tokens.add(archToken(a, source));
  for (const m of profile.archMap ?? []) {
    if (archToken(m.architecture, source) !== machine.nativeArch) continue;
    for (const sub of m.subArchitectures) tokens.add(archToken(sub, source));
  }
  tokens.delete(machine.nativeArch);

  const rules: FilterRule[] = [];
  for (const rule of profile.syscalls) {
    if (!applies(rule, caps, arch, machine)) continue;
    const action = actionValue(rule.action, rule.errnoRet);
    // libseccomp refuses rules that repeat the default action; they change nothing anyway.
    if (action === defaultAction) continue;
    const cmps: ArgCmp[] = (rule.args ?? []).map((a) => ({
      arg: a.index,
      op: SCMP_CMP[a.op as keyof typeof SCMP_CMP],
      datum_a: BigInt(a.value),
      datum_b: BigInt(a.valueTwo ?? 0),
    }));
    // Comparisons in one rule are ANDed; two on the same argument are Docker's "any of" instead.
    const repeated = new Set(cmps.map((c) => c.arg)).size !== cmps.length;
    const groups = repeated ? cmps.map((c) => [c]) : [cmps];
    for (const name of rule.names) {
      const nr = seccomp_syscall_resolve_name(name);
      if (nr === NR_SCMP_ERROR) continue; // unknown to this libseccomp: as Docker, skip it
      for (const args of groups) rules.push({ name, nr, action, args });
    }
  }
  return { defaultAction, arches: [...tokens], rules };
}
