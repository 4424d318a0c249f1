/**
 * `images` (docker compose's `pkg/compose/images.go`): the image of each of the project's
 * containers, stopped ones too, as the engine's inspect describes it: the repository and tag the
 * container was created with, the image's id, platform, size and creation time.
 */
import { NotFoundError } from '../common/errors';
import { familiarName, parseReference, type ImageReference } from '../common/image-reference';
import type { EngineApi } from '../engine-api/engine-api';
import { containerName, projectContainers } from './project-containers';

/** docker compose's api.ImageSummary, keyed by its container. */
export interface ContainerImage {
  container: string;
  /** `sha256:…`. */
  id: string;
  /** Familiar name (`busybox`, `127.0.0.1:5000/team/app`); '' when the container names its image by id. */
  repository: string;
  tag: string;
  /** `os/arch[/variant]`. */
  platform: string;
  size: number;
  /** RFC 3339, as the image config has it; undefined when it has none. */
  created?: string;
}

export async function projectImages(
  engine: EngineApi,
  project: string,
  services: readonly string[] = [],
): Promise<ContainerImage[]> {
  const containers = await projectContainers(engine, project, { all: true, oneoff: true, services });
  const found = await Promise.all(
    containers.map(async (c): Promise<ContainerImage | undefined> => {
      let img: Record<string, unknown>;
      try {
        img = await engine.inspectImage(c.ImageID || c.Image);
      } catch (err) {
        // The image went away under a stopped container: docker compose fails; nothing to show here.
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }
      const ref = namedReference(c.Image);
      const str = (k: string): string => (typeof img[k] === 'string' ? (img[k] as string) : '');
      return {
        container: containerName(c),
        id: str('Id'),
        repository: ref ? familiarName({ ...ref, tag: undefined, digest: undefined }) : '',
        tag: ref?.tag ?? '',
        platform: [str('Os'), str('Architecture'), str('Variant')].filter(Boolean).join('/'),
        size: typeof img.Size === 'number' ? img.Size : 0,
        created: str('Created') || undefined,
      };
    }),
  );
  return found
    .filter((i): i is ContainerImage => i !== undefined)
    .sort((a, b) => (a.container < b.container ? -1 : 1));
}

/** The reference a container was created with; undefined for an image id (ParseDockerRef refuses one). */
function namedReference(image: string): ImageReference | undefined {
  if (/^(sha256:)?[0-9a-f]{64}$/.test(image)) return undefined;
  try {
    return parseReference(image);
  } catch {
    return undefined;
  }
}
