/** `create`: create the project's containers without starting them (docker compose's flags). */
import { describe } from '../../command-descriptor';
import { createFlagTable } from '../state-verb-flag-tables';

export const createCommand = describe({
  id: 'create',
  summary: 'Creates containers for a service',
  description:
    'What up does short of starting: networks, volumes and containers made (pulled images first, ' +
    'changed services recreated), none started; start or up starts them.',
  usage: 'create [OPTIONS] [SERVICE...]',
  examples: ['<%= config.bin %> create', '<%= config.bin %> create --force-recreate --scale worker=2'],
  flags: createFlagTable,
  operands: { count: 'any', name: 'services', description: 'Services to create (default: all)' },
  async run(flags, operands) {
    const { runCreate } = require('../create') as typeof import('../create');
    return runCreate(flags, operands);
  },
});
