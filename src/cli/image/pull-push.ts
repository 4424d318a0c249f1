/** `image pull` and `image push` once their flags are read, with docker's progress and lines. */
import { TscomposeError } from '../../common/errors';
import { formatReference, parseReference } from '../../common/image-reference';
import { openEngine } from '../engine-client';
import { progressRenderer } from '../format/render-progress';
import { authHeaderFor } from '../registry/registry-auth';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

export async function pullImage(
  image: string,
  flags: { host?: string; platform?: string; quiet?: boolean },
): Promise<void> {
  const ref = parseReference(image); // a malformed reference fails before the daemon starts
  if (!/[:@]/.test(image.slice(image.lastIndexOf('/') + 1)) && !flags.quiet) say('Using default tag: latest');
  const engine = await openEngine(flags);
  const render = flags.quiet ? undefined : progressRenderer();
  await engine.pullImage(image, { platform: flags.platform, auth: authHeaderFor(image) }, render);
  say(formatReference(ref));
}

export async function pushImage(image: string, flags: { host?: string; quiet?: boolean }): Promise<void> {
  if (parseReference(image).digest)
    throw new TscomposeError(`cannot push a digest reference: ${image}`, { code: 'USAGE' });
  const engine = await openEngine(flags);
  const render = flags.quiet ? undefined : progressRenderer();
  await engine.pushImage(image, { auth: authHeaderFor(image) }, render);
  if (flags.quiet) say(image);
}
