/**
 * Docker's filters of `GET /images/json` (dangling, label, before, since, reference) and of
 * `POST /images/prune` (dangling, until, label, label!), checked before anything is read:
 * an unknown key is dockerd's `invalid filter 'x'`.
 */
import { InvalidArgumentError } from '../../common/errors';
import { hasLabel } from '../../common/label-filter';
import { dockerTimestamp } from '../../common/docker-timestamp';

export interface FilterableImage {
  /** Unix seconds. */
  created: number;
  labels: Record<string, string>;
  /** Familiar `repo:tag` names. */
  tags: string[];
}

const LIST_KEYS = new Set(['dangling', 'label', 'before', 'since', 'reference']);
const PRUNE_KEYS = new Set(['dangling', 'until', 'label', 'label!']);

function checkKeys(filters: Record<string, string[]>, valid: Set<string>): void {
  for (const key of Object.keys(filters))
    if (!valid.has(key)) throw new InvalidArgumentError(`invalid filter '${key}'`);
}

/** `true`/`false` (docker also takes 1/0); undefined when absent. */
export function danglingFilter(filters: Record<string, string[]>): boolean | undefined {
  const values = filters.dangling ?? [];
  if (!values.length) return undefined;
  for (const v of values)
    if (!['true', 'false', '1', '0'].includes(v.toLowerCase()))
      throw new InvalidArgumentError(`invalid filter 'dangling=${v}'`);
  return values.some((v) => ['true', '1'].includes(v.toLowerCase()));
}

/** Go's path.Match for the reference filter: `*` and `?` stay within one path segment. */
function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`).test(name);
}

/** moby's reference.FamiliarMatch: the pattern against `name:tag` (or `name@digest`) or the name alone. */
export function referenceMatches(ref: string, patterns: string[]): boolean {
  const at = ref.indexOf('@');
  const colon = ref.lastIndexOf(':');
  const end = at >= 0 ? at : colon > ref.lastIndexOf('/') ? colon : undefined;
  return patterns.some((p) => globMatch(p, ref) || globMatch(p, ref.slice(0, end)));
}

/** The list filter as a predicate; `createdOf` resolves the image `before`/`since` name. */
export function imageListFilter(
  filters: Record<string, string[]> = {},
  createdOf: (ref: string) => number,
): (img: FilterableImage) => boolean {
  checkKeys(filters, LIST_KEYS);
  const dangling = danglingFilter(filters);
  const before = (filters.before ?? []).map(createdOf);
  const since = (filters.since ?? []).map(createdOf);
  return (img) =>
    (dangling === undefined || dangling === (img.tags.length === 0)) &&
    (filters.label ?? []).every((l) => hasLabel(img.labels, l)) &&
    before.every((t) => img.created < t) &&
    since.every((t) => img.created > t) &&
    (!filters.reference?.length || img.tags.some((t) => referenceMatches(t, filters.reference)));
}

/** What `image prune` keeps out of reach beyond docker's dangling rule: until and the labels. */
export function imagePruneFilter(filters: Record<string, string[]> = {}): {
  all: boolean;
  matches: (img: FilterableImage) => boolean;
} {
  checkKeys(filters, PRUNE_KEYS);
  const until = (filters.until ?? []).map((v) => dockerTimestamp(v) / 1000);
  return {
    all: danglingFilter(filters) === false,
    matches: (img) =>
      until.every((t) => img.created < t) &&
      (filters.label ?? []).every((l) => hasLabel(img.labels, l)) &&
      !(filters['label!'] ?? []).some((l) => hasLabel(img.labels, l)),
  };
}
