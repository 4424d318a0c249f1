/**
 * `GET /images/{name}/history` as dockerd answers it (daemon/images/image_history.go): the
 * config's history newest first, each entry that made a layer sized by that layer; the top
 * entry carries the image ID and its tags, the ones below `<missing>` (they have no image of
 * their own here, as after a pull).
 */
import type { ImageHistoryItem } from '../../engine-api/image/api';
import type { ImageConfigFile, ImageStore, ResolvedImage } from './store';

export function imageHistory(store: ImageStore, img: ResolvedImage, tags: string[]): ImageHistoryItem[] {
  const diffIds = img.config.rootfs.diff_ids;
  // An image without history (some builders write none) still has its layers to show.
  const history: NonNullable<ImageConfigFile['history']> = img.config.history?.length
    ? img.config.history
    : diffIds.map(() => ({ created: img.config.created }));
  let layer = 0;
  const items = history.map((h) => {
    const size = h.empty_layer ? 0 : (store.layers.record(diffIds[layer++] ?? '')?.size ?? 0);
    return {
      Id: '<missing>',
      Created: Math.floor((Date.parse(h.created ?? '') || 0) / 1000),
      CreatedBy: h.created_by ?? '',
      Tags: null as string[] | null,
      Size: size,
      Comment: h.comment ?? '',
    };
  });
  items.reverse();
  if (items.length) Object.assign(items[0], { Id: img.id, Tags: tags });
  return items;
}
