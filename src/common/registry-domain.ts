/** The registry domain a login server names, as docker resolves `docker login <server>`. */
import { DEFAULT_DOMAIN } from './image-reference';

/**
 * A login server as users and config.json write it (`https://index.docker.io/v1/`,
 * `http://host:5000/v2/`, `host:5000`) to its registry domain (`docker.io`, `host:5000`).
 */
export function registryDomain(server: string | undefined): string {
  if (!server) return DEFAULT_DOMAIN;
  const bare = server
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  if (!bare || bare === 'index.docker.io' || bare === 'registry-1.docker.io' || bare === DEFAULT_DOMAIN)
    return DEFAULT_DOMAIN;
  return bare;
}
