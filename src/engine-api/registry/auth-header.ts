/**
 * Credentials for one registry, as docker's AuthConfig travels in the `X-Registry-Auth` header:
 * base64url of `{username, password, serveraddress}` or `{identitytoken}`. The CLI encodes,
 * the daemon decodes; both accept what the real docker CLI sends (padding or not, `auth`).
 */
import { InvalidArgumentError } from '../../common/errors';
import { type RegistryAuthConfig } from './api';

export type AuthConfig = RegistryAuthConfig;

export function encodeAuthHeader(auth: AuthConfig): string {
  // Go's base64.URLEncoding, which dockerd decodes with, wants the padding.
  return Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** undefined for an absent or empty header (anonymous). */
export function decodeAuthHeader(header: string | undefined): AuthConfig | undefined {
  if (!header || !header.trim()) return undefined;
  let parsed: unknown;
  try {
    // Node's base64 decoder takes both alphabets, with or without padding.
    parsed = JSON.parse(Buffer.from(header.trim(), 'base64').toString('utf8'));
  } catch {
    throw new InvalidArgumentError('invalid X-Registry-Auth header: not base64url-encoded JSON');
  }
  if (!parsed || typeof parsed !== 'object') throw new InvalidArgumentError('invalid X-Registry-Auth header');
  return normalizeAuth(parsed as AuthConfig);
}

/** Splits `auth` into username and password when those are not given. */
export function normalizeAuth(a: AuthConfig): AuthConfig | undefined {
  const out: AuthConfig = { ...a };
  if (a.auth && !a.username) {
    const plain = Buffer.from(a.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) {
      out.username = plain.slice(0, colon);
      out.password = plain.slice(colon + 1);
    }
  }
  delete out.auth;
  const empty = !out.username && !out.password && !out.identitytoken && !out.registrytoken;
  return empty ? undefined : out;
}
