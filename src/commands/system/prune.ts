import { Command, Flags } from '@oclif/core';
import { confirm } from '../../cli/confirm';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/flags/filters';
import { pruneWarning, systemPrune } from '../../cli/system/prune';

export default class SystemPrune extends Command {
  static override summary = 'Remove unused data';
  static override description =
    'Stopped containers, unused networks, dangling images (with --all every unused image) and, with --volumes, unused anonymous volumes.';
  static override examples = [
    '<%= config.bin %> system prune -f',
    '<%= config.bin %> system prune -a -f --volumes',
  ];
  static override baseFlags = engineFlags;
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'Remove all unused images not just dangling ones' }),
    filter: Flags.string({
      description: 'Provide filter values (e.g. "label=<key>=<value>")',
      multiple: true,
    }),
    force: Flags.boolean({ char: 'f', description: 'Do not prompt for confirmation' }),
    volumes: Flags.boolean({ description: 'Prune anonymous volumes' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SystemPrune);
    const options = { all: flags.all, volumes: flags.volumes, filters: parseFilters(flags.filter) };
    if (!flags.force && !(await confirm(pruneWarning(options)))) return;
    const engine = await openEngine(flags);
    try {
      await systemPrune(engine, options, (text) => process.stdout.write(text));
    } catch (err) {
      throw daemonError(err);
    }
  }
}
