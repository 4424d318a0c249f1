/**
 * The hot container commands, by the words that call them (their aliases too): what the fast
 * path serves, each descriptor loaded only when its command is called. Their oclif commands
 * are made of the same descriptors; a test holds this table to their ids and aliases.
 */
import type { CommandDescriptor } from '../../command-descriptor';

const run = () => require('./run') as typeof import('./run');
const targets = () => require('./targets') as typeof import('./targets');
const ls = () => (require('./ls') as typeof import('./ls')).lsCommand;
const rm = () => targets().rmCommand;

export const HOT_COMMANDS: Readonly<Record<string, () => CommandDescriptor>> = {
  'container run': () => run().runCommand,
  'container create': () => run().createCommand,
  'container exec': () => (require('./exec') as typeof import('./exec')).execCommand,
  'container start': () => targets().startCommand,
  'container stop': () => targets().stopCommand,
  'container restart': () => targets().restartCommand,
  'container kill': () => targets().killCommand,
  'container rm': rm,
  'container remove': rm,
  'container wait': () => targets().waitCommand,
  'container inspect': () => targets().inspectCommand,
  'container ls': ls,
  'container ps': ls,
  'container list': ls,
  'container logs': () => (require('./logs') as typeof import('./logs')).logsCommand,
};
