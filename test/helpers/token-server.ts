/**
 * A small token server for the registry's token mode, as the distribution token spec describes:
 * `GET /token?service=&scope=&account=` with optional Basic credentials answers an RS256 JWT
 * signed with a key whose self-signed certificate (made with openssl) the registry trusts as
 * its rootcertbundle; the certificate rides in the token's `x5c` header. It records the scopes
 * asked for, so tests can see what a client requested.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export interface TokenServerOptions {
  users: Record<string, string>;
  service: string;
  issuer: string;
  /** Which actions an account gets on a repository; default: users get what they ask, anonymous nothing. */
  grant?: (account: string | undefined, repository: string, actions: string[]) => string[];
  /** Lifetime of the tokens it issues. */
  expiresIn?: number;
}

export interface TokenRequestSeen {
  account?: string;
  scopes: string[];
  authenticated: boolean;
}

export interface TokenServer {
  realm: string;
  certFile: string;
  requests: TokenRequestSeen[];
  close(): Promise<void>;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-token-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=tscompose-test-token',
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr || made.error?.message}`);
  const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
  const x5c = new crypto.X509Certificate(fs.readFileSync(certFile)).raw.toString('base64');
  const requests: TokenRequestSeen[] = [];
  const grant = opts.grant ?? ((account, _repo, actions) => (account ? actions : []));

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const account = checkUser(req.headers.authorization, opts.users);
    if (account === null) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] }),
      );
      return;
    }
    const scopes = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    requests.push({ account, scopes, authenticated: account !== undefined });
    const access = scopes.flatMap((s) => {
      const [type, ...rest] = s.split(':');
      const actions = (rest.pop() ?? '').split(',').filter(Boolean);
      const name = rest.join(':');
      if (type !== 'repository') return [];
      return [{ type, name, actions: grant(account, name, actions) }];
    });
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = opts.expiresIn ?? 300;
    const header = { alg: 'RS256', typ: 'JWT', x5c: [x5c] };
    const claims = {
      iss: opts.issuer,
      sub: account ?? '',
      aud: opts.service,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: crypto.randomBytes(12).toString('hex'),
      access,
    };
    const signing = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const token = `${signing}.${b64url(crypto.sign('sha256', Buffer.from(signing), key))}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: expiresIn,
        issued_at: new Date(now * 1000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certFile,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The account of good Basic credentials, undefined when none were sent, null when they are wrong. */
function checkUser(header: string | undefined, users: Record<string, string>): string | undefined | null {
  if (!header?.startsWith('Basic ')) return undefined;
  const plain = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = plain.indexOf(':');
  const user = plain.slice(0, colon);
  return colon > 0 && users[user] === plain.slice(colon + 1) ? user : null;
}
