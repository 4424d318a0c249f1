/**
 * `up` once its flags are read: the project loaded (a bad file applies nothing: exit 15), the
 * compose service's `up` run with progress drawn on stderr, then, unless detached, the attached
 * foreground (attached-up.ts). Ctrl-C while it creates stops the plan where it is (exit 130).
 */
import { authHeaderFor } from '../registry/registry-auth';
import { InvalidArgumentError } from '../../common/errors';
import type { Project } from '../../compose-model/types';
import type { UpIo } from '../../compose/up';
import { openEngine } from '../engine-client';
import { runAttached } from './attached-up';
import { progressSink } from './progress/choose';
import { loadProjectFromFlags } from './project-from-flags';
import { upRequest, type UpFlags } from './up-options';
import { Interrupts } from './interrupts';
import { withProjectLock } from './project-lock';

export async function runUp(flags: UpFlags & { host?: string }, services: string[]): Promise<number> {
  const request = upRequest(flags, services);
  const project = withTargetedProfiles(loadProjectFromFlags(flags), flags, services);
  const from = request.attached?.exitCodeFrom;
  if (from !== undefined && !(from in project.services))
    throw new InvalidArgumentError(`no such service: ${from}`, { code: 'NO_SUCH_SERVICE' });
  const { up } = require('../../compose/up') as typeof import('../../compose/up');
  const engine = await openEngine(flags);
  const since = Date.now() / 1000;
  const interrupts = new Interrupts();
  try {
    const progress = progressSink(
      { progress: flags.progress, ansi: flags.ansi, env: process.env, stderrIsTTY: !!process.stderr.isTTY },
      { title: 'Running', dryRun: flags['dry-run'] },
    );
    const io: UpIo = {
      progress,
      print: (text) => void process.stdout.write(text),
      warn: (message) => void process.stderr.write(`WARN[0000] ${message}\n`),
      signal: interrupts.first,
      parallelLimit: parallelLimit(flags.parallel),
      registryAuth: (image) => authHeaderFor(image),
    };
    let result;
    try {
      result = flags['dry-run']
        ? await up(engine, project, request.options, io)
        : await withProjectLock(project.name, () => up(engine, project, request.options, io));
    } finally {
      await progress.done();
    }
    if (!request.attached || flags['dry-run']) return 0;
    return await runAttached(engine, project, result.containers, {
      settings: request.attached,
      services,
      flags,
      since,
      interrupts,
    });
  } finally {
    interrupts.dispose();
  }
}

/**
 * A service named on the command line runs whatever its profiles, as in docker compose ("When
 * you explicitly target a service ... Compose runs that service regardless of whether its
 * profile is activated"): the project is loaded again with its profiles active too.
 */
export function withTargetedProfiles(project: Project, flags: UpFlags, services: string[]): Project {
  const extra = services.flatMap((s) => (s in project.services ? [] : (project.disabled[s]?.profiles ?? [])));
  if (extra.length === 0) return project;
  return loadProjectFromFlags({ ...flags, profile: [...new Set([...project.profiles, ...extra])] });
}

/** `--parallel`: -1 (docker compose's default) is no limit; absent, COMPOSE_PARALLEL_LIMIT decides. */
export function parallelLimit(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === -1) return Infinity;
  if (!Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError(`--parallel must be a positive integer or -1, not ${value}`);
  return value;
}
