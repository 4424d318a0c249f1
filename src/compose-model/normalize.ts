/**
 * compose-go's Normalize: the implicit `default` network, resource names, dependencies implied
 * by `service:` namespaces, links and volumes_from, build defaults, environment resolved from the
 * interpolation environment, hooks inheriting the service image. Then, for the loader,
 * relative host paths made absolute.
 */
import os from 'node:os';
import path from 'node:path';
import { isObj, type Obj, type ParsedFile, type Tree } from './source';

export interface NormalizeOptions {
  projectName: string;
  projectDir: string;
  environment: Record<string, string>;
  resolvePaths: boolean;
  resolveEnvironment: boolean;
}

export function normalizeModel(model: ParsedFile, opts: NormalizeOptions): ParsedFile {
  const out = normalizeRaw(model, opts);
  if (opts.resolvePaths) resolvePaths(out.tree, opts.projectDir, opts.environment);
  return out;
}

export function normalizeRaw(
  model: ParsedFile,
  opts: Pick<NormalizeOptions, 'projectName' | 'environment'>,
): ParsedFile {
  const tree: Tree = structuredClone(model.tree);
  const services = isObj(tree.services) ? tree.services : {};
  let usesDefault = false;
  for (const svc of Object.values(services)) {
    if (!isObj(svc)) continue;
    if (svc.networks === undefined && svc.network_mode === undefined) svc.networks = { default: null };
    if (isObj(svc.networks) && 'default' in svc.networks) usesDefault = true;
    if (Array.isArray(svc.networks) && svc.networks.includes('default')) usesDefault = true;
    if (isObj(svc.build)) {
      if (svc.build.context === undefined) svc.build.context = '.';
      if (svc.build.dockerfile === undefined && svc.build.dockerfile_inline === undefined)
        svc.build.dockerfile = 'Dockerfile';
      if (isObj(svc.build.args)) resolveBuildArgs(svc.build.args, opts.environment);
    }
    implicitDependencies(svc);
    resolveEnvironment(svc, opts.environment);
    for (const hook of ['pre_start', 'post_start', 'pre_stop', 'post_stop']) {
      if (Array.isArray(svc[hook]) && typeof svc.image === 'string') {
        for (const h of svc[hook] as unknown[]) if (isObj(h) && h.image === undefined) h.image = svc.image;
      }
    }
  }
  if (usesDefault) {
    const networks = isObj(tree.networks) ? tree.networks : (tree.networks = {});
    if (!isObj((networks as Obj).default)) (networks as Obj).default = {};
  }
  for (const kind of ['networks', 'volumes', 'configs', 'secrets']) {
    const group = tree[kind];
    if (!isObj(group)) continue;
    for (const [key, res] of Object.entries(group)) {
      const r: Obj = isObj(res) ? res : (group[key] = {});
      if (r.name !== undefined) continue;
      if (r.external === true || (isObj(r.external) && r.external.name === undefined)) r.name = key;
      else if (isObj(r.external)) r.name = r.external.name;
      else r.name = `${opts.projectName}_${key}`;
    }
  }
  return { ...model, tree };
}

function implicitDependencies(svc: Obj): void {
  const deps: Obj = isObj(svc.depends_on) ? svc.depends_on : {};
  const add = (name: string, restart: boolean) => {
    if (!(name in deps)) deps[name] = { condition: 'service_started', restart, required: true };
  };
  for (const key of ['ipc', 'cgroup', 'uts', 'pid', 'network_mode']) {
    const v = svc[key];
    if (typeof v === 'string' && v.startsWith('service:')) add(v.slice('service:'.length), true);
  }
  for (const v of Array.isArray(svc.volumes_from) ? svc.volumes_from : []) {
    const s = String(v);
    if (!s.startsWith('container:')) add(s.split(':')[0], false);
  }
  for (const v of Array.isArray(svc.links) ? svc.links : []) add(String(v).split(':')[0], true);
  if (Object.keys(deps).length > 0) svc.depends_on = deps;
}

/** A build arg without a value takes the environment's, or is dropped. */
function resolveBuildArgs(args: Obj, env: Record<string, string>): void {
  for (const [k, v] of Object.entries(args)) {
    if (v !== null) continue;
    if (env[k] !== undefined) args[k] = env[k];
    else delete args[k];
  }
}

function resolveEnvironment(svc: Obj, env: Record<string, string>): void {
  const e = svc.environment;
  if (Array.isArray(e)) {
    svc.environment = e.map((item) => {
      const s = String(item);
      return !s.includes('=') && env[s] !== undefined ? `${s}=${env[s]}` : s;
    });
  } else if (isObj(e)) {
    for (const [k, v] of Object.entries(e)) if (v === null && env[k] !== undefined) e[k] = env[k];
  }
}

const isRemote = (s: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^git@/.test(s) || s.startsWith('github.com/');

/** Relative host paths become absolute against the project directory; `~` is the user's home. */
export function resolvePaths(tree: Tree, projectDir: string, env: Record<string, string>): void {
  const home = env.HOME ?? os.homedir();
  const abs = (p: string): string => {
    if (p === '~' || p.startsWith('~/')) return path.join(home, p.slice(1));
    return path.resolve(projectDir, p);
  };
  const services = isObj(tree.services) ? tree.services : {};
  for (const svc of Object.values(services)) {
    if (!isObj(svc)) continue;
    if (isObj(svc.build)) {
      const b = svc.build;
      if (typeof b.context === 'string' && !isRemote(b.context)) b.context = abs(b.context);
      if (isObj(b.additional_contexts)) {
        for (const [k, v] of Object.entries(b.additional_contexts)) {
          if (typeof v === 'string' && !isRemote(v) && !/^[a-z-]+:/.test(v))
            b.additional_contexts[k] = abs(v);
        }
      }
    }
    if (Array.isArray(svc.env_file)) {
      for (const e of svc.env_file) if (isObj(e) && typeof e.path === 'string') e.path = abs(e.path);
    }
    if (Array.isArray(svc.label_file)) svc.label_file = svc.label_file.map((f) => abs(String(f)));
    if (Array.isArray(svc.volumes)) {
      for (const v of svc.volumes) {
        if (isObj(v) && v.type === 'bind' && typeof v.source === 'string' && !v.source.startsWith('/')) {
          v.source = abs(v.source);
        }
      }
    }
    const develop = svc.develop;
    if (isObj(develop) && Array.isArray(develop.watch)) {
      for (const w of develop.watch) if (isObj(w) && typeof w.path === 'string') w.path = abs(w.path);
    }
  }
  for (const kind of ['configs', 'secrets']) {
    const group = tree[kind];
    if (!isObj(group)) continue;
    for (const r of Object.values(group)) if (isObj(r) && typeof r.file === 'string') r.file = abs(r.file);
  }
}
