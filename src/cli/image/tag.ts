/** `image tag` once its flags are read. */
import { TscomposeError } from '../../common/errors';
import { parseReference } from '../../common/image-reference';
import { openEngine } from '../engine-client';

export async function tagImage(source: string, target: string, flags: { host?: string }): Promise<void> {
  const ref = parseReference(target);
  if (ref.digest !== undefined)
    throw new TscomposeError('refusing to create a tag with a digest reference', { code: 'USAGE' });
  // The API takes the repository and the tag apart, as docker's CLI sends them.
  const slash = target.lastIndexOf('/');
  const colon = target.lastIndexOf(':');
  const repo = colon > slash ? target.slice(0, colon) : target;
  const engine = await openEngine(flags);
  await engine.tagImage(source, repo, ref.tag);
}
