import { Args, Command, Flags } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { copy } from '../../cli/container/cp';

export default class ContainerCp extends Command {
  static override summary = 'Copy files/folders between a container and the local filesystem';
  static override description =
    'Use "-" as the source to read a tar archive from stdin and extract it to a directory destination in a container. Use "-" as the destination to stream a tar archive of a container source to stdout.';
  static override usage = [
    'container cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-',
    'container cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  ];
  static override examples = [
    '<%= config.bin %> container cp web:/etc/nginx/nginx.conf .',
    '<%= config.bin %> container cp -a ./site web:/usr/share/nginx/html',
    '<%= config.bin %> container cp web:/var/log - | tar t',
  ];
  static override args = {
    src: Args.string({ required: true, description: 'CONTAINER:SRC_PATH, a local path or -' }),
    dest: Args.string({ required: true, description: 'CONTAINER:DEST_PATH, a local path or -' }),
  };
  static override baseFlags = engineFlags;
  static override flags = {
    archive: Flags.boolean({ char: 'a', description: 'Archive mode (copy all uid/gid information)' }),
    'follow-link': Flags.boolean({ char: 'L', description: 'Always follow symbol link in SRC_PATH' }),
    quiet: Flags.boolean({ char: 'q', description: 'Suppress progress output during copy' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerCp);
    await copy(args.src, args.dest, {
      host: flags.host,
      archive: flags.archive,
      followLink: flags['follow-link'],
      quiet: flags.quiet,
    });
  }
}
