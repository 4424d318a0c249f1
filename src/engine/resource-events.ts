/**
 * docker's events of images, networks and volumes (`docker events --filter type=network`),
 * emitted around the API calls that make them, as dockerd names them: an image's tag, untag,
 * delete, import, pull, push and load; a network's create, connect, disconnect and destroy; a
 * volume's create and destroy. The containers' own events come from their manager.
 */
import type { EngineApi } from '../engine-api/engine-api';
import type { ImageDeleteItem } from '../engine-api/image/api';
import type { EventBus } from './events';
import { familiarName, parseReference } from '../common/image-reference';

type Wrapped = Pick<
  EngineApi,
  | 'tagImage'
  | 'removeImage'
  | 'pruneImages'
  | 'importImage'
  | 'pullImage'
  | 'pushImage'
  | 'createNetwork'
  | 'removeNetwork'
  | 'connectNetwork'
  | 'disconnectNetwork'
  | 'pruneNetworks'
  | 'createVolume'
  | 'removeVolume'
  | 'pruneVolumes'
>;

/** What the events need to look up: full ids before a removal. */
type Lookups = Pick<
  EngineApi,
  'inspectImage' | 'inspectNetwork' | 'inspectContainer' | 'listNetworks' | 'inspectVolume'
>;

export function withResourceEvents(api: Wrapped & Lookups, bus: EventBus): Wrapped {
  const imageId = async (ref: string): Promise<string> =>
    String((await api.inspectImage(ref).catch(() => ({ Id: ref }))).Id);
  const deletions = (items: ImageDeleteItem[] | null, id?: string): void => {
    for (const d of items ?? []) {
      if (d.Untagged && id) bus.emit('image', 'untag', id, { name: id });
      if (d.Deleted?.startsWith('sha256:') && (!id || d.Deleted === id))
        bus.emit('image', 'delete', d.Deleted, { name: d.Deleted });
    }
  };
  const network = async (ref: string): Promise<{ id: string; name: string }> => {
    const n = await api.inspectNetwork(ref);
    return { id: n.Id, name: n.Name };
  };
  const containerId = async (ref: string): Promise<string> =>
    (await api.inspectContainer(ref).catch(() => ({ Id: ref }))).Id;
  return {
    tagImage: async (source, repo, tag) => {
      await api.tagImage(source, repo, tag);
      const target = parseReference(tag ? `${repo}:${tag}` : repo);
      bus.emit('image', 'tag', await imageId(source), { name: familiarName(target) });
    },
    removeImage: async (ref, opts) => {
      const id = await imageId(ref);
      const out = await api.removeImage(ref, opts);
      deletions(out, id);
      return out;
    },
    pruneImages: async (opts) => {
      const out = await api.pruneImages(opts);
      deletions(out.ImagesDeleted);
      return out;
    },
    importImage: async (tar, opts) => {
      const out = await api.importImage(tar, opts);
      // dockerd tags first, naming the repository as it was given.
      if (opts?.repo)
        bus.emit('image', 'tag', out.Id, { name: opts.tag ? `${opts.repo}:${opts.tag}` : opts.repo });
      bus.emit('image', 'import', out.Id, { name: out.Id });
      return out;
    },
    pullImage: async (ref, opts, onProgress) => {
      await api.pullImage(ref, opts, onProgress);
      bus.emit('image', 'pull', ref, { name: ref.replace(/[:@][^/]*$/, '') });
    },
    pushImage: async (ref, opts, onProgress) => {
      await api.pushImage(ref, opts, onProgress);
      bus.emit('image', 'push', ref, { name: ref });
    },
    createNetwork: async (body) => {
      const out = await api.createNetwork(body);
      bus.emit('network', 'create', out.Id, { name: body.Name, type: body.Driver || 'bridge' });
      return out;
    },
    removeNetwork: async (ref) => {
      const n = await network(ref);
      await api.removeNetwork(ref);
      bus.emit('network', 'destroy', n.id, { name: n.name, type: 'bridge' });
    },
    connectNetwork: async (ref, body) => {
      await api.connectNetwork(ref, body);
      const n = await network(ref);
      bus.emit('network', 'connect', n.id, {
        container: await containerId(body.Container),
        name: n.name,
        type: 'bridge',
      });
    },
    disconnectNetwork: async (ref, body) => {
      const n = await network(ref);
      const container = await containerId(body.Container);
      await api.disconnectNetwork(ref, body);
      bus.emit('network', 'disconnect', n.id, { container, name: n.name, type: 'bridge' });
    },
    pruneNetworks: async (opts) => {
      const ids = new Map((await api.listNetworks()).map((n) => [n.Name, n.Id]));
      const out = await api.pruneNetworks(opts);
      for (const name of out.NetworksDeleted ?? [])
        bus.emit('network', 'destroy', ids.get(name) ?? name, { name, type: 'bridge' });
      return out;
    },
    createVolume: async (opts) => {
      const out = await api.createVolume(opts);
      bus.emit('volume', 'create', out.Name, { driver: out.Driver });
      return out;
    },
    removeVolume: async (name, opts) => {
      const existed = await api
        .inspectVolume(name)
        .then(() => true)
        .catch(() => false);
      await api.removeVolume(name, opts);
      if (existed) bus.emit('volume', 'destroy', name, { driver: 'local' });
    },
    pruneVolumes: async (opts) => {
      const out = await api.pruneVolumes(opts);
      for (const name of out.VolumesDeleted ?? []) bus.emit('volume', 'destroy', name, { driver: 'local' });
      return out;
    },
  };
}
