/**
 * The global flags docker compose users type, as oclif flags for `config` (the lifecycle verbs'
 * are plain tables: verb-flag-tables.ts); project-from-flags.ts makes loader options of either.
 * COMPOSE_* variables are read by the loader itself.
 */
import { Flags } from '@oclif/core';

export const composeFlags = {
  file: Flags.string({
    char: 'f',
    multiple: true,
    description: 'Compose configuration files',
    helpGroup: 'GLOBAL',
  }),
  'project-name': Flags.string({ char: 'p', description: 'Project name', helpGroup: 'GLOBAL' }),
  'project-directory': Flags.string({
    description: 'Specify an alternate working directory (default: the path of the first Compose file)',
    helpGroup: 'GLOBAL',
  }),
  profile: Flags.string({ multiple: true, description: 'Specify a profile to enable', helpGroup: 'GLOBAL' }),
  'env-file': Flags.string({
    multiple: true,
    description: 'Specify an alternate environment file',
    helpGroup: 'GLOBAL',
  }),
  progress: Flags.string({
    options: ['auto', 'tty', 'plain', 'json', 'quiet'],
    description: 'Set type of progress output',
    helpGroup: 'GLOBAL',
    env: 'COMPOSE_PROGRESS',
  }),
  ansi: Flags.string({
    options: ['never', 'always', 'auto'],
    default: 'auto',
    description: 'Control when to print ANSI control characters',
    helpGroup: 'GLOBAL',
    env: 'COMPOSE_ANSI',
  }),
  parallel: Flags.integer({
    default: -1,
    description: 'Control max parallelism, -1 for unlimited',
    helpGroup: 'GLOBAL',
  }),
  'dry-run': Flags.boolean({ description: 'Execute command in dry run mode', helpGroup: 'GLOBAL' }),
};
