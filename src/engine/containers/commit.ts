/**
 * `docker commit`: the container's overlay upper directory becomes one more layer on top of its
 * image's (a tar whose deletions are `.wh.` whiteouts and whose opaque directories carry
 * `.wh..wh..opq`, as every layer tar), and the container's config, with the `--change`
 * instructions applied, the new image's config. What the engine mounts into the container is
 * not part of it (tree-tar.ts reads the upper directory by descriptor, never following). The
 * layer is then unpacked and checked by the image store like any pulled layer.
 */
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import {
  AT_FDCWD,
  O_CLOEXEC,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_PATH,
  closeFd,
  openat,
} from '../../platform/linux/openat2';
import type { CommitOptions } from '../../engine-api/container/archive-api';
import { applyChanges, type ImageConfig } from '../images/changes';
import { MEDIA } from '../images/media';
import { ImageNotFoundError, type ImageConfigFile, type ImageStore, type Manifest } from '../images/store';
import { underMount, upperDir } from './changes';
import { engineMounts } from './fs-view';
import type { ContainerRecord } from './record';
import { TreeTar, feedPack } from './tree-tar';

/** The layer tar of the container's changes, made while it is read. */
export function changesTar(record: ContainerRecord): Readable {
  const pack = tar.pack();
  const mounts = engineMounts(record);
  const tree = new TreeTar(pack, { overlay: true, filter: (p) => (underMount(mounts, p) ? 'skip' : 'keep') });
  let upper = -1;
  return feedPack(
    pack,
    async () => {
      upper = openat(AT_FDCWD, upperDir(record), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      await tree.add(upper, '', '', '/');
    },
    () => {
      if (upper >= 0) closeFd(upper);
    },
  );
}

/** The parts of a container's config an image keeps. */
function imageConfigOf(record: ContainerRecord): ImageConfig {
  const c = record.config;
  const out: ImageConfig = {};
  if (c.Cmd?.length) out.Cmd = [...c.Cmd];
  if (c.Entrypoint?.length) out.Entrypoint = [...c.Entrypoint];
  if (c.Env?.length) out.Env = [...c.Env];
  if (c.WorkingDir) out.WorkingDir = c.WorkingDir;
  if (c.User) out.User = c.User;
  if (c.ExposedPorts && Object.keys(c.ExposedPorts).length) out.ExposedPorts = { ...c.ExposedPorts };
  if (c.Volumes && Object.keys(c.Volumes).length) out.Volumes = { ...c.Volumes };
  if (c.Labels && Object.keys(c.Labels).length) out.Labels = { ...c.Labels };
  if (c.StopSignal) out.StopSignal = c.StopSignal;
  return out;
}

export async function commitContainer(
  store: ImageStore,
  record: ContainerRecord,
  opts: CommitOptions,
): Promise<{ Id: string }> {
  const config = applyChanges(imageConfigOf(record), opts.changes ?? []); // bad changes fail first
  const idx = store.index();
  const manifestDigest = Object.keys(idx.images).find((d) => idx.images[d].id === record.imageId);
  if (!manifestDigest) throw new ImageNotFoundError(record.imageId);
  const parent: Manifest = store.readManifest(manifestDigest);
  const parentConfig: ImageConfigFile = store.readConfig(parent.config.digest);
  const diffId = await store.blobs.putStream(changesTar(record));
  const created = new Date().toISOString();
  const image: ImageConfigFile = {
    architecture: parentConfig.architecture,
    os: parentConfig.os,
    ...(parentConfig.variant ? { variant: parentConfig.variant } : {}),
    created,
    ...(opts.author ? { author: opts.author } : {}),
    config,
    rootfs: { type: 'layers', diff_ids: [...parentConfig.rootfs.diff_ids, diffId] },
    history: [
      ...(parentConfig.history ?? []),
      {
        created,
        created_by: [...(record.config.Entrypoint ?? []), ...(record.config.Cmd ?? [])].join(' '),
        ...(opts.comment ? { comment: opts.comment } : {}),
      },
    ],
  };
  // docker's image config keeps the message at the top too (`docker inspect` shows it as Comment).
  const configBytes = Buffer.from(JSON.stringify(opts.comment ? { ...image, comment: opts.comment } : image));
  const configDigest = store.blobs.put(configBytes);
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: configBytes.length },
    layers: [...parent.layers, { mediaType: MEDIA.ociLayer, digest: diffId, size: store.blobs.size(diffId) }],
  };
  const digest = store.blobs.put(JSON.stringify(manifest));
  const tag = opts.repo ? (opts.tag ? `${opts.repo}:${opts.tag}` : opts.repo) : undefined;
  const img = await store.addImage({ manifestDigest: digest, tag });
  return { Id: img.id };
}
