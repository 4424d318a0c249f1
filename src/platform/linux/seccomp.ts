/**
 * libseccomp.so.2 through koffi. Everything is loaded and declared when this module loads: the
 * container init uses it after pivot_root, when neither the library nor any module can be found.
 * libseccomp returns negative errno values (no errno), which `checkScmp` turns into SyscallError.
 */
import { koffi, SyscallError } from './lib';

const lib = koffi.load('libseccomp.so.2');

export const ScmpArgCmp = koffi.struct('scmp_arg_cmp', {
  arg: 'uint32',
  op: 'int',
  datum_a: 'uint64',
  datum_b: 'uint64',
});

export const seccomp_init = lib.func('void *seccomp_init(uint32_t def_action)');
export const seccomp_release = lib.func('void seccomp_release(void *ctx)');
export const seccomp_load = lib.func('int seccomp_load(void *ctx)');
export const seccomp_attr_set = lib.func('int seccomp_attr_set(void *ctx, int attr, uint32_t value)');
export const seccomp_arch_add = lib.func('int seccomp_arch_add(void *ctx, uint32_t arch_token)');
export const seccomp_arch_native = lib.func('uint32_t seccomp_arch_native()');
export const seccomp_arch_resolve_name = lib.func('uint32_t seccomp_arch_resolve_name(const char *name)');
export const seccomp_syscall_resolve_name = lib.func('int seccomp_syscall_resolve_name(const char *name)');
export const seccomp_rule_add_array = lib.func(
  'int seccomp_rule_add_array(void *ctx, uint32_t action, int syscall, unsigned int arg_cnt, scmp_arg_cmp *arg_array)',
);

/** enum scmp_filter_attr */
export const SCMP_FLTATR_ACT_BADARCH = 2;
export const SCMP_FLTATR_CTL_NNP = 3;
export const SCMP_FLTATR_CTL_TSYNC = 4;
export const SCMP_FLTATR_API_SYSRAWRC = 9;

/** enum scmp_compare */
export const SCMP_CMP = {
  SCMP_CMP_NE: 1,
  SCMP_CMP_LT: 2,
  SCMP_CMP_LE: 3,
  SCMP_CMP_EQ: 4,
  SCMP_CMP_GE: 5,
  SCMP_CMP_GT: 6,
  SCMP_CMP_MASKED_EQ: 7,
} as const;

export const SCMP_ACT_KILL_PROCESS = 0x80000000;
export const SCMP_ACT_KILL_THREAD = 0x00000000;
export const SCMP_ACT_TRAP = 0x00030000;
export const SCMP_ACT_LOG = 0x7ffc0000;
export const SCMP_ACT_ALLOW = 0x7fff0000;
export const SCMP_ACT_ERRNO = (errno: number): number => (0x00050000 | (errno & 0xffff)) >>> 0;
export const SCMP_ACT_TRACE = (msg: number): number => (0x7ff00000 | (msg & 0xffff)) >>> 0;

/** seccomp_syscall_resolve_name's answer for a name it does not know. */
export const NR_SCMP_ERROR = -1;

export function checkScmp(ret: number, fn: string, detail?: string): number {
  if (ret < 0) throw new SyscallError(fn, -ret, detail);
  return ret;
}
