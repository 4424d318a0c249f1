/**
 * The per-service config hash stored in the `com.docker.compose.config-hash` label: what decides
 * whether a container is recreated. Like docker compose, it leaves out what does not change the
 * container itself (build, pull_policy, scale, deploy.replicas, depends_on, profiles), so scaling
 * or editing dependencies never recreates. Stable across key order.
 */
import { createHash } from 'node:crypto';

const IGNORED = ['build', 'pull_policy', 'scale', 'depends_on', 'profiles'];

export function serviceConfigHash(service: Record<string, unknown>): string {
  const copy: Record<string, unknown> = { ...service };
  for (const k of IGNORED) delete copy[k];
  if (copy.deploy && typeof copy.deploy === 'object') {
    const deploy = { ...(copy.deploy as Record<string, unknown>) };
    delete deploy.replicas;
    copy.deploy = Object.keys(deploy).length > 0 ? deploy : undefined;
  }
  return createHash('sha256').update(stableStringify(copy)).digest('hex');
}

/** JSON with object keys sorted and undefined members left out. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
}
