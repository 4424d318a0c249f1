/** `version`: tscompose's version, in docker compose's shapes (the engine's is in `engine status`). */
import { describe } from '../../command-descriptor';
import { versionFlagTable } from '../registry-verb-flag-tables';

export const versionCommand = describe({
  id: 'version',
  summary: 'Show the tscompose version information',
  usage: 'version [OPTIONS]',
  examples: [
    '<%= config.bin %> version',
    '<%= config.bin %> version --short',
    '<%= config.bin %> version -f json',
  ],
  flags: versionFlagTable,
  operands: { count: 'none' },
  async run(flags) {
    const { packageVersion, versionText } = require('../version') as typeof import('../version');
    process.stdout.write(versionText(packageVersion(), { format: flags.format, short: flags.short }));
    return 0;
  },
});
