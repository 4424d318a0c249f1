/** `pause` and `unpause`: freeze and thaw the project's running containers. */
import { describe } from '../../command-descriptor';
import { pauseFlagTable } from '../state-verb-flag-tables';

export const pauseCommand = describe({
  id: 'pause',
  summary: 'Pause services',
  description: 'Freezes every process of the running containers of the services; unpause thaws them.',
  usage: 'pause [SERVICE...]',
  examples: ['<%= config.bin %> pause', '<%= config.bin %> pause worker'],
  flags: pauseFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services to pause (default: all)' },
  async run(flags, operands) {
    const { runPause } = require('../state-verbs') as typeof import('../state-verbs');
    return runPause(flags, operands, 'pause');
  },
});

export const unpauseCommand = describe({
  id: 'unpause',
  summary: 'Unpause services',
  description: 'Thaws the paused containers of the services.',
  usage: 'unpause [SERVICE...]',
  examples: ['<%= config.bin %> unpause', '<%= config.bin %> unpause worker'],
  flags: pauseFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services to unpause (default: all)' },
  async run(flags, operands) {
    const { runPause } = require('../state-verbs') as typeof import('../state-verbs');
    return runPause(flags, operands, 'unpause');
  },
});
