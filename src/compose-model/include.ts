/**
 * `include:` — each entry is a Compose project of its own (its own project directory and env
 * files, its relative paths resolved there), whose resources join the including model. A
 * resource defined on both sides is an error, as is a file that includes itself again.
 */
import path from 'node:path';
import { ComposeError } from '../errors';
import type { FileContext } from './types';
import { isObj, type Obj, locate, pointer, type LocMap, type ParsedFile } from './source';

const KINDS = ['services', 'networks', 'volumes', 'configs', 'secrets', 'models'];

export function applyIncludes(pf: ParsedFile, ctx: FileContext): ParsedFile {
  const entries = pf.tree.include;
  if (!Array.isArray(entries) || entries.length === 0) return pf;
  const base = pf.file === '-' ? process.cwd() : path.dirname(pf.file);
  const tree: Obj = { ...pf.tree };
  delete tree.include;
  const locs: LocMap = new Map(pf.locs);
  entries.forEach((entry, i) => {
    const loc = locate(pf.locs, pointer(['include', i]));
    const spec: Obj = isObj(entry) ? entry : { path: entry };
    const files = (Array.isArray(spec.path) ? spec.path : [spec.path]).map((p) =>
      path.resolve(base, String(p)),
    );
    const chain = [...ctx.includeChain, pf.file];
    const loop = files.find((f) => chain.includes(f));
    if (loop) {
      throw new ComposeError(
        `include cycle detected: ${[...chain, loop].map((f) => path.relative(base, f) || f).join(' -> ')}`,
        loc,
      );
    }
    const projectDir = spec.project_directory
      ? path.resolve(base, String(spec.project_directory))
      : path.dirname(files[0]);
    const envFiles =
      spec.env_file === undefined
        ? undefined
        : (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).map((f) =>
            path.resolve(base, String(f)),
          );
    const included = ctx.loadInclude(files, projectDir, envFiles, chain);
    for (const kind of KINDS) {
      const theirs = included.tree[kind];
      if (!isObj(theirs)) continue;
      const ours: Obj = isObj(tree[kind]) ? { ...(tree[kind] as Obj) } : {};
      for (const [key, value] of Object.entries(theirs)) {
        if (key in ours && JSON.stringify(ours[key]) !== JSON.stringify(value)) {
          throw new ComposeError(
            `${kind}.${key} conflicts with imported resource`,
            locate(pf.locs, pointer([kind, key])) ?? loc,
          );
        }
        ours[key] = value;
      }
      tree[kind] = ours;
    }
    for (const [k, v] of included.locs) if (k !== '' && !locs.has(k)) locs.set(k, v);
  });
  return { file: pf.file, tree, locs };
}
