/** Container names as Docker's: the rule, the generated `adjective_name` ones, and lookups by id, prefix or name. */
import crypto from 'node:crypto';
import { InvalidArgumentError, ConflictError, NotFoundError } from '../../common/errors';

const NAME_RE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

const ADJECTIVES = [
  'brave',
  'calm',
  'eager',
  'fond',
  'gentle',
  'happy',
  'keen',
  'lucid',
  'merry',
  'nifty',
  'proud',
  'quiet',
  'sharp',
  'tender',
  'vivid',
  'witty',
];
const NOUNS = [
  'babbage',
  'curie',
  'darwin',
  'euler',
  'fermat',
  'gauss',
  'hopper',
  'kepler',
  'lovelace',
  'noether',
  'pascal',
  'ritchie',
  'shannon',
  'turing',
  'volta',
  'wozniak',
];

export function validateName(name: string): string {
  if (!NAME_RE.test(name)) {
    throw new InvalidArgumentError(
      `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  }
  return name.replace(/^\//, '');
}

export function generateName(taken: (name: string) => boolean): string {
  for (let i = 0; ; i++) {
    const pick = (list: string[]): string => list[crypto.randomInt(list.length)];
    const name = `${pick(ADJECTIVES)}_${pick(NOUNS)}${i > 8 ? crypto.randomInt(100) : ''}`;
    if (!taken(name)) return name;
  }
}

export function newContainerId(): string {
  return crypto.randomBytes(32).toString('hex');
}

/** How a lookup reaches the containers: an index, so that no lookup lists them all. */
export interface ContainerRefs<T> {
  byId(id: string): T | undefined;
  /** The first (by id) of the containers of that name. */
  byName(name: string): T | undefined;
  idsWithPrefix(prefix: string): string[];
}

/** Docker's order: a full id, then an exact name, then a unique id prefix. */
export function lookup<T>(refs: ContainerRefs<T>, ref: string): T {
  const bare = ref.replace(/^\//, '');
  const hit = refs.byId(bare) ?? refs.byName(bare);
  if (hit) return hit;
  const byPrefix = bare ? refs.idsWithPrefix(bare) : [];
  const only = byPrefix.length === 1 ? refs.byId(byPrefix[0]) : undefined;
  if (only) return only;
  if (byPrefix.length > 1) throw new InvalidArgumentError(`multiple IDs found with provided prefix: ${bare}`);
  throw new NotFoundError(`No such container: ${ref}`);
}

export function nameConflict(name: string, id: string): ConflictError {
  return new ConflictError(
    `Conflict. The container name "/${name}" is already in use by container "${id}". You have to remove (or rename) that container to be able to reuse that name.`,
  );
}
