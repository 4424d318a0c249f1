/**
 * The project a lifecycle verb works on, from the global compose flags every verb's table starts
 * with (verb-flag-tables.ts). `ps`, `logs` and `down -p NAME` need only the name, which they can
 * have without any compose file, as docker compose's do.
 */
import fs from 'node:fs';
import type { LoadOptions, Project } from '../../compose-model/types';
import type { FlagValues } from '../flags/flag-spec';
import type { composeGlobalFlagTable } from './verb-flag-tables';

export type ComposeGlobalValues = Partial<FlagValues<typeof composeGlobalFlagTable>>;

/** Loader options from the global compose flags (`config` adds its own switches in `extra`). */
export function loadOptionsFromFlags(
  flags: ComposeGlobalValues,
  extra: Partial<LoadOptions> = {},
): LoadOptions {
  const files = flags.file ?? [];
  return {
    workingDir: process.cwd(),
    configFiles: files,
    projectName: flags['project-name'],
    projectDirectory: flags['project-directory'],
    profiles: flags.profile,
    envFiles: flags['env-file'],
    environment: { ...process.env },
    stdin: files.includes('-') ? fs.readFileSync(0, 'utf8') : undefined,
    ...extra,
  };
}

export function loadProjectFromFlags(flags: ComposeGlobalValues): Project {
  // Required here: a verb's --help must not load the compose model.
  const { loadProject } =
    require('../../compose-model/loader') as typeof import('../../compose-model/loader');
  return loadProject(loadOptionsFromFlags(flags));
}

/**
 * The project's name and, when its files can be found, the project: with `-p` (or
 * COMPOSE_PROJECT_NAME) and no compose file around, the name alone, as docker compose's
 * `ps -p NAME` and `down -p NAME` work anywhere.
 */
export function projectNameFromFlags(flags: ComposeGlobalValues): { name: string; project?: Project } {
  const given = flags['project-name'] ?? process.env.COMPOSE_PROJECT_NAME;
  // Looking for the files first spares `ps -p NAME` where there are none the loader's loading.
  if (given && !flags.file?.length && !composeFileAround(flags)) return { name: given };
  try {
    const project = loadProjectFromFlags(flags);
    return { name: project.name, project };
  } catch (err) {
    if (given && !flags.file?.length && /^no configuration file provided/.test((err as Error).message))
      return { name: given };
    throw err;
  }
}

/** Whether the files a load would read can be found (-f aside: COMPOSE_FILE, or the default names upward). */
function composeFileAround(flags: ComposeGlobalValues): boolean {
  const { resolveDiscovery } =
    require('../../compose-model/discovery') as typeof import('../../compose-model/discovery');
  try {
    resolveDiscovery({
      workingDir: process.cwd(),
      projectDirectory: flags['project-directory'],
      envFiles: flags['env-file'],
      environment: { ...process.env },
    });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'NO_CONFIG_FILE') return false;
    throw err;
  }
}
