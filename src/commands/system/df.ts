import { Command, Flags } from '@oclif/core';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { renderDiskUsage } from '../../cli/system/render-df';

export default class SystemDf extends Command {
  static override summary = 'Show engine disk usage';
  static override description =
    'What images, containers and local volumes take, and what a prune would reclaim, as docker system df shows it.';
  static override examples = ['<%= config.bin %> system df', '<%= config.bin %> system df -v'];
  static override baseFlags = engineFlags;
  static override flags = {
    verbose: Flags.boolean({ char: 'v', description: 'Show detailed information on space usage' }),
    format: Flags.string({
      description: "Format output: 'table', 'table TEMPLATE', 'json' or a Go template",
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SystemDf);
    const engine = await openEngine(flags);
    let df;
    try {
      df = await engine.diskUsage();
    } catch (err) {
      throw daemonError(err);
    }
    process.stdout.write(
      renderDiskUsage(df, { verbose: flags.verbose, format: flags.format, now: Date.now() }),
    );
  }
}
