/**
 * The flags of the compose lifecycle verbs as docker compose has them (reference/cli.md), as
 * plain data so the oclif commands and the fast path read the same table. The global compose
 * flags (`-f`, `-p`, ...) come first in every table: bin/ moves them behind the verb.
 */
import { bool, int, list, str, type FlagTable } from '../flags/flag-spec';

export const composeGlobalFlagTable = {
  file: list('Compose configuration files', { char: 'f', helpGroup: 'GLOBAL' }),
  'project-name': str('Project name', { char: 'p', helpGroup: 'GLOBAL' }),
  'project-directory': str(
    'Specify an alternate working directory (default: the path of the first Compose file)',
    { helpGroup: 'GLOBAL' },
  ),
  profile: list('Specify a profile to enable', { helpGroup: 'GLOBAL' }),
  'env-file': list('Specify an alternate environment file', { helpGroup: 'GLOBAL' }),
  progress: str('Set type of progress output (auto, tty, plain, json, quiet)', { helpGroup: 'GLOBAL' }),
  ansi: str('Control when to print ANSI control characters ("never"|"always"|"auto")', {
    helpGroup: 'GLOBAL',
  }),
  parallel: int('Control max parallelism, -1 for unlimited', { helpGroup: 'GLOBAL' }),
  'dry-run': bool('Execute command in dry run mode', { helpGroup: 'GLOBAL' }),
} satisfies FlagTable;

export const upFlagTable = {
  ...composeGlobalFlagTable,
  detach: bool('Detached mode: Run containers in the background', { char: 'd' }),
  build: bool('Build images before starting containers'),
  'no-build': bool("Don't build an image, even if it's policy"),
  pull: str('Pull image before running ("always"|"missing"|"never")', { default: 'policy' }),
  'remove-orphans': bool('Remove containers for services not defined in the Compose file'),
  scale: list(
    'Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present.',
  ),
  'no-color': bool('Produce monochrome output'),
  'no-log-prefix': bool("Don't print prefix in logs"),
  'force-recreate': bool("Recreate containers even if their configuration and image haven't changed"),
  'no-recreate': bool(
    "If containers already exist, don't recreate them. Incompatible with --force-recreate.",
  ),
  'no-start': bool("Don't start the services after creating them"),
  'abort-on-container-exit': bool('Stops all containers if any container was stopped. Incompatible with -d'),
  'abort-on-container-failure': bool(
    'Stops all containers if any container exited with failure. Incompatible with -d',
  ),
  'exit-code-from': str(
    'Return the exit code of the selected service container. Implies --abort-on-container-exit',
  ),
  timeout: int(
    'Use this timeout in seconds for container shutdown when attached or when containers are already running',
    { char: 't' },
  ),
  timestamps: bool('Show timestamps'),
  'no-deps': bool("Don't start linked services"),
  'always-recreate-deps': bool('Recreate dependent containers. Incompatible with --no-recreate.'),
  'renew-anon-volumes': bool(
    'Recreate anonymous volumes instead of retrieving data from the previous containers',
    { char: 'V' },
  ),
  'quiet-pull': bool('Pull without printing progress information'),
  attach: list('Restrict attaching to the specified services. Incompatible with --attach-dependencies.'),
  'no-attach': list('Do not attach (stream logs) to the specified services'),
  'attach-dependencies': bool('Automatically attach to log output of dependent services'),
  wait: bool('Wait for services to be running|healthy. Implies detached mode.'),
  'wait-timeout': int('Maximum duration in seconds to wait for the project to be running|healthy'),
  yes: bool('Assume "yes" as the answer to every prompt and run non-interactively', { char: 'y' }),
} satisfies FlagTable;

export const downFlagTable = {
  ...composeGlobalFlagTable,
  'remove-orphans': bool('Remove containers for services not defined in the Compose file'),
  timeout: int('Specify a shutdown timeout in seconds', { char: 't' }),
  volumes: bool(
    'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers',
    { char: 'v' },
  ),
  rmi: str(
    'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")',
  ),
} satisfies FlagTable;

export const psFlagTable = {
  ...composeGlobalFlagTable,
  format: str("Format output using a custom template: 'table' (default), 'json', or a Go template"),
  filter: str('Filter services by a property (supported filters: status)'),
  status: list(
    'Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]',
  ),
  quiet: bool('Only display IDs', { char: 'q' }),
  services: bool('Display services'),
  all: bool('Show all stopped containers (including those created by the run command)', { char: 'a' }),
  'no-trunc': bool("Don't truncate output"),
} satisfies FlagTable;

export const composeLogsFlagTable = {
  ...composeGlobalFlagTable,
  // `logs -f` is --follow, as in docker compose; a leading `-f` (before the verb) is --file, which
  // bin/ spells long when it moves it behind the verb.
  file: list('Compose configuration files', { helpGroup: 'GLOBAL' }),
  follow: bool('Follow log output', { char: 'f' }),
  index: int('index of the container if service has multiple replicas'),
  since: str('Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)'),
  until: str(
    'Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)',
  ),
  'no-color': bool('Produce monochrome output'),
  'no-log-prefix': bool("Don't print prefix in logs"),
  timestamps: bool('Show timestamps', { char: 't' }),
  tail: str('Number of lines to show from the end of the logs for each container', {
    char: 'n',
    default: 'all',
  }),
} satisfies FlagTable;
