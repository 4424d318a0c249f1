/** `pull`: the services' images, pulled as their pull policies (or --policy) say. */
import { describe } from '../../command-descriptor';
import { pullFlagTable } from '../registry-verb-flag-tables';

export const pullCommand = describe({
  id: 'pull',
  summary: 'Pull service images',
  description:
    'Every service with an image, or those named: a service without pull_policy is always pulled; ' +
    'with missing, an image present under a tag other than latest is skipped. A failed pull fails ' +
    'the command (exit 1) unless --ignore-pull-failures; for a service that can be built it is a warning first.',
  usage: 'pull [OPTIONS] [SERVICE...]',
  examples: [
    '<%= config.bin %> pull',
    '<%= config.bin %> pull --policy missing web',
    '<%= config.bin %> pull -q --ignore-pull-failures',
  ],
  flags: pullFlagTable,
  operands: { count: 'any', name: 'service', description: 'Services whose images to pull' },
  async run(flags, operands) {
    const { runPull } = require('../pull') as typeof import('../pull');
    return runPull(flags, operands);
  },
});
