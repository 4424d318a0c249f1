/**
 * The version prefix of a request path (`/v1.41/...`), checked as dockerd checks it: a client
 * asking for a version above the engine's or below its minimum gets dockerd's 400 and words.
 */
import { InvalidArgumentError } from '../../common/errors';
import { API_VERSION, MIN_API_VERSION } from '../../engine-api/version';

const PREFIX = /^\/v(\d+(?:\.\d+)?)(?=\/)/;

function compare(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** The path without its version prefix; throws for a version the engine does not serve. */
export function stripApiVersion(pathname: string): string {
  const m = PREFIX.exec(pathname);
  if (!m) return pathname;
  const v = m[1];
  if (compare(v, API_VERSION) > 0)
    throw new InvalidArgumentError(
      `client version ${v} is too new. Maximum supported API version is ${API_VERSION}`,
    );
  if (compare(v, MIN_API_VERSION) < 0)
    throw new InvalidArgumentError(
      `client version ${v} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  return pathname.slice(m[0].length);
}

/** The version a request asked for in its path; the engine's own when it named none. */
export function requestApiVersion(rawUrl: string | undefined): string {
  return PREFIX.exec(rawUrl ?? '')?.[1] ?? API_VERSION;
}

/** Whether the request's API version is below `version` (dockerd keeps older clients' behaviour). */
export function requestedBelow(rawUrl: string | undefined, version: string): boolean {
  return compare(requestApiVersion(rawUrl), version) < 0;
}
