import { Args, Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { showStats } from '../../cli/container/stats';

export default class ContainerStats extends Command {
  static override summary = 'Display a live stream of container(s) resource usage statistics';
  static override description =
    'CPU %, memory use and limit, network and block I/O and the number of processes, each ' +
    'second (--no-stream: once). Without containers named: the running ones (-a: all).';

  static override examples = [
    '<%= config.bin %> container stats --no-stream',
    '<%= config.bin %> container stats --no-stream --format json web',
    "<%= config.bin %> container stats --format 'table {{.Name}}\\t{{.MemUsage}}' web db",
  ];

  static override args = { container: Args.string({ description: 'Container name or id (any number)' }) };
  static override strict = false;
  static override baseFlags = engineFlags;
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'Show all containers (default shows just running)' }),
    'no-stream': Flags.boolean({ description: 'Disable streaming stats and only pull the first result' }),
    'no-trunc': Flags.boolean({ description: "Don't truncate output" }),
    format: Flags.string({
      description: "Format output: 'table', 'table TEMPLATE', 'json' or a Go template",
    }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(ContainerStats);
    const engine = await openEngine(flags);
    await showStats(engine, {
      targets: argv as string[],
      all: flags.all,
      stream: !flags['no-stream'],
      format: flags.format,
      noTrunc: flags['no-trunc'],
      out: process.stdout,
    });
  }
}
