/**
 * Engine settings from `/etc/tscompose/engine.json` (docker's daemon.json); `TSCOMPOSE_CONFIG`
 * names another file, so tests never touch /etc. A missing file means the defaults.
 */
import fs from 'node:fs';
import { TscomposeError } from '../common/errors';

export const DEFAULT_ENGINE_CONFIG = '/etc/tscompose/engine.json';

export interface EngineConfig {
  /** `host[:port]` of registries that may be reached over plain HTTP or unverified TLS. */
  'insecure-registries'?: string[];
  /** The log driver and its options for containers that name none (daemon.json's). */
  'log-driver'?: string;
  'log-opts'?: Record<string, string>;
  /** Image limits (images/limits.ts), in bytes and a ratio. */
  'max-layer-size'?: number;
  'max-expansion-ratio'?: number;
  'min-free-space'?: number;
  /** The network of containers that name none: `bridge` (the default), `none`, `host` or a network's name. */
  'default-network'?: string;
  /** The host's resolv.conf: the embedded DNS server's upstreams and the default bridge's servers. */
  'resolv-conf'?: string;
}

export function engineConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TSCOMPOSE_CONFIG || DEFAULT_ENGINE_CONFIG;
}

export function readEngineConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const file = engineConfigPath(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new TscomposeError(`cannot read ${file}: ${(err as Error).message}`, {
      code: 'ENGINE_CONFIG',
      cause: err,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TscomposeError(`${file}: invalid JSON: ${(err as Error).message}`, {
      code: 'ENGINE_CONFIG',
      cause: err,
    });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new TscomposeError(`${file}: the settings must be a JSON object`, { code: 'ENGINE_CONFIG' });
  const insecure = (parsed as EngineConfig)['insecure-registries'];
  if (insecure !== undefined && !(Array.isArray(insecure) && insecure.every((h) => typeof h === 'string')))
    throw new TscomposeError(`${file}: "insecure-registries" must be a list of host[:port] strings`, {
      code: 'ENGINE_CONFIG',
    });
  const defaultNetwork = (parsed as EngineConfig)['default-network'];
  if (
    defaultNetwork !== undefined &&
    !(typeof defaultNetwork === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(defaultNetwork))
  )
    throw new TscomposeError(
      `${file}: "default-network" must be a network name (bridge, none, host or a network's name)`,
      {
        code: 'ENGINE_CONFIG',
      },
    );
  for (const key of ['max-layer-size', 'max-expansion-ratio', 'min-free-space'] as const) {
    const v = (parsed as EngineConfig)[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0))
      throw new TscomposeError(`${file}: "${key}" must be a number of at least 0`, { code: 'ENGINE_CONFIG' });
  }
  const resolvConf = (parsed as EngineConfig)['resolv-conf'];
  if (resolvConf !== undefined && !(typeof resolvConf === 'string' && resolvConf.startsWith('/')))
    throw new TscomposeError(`${file}: "resolv-conf" must be an absolute path`, { code: 'ENGINE_CONFIG' });
  return parsed as EngineConfig;
}
