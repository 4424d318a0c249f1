/**
 * The loader's last stage, compose-go's ModelToProject: the normalized tree → the typed model,
 * every unit parsed. It reads the tree and never changes it, so `config` keeps printing the
 * tree as before; a value it cannot type is a ComposeError at the file:line:col it came from.
 */
import type { TypedModel } from './project-types';
import { isObj, type LocMap, type Obj, type Tree } from './source';
import { toConfigObjConfig, toNetworkConfig, toSecretConfig, toVolumeConfig } from './typed-resources';
import { toServiceConfig } from './typed-service';
import { Where } from './typed-values';

const group = (tree: Tree, key: string): Obj => (isObj(tree[key]) ? (tree[key] as Obj) : {});

export function toTypedModel(tree: Tree, disabledServices: Tree, locs: LocMap): TypedModel {
  const root = new Where(locs);
  const each = <T>(key: string, from: Obj, conv: (name: string, v: unknown, w: Where) => T) => {
    const out: Record<string, T> = {};
    const w = root.child(key);
    for (const name of Object.keys(from).sort()) out[name] = conv(name, from[name], w.child(name));
    return out;
  };
  const resource =
    <T>(make: (key: string) => (v: unknown, w: Where) => T) =>
    (name: string, v: unknown, w: Where): T =>
      make(name)(v, w);
  return {
    services: each('services', group(tree, 'services'), toServiceConfig),
    disabled: each('services', disabledServices, toServiceConfig),
    networks: each('networks', group(tree, 'networks'), resource(toNetworkConfig)),
    volumes: each('volumes', group(tree, 'volumes'), resource(toVolumeConfig)),
    secrets: each('secrets', group(tree, 'secrets'), resource(toSecretConfig)),
    configs: each('configs', group(tree, 'configs'), resource(toConfigObjConfig)),
    extensions: Object.fromEntries(Object.entries(tree).filter(([k]) => k.startsWith('x-'))),
  };
}
