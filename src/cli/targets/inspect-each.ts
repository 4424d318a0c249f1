/** `inspect` of several objects: those found print together, each one not found is an error line. */
import { TscomposeError } from '../../common/errors';
import { daemonError } from '../engine-client';
import { renderInspect } from '../format/render-inspect';

export async function inspectEach(
  refs: string[],
  get: (ref: string) => Promise<unknown>,
  format?: string,
): Promise<void> {
  // A format that does not parse fails before anything is asked, as docker's (exit 64).
  renderInspect([], format);
  const items: unknown[] = [];
  const errors: string[] = [];
  for (const ref of refs) {
    try {
      items.push(await get(ref));
    } catch (err) {
      errors.push(daemonError(err).message);
    }
  }
  const out = renderInspect(items, format);
  process.stdout.write(out.text);
  errors.push(...out.errors);
  if (errors.length > 0) throw new TscomposeError(errors.join('\n'), { code: 'INSPECT_FAILED' });
}
