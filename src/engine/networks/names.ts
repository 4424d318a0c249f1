/**
 * Names of everything global the engine makes for networks (bridges, veths, the nftables table)
 * come from TSCOMPOSE_ROOT, as the cgroup parent does, so engines with different roots never
 * collide.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** Six hex digits of sha256 of the absolute root: short enough for 15-byte interface names. */
export function engineTag(root: string): string {
  return createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 6);
}
