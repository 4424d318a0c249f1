/**
 * docker's client config, `~/.docker/config.json` (`$DOCKER_CONFIG` names the folder): the
 * `auths`, `credHelpers` and `credsStore` keys tscompose reads and writes; every other key is
 * kept as it was, and the file stays private (0600), as docker keeps it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../common/atomic';
import { TscomposeError } from '../../common/errors';

export interface DockerConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string; email?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [key: string]: unknown;
}

export function dockerConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

export function readDockerConfig(env: NodeJS.ProcessEnv = process.env): DockerConfig {
  const file = dockerConfigFile(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as DockerConfig;
  } catch (err) {
    throw new TscomposeError(`${file}: invalid JSON: ${(err as Error).message}`, { code: 'DOCKER_CONFIG' });
  }
}

export function writeDockerConfig(config: DockerConfig, env: NodeJS.ProcessEnv = process.env): void {
  writeFileAtomic(dockerConfigFile(env), `${JSON.stringify(config, null, '\t')}\n`, 0o600);
}
