/** `ps`: the project's containers (not `container ps`, the engine's list). */
import { describe } from '../../command-descriptor';
import { psFlagTable } from '../verb-flag-tables';

export const psCommand = describe({
  id: 'ps',
  summary: 'List containers',
  description:
    "The project's containers, found by their labels, so a project's name (-p) is enough where " +
    'no compose file is around. Without -a, only running ones of the services the files declare.',
  usage: 'ps [OPTIONS] [SERVICE...]',
  examples: [
    '<%= config.bin %> ps',
    '<%= config.bin %> -p demo ps -a --format json',
    '<%= config.bin %> ps --status exited -q',
    "<%= config.bin %> ps --format '{{.Name}}\\t{{.Health}}'",
  ],
  flags: psFlagTable,
  operands: { count: 'any', name: 'service', description: 'Services to list' },
  async run(flags, operands) {
    const { showPs } = require('../ps') as typeof import('../ps');
    return showPs(flags, operands);
  },
});
