/**
 * The credentials the CLI sends with a pull or push (`X-Registry-Auth`) and what login and
 * logout keep, as docker's CLI does: a registry's credential helper (`credHelpers`), else the
 * `credsStore`, else the base64 `auth` in config.json `auths`. Docker Hub's key is
 * `https://index.docker.io/v1/`; other registries are keyed by `host[:port]`.
 */
import type { RegistryAuthConfig } from '../../engine-api/registry/api';
import { encodeAuthHeader } from '../../engine-api/registry/auth-header';
import { registryDomain } from '../../common/registry-domain';
import { DEFAULT_DOMAIN, parseReference } from '../../common/image-reference';
import { dockerConfigFile, readDockerConfig, writeDockerConfig, type DockerConfig } from './docker-config';
import { helperErase, helperGet, helperStore } from './credential-helpers';

export const HUB_SERVER = 'https://index.docker.io/v1/';

/** The key docker writes for a server as the user typed it. */
export function serverKey(server: string | undefined): string {
  const domain = registryDomain(server);
  return domain === DEFAULT_DOMAIN ? HUB_SERVER : domain;
}

function helperFor(config: DockerConfig, domain: string): string | undefined {
  const hit = Object.entries(config.credHelpers ?? {}).find(([k]) => registryDomain(k) === domain);
  return hit?.[1] ?? config.credsStore;
}

function fileEntry(
  config: DockerConfig,
  domain: string,
): [string, NonNullable<DockerConfig['auths']>[string]] | undefined {
  return Object.entries(config.auths ?? {}).find(([k]) => registryDomain(k) === domain);
}

export function credentialsFor(server: string, env = process.env): RegistryAuthConfig | undefined {
  const domain = registryDomain(server);
  const config = readDockerConfig(env);
  const key = serverKey(server);
  const helper = helperFor(config, domain);
  const fromHelper = helper ? helperGet(helper, key, env) : undefined;
  if (fromHelper) return { ...fromHelper, serveraddress: key };
  const entry = fileEntry(config, domain)?.[1];
  if (!entry?.auth && !entry?.identitytoken) return undefined;
  const plain = Buffer.from(entry.auth ?? '', 'base64').toString('utf8');
  const colon = plain.indexOf(':');
  return {
    ...(colon > 0 ? { username: plain.slice(0, colon), password: plain.slice(colon + 1) } : {}),
    ...(entry.identitytoken ? { identitytoken: entry.identitytoken } : {}),
    serveraddress: key,
  };
}

/** The header for the registry of `ref`; undefined for anonymous access. */
export function authHeaderFor(ref: string, env = process.env): string | undefined {
  const auth = credentialsFor(parseReference(ref).domain, env);
  return auth ? encodeAuthHeader(auth) : undefined;
}

/** Where login keeps the credentials: a helper's name, or the config file's path (stored unencrypted). */
export function saveCredentials(
  server: string,
  auth: RegistryAuthConfig,
  env = process.env,
): { helper?: string; file?: string } {
  const config = readDockerConfig(env);
  const key = serverKey(server);
  const helper = helperFor(config, registryDomain(server));
  const auths = { ...(config.auths ?? {}) };
  if (helper) {
    helperStore(helper, key, auth, env);
    auths[key] = {}; // docker keeps the key, so `docker info` lists the registry
  } else if (auth.identitytoken) {
    auths[key] = { identitytoken: auth.identitytoken };
  } else {
    auths[key] = { auth: Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64') };
  }
  writeDockerConfig({ ...config, auths }, env);
  return helper ? { helper } : { file: dockerConfigFile(env) };
}

/** false when there was nothing stored for the server. */
export function removeCredentials(server: string, env = process.env): boolean {
  const config = readDockerConfig(env);
  const domain = registryDomain(server);
  const helper = helperFor(config, domain);
  const entry = fileEntry(config, domain);
  const stored = helper ? helperGet(helper, serverKey(server), env) : undefined;
  if (!entry && !stored) return false;
  if (helper && stored) helperErase(helper, serverKey(server), env);
  if (entry) {
    const auths = { ...(config.auths ?? {}) };
    delete auths[entry[0]];
    writeDockerConfig({ ...config, auths }, env);
  }
  return true;
}
