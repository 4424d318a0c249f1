/**
 * seccomp for the container init. Usage, in init, after the mounts and before capset:
 *
 *   import { loadSeccompFilter } from './';   // at the top: nothing is required later
 *   loadSeccompFilter(spec.seccomp, spec.process.capabilities);
 *
 * The daemon calls `checkSeccompSpec` (or `parseSeccompProfile` for a file) when the container is
 * created, so a bad profile is an error of `create`, not of the start.
 */
import { SyscallError } from '../../../platform/linux/lib';
import {
  checkScmp,
  ScmpArgCmp,
  seccomp_arch_add,
  seccomp_attr_set,
  seccomp_init,
  seccomp_load,
  seccomp_release,
  seccomp_rule_add_array,
  SCMP_FLTATR_API_SYSRAWRC,
  SCMP_FLTATR_CTL_NNP,
} from '../../../platform/linux/seccomp';
import type { SeccompSpec } from '../spec';
import { compileSeccomp, type CompiledFilter } from './compile';
import { DEFAULT_PROFILE } from './default-profile';
import { SeccompProfileError, validateSeccompProfile, type SeccompProfile } from './profile';

export { compileSeccomp, type CompiledFilter, type FilterRule, type Machine } from './compile';
export { DEFAULT_PROFILE, CLONE_NAMESPACE_MASK } from './default-profile';
export {
  parseSeccompProfile,
  SeccompProfileError,
  validateSeccompProfile,
  type SeccompProfile,
  type SeccompSyscall,
} from './profile';

const EEXIST = 17;

// Keeps koffi's struct type referenced so nothing is resolved lazily after pivot_root.
void ScmpArgCmp;

/** The profile a spec selects; undefined for unconfined. A custom profile may be the JSON text. */
export function seccompProfileOf(spec: SeccompSpec): SeccompProfile | undefined {
  switch (spec.mode) {
    case 'unconfined':
      return undefined;
    case 'default':
      return DEFAULT_PROFILE;
    case 'custom': {
      if (spec.profile === undefined) throw new SeccompProfileError('custom mode without a profile');
      let value = spec.profile;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch (err) {
          throw new SeccompProfileError(`not valid JSON: ${(err as Error).message}`);
        }
      }
      return validateSeccompProfile(value);
    }
    default:
      throw new SeccompProfileError(`unknown seccomp mode ${JSON.stringify((spec as SeccompSpec).mode)}`);
  }
}

/** Validates and compiles without loading anything (the daemon's create-time check). */
export function checkSeccompSpec(
  spec: SeccompSpec,
  effectiveCaps: readonly string[],
): CompiledFilter | undefined {
  const profile = seccompProfileOf(spec);
  return profile && compileSeccomp(profile, effectiveCaps);
}

/** Installs a compiled filter on the calling process (all threads' future children inherit it). */
export function installFilter(filter: CompiledFilter): void {
  const ctx = seccomp_init(filter.defaultAction);
  if (!ctx) throw new SyscallError('seccomp_init', 22, 'invalid default action');
  try {
    // NNP=0: libseccomp would otherwise set PR_SET_NO_NEW_PRIVS itself; the spec decides that.
    checkScmp(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), 'seccomp_attr_set', 'CTL_NNP');
    // SYSRAWRC=1: the kernel's own errno instead of a blanket ECANCELED.
    checkScmp(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1), 'seccomp_attr_set', 'API_SYSRAWRC');
    for (const arch of filter.arches) {
      const r = seccomp_arch_add(ctx, arch);
      if (r !== -EEXIST) checkScmp(r, 'seccomp_arch_add', `0x${arch.toString(16)}`);
    }
    for (const rule of filter.rules) {
      const r = seccomp_rule_add_array(
        ctx,
        rule.action,
        rule.nr,
        rule.args.length,
        rule.args.length ? rule.args : null,
      );
      // EEXIST: an equivalent rule is already there (the same name listed twice).
      if (r !== -EEXIST) checkScmp(r, 'seccomp_rule_add', rule.name);
    }
    checkScmp(seccomp_load(ctx), 'seccomp_load');
  } finally {
    seccomp_release(ctx);
  }
}

/**
 * What the container init calls: synchronous, no module loading. `effectiveCaps` selects the
 * capability-conditional rules (names as in ContainerSpec.process.capabilities).
 */
export function loadSeccompFilter(spec: SeccompSpec, effectiveCaps: readonly string[]): void {
  const filter = checkSeccompSpec(spec, effectiveCaps);
  if (filter) installFilter(filter);
}
