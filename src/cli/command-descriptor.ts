/**
 * A command as plain data: its id, its flags (a table), what its help says and what it does.
 * The oclif class of a hot command (oclif-command.ts) and the fast path's entry for it (fast/)
 * are both made of its descriptor, so the two cannot know different flags or do different
 * things. Nothing here loads oclif: the fast path reads descriptors as they are.
 */
import type { engineFlagTable } from './flags/engine-flags';
import type { FlagTable, FlagValues } from './flags/flag-spec';

/** The flags a hot command's run gets: its own and the engine's (`-H`). */
export type RunFlags<T extends FlagTable> = FlagValues<T> & FlagValues<typeof engineFlagTable>;

export interface CommandDescriptor<T extends FlagTable = FlagTable> {
  /** The words that name it: `container run`. */
  id: string;
  /** Other last words it answers to (`ps` for `container ls`). */
  aliases?: readonly string[];
  summary: string;
  description?: string;
  usage?: string;
  examples: readonly string[];
  flags: T;
  /**
   * How many operands the command takes, as oclif checks them: none, exactly one (named for
   * help), or any number (the command itself says when there are too few).
   */
  operands: { count: 'none' } | { count: 'one' | 'any'; name: string; description: string };
  /** pflag's rule for run, create and exec: the first operand ends the flags. */
  untilOperand?: boolean;
  /** The exit code. Implementations are required inside, so a command loads only what it uses. */
  run(flags: RunFlags<T>, operands: string[]): Promise<number>;
}

/** A descriptor with its flag types checked, stored as the common shape. */
export function describe<T extends FlagTable>(d: CommandDescriptor<T>): CommandDescriptor {
  return d as unknown as CommandDescriptor;
}
