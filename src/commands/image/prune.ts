import { Command, Flags } from '@oclif/core';
import { confirm } from '../../cli/confirm';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/flags/filters';
import { humanSize } from '../../cli/format/go-format';

const WARNING = {
  dangling: 'WARNING! This will remove all dangling images.',
  all: 'WARNING! This will remove all images without at least one container associated to them.',
};

export default class ImagePrune extends Command {
  static override summary = 'Remove unused images';
  static override description =
    'Dangling images (no tag) that no container uses; with --all every image no container uses. Frees exactly the layers and blobs no remaining image or container needs.';
  static override examples = ['<%= config.bin %> image prune -f', '<%= config.bin %> image prune -a -f'];
  static override baseFlags = engineFlags;
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'Remove all unused images, not just dangling ones' }),
    filter: Flags.string({ description: 'Provide filter values (e.g. "until=<timestamp>")', multiple: true }),
    force: Flags.boolean({ char: 'f', description: 'Do not prompt for confirmation' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ImagePrune);
    if (!flags.force && !(await confirm(flags.all ? WARNING.all : WARNING.dangling))) {
      this.log('Total reclaimed space: 0B');
      return;
    }
    const engine = await openEngine(flags);
    let report;
    try {
      report = await engine.pruneImages({ all: flags.all, filters: parseFilters(flags.filter) });
    } catch (err) {
      throw daemonError(err);
    }
    const deleted = report.ImagesDeleted ?? [];
    if (deleted.length > 0) {
      const lines = deleted.map((d) => (d.Untagged ? `untagged: ${d.Untagged}` : `deleted: ${d.Deleted}`));
      this.log(`Deleted Images:\n${lines.join('\n')}\n`);
    }
    this.log(`Total reclaimed space: ${humanSize(report.SpaceReclaimed)}`);
  }
}
