import { Args, Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { parseLogTime } from '../../cli/log-times';
import { pipeChunks } from '../../cli/output';

export default class ContainerLogs extends Command {
  static override summary = 'Fetch the logs of a container';
  static override description =
    "The container's stdout goes to stdout, its stderr to stderr. --since and --until take a " +
    'duration back from now (10m, 1h30m), an RFC 3339 date or time, or unix seconds.';

  static override examples = [
    '<%= config.bin %> container logs -f --tail 10 web',
    '<%= config.bin %> container logs --since 10m -t web',
  ];

  static override args = { container: Args.string({ required: true, description: 'Container name or id' }) };
  static override baseFlags = engineFlags;
  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'Follow log output' }),
    tail: Flags.string({
      char: 'n',
      default: 'all',
      description: 'Number of lines to show from the end of the logs',
    }),
    since: Flags.string({
      description: 'Show logs since timestamp (2013-01-02T13:23:37Z) or relative (42m)',
    }),
    until: Flags.string({
      description: 'Show logs before a timestamp (2013-01-02T13:23:37Z) or relative (42m)',
    }),
    timestamps: Flags.boolean({ char: 't', description: 'Show timestamps' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerLogs);
    const now = Date.now();
    const since = flags.since === undefined ? undefined : parseLogTime(flags.since, now);
    const until = flags.until === undefined ? undefined : parseLogTime(flags.until, now);
    const engine = await openEngine(flags);
    const opts = { follow: flags.follow, tail: flags.tail, timestamps: flags.timestamps, since, until };
    await pipeChunks(engine.containerLogs(args.container, { ...opts, stdout: true, stderr: true }));
  }
}
