/**
 * Where oclif's own parse (that of `ls`, `logs`, `stop`…) reads an argv otherwise than pflag's
 * rules do, the fast path leaves the argv to oclif, so both give the same answer or error.
 */
import type { FlagEvent } from '../flags/argv-scan';

export function oclifReadsAlike(argv: string[], events: FlagEvent[], operands: string[]): boolean {
  // oclif orders its operands by where each text first occurs in the argv: `rm a b a` is a, a, b.
  const at = operands.map((op) => argv.indexOf(op));
  if (at.some((i, k) => k > 0 && i < at[k - 1])) return false;
  const seen = new Set<string>();
  for (const { name, spec, value, inline } of events) {
    // oclif reads `--all=false` as `--all` and an operand `false`.
    if (spec.kind === 'boolean' && inline) return false;
    // oclif takes `--format -x` for a missing value.
    if (spec.kind !== 'boolean' && !inline && (value as string).startsWith('-')) return false;
    // oclif refuses a single-valued flag given twice; pflag keeps the last.
    if (spec.kind !== 'boolean' && spec.kind !== 'list' && seen.has(name)) return false;
    seen.add(name);
  }
  return true;
}
