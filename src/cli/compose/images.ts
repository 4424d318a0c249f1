/**
 * `images` once its flags are read (docker compose's `cmd/compose/images.go`): the project's name,
 * from its files or `-p` alone; the services named checked against the project; then the image
 * of each of its containers rendered.
 */
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import { projectNameFromFlags } from './project-from-flags';
import type { imagesFlagTable } from './registry-verb-flag-tables';
import { checkTableOrJson, renderImages } from './render-images';
import { checkServices } from './services';

export async function showImages(
  flags: RunFlags<typeof imagesFlagTable>,
  operands: string[],
): Promise<number> {
  if (!flags.quiet) checkTableOrJson(flags.format);
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, operands);
  const { projectImages } = require('../../compose/images') as typeof import('../../compose/images');
  const engine = await openEngine(flags);
  const images = await projectImages(engine, name, operands);
  process.stdout.write(renderImages(images, { format: flags.format, quiet: flags.quiet, now: Date.now() }));
  return 0;
}
