/**
 * The engine in one object: wires the image store, the container manager and the runtime behind
 * the EngineApi that the daemon's HTTP server serves (and that tests may use in-process).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Readable } from 'node:stream';
import type { EngineApi, ImageSummary, ImportOptions } from './api/engine-api';
import { ConflictError, NotFoundError } from './api/engine-api';
import { API_VERSION, type VersionResponse } from './api/types';
import { ExecManager } from './containers/execs';
import { ContainerManager } from './containers/manager';
import { EventBus } from './events';
import { ImageNotFoundError, ImageStore, type ResolvedImage } from './images/store';
import { formatReference, parseReference } from './images/reference';
import type { EnginePaths } from './paths';
import { cgroupParentFor } from './runtime/cgroups';

export interface Engine extends EngineApi {
  /** Stops serving: stops following logs and watching containers (containers keep running). */
  close(): Promise<void>;
}

export interface EngineOptions {
  paths: EnginePaths;
  /** Reported by /version; the CLI restarts an auto-started daemon whose build differs. */
  buildId: string;
  version: string;
}

function resolveImage(images: ImageStore, ref: string): ResolvedImage {
  try {
    return images.resolve(ref);
  } catch (err) {
    if (err instanceof ImageNotFoundError) throw new NotFoundError(err.message);
    throw err;
  }
}

function imageSummary(images: ImageStore, tags: string[]): ImageSummary {
  const img = images.resolve(tags[0]);
  const size = img.layerDirs.length
    ? img.config.rootfs.diff_ids.reduce((n, d) => n + (images.blobs.has(d) ? images.blobs.size(d) : 0), 0)
    : 0;
  return {
    Id: img.id,
    RepoTags: tags.sort(),
    RepoDigests: [],
    Created: Math.floor(Date.parse(img.config.created) / 1000),
    Size: size,
    Labels: img.config.config.Labels ?? {},
  };
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const { paths } = opts;
  for (const dir of [paths.root, paths.images, paths.containers])
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
  const images = new ImageStore(paths.images);
  const bus = new EventBus();
  const containers = new ContainerManager({
    dir: paths.containers,
    images,
    cgroupParent: cgroupParentFor(paths.root),
    runRoot: paths.runRoot,
    bus,
  });
  await containers.recover();
  const execs = new ExecManager(containers);

  const version: VersionResponse = {
    Version: opts.version,
    ApiVersion: API_VERSION,
    MinAPIVersion: '1.24',
    Os: 'linux',
    Arch: os.arch() === 'x64' ? 'amd64' : os.arch(),
    KernelVersion: os.release(),
    BuildId: opts.buildId,
  };

  return {
    version: async () => version,
    createContainer: (body, name) => containers.create(body, name),
    startContainer: (id) => containers.start(id),
    stopContainer: (id, o) => containers.stop(id, o),
    restartContainer: (id, o) => containers.restart(id, o),
    killContainer: (id, signal) => containers.kill(id, signal),
    removeContainer: (id, o) => containers.remove(id, o),
    listContainers: async (o) => containers.list(o),
    inspectContainer: async (id) => containers.inspect(id),
    containerLogs: (id, o, signal) => containers.logs(id, o, signal),
    waitContainer: (id, condition, signal) => containers.wait(id, condition, signal),
    topContainer: async (id, psArgs) => containers.top(id, psArgs),
    createExec: async (id, body) => execs.create(id, body),
    startExec: (id, signal) => execs.start(id, signal),
    inspectExec: async (id) => execs.inspect(id),

    importImage: async (tar: Readable, o: ImportOptions = {}) => {
      const tag = o.repo ? (o.tag ? `${o.repo}:${o.tag}` : o.repo) : undefined;
      const img = await images.importRootfs(tar, { tag, changes: o.changes });
      return { Id: img.id };
    },
    listImages: async () => {
      const byManifest = new Map<string, string[]>();
      for (const [ref, digest] of Object.entries(images.tags())) {
        byManifest.set(digest, [...(byManifest.get(digest) ?? []), ref]);
      }
      return [...byManifest.values()].map((tags) => imageSummary(images, tags));
    },
    inspectImage: async (ref) => {
      const img = resolveImage(images, ref);
      const tags = Object.entries(images.tags())
        .filter(([, d]) => d === img.manifestDigest)
        .map(([t]) => t);
      return {
        Id: img.id,
        RepoTags: tags.sort(),
        Created: img.config.created,
        Architecture: img.config.architecture,
        Os: img.config.os,
        Config: img.config.config,
        RootFS: { Type: 'layers', Layers: img.config.rootfs.diff_ids },
      };
    },
    removeImage: async (ref, o = {}) => {
      const img = resolveImage(images, ref);
      const user = containers.list({ all: true }).find((c) => c.ImageID === img.id);
      if (user && !o.force) {
        throw new ConflictError(
          `conflict: unable to remove repository reference "${ref}" (must force) - container ${user.Id.slice(0, 12)} is using its referenced image ${img.id.slice(7, 19)}`,
        );
      }
      const key = /^sha256:/.test(ref) ? undefined : formatReference(parseReference(ref));
      const untagged = await images.untag(
        key ? [key] : Object.keys(images.tags()).filter((t) => images.tags()[t] === img.manifestDigest),
      );
      return untagged.map((t) => ({ Untagged: t }));
    },
    close: () => containers.close(),
  };
}
