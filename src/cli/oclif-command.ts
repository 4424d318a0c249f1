/**
 * The oclif class of a command made of a descriptor (command-descriptor.ts: the hot container
 * commands, and those of one or more operands): its help and manifest come from the
 * descriptor's texts and flag table, its run is the descriptor's.
 */
import { Args, Command, type Interfaces } from '@oclif/core';
import type { CommandDescriptor } from './command-descriptor';
import { engineFlags } from './engine-client';
import { engineFlagTable } from './flags/engine-flags';
import { oclifFlags } from './flags/oclif-flags';
import { readUntilOperand } from './flags/until-operand';

export function oclifCommand(d: CommandDescriptor) {
  const [topic] = d.id.split(' ');
  const o = d.operands;
  const args: Interfaces.ArgInput =
    o.count === 'none'
      ? {}
      : { [o.name]: Args.string({ description: o.description, required: o.count === 'one' }) };
  // The class's statics are its own, not inherited: oclif's manifest reads one level of prototypes only.
  return class extends Command {
    static override summary = d.summary;
    static override description = d.description;
    static override usage = d.usage;
    static override examples = [...d.examples];
    static override aliases = (d.aliases ?? []).map((a) => `${topic}:${a}`);
    static override args = args;
    // Run, create and exec read their own argv (flags end at the first operand); `any` counts any.
    static override strict = !d.untilOperand && o.count !== 'any';
    static override baseFlags = engineFlags;
    static override flags = oclifFlags(d.flags);

    async run(): Promise<void> {
      const { flags, operands } = d.untilOperand
        ? readUntilOperand(this.argv, { ...engineFlagTable, ...d.flags })
        : await this.readFlags();
      const code = await d.run(flags as never, operands);
      if (code !== 0) this.exit(code);
    }

    private async readFlags(): Promise<{ flags: Record<string, unknown>; operands: string[] }> {
      const ctor = this.constructor as typeof Command;
      const { argv, flags } = await this.parse({
        flags: ctor.flags,
        baseFlags: ctor.baseFlags,
        args: ctor.args,
        strict: ctor.strict,
      });
      return { flags, operands: argv as string[] };
    }
  };
}
