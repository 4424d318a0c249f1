/** `push`: the images the project builds, pushed to their registries. */
import { describe } from '../../command-descriptor';
import { pushFlagTable } from '../registry-verb-flag-tables';

export const pushCommand = describe({
  id: 'push',
  summary: 'Push service images',
  description:
    'As docker compose: a service with both build: and image: has its image (and its build tags) ' +
    "pushed; other services are skipped, their images being someone else's. Credentials come from " +
    '`tscompose login` (docker config.json, credential helpers).',
  usage: 'push [OPTIONS] [SERVICE...]',
  examples: ['<%= config.bin %> push', '<%= config.bin %> push --ignore-push-failures api'],
  flags: pushFlagTable,
  operands: { count: 'any', name: 'service', description: 'Services whose images to push' },
  async run(flags, operands) {
    const { runPush } = require('../push') as typeof import('../push');
    return runPush(flags, operands);
  },
});
