/**
 * Bearer tokens from a token server (the realm of a `Bearer` challenge), fetched with the
 * user's credentials or anonymously, and cached per realm, service, scopes and credentials
 * until shortly before they expire, so a pull of many layers asks once.
 */
import crypto from 'node:crypto';
import type { AuthConfig } from '../../../engine-api/registry/auth-header';
import { describeFailure, daemonStatus, RegistryError } from './errors';
import { readText, send } from './http';

export interface TokenRequest {
  realm: string;
  service?: string;
  scopes: string[];
  auth?: AuthConfig;
  insecureTls?: boolean;
}

interface TokenAnswer {
  token?: string;
  access_token?: string;
  expires_in?: number;
  issued_at?: string;
  refresh_token?: string;
}

export interface Token {
  token: string;
  /** A token server's refresh token (docker login keeps it as the identity token). */
  refreshToken?: string;
}

/** The spec's minimum lifetime when the server names none. */
const DEFAULT_LIFETIME_S = 60;
const MARGIN_MS = 5_000;

export class TokenCache {
  private readonly entries = new Map<string, { token: Token; expires: number }>();

  get(key: string, now = Date.now()): Token | undefined {
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.token;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, token: Token, expires: number): void {
    this.entries.set(key, { token, expires });
  }
}

/** One cache per process: the daemon's pulls share their tokens. */
export const sharedTokens = new TokenCache();

export async function fetchToken(req: TokenRequest, cache = sharedTokens): Promise<Token> {
  const scopes = [...new Set(req.scopes)].sort();
  const key = [req.realm, req.service ?? '', scopes.join(' '), fingerprint(req.auth)].join('\n');
  const hit = cache.get(key);
  if (hit) return hit;
  const res = req.auth?.identitytoken ? await refresh(req, scopes) : await get(req, scopes);
  const text = await readText(res);
  if ((res.statusCode ?? 500) >= 300) {
    const status = res.statusCode ?? 500;
    const why =
      status === 401 && req.auth
        ? 'unauthorized: incorrect username or password'
        : describeFailure(status, res.statusMessage, text);
    throw new RegistryError(daemonStatus(status), `${why} (token server ${new URL(req.realm).host})`);
  }
  let answer: TokenAnswer;
  try {
    answer = JSON.parse(text) as TokenAnswer;
  } catch {
    throw new RegistryError(500, `the token server ${req.realm} answered no JSON`);
  }
  const token = answer.token || answer.access_token;
  if (!token) throw new RegistryError(500, `the token server ${req.realm} answered no token`);
  const issued = answer.issued_at ? Date.parse(answer.issued_at) : NaN;
  const from = Number.isFinite(issued) ? Math.min(issued, Date.now()) : Date.now();
  const lifetime =
    (answer.expires_in && answer.expires_in > 0 ? answer.expires_in : DEFAULT_LIFETIME_S) * 1000;
  const out: Token = { token, refreshToken: answer.refresh_token };
  cache.set(key, out, from + lifetime - MARGIN_MS);
  return out;
}

function get(req: TokenRequest, scopes: string[]) {
  const url = new URL(req.realm);
  if (req.service) url.searchParams.set('service', req.service);
  for (const s of scopes) url.searchParams.append('scope', s);
  const headers: Record<string, string> = {};
  if (req.auth?.username) {
    url.searchParams.set('account', req.auth.username);
    headers.authorization = basic(req.auth.username, req.auth.password ?? '');
  }
  return send(url, { headers, insecureTls: req.insecureTls });
}

/** OAuth2 refresh-token grant, as docker does with a stored identity token. */
function refresh(req: TokenRequest, scopes: string[]) {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: req.auth?.identitytoken ?? '',
    client_id: 'tscompose',
  });
  if (req.service) form.set('service', req.service);
  if (scopes.length) form.set('scope', scopes.join(' '));
  return send(new URL(req.realm), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(form.toString()),
    insecureTls: req.insecureTls,
  });
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function fingerprint(auth: AuthConfig | undefined): string {
  if (!auth) return '';
  const material = [auth.username, auth.password, auth.identitytoken].join('\0');
  return crypto.createHash('sha256').update(material).digest('hex');
}
