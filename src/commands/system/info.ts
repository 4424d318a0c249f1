import { Command, Flags } from '@oclif/core';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { renderInfo } from '../../cli/system/render-info';

export default class SystemInfo extends Command {
  static override summary = 'Display system-wide information';
  static override description =
    "The engine's containers by state, images, storage and cgroup drivers, and the host's kernel, OS, CPUs and memory, as docker info shows them.";
  static override examples = [
    '<%= config.bin %> system info',
    "<%= config.bin %> system info --format '{{.NCPU}}'",
  ];
  static override baseFlags = engineFlags;
  static override flags = {
    format: Flags.string({ char: 'f', description: "Format output: 'json' or a Go template" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SystemInfo);
    const engine = await openEngine(flags);
    let info;
    try {
      info = await engine.info();
    } catch (err) {
      throw daemonError(err);
    }
    process.stdout.write(renderInfo(info, { clientVersion: this.config.version, format: flags.format }));
  }
}
