/**
 * Descriptors of the commands of one or more operands (`start`, `stop`, `rm`, `inspect`,
 * `image rm`…): each operand is tried in turn, docker's way (forEachTarget), or, for inspect,
 * fetched and printed together (inspectEach).
 */
import { describe, type CommandDescriptor, type RunFlags } from '../command-descriptor';
import type { EngineApi } from '../../engine-api/engine-api';
import type { FlagTable } from '../flags/flag-spec';
import { inspectFlagTable } from '../flags/inspect-flags';

const client = () => require('../engine-client') as typeof import('../engine-client');

/** What a command does to one operand: the lines it prints for it. */
export type TargetAct<F = Record<string, unknown>> = (
  engine: EngineApi,
  target: string,
  flags: F,
) => Promise<string | string[] | undefined>;

export interface TargetsText {
  id: string;
  summary: string;
  description?: string;
  aliases?: readonly string[];
  examples: readonly string[];
  /** What the operands are: `container`, `image`. */
  noun: string;
}

function operands(noun: string) {
  const name =
    noun === 'image' ? 'Image reference or id' : `${noun[0].toUpperCase()}${noun.slice(1)} name or id`;
  return { count: 'any', name: noun, description: `${name} (one or more)` } as const;
}

/** `act` is called for its module only when the command runs. */
export function targetsCommand<T extends FlagTable>(
  text: TargetsText,
  flags: T,
  act: () => TargetAct<RunFlags<T>>,
): CommandDescriptor {
  const { noun, ...rest } = text;
  return describe({
    ...rest,
    flags,
    operands: operands(noun),
    async run(values, targets) {
      const { engineForTargets, forEachTarget } = client();
      const engine = await engineForTargets(text.id, targets, values);
      const one = act();
      await forEachTarget(targets, (target) => one(engine, target, values));
      return 0;
    },
  });
}

/** `inspect` of one or more objects: docker's JSON of them all, or a template of each. */
export function inspectCommand(
  text: TargetsText,
  fetch: () => (engine: EngineApi, ref: string) => Promise<unknown>,
): CommandDescriptor {
  const { noun, ...rest } = text;
  return describe({
    ...rest,
    flags: inspectFlagTable,
    operands: operands(noun),
    async run(flags, targets) {
      const { inspectEach } = require('./inspect-each') as typeof import('./inspect-each');
      const engine = await client().engineForTargets(text.id, targets, flags);
      const get = fetch();
      await inspectEach(targets, (ref) => get(engine, ref), flags.format);
      return 0;
    },
  });
}
