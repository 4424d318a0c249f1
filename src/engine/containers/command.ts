/**
 * The process's argv, environment and working directory from the image config and the create
 * body, merged as the docker daemon merges them (daemon/commit.go `merge`,
 * mergeAndVerifyConfig, CreateDaemonEnvironment), so a command behaves as under docker.
 */
import path from 'node:path';
import { InvalidArgumentError } from '../../common/errors';
import type { ContainerCreateBody } from '../../engine-api/container/types';
import type { ImageConfig } from '../images/changes';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * A non-empty body Entrypoint replaces the image's and drops the image's Cmd; `[]` only drops
 * the image's Entrypoint (the image's Cmd still applies when the body has none); `[""]` is the
 * CLI's `--entrypoint ""`, a reset that also drops the image's Cmd.
 */
export function processArgs(body: ContainerCreateBody, image: ImageConfig): string[] {
  let entrypoint = body.Entrypoint ?? undefined;
  let cmd = body.Cmd ?? [];
  if (!entrypoint || entrypoint.length === 0) {
    if (cmd.length === 0) cmd = image.Cmd ?? [];
    if (!entrypoint) entrypoint = image.Entrypoint ?? [];
  }
  if (entrypoint.length === 1 && entrypoint[0] === '') entrypoint = [];
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) throw new InvalidArgumentError('no command specified');
  return args;
}

const keyOf = (entry: string): string => entry.split('=', 1)[0];

/**
 * Body variables first, then the image's the body did not set; laid over the daemon's PATH and
 * HOSTNAME (and TERM for a tty). A body entry without `=` unsets the variable.
 */
export function processEnv(body: ContainerCreateBody, image: ImageConfig, hostname: string): string[] {
  const user = body.Env ?? [];
  const userKeys = new Set(user.map(keyOf));
  const merged = [...user, ...(image.Env ?? []).filter((e) => !userKeys.has(keyOf(e)))];
  const base = [`PATH=${DEFAULT_PATH}`, `HOSTNAME=${hostname}`];
  if (body.Tty) base.push('TERM=xterm');
  return replaceOrAppend(base, merged);
}

function replaceOrAppend(base: string[], overrides: string[]): string[] {
  const out: (string | undefined)[] = [...base];
  const index = new Map(base.map((e, i) => [keyOf(e), i]));
  for (const entry of overrides) {
    const at = index.get(keyOf(entry));
    if (!entry.includes('=')) {
      if (at !== undefined) out[at] = undefined;
    } else if (at !== undefined) out[at] = entry;
    else {
      index.set(keyOf(entry), out.length);
      out.push(entry);
    }
  }
  return out.filter((e): e is string => e !== undefined);
}

/** runc sets HOME from the user's passwd entry when the environment has none. */
export function withHome(env: string[], home: string): string[] {
  return env.some((e) => keyOf(e) === 'HOME') ? env : [...env, `HOME=${home || '/'}`];
}

export function workingDir(body: ContainerCreateBody, image: ImageConfig): string {
  const dir = body.WorkingDir || image.WorkingDir || '/';
  if (!path.posix.isAbsolute(dir)) {
    throw new InvalidArgumentError(
      `the working directory '${dir}' is invalid, it needs to be an absolute path`,
    );
  }
  return path.posix.normalize(dir);
}
