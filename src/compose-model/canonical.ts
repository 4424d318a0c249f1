/**
 * Short syntaxes → the canonical long forms `docker compose config` prints. compose-go applies
 * this whatever the other options say, so the loader always runs it on the merged model.
 */
import { ComposeError } from '../common/errors';
import { parsePort } from './short-ports';
import { parseServiceVolume } from './short-volumes';
import { splitShellWords } from './shell-words';
import { formatDuration, ramInBytes, tryParseDuration } from '../common/units';
import { isObj, locate, pointer, type Loc, type Obj, type ParsedFile, type Tree } from './source';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function canonicalize(pf: ParsedFile): ParsedFile {
  const tree: Tree = structuredClone(pf.tree);
  const locs = new Map(pf.locs);
  const at = (...path: (string | number)[]): Loc | undefined => locate(pf.locs, pointer(path));
  const services = isObj(tree.services) ? tree.services : {};
  for (const [name, svc] of Object.entries(services)) {
    if (svc === null) services[name] = {};
    if (!isObj(svc)) continue;
    // A list that becomes a map keeps each item's location under its new key.
    for (const key of ['depends_on', 'networks']) {
      const list = svc[key];
      if (!Array.isArray(list)) continue;
      list.forEach((item, i) => {
        const loc = locs.get(pointer(['services', name, key, i]));
        if (loc) locs.set(pointer(['services', name, key, String(item)]), loc);
      });
    }
    canonicalService(name, svc, at);
  }
  for (const kind of ['networks', 'volumes', 'configs', 'secrets']) {
    const group = tree[kind];
    if (!isObj(group)) continue;
    for (const [key, res] of Object.entries(group)) {
      if (res === null) group[key] = {};
      else if (isObj(res)) canonicalResource(`${kind}.${key}`, res, at(kind, key));
    }
  }
  return { ...pf, tree, locs };
}

function canonicalService(name: string, s: Obj, at: (...p: (string | number)[]) => Loc | undefined): void {
  const here = (...p: (string | number)[]) => at('services', name, ...p);
  for (const key of ['command', 'entrypoint']) {
    if (typeof s[key] === 'string') s[key] = words(s[key] as string, here(key));
  }
  if (isObj(s.healthcheck) && typeof s.healthcheck.test === 'string') {
    s.healthcheck.test = ['CMD-SHELL', s.healthcheck.test];
  }
  if (s.environment !== undefined) s.environment = environment(s.environment, here('environment'));
  for (const key of ['labels', 'annotations', 'sysctls'])
    if (s[key] !== undefined) s[key] = kvMap(s[key], true);
  if (s.extra_hosts !== undefined) s.extra_hosts = extraHosts(s.extra_hosts);
  if (typeof s.build === 'string') s.build = { context: s.build };
  if (isObj(s.build) && s.build.context === undefined) s.build.context = '.';
  if (isObj(s.build) && s.build.args !== undefined) s.build.args = kvMap(s.build.args, false);
  if (isObj(s.build) && s.build.labels !== undefined) s.build.labels = kvMap(s.build.labels, true);
  if (Array.isArray(s.depends_on)) {
    s.depends_on = Object.fromEntries(
      s.depends_on.map((d) => [String(d), { condition: 'service_started', required: true }]),
    );
  } else if (isObj(s.depends_on)) {
    for (const [dep, v] of Object.entries(s.depends_on)) {
      s.depends_on[dep] = { condition: 'service_started', required: true, ...(isObj(v) ? v : {}) };
    }
  }
  if (Array.isArray(s.networks)) s.networks = Object.fromEntries(s.networks.map((n) => [String(n), null]));
  if (Array.isArray(s.ports)) s.ports = s.ports.flatMap((p, i) => parsePort(p, here('ports', i)));
  if (Array.isArray(s.expose)) s.expose = s.expose.map(String);
  if (Array.isArray(s.volumes))
    s.volumes = s.volumes.map((v, i) => parseServiceVolume(v, here('volumes', i)));
  for (const key of ['dns', 'dns_search', 'tmpfs', 'env_file', 'label_file']) {
    if (typeof s[key] === 'string') s[key] = [s[key]];
  }
  if (Array.isArray(s.env_file)) {
    s.env_file = s.env_file.map((e) => {
      if (!isObj(e)) return { path: String(e) };
      const out: Obj = { ...e };
      if (out.required === true) delete out.required;
      return out;
    });
  }
  for (const key of ['secrets', 'configs']) {
    if (Array.isArray(s[key]))
      s[key] = (s[key] as unknown[]).map((x) => (isObj(x) ? x : { source: String(x) }));
  }
  if (Array.isArray(s.devices)) s.devices = s.devices.map(device);
  for (const key of ['secrets', 'configs']) {
    for (const r of Array.isArray(s[key]) ? (s[key] as unknown[]) : []) if (isObj(r)) octalMode(r);
  }
  if (isObj(s.build) && Array.isArray(s.build.secrets)) {
    s.build.secrets = s.build.secrets.map((x) => (isObj(x) ? octalMode(x) : { source: String(x) }));
  }
  for (const key of ['stop_grace_period']) durationAt(s, key);
  if (isObj(s.healthcheck))
    for (const k of ['interval', 'timeout', 'start_period', 'start_interval']) durationAt(s.healthcheck, k);
  if (isObj(s.deploy)) canonicalDeploy(s.deploy);
  for (const v of Array.isArray(s.volumes) ? s.volumes : []) {
    if (isObj(v) && isObj(v.tmpfs) && v.tmpfs.size !== undefined) v.tmpfs.size = bytes(v.tmpfs.size);
  }
  if (s.scale !== undefined && typeof s.scale === 'number' && s.scale < 0) {
    throw new ComposeError(`services.${name}.scale: must be greater than or equal to 0`, here('scale'));
  }
}

function words(s: string, loc: Loc | undefined): string[] {
  try {
    return splitShellWords(s);
  } catch (err) {
    throw new ComposeError((err as Error).message, loc);
  }
}

function environment(v: unknown, loc: Loc | undefined): Obj {
  const out: Obj = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      const key = eq < 0 ? s : s.slice(0, eq);
      if (key !== key.trimEnd()) {
        throw new ComposeError(`environment variable ${key} is declared with a trailing space`, loc);
      }
      out[key] = eq < 0 ? null : s.slice(eq + 1);
    }
    return out;
  }
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = str(x);
  }
  return out;
}

function kvMap(v: unknown, emptyIsString: boolean): Obj {
  const out: Obj = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = emptyIsString ? '' : null;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = x === null && emptyIsString ? '' : str(x);
  }
  return out;
}

/** compose-go writes extra hosts as a list of `host=ip` whatever the input form. */
function extraHosts(v: unknown): string[] {
  if (isObj(v)) {
    return Object.entries(v).flatMap(([h, ip]) =>
      (Array.isArray(ip) ? ip : [ip]).map((x) => `${h}=${String(x)}`),
    );
  }
  if (!Array.isArray(v)) return [];
  return v.map((item) => {
    const s = String(item);
    if (s.includes('=')) return s;
    const i = s.indexOf(':');
    return i < 0 ? s : `${s.slice(0, i)}=${s.slice(i + 1)}`;
  });
}

function device(v: unknown): unknown {
  if (isObj(v)) return v;
  const [source, target = source, permissions = 'rwm'] = String(v).split(':');
  return { source, target, permissions };
}

/** File modes are printed in octal as compose-go does (`0440`). */
function octalMode(r: Obj): Obj {
  if (typeof r.mode === 'number') r.mode = `0${r.mode.toString(8)}`;
  return r;
}

/** A duration as compose-go prints it; what does not parse is left for the typed stage to refuse. */
function durationAt(o: Obj, key: string): void {
  const v = o[key];
  const ns = typeof v === 'number' ? v * 1e9 : typeof v === 'string' ? tryParseDuration(v) : undefined;
  if (ns !== undefined) o[key] = formatDuration(ns);
}

/** A size in bytes, printed as a string as compose-go does; what does not parse is left as written. */
function bytes(v: unknown): string {
  if (typeof v !== 'string') return String(v);
  try {
    return String(ramInBytes(v));
  } catch {
    return v;
  }
}

function canonicalDeploy(d: Obj): void {
  if (d.labels !== undefined) d.labels = kvMap(d.labels, true);
  for (const group of ['update_config', 'rollback_config']) {
    if (isObj(d[group])) for (const k of ['delay', 'monitor']) durationAt(d[group] as Obj, k);
  }
  if (isObj(d.restart_policy)) for (const k of ['delay', 'window']) durationAt(d.restart_policy, k);
  if (isObj(d.resources)) {
    for (const which of ['limits', 'reservations']) {
      const r = d.resources[which];
      if (!isObj(r)) continue;
      if (typeof r.cpus === 'string' && r.cpus.trim() !== '' && !Number.isNaN(Number(r.cpus)))
        r.cpus = Number(r.cpus);
      if (r.memory !== undefined) r.memory = bytes(r.memory);
    }
  }
}

function canonicalResource(where: string, r: Obj, loc: Loc | undefined): void {
  if (r.labels !== undefined) r.labels = kvMap(r.labels, true);
  if (isObj(r.driver_opts)) r.driver_opts = kvMap(r.driver_opts, false);
  if (isObj(r.external)) {
    const extName = r.external.name;
    if (extName !== undefined) {
      if (r.name !== undefined && r.name !== extName) {
        throw new ComposeError(`${where}: name and external.name conflict; only use name`, loc);
      }
      r.name = extName;
    }
    r.external = true;
  }
  if (r.external === true) {
    for (const key of ['driver', 'driver_opts', 'labels']) {
      if (r[key] !== undefined && !(isObj(r[key]) && Object.keys(r[key] as Obj).length === 0)) {
        throw new ComposeError(`${where}: conflicting parameters "external" and "${key}" specified`, loc);
      }
    }
  }
}
