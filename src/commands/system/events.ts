import { once } from 'node:events';
import { Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/flags/filters';
import { parseLogTime } from '../../cli/flags/log-times';
import { eventPrinter } from '../../cli/format/render-events';

export default class SystemEvents extends Command {
  static override summary = 'Get real time events from the engine';
  static override description =
    'Every container, image, network and volume event of the engine, as `docker system events` ' +
    "prints them (a project's own container events are `events`): containers being created, " +
    'started, paused, dying, removed… one line each as they happen. ' +
    '--since replays the past (a duration back from now, an RFC 3339 time or unix seconds); ' +
    '--until ends the stream. Filters: container, event, image, label, type.';

  static override examples = [
    '<%= config.bin %> system events --since 10m --until 0s',
    '<%= config.bin %> system events --filter container=web --filter event=die',
    '<%= config.bin %> system events --format json',
  ];

  static override baseFlags = engineFlags;
  static override flags = {
    since: Flags.string({ description: 'Show all events created since timestamp' }),
    until: Flags.string({ description: 'Stream events until this timestamp' }),
    filter: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      description: 'Filter output based on conditions provided (container=, event=, image=, label=, type=)',
    }),
    format: Flags.string({ description: "Format output: 'json' or a Go template" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SystemEvents);
    const now = Date.now();
    const since = flags.since === undefined ? undefined : parseLogTime(flags.since, now);
    const until = flags.until === undefined ? undefined : parseLogTime(flags.until, now);
    const print = eventPrinter(flags.format);
    const engine = await openEngine(flags);
    for await (const e of engine.events({ since, until, filters: parseFilters(flags.filter) })) {
      if (!process.stdout.write(print(e))) await once(process.stdout, 'drain');
    }
  }
}
