/**
 * The compose verbs the fast path serves (their one-word ids), each descriptor loaded only when
 * called: a no-op `up -d` is dominated by start-up, half of which is oclif's own loading.
 */
import type { CommandDescriptor } from '../../command-descriptor';

export const COMPOSE_HOT_COMMANDS: Readonly<Record<string, () => CommandDescriptor>> = {
  up: () => (require('./up') as typeof import('./up')).upCommand,
  down: () => (require('./down') as typeof import('./down')).downCommand,
};
