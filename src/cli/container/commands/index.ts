/** The hot container commands: what the fast path serves and the oclif commands are made of. */
import type { CommandDescriptor } from '../../command-descriptor';
import { execCommand } from './exec';
import { logsCommand } from './logs';
import { lsCommand } from './ls';
import { createCommand, runCommand } from './run';
import {
  inspectCommand,
  killCommand,
  restartCommand,
  rmCommand,
  startCommand,
  stopCommand,
  waitCommand,
} from './targets';

export const HOT_COMMANDS: readonly CommandDescriptor[] = [
  runCommand,
  createCommand,
  execCommand,
  startCommand,
  stopCommand,
  restartCommand,
  killCommand,
  rmCommand,
  waitCommand,
  inspectCommand,
  lsCommand,
  logsCommand,
];
