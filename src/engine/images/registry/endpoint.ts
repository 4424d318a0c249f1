/**
 * Where a registry domain is reached and how: Docker Hub's API host for `docker.io`, HTTPS
 * always, and plain HTTP (or unverified TLS) only for the loopback names and for registries the
 * engine's settings list as insecure.
 */
import type { EngineConfig } from '../../engine-config';
import { DEFAULT_DOMAIN } from '../../../common/image-reference';

const HUB_API_HOST = 'registry-1.docker.io';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function apiHost(domain: string): string {
  return domain === DEFAULT_DOMAIN ? HUB_API_HOST : domain;
}

function hostOnly(domain: string): string {
  return domain.startsWith('[') ? domain.slice(0, domain.indexOf(']') + 1) : domain.split(':')[0];
}

/** `host:port` entries match that port only; a bare `host` matches every port. */
export function isInsecure(domain: string, config: EngineConfig = {}): boolean {
  if (LOOPBACK.has(hostOnly(domain))) return true;
  const listed = (config['insecure-registries'] ?? []).map((h) =>
    h.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''),
  );
  return listed.includes(domain) || listed.includes(hostOnly(domain));
}
