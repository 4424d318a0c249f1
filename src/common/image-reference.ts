/**
 * Image references parsed and normalized as docker does: `busybox` is
 * `docker.io/library/busybox:latest`, `localhost:5000/team/app:v1@sha256:…` keeps every part.
 */
import { TscomposeError } from './errors';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DOMAIN = 'index.docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const DOMAIN =
  /^(?:localhost|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

export interface ImageReference {
  /** Registry host (and port): `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository path inside the registry: `library/busybox`. */
  path: string;
  tag?: string;
  digest?: string;
}

export class ReferenceError extends TscomposeError {
  constructor(ref: string, why: string) {
    super(`invalid reference format: ${why}: ${JSON.stringify(ref)}`, {
      code: 'INVALID_REFERENCE',
      exitCode: 125,
      kind: 'invalid-argument',
    });
  }
}

/** Parses and normalizes; a reference with neither tag nor digest gets `latest`. */
export function parseReference(ref: string): ImageReference {
  if (ref === '' || ref.length > 255 + 128 + 80) throw new ReferenceError(ref, 'empty or too long');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ReferenceError(ref, 'invalid digest');
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ReferenceError(ref, 'invalid tag');
  }
  const parts = rest.split('/');
  let domain = DEFAULT_DOMAIN;
  if (
    parts.length > 1 &&
    (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost' || /[A-Z]/.test(parts[0]))
  ) {
    domain = parts.shift() as string;
    if (!DOMAIN.test(domain)) throw new ReferenceError(ref, 'invalid registry host');
  }
  if (domain === LEGACY_DOMAIN) domain = DEFAULT_DOMAIN;
  if (parts.some((p) => p !== p.toLowerCase()))
    throw new ReferenceError(ref, 'repository name must be lowercase');
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p)))
    throw new ReferenceError(ref, 'invalid repository name');
  if (domain === DEFAULT_DOMAIN && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  if (path.length > 255) throw new ReferenceError(ref, 'repository name too long');
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { domain, path, tag, digest };
}

/** `docker.io/library/busybox:latest` — the fully qualified form the store keys on. */
export function formatReference(r: ImageReference): string {
  return `${r.domain}/${r.path}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** `busybox:latest` — the short form docker prints. */
export function familiarName(r: ImageReference): string {
  let name = `${r.domain}/${r.path}`;
  if (r.domain === DEFAULT_DOMAIN)
    name = r.path.startsWith('library/') ? r.path.slice('library/'.length) : r.path;
  return `${name}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}
