import { Args, Command } from '@oclif/core';
import { portLines } from '../../cli/container/ports';
import { engineFlags, openEngine } from '../../cli/engine-client';

export default class ContainerPort extends Command {
  static override summary = 'List port mappings or a specific mapping for the container';
  static override usage = 'container port CONTAINER [PRIVATE_PORT[/PROTO]]';
  static override examples = [
    '<%= config.bin %> container port web',
    '<%= config.bin %> container port web 80/tcp',
  ];
  static override baseFlags = engineFlags;
  static override args = {
    container: Args.string({ required: true, description: 'Container name or id' }),
    port: Args.string({ description: 'A private port, with /tcp (the default) or /udp' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerPort);
    const engine = await openEngine(flags);
    const c = await engine.inspectContainer(args.container);
    const ports = (c.NetworkSettings as { Ports?: Parameters<typeof portLines>[0] } | undefined)?.Ports ?? {};
    for (const l of portLines(ports, args.port)) this.log(l);
  }
}
