/** `rm`: remove the project's stopped containers (docker compose's flags). */
import { describe } from '../../command-descriptor';
import { rmFlagTable } from '../state-verb-flag-tables';

export const rmCommand = describe({
  id: 'rm',
  summary: 'Removes stopped service containers',
  description:
    'Names the stopped containers of the services and removes them after a yes (-f: at once). ' +
    'With -s the running ones are stopped first and removed too. By default, anonymous volumes ' +
    'attached to containers are not removed; -v removes them. Any data which is not in a volume ' +
    'is lost.',
  usage: 'rm [OPTIONS] [SERVICE...]',
  examples: ['<%= config.bin %> rm -f', '<%= config.bin %> rm -s -v -f worker'],
  flags: rmFlagTable,
  operands: {
    count: 'any',
    name: 'services',
    description: 'Services whose containers to remove (default: all)',
  },
  async run(flags, operands) {
    const { runRm } = require('../rm') as typeof import('../rm');
    return runRm(flags, operands);
  },
});
