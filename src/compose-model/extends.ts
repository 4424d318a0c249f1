/**
 * `extends`: a service starts from another one, in the same file or another, and the extending
 * definition is merged on top with the multi-file merge rules. Relative paths of a service taken
 * from another file are resolved against that file's folder, as compose-go does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ComposeError } from '../errors';
import { interpolateFile } from './interpolate';
import type { FileContext } from './types';
import { mergeService } from './merge';
import { parseYaml } from './parse';
import { isObj, type Obj, locate, pointer, type LocMap, type ParsedFile } from './source';

export function applyExtends(pf: ParsedFile, ctx: FileContext): ParsedFile {
  const services = pf.tree.services;
  if (!isObj(services) || !Object.values(services).some((s) => isObj(s) && s.extends !== undefined))
    return pf;
  const files = new Map<string, ParsedFile>([[pf.file, pf]]);
  const locs: LocMap = new Map(pf.locs);
  const load = (file: string, where: ReturnType<typeof locate>): ParsedFile => {
    let f = files.get(file);
    if (!f) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        throw new ComposeError(`extends: open ${file}: no such file or directory`, where, { exitCode: 14 });
      }
      // Other services of an extended file are not validated: only the one used matters.
      f = parseYaml(text, file);
      if (ctx.interpolate) f = interpolateFile(f, ctx.lookup);
      files.set(file, f);
    }
    return f;
  };

  const resolve = (f: ParsedFile, name: string, chain: string[]): Obj => {
    const svc = (f.tree.services as Obj)[name];
    const own: Obj = isObj(svc) ? { ...svc } : {};
    const ext = own.extends;
    if (ext === undefined) return own;
    delete own.extends;
    const where = locate(f.locs, pointer(['services', name, 'extends']));
    const spec: Obj = isObj(ext) ? ext : { service: ext };
    if (typeof spec.service !== 'string' || spec.service === '') {
      throw new ComposeError(`extends.${name}.service is required`, where);
    }
    const baseFile = typeof spec.file === 'string' ? path.resolve(path.dirname(f.file), spec.file) : f.file;
    const key = `${baseFile}#${spec.service}`;
    if (chain.includes(key)) {
      const names = [...chain, key].map((k) => k.slice(k.indexOf('#') + 1));
      throw new ComposeError(`Circular reference with extends: ${names.join(' -> ')}`, where);
    }
    const bf = load(baseFile, where);
    const baseServices = isObj(bf.tree.services) ? bf.tree.services : {};
    if (!(spec.service in baseServices)) {
      throw new ComposeError(
        `cannot extend service "${name}": service "${spec.service}" not found in ${baseFile}`,
        where,
      );
    }
    let base = resolve(bf, spec.service, [...chain, key]);
    if (baseFile !== f.file) {
      base = rebase(base, path.dirname(baseFile));
      for (const [p, loc] of bf.locs) {
        const from = pointer(['services', spec.service]);
        const to = pointer(['services', name]);
        if (p.startsWith(from + '/') && !locs.has(to + p.slice(from.length)))
          locs.set(to + p.slice(from.length), loc);
      }
    }
    return mergeService(base, own) as Obj;
  };

  const out: Obj = {};
  for (const name of Object.keys(services)) out[name] = resolve(pf, name, [`${pf.file}#${name}`]);
  return { ...pf, tree: { ...pf.tree, services: out }, locs };
}

const isRelative = (p: unknown): p is string =>
  typeof p === 'string' && (p === '.' || p === '..' || /^\.\.?\//.test(p));

/** Paths written relative to the extended file, made absolute. */
function rebase(svc: Obj, dir: string): Obj {
  const out: Obj = structuredClone(svc);
  if (typeof out.build === 'string') out.build = { context: out.build };
  if (isObj(out.build)) {
    const ctx = out.build.context ?? '.';
    if (typeof ctx === 'string' && !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(ctx) && !path.isAbsolute(ctx)) {
      out.build.context = path.resolve(dir, ctx);
    }
  }
  const envFiles =
    out.env_file === undefined ? undefined : Array.isArray(out.env_file) ? out.env_file : [out.env_file];
  if (envFiles) {
    out.env_file = envFiles.map((e) =>
      isObj(e) && typeof e.path === 'string'
        ? { ...e, path: path.resolve(dir, e.path) }
        : path.resolve(dir, String(e)),
    );
  }
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((v) => {
      if (isObj(v)) return isRelative(v.source) ? { ...v, source: path.resolve(dir, v.source) } : v;
      const s = String(v);
      const colon = s.indexOf(':');
      const src = colon < 0 ? '' : s.slice(0, colon);
      return isRelative(src) ? path.resolve(dir, src) + s.slice(colon) : v;
    });
  }
  return out;
}
