/**
 * The hot compose commands, by the one word that calls them: what the fast path serves, each
 * descriptor loaded only when its command is called (a fast `ps` is what a script polls; a no-op
 * `up -d` spends half its time loading oclif otherwise).
 */
import type { CommandDescriptor } from '../../command-descriptor';

export const COMPOSE_HOT_COMMANDS: Readonly<Record<string, () => CommandDescriptor>> = {
  ps: () => (require('./ps') as typeof import('./ps')).psCommand,
  logs: () => (require('./logs') as typeof import('./logs')).composeLogsCommand,
  up: () => (require('./up') as typeof import('./up')).upCommand,
  down: () => (require('./down') as typeof import('./down')).downCommand,
  ls: () => (require('./ls') as typeof import('./ls')).lsCommand,
  exec: () => (require('./exec') as typeof import('./exec')).composeExecCommand,
  run: () => (require('./run') as typeof import('./run')).composeRunCommand,
};
