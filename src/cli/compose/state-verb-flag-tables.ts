/**
 * The flags of the compose verbs that change the state of a project's containers (start, stop,
 * restart, rm, kill, pause, unpause, create, wait) and of `events`, as docker compose has them
 * (reference/cli.md), as plain data like verb-flag-tables.ts's, the global flags first.
 */
import { bool, int, list, str, type FlagTable } from '../flags/flag-spec';
import { composeGlobalFlagTable, upFlagTable } from './verb-flag-tables';

export const startFlagTable = {
  ...composeGlobalFlagTable,
  wait: bool('Wait for services to be running|healthy. Implies detached mode.'),
  'wait-timeout': int('Maximum duration in seconds to wait for the project to be running|healthy'),
} satisfies FlagTable;

export const stopFlagTable = {
  ...composeGlobalFlagTable,
  timeout: int('Specify a shutdown timeout in seconds', { char: 't' }),
} satisfies FlagTable;

export const restartFlagTable = {
  ...composeGlobalFlagTable,
  timeout: int('Specify a shutdown timeout in seconds', { char: 't' }),
  'no-deps': bool("Don't restart dependent services"),
} satisfies FlagTable;

export const rmFlagTable = {
  ...composeGlobalFlagTable,
  // `rm -f` is --force, as in docker compose; a leading `-f` (before "rm") is --file, which bin/
  // spells long when it moves it behind the verb.
  file: list('Compose configuration files', { helpGroup: 'GLOBAL' }),
  force: bool("Don't ask to confirm removal", { char: 'f' }),
  stop: bool('Stop the containers, if required, before removing', { char: 's' }),
  volumes: bool('Remove any anonymous volumes attached to containers', { char: 'v' }),
  all: bool('Deprecated - no effect', { char: 'a' }),
} satisfies FlagTable;

export const killFlagTable = {
  ...composeGlobalFlagTable,
  'remove-orphans': bool('Remove containers for services not defined in the Compose file'),
  signal: str('SIGNAL to send to the container', { char: 's', default: 'SIGKILL' }),
} satisfies FlagTable;

/** `pause` and `unpause`: the global flags alone. */
export const pauseFlagTable = { ...composeGlobalFlagTable } satisfies FlagTable;

/** `create`: up's flags that create, with up's meanings (it is `up --no-start`). */
export const createFlagTable = {
  ...composeGlobalFlagTable,
  build: upFlagTable.build,
  'no-build': upFlagTable['no-build'],
  pull: str('Pull image before running ("always"|"missing"|"never"|"build")', { default: 'policy' }),
  'quiet-pull': upFlagTable['quiet-pull'],
  'force-recreate': upFlagTable['force-recreate'],
  'no-recreate': upFlagTable['no-recreate'],
  'remove-orphans': upFlagTable['remove-orphans'],
  scale: upFlagTable.scale,
  yes: upFlagTable.yes,
} satisfies FlagTable;

export const waitFlagTable = {
  ...composeGlobalFlagTable,
  'down-project': bool('Drops project when the first container stops'),
} satisfies FlagTable;

export const composeEventsFlagTable = {
  ...composeGlobalFlagTable,
  json: bool('Output events as a stream of json objects'),
  since: str('Show all events created since timestamp'),
  until: str('Stream events until this timestamp'),
} satisfies FlagTable;
