/**
 * A client of one registry for one operation (the scopes it needs): finds the endpoint (HTTPS,
 * or plain HTTP where allowed), learns the auth scheme from `GET /v2/`, authenticates with
 * Basic or a Bearer token, and retries once with a wider token when the registry asks for a
 * scope it was not given.
 */
import type http from 'node:http';
import type { Readable } from 'node:stream';
import type { EngineConfig } from '../../engine-config';
import type { AuthConfig } from '../../../engine-api/registry/auth-header';
import { apiHost, isInsecure } from './endpoint';
import { daemonStatus, describeFailure, RegistryError } from './errors';
import { readText, send } from './http';
import { basic, fetchToken, type Token, type TokenCache } from './tokens';
import { parseChallenges, type Challenge } from './www-authenticate';

/** What a pull or push needs to reach a registry: the user's credentials, the engine's settings. */
export interface RegistryAccess {
  auth?: AuthConfig;
  config?: EngineConfig;
  tokens?: TokenCache;
  signal?: AbortSignal;
}

export interface ClientOptions extends RegistryAccess {
  /** `repository:<path>:pull[,push]`: what the operation needs. */
  scopes: string[];
}

export interface RequestOptions {
  headers?: http.OutgoingHttpHeaders;
  /** A stream cannot be replayed: the request is not retried after a 401. */
  body?: Buffer | Readable;
  /** Statuses that are an answer; any other is thrown as a RegistryError. */
  expect: number[];
}

/** The code of the error a Basic registry's 401 becomes when no credentials were given. */
export const NO_BASIC_AUTH = 'NO_BASIC_AUTH';

/** Endpoints already probed (HTTPS or plain HTTP) by domain, for this process. */
const knownBases = new Map<string, string>();

export class RegistryClient {
  private base?: URL;
  private readonly insecure: boolean;
  private authorization?: string;
  private bearer?: Challenge;
  /** The registry wants Basic credentials and the user gave none: a 401 is then docker's `no basic auth credentials`. */
  private basicWithoutCredentials = false;
  private readonly scopes: Set<string>;
  /** Set by a Bearer login: what a token server gave for the user's credentials. */
  lastToken?: Token;

  constructor(
    readonly domain: string,
    private readonly opts: ClientOptions,
  ) {
    this.insecure = isInsecure(domain, opts.config);
    this.scopes = new Set(opts.scopes);
  }

  /** `GET /v2/`: where the registry answers and which auth it wants; then authenticates. */
  async ping(): Promise<void> {
    if (this.base) return;
    const res = await this.probe();
    const text = await readText(res);
    const status = res.statusCode ?? 500;
    if (status === 401) {
      await this.authenticate(parseChallenges(res.headers['www-authenticate']));
      return;
    }
    if (status >= 300)
      throw new RegistryError(
        daemonStatus(status),
        `${this.domain} is not a registry (GET /v2/: ${describeFailure(status, res.statusMessage, text)})`,
      );
  }

  /** Checks the credentials as docker login does: Basic against /v2/, Bearer at the token server. */
  async login(): Promise<void> {
    await this.ping();
    if (!this.authorization) return; // the registry asks for none
    if (this.bearer) return; // the token server accepted the credentials
    const res = await this.send('GET', this.url('/v2/'), { expect: [200] });
    res.resume();
    if (res.statusCode === 200) return;
    // dockerd's words (registry/auth.go loginV2), and its status: a failure of the daemon's call.
    throw new RegistryError(
      500,
      `login attempt to ${this.url('/v2/').href} failed with status: ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
      { code: 'LOGIN_FAILED' },
    );
  }

  url(pathOrLocation: string): URL {
    if (!this.base) throw new Error('RegistryClient: ping first');
    return new URL(pathOrLocation, this.base);
  }

  async request(method: string, pathOrUrl: string | URL, o: RequestOptions): Promise<http.IncomingMessage> {
    await this.ping();
    const url = typeof pathOrUrl === 'string' ? this.url(pathOrUrl) : pathOrUrl;
    let res = await this.send(method, url, o);
    if (res.statusCode === 401 && !isStream(o.body) && (await this.widen(res))) {
      res.resume();
      res = await this.send(method, url, o);
    }
    const status = res.statusCode ?? 500;
    if (o.expect.includes(status)) return res;
    const text = method === 'HEAD' ? '' : await readText(res).catch(() => '');
    res.resume();
    if (status === 401 && this.basicWithoutCredentials)
      throw new RegistryError(500, 'no basic auth credentials', { code: NO_BASIC_AUTH });
    throw new RegistryError(daemonStatus(status), describeFailure(status, res.statusMessage, text), {
      code: `REGISTRY_${status}`,
    });
  }

  private send(method: string, url: URL, o: RequestOptions): Promise<http.IncomingMessage> {
    const headers = { ...o.headers };
    if (this.authorization) headers.authorization = this.authorization;
    return send(url, { method, headers, body: o.body, signal: this.opts.signal, insecureTls: this.insecure });
  }

  /** HTTPS first; a registry that may be insecure is tried over plain HTTP when TLS fails. */
  private async probe(): Promise<http.IncomingMessage> {
    const host = apiHost(this.domain);
    const known = knownBases.get(host);
    const candidates = known
      ? [known]
      : this.insecure
        ? [`https://${host}`, `http://${host}`]
        : [`https://${host}`];
    let lastError: unknown;
    for (const base of candidates) {
      try {
        const res = await send(new URL('/v2/', base), {
          signal: this.opts.signal,
          insecureTls: this.insecure,
        });
        this.base = new URL(base);
        knownBases.set(host, base);
        return res;
      } catch (err) {
        if (this.opts.signal?.aborted) throw err;
        lastError = err;
      }
    }
    const why = (lastError as Error)?.message ?? String(lastError);
    throw new RegistryError(500, `cannot reach the registry ${this.domain}: ${why}`, { cause: lastError });
  }

  private async authenticate(challenges: Challenge[]): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const auth = this.opts.auth;
    if (bearer) {
      this.bearer = bearer;
      await this.refreshBearer();
    } else if (challenges.some((c) => c.scheme === 'basic') && auth?.username) {
      this.authorization = basic(auth.username, auth.password ?? '');
    } else if (challenges.some((c) => c.scheme === 'basic') && !auth?.registrytoken) {
      this.basicWithoutCredentials = true;
    } else if (auth?.registrytoken) {
      this.authorization = `Bearer ${auth.registrytoken}`;
    }
  }

  private async refreshBearer(): Promise<void> {
    if (!this.bearer) return;
    if (this.opts.auth?.registrytoken) {
      this.authorization = `Bearer ${this.opts.auth.registrytoken}`;
      return;
    }
    const token = await fetchToken(
      {
        realm: this.bearer.params.realm,
        service: this.bearer.params.service,
        scopes: [...this.scopes],
        auth: this.opts.auth,
        insecureTls: this.insecure,
      },
      this.opts.tokens,
    );
    this.lastToken = token;
    this.authorization = `Bearer ${token.token}`;
  }

  /** A 401 naming a scope we lack: ask for a token with it too. False when nothing new to ask. */
  private async widen(res: http.IncomingMessage): Promise<boolean> {
    const challenge = parseChallenges(res.headers['www-authenticate']).find((c) => c.scheme === 'bearer');
    const wanted = (challenge?.params.scope ?? '').split(' ').filter(Boolean);
    if (!challenge || !wanted.some((s) => !this.scopes.has(s))) return false;
    for (const s of wanted) this.scopes.add(s);
    this.bearer = challenge;
    await this.refreshBearer();
    return true;
  }
}

function isStream(body: RequestOptions['body']): boolean {
  return body !== undefined && !Buffer.isBuffer(body);
}
