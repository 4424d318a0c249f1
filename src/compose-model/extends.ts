/**
 * `extends`: a service starts from another one, in the same file or another, and the extending
 * definition is merged on top with the multi-file merge rules. As in compose-go, a `file:` in a
 * project file is relative to the project directory and one in an extended file to that file's
 * folder; the relative paths of a service taken from another file are re-based so that they
 * stay relative to the project directory. Inherited values keep the place they were written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ComposeError } from '../common/errors';
import { interpolateFile } from './interpolate';
import type { FileContext } from './types';
import { mergeService, srcAt, stripTags } from './merge';
import { parseYaml } from './parse';
import { isObj, type Obj, locate, pointer, type LocMap, type ParsedFile } from './source';

/** A service and its locations, keyed relative to the service ('' = the service itself). */
interface Resolved {
  svc: Obj;
  locs: LocMap;
}

export function applyExtends(pf: ParsedFile, ctx: FileContext): ParsedFile {
  const services = pf.tree.services;
  if (!isObj(services) || !Object.values(services).some((s) => isObj(s) && s.extends !== undefined))
    return pf;
  const projectDir = ctx.projectDir ?? (pf.file === '-' ? process.cwd() : path.dirname(pf.file));
  /** Paths in a project file are relative to the project directory, in any other file to its folder. */
  const dirOf = (f: ParsedFile) => (f === pf ? projectDir : path.dirname(f.file));
  const files = new Map<string, ParsedFile>([[pf.file, pf]]);
  const done = new Map<string, Resolved>();

  const load = (file: string, where: ReturnType<typeof locate>): ParsedFile => {
    let f = files.get(file);
    if (!f) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        const why =
          (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String(err);
        throw new ComposeError(`extends: open ${file}: ${why}`, where, { exitCode: 14, cause: err });
      }
      // Like compose-go, an extended file is neither validated nor searched for includes: only the
      // service taken from it matters, and it is checked once merged.
      f = parseYaml(text, file);
      if (ctx.interpolate) f = interpolateFile(f, ctx.lookup);
      files.set(file, f);
    }
    return f;
  };

  const resolve = (f: ParsedFile, name: string, chain: string[]): Resolved => {
    const key = `${f.file}#${name}`;
    const cached = done.get(key);
    if (cached) return cached;
    const ptr = pointer(['services', name]);
    const raw = (f.tree.services as Obj)[name];
    const own: Obj = isObj(raw) ? { ...raw } : {};
    const ext = own.extends;
    if (ext === undefined) {
      const locs: LocMap = new Map();
      srcAt(f.locs, ptr).copy(locs, '');
      return { svc: own, locs };
    }
    delete own.extends;
    const where = locate(f.locs, pointer(['services', name, 'extends']));
    const spec: Obj = isObj(ext) ? ext : { service: ext };
    if (typeof spec.service !== 'string' || spec.service === '') {
      throw new ComposeError(`extends.${name}.service is required`, where);
    }
    const ref = spec.service;
    const baseFile =
      typeof spec.file === 'string' ? path.resolve(dirOf(f), expandHome(spec.file, ctx)) : f.file;
    const refKey = `${baseFile}#${ref}`;
    if (chain.includes(refKey)) {
      const names = [...chain, refKey].map((k) => k.slice(k.lastIndexOf('#') + 1));
      throw new ComposeError(`Circular reference with extends: ${names.join(' -> ')}`, where);
    }
    const bf = baseFile === f.file ? f : load(baseFile, where);
    const baseServices = bf.tree.services;
    if (bf !== f && !isObj(baseServices)) {
      throw new ComposeError(
        `cannot extend service "${name}" in ${baseFile}: ${baseServices === undefined ? 'no services section' : 'services must be a mapping'}`,
        where,
      );
    }
    if (!isObj(baseServices) || !(ref in baseServices)) {
      throw new ComposeError(
        bf === f
          ? `cannot extend service "${name}" in ${f.file}: service "${ref}" not found`
          : `cannot extend service "${name}" in ${f.file}: service "${ref}" not found in ${String(spec.file)}`,
        where,
      );
    }
    const base = resolve(bf, ref, [...chain, refKey]);
    const baseSvc = bf === f ? base.svc : rebase(base.svc, dirOf(bf), dirOf(f));
    const locs: LocMap = new Map();
    const svc = mergeService(baseSvc, own, {
      base: srcAt(base.locs),
      over: srcAt(f.locs, ptr),
      out: locs,
      at: '',
    }) as Obj;
    const resolved = { svc, locs };
    done.set(key, resolved);
    return resolved;
  };

  const out: Obj = {};
  const replaced = new Map<string, LocMap>();
  for (const [name, svc] of Object.entries(services)) {
    if (!isObj(svc) || svc.extends === undefined) {
      out[name] = svc;
      continue;
    }
    const r = resolve(pf, name, [`${pf.file}#${name}`]);
    out[name] = r.svc;
    replaced.set(pointer(['services', name]), r.locs);
  }
  const locs: LocMap = new Map();
  for (const [k, v] of pf.locs) {
    const svcPtr = k.split('/', 3).join('/');
    if (!(k !== svcPtr && replaced.has(svcPtr))) locs.set(k, v);
  }
  for (const [ptr, svcLocs] of replaced) for (const [k, v] of svcLocs) locs.set(ptr + k, v);
  return { ...pf, tree: { ...pf.tree, services: out }, locs };
}

function expandHome(p: string, ctx: FileContext): string {
  const home = ctx.lookup('HOME');
  return home && (p === '~' || p.startsWith('~/')) ? path.join(home, p.slice(1)) : p;
}

const REMOTE = /^(https?:\/\/|git:\/\/|ssh:\/\/|github\.com\/|git@)/;
const isRemoteContext = (p: string) => p.includes('://') || p.startsWith('service:') || REMOTE.test(p);

/**
 * The relative paths of a service written in `from`'s folder, made relative to `to` (as compose-go
 * joins them to the extended file's folder relative to the working directory).
 */
function rebase(svc: Obj, from: string, to: string): Obj {
  const rel = path.relative(to, from);
  if (rel === '') return svc;
  const move = (p: string): string => (path.isAbsolute(p) || p.startsWith('~') ? p : path.join(rel, p));
  const out = stripTags(svc) as Obj;
  if (typeof out.build === 'string' && !isRemoteContext(out.build)) out.build = move(out.build);
  if (isObj(out.build)) {
    const b = out.build;
    if (typeof b.context === 'string' && !isRemoteContext(b.context)) b.context = move(b.context);
    const extra = b.additional_contexts;
    if (isObj(extra)) {
      for (const [k, v] of Object.entries(extra))
        if (typeof v === 'string' && !isRemoteContext(v)) extra[k] = move(v);
    } else if (Array.isArray(extra)) {
      b.additional_contexts = extra.map((e) => {
        const s = String(e);
        const i = s.indexOf('=');
        return i < 0 || isRemoteContext(s.slice(i + 1)) ? e : `${s.slice(0, i)}=${move(s.slice(i + 1))}`;
      });
    }
  }
  const fileList = (v: unknown, each: (x: unknown) => unknown) =>
    v === undefined || v === null ? v : (Array.isArray(v) ? v : [v]).map(each);
  out.env_file = fileList(out.env_file, (e) =>
    isObj(e) && typeof e.path === 'string'
      ? { ...e, path: move(e.path) }
      : typeof e === 'string'
        ? move(e)
        : e,
  );
  out.label_file = fileList(out.label_file, (e) => (typeof e === 'string' ? move(e) : e));
  if (out.env_file === undefined) delete out.env_file;
  if (out.label_file === undefined) delete out.label_file;
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((v) => {
      if (isObj(v)) {
        return v.type === 'bind' && typeof v.source === 'string' ? { ...v, source: move(v.source) } : v;
      }
      // Short syntax: a bind source starts with `.` (a named volume never does); it keeps its
      // `./` so that it still reads as a path.
      const s = String(v);
      const colon = s.indexOf(':');
      const src = colon < 0 ? '' : s.slice(0, colon);
      if (!src.startsWith('.')) return v;
      const moved = move(src);
      return (moved.startsWith('.') || path.isAbsolute(moved) ? moved : `./${moved}`) + s.slice(colon);
    });
  }
  const develop = out.develop;
  if (isObj(develop) && Array.isArray(develop.watch)) {
    develop.watch = develop.watch.map((w) =>
      isObj(w) && typeof w.path === 'string' ? { ...w, path: move(w.path) } : w,
    );
  }
  return out;
}
