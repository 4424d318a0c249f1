/**
 * The file endpoints of the Engine API over the container manager and the image store: `cp`
 * (stat, get and put an archive), `export`, `diff` and `commit`, each on a view of the
 * container's root held by descriptor (fs-view.ts).
 */
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { ArchiveApi } from '../../engine-api/container/archive-api';
import { InvalidArgumentError } from '../../common/errors';
import { closeFd } from '../../platform/linux/openat2';
import { applyChanges } from '../images/changes';
import type { ImageStore } from '../images/store';
import { resolvePath } from './archive-path';
import { extractArchive } from './archive-put';
import { containerChanges } from './changes';
import { commitContainer } from './commit';
import { engineMounts, openFsView, sweepViews, type FsView } from './fs-view';
import type { ContainerManager } from './manager';
import { TreeTar, feedPack } from './tree-tar';

async function withView<T>(
  containers: ContainerManager,
  id: string,
  runRoot: string,
  fn: (v: FsView) => Promise<T> | T,
): Promise<T> {
  const view = await openFsView(containers, id, runRoot);
  try {
    return await fn(view);
  } finally {
    view.release();
  }
}

export function archiveApi(containers: ContainerManager, store: ImageStore, runRoot: string): ArchiveApi {
  sweepViews(runRoot);
  return {
    statContainerPath: (id, p) =>
      withView(containers, id, runRoot, (v) => {
        const r = resolvePath(v.rootFd, p, id);
        closeFd(r.dirFd);
        return r.stat;
      }),

    async getContainerArchive(id, p) {
      const view = await openFsView(containers, id, runRoot);
      let r: ReturnType<typeof resolvePath>;
      try {
        r = resolvePath(view.rootFd, p, id);
      } catch (err) {
        view.release();
        throw err;
      }
      const pack = tar.pack();
      const tree = new TreeTar(pack);
      const tarName = r.stat.name === '/' ? '.' : r.stat.name;
      const containerPath = `/${r.parts.join('/')}`;
      const out = feedPack(
        pack,
        () => tree.add(r.dirFd, r.name, tarName, containerPath),
        () => {
          closeFd(r.dirFd);
          view.release();
        },
      );
      return { stat: r.stat, tar: out };
    },

    putContainerArchive: (id, p, input, o = {}) =>
      withView(containers, id, runRoot, (v) =>
        extractArchive(v.rootFd, p, input, {
          ...o,
          id,
          minFreeSpace: store.limits.minFreeSpace,
        }),
      ),

    async exportContainer(id): Promise<Readable> {
      const view = await openFsView(containers, id, runRoot);
      const mounts = engineMounts(view.record);
      const pack = tar.pack();
      const tree = new TreeTar(pack, { filter: (p) => (mounts.has(p) ? 'bare' : 'keep') });
      return feedPack(
        pack,
        () => tree.add(view.rootFd, '', '', '/'),
        () => view.release(),
      );
    },

    async containerChanges(id) {
      const held = await containers.holdFiles(id);
      try {
        return containerChanges(held.record);
      } finally {
        held.release();
      }
    },

    async commitContainer(o) {
      // docker answers a bad --change with 400, before anything is paused or read.
      try {
        applyChanges({}, o.changes ?? []);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
      const before = await containers.holdFiles(o.container);
      before.release();
      const pause = o.pause !== false && before.pid !== undefined && !before.record.state.Paused;
      if (pause) await containers.pause(o.container);
      try {
        const held = await containers.holdFiles(o.container);
        try {
          return await commitContainer(store, held.record, o);
        } finally {
          held.release();
        }
      } finally {
        if (pause) await containers.unpause(o.container).catch(() => undefined);
      }
    },
  };
}
