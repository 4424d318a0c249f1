/** `REPOSITORY[:TAG]` of `container commit` as docker's client sends it: checked here, repo and tag apart. */
import { InvalidArgumentError } from '../../common/errors';
import { parseReference } from '../../common/image-reference';

export function splitRepoTag(ref: string): { repo: string; tag?: string } {
  const r = parseReference(ref);
  if (r.digest) throw new InvalidArgumentError(`refusing to create a tag with a digest reference`);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repo: ref };
}
