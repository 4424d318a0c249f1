/**
 * What `pull` and `push` share once their flags are read: the services they work on (those named,
 * else every enabled one; with --include-deps what those need too), the progress sink, and the
 * registry credentials the CLI keeps (docker's config.json and credential helpers).
 */
import type { Project } from '../../compose-model/types';
import type { ServiceConfig } from '../../compose-model/project-types';
import type { RegistryIo } from '../../compose/pull';
import { authHeaderFor } from '../registry/registry-auth';
import { progressSink } from './progress/choose';
import { checkServices } from './services';
import { parallelLimit } from './up';
import type { ComposeGlobalValues } from './project-from-flags';

/** docker compose's WithSelectedServices: a service named runs whatever its profiles. */
export function selectedServices(
  project: Project,
  operands: string[],
  includeDeps: boolean,
): ServiceConfig[] {
  checkServices(project, operands);
  if (operands.length === 0) return Object.values(project.services);
  const all = { ...project.disabled, ...project.services };
  let names = operands;
  if (includeDeps) {
    const { projectGraph } =
      require('../../compose-model/graph') as typeof import('../../compose-model/graph');
    names = projectGraph(all).withDependencies(operands);
  }
  return [...new Set(names)].map((n) => all[n]);
}

/** The io of a pull or push: progress on stderr (none with -q), warnings, credentials. */
export function registryIo(flags: ComposeGlobalValues, title: string, quiet: boolean): RegistryIo {
  const progress = progressSink(
    {
      progress: quiet ? 'quiet' : flags.progress,
      ansi: flags.ansi,
      env: process.env,
      stderrIsTTY: !!process.stderr.isTTY,
    },
    { title, dryRun: flags['dry-run'] },
  );
  return {
    progress,
    warn: (message) => void process.stderr.write(`WARN[0000] ${message}\n`),
    registryAuth: (image) => authHeaderFor(image),
    parallelLimit: parallelLimit(flags.parallel),
    dryRun: flags['dry-run'],
  };
}
