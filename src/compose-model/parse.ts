/**
 * YAML text → a plain tree plus the location of every value. The yaml package's node tree is
 * walked by hand (not `toJS`) so that `!reset`/`!override`, merge keys, non-string keys and
 * alias bombs are handled with compose-go's rules and every error names file:line:col.
 */
import YAML, { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import { ComposeError } from '../errors';
import { OverrideTag, ResetTag, pointer, type Loc, type LocMap, type ParsedFile, type Tree } from './source';

/** compose-go refuses documents whose alias expansion visits more nodes than this. */
const MAX_NODE_VISITS = 1_000_000;

export function parseYaml(text: string, file: string): ParsedFile {
  const lc = new LineCounter();
  const doc = YAML.parseDocument(text, {
    lineCounter: lc,
    uniqueKeys: false,
    prettyErrors: false,
    strict: false,
  });
  const at = (offset: number | undefined): Loc => {
    const p = lc.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };
  const fail = doc.errors[0];
  if (fail) {
    const detail = fail.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ComposeError(`yaml: ${detail}`, at(fail.pos[0]), { code: 'YAML' });
  }
  const locs: LocMap = new Map();
  let visits = 0;

  const convert = (node: unknown, path: string[], loc: Loc): unknown => {
    if (++visits > MAX_NODE_VISITS) throw new ComposeError('yaml: document contains excessive aliasing', loc);
    if (isAlias(node)) return convert(node.resolve(doc), path, loc);
    const n = node as Node | null | undefined;
    const tag = n && 'tag' in n ? n.tag : undefined;
    const value = convertUntagged(n, path);
    if (tag === '!reset') return new ResetTag(value === '' ? null : value);
    if (tag === '!override') return new OverrideTag(value);
    return value;
  };

  const convertUntagged = (n: Node | null | undefined, path: string[]): unknown => {
    if (n === null || n === undefined) return null;
    // compose-go (go-yaml) still reads `0440` as octal, as YAML 1.1 did: file modes are written so.
    if (isScalar(n))
      return n.type === 'PLAIN' && /^0[0-7]+$/.test(n.source ?? '')
        ? parseInt(n.source as string, 8)
        : n.value;
    if (isSeq(n)) {
      return n.items.map((item, i) => {
        const p = [...path, String(i)];
        const itemLoc = at((item as Node | null)?.range?.[0] ?? n.range?.[0]);
        locs.set(pointer(p), itemLoc);
        return convert(item, p, itemLoc);
      });
    }
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      const seen = new Map<string, Loc>();
      const merged: Record<string, unknown>[] = [];
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keyLoc = at(keyNode?.range?.[0]);
        const key = isScalar(keyNode) ? keyNode.value : keyNode;
        if (key === '<<' && isScalar(keyNode) && !keyNode.type?.startsWith('QUOTE')) {
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const s of sources) {
            const v = convert(s, path, keyLoc);
            if (typeof v === 'object' && v !== null && !Array.isArray(v))
              merged.push(v as Record<string, unknown>);
            else
              throw new ComposeError('yaml: map merge requires map or sequence of maps as the value', keyLoc);
          }
          continue;
        }
        if (typeof key !== 'string') {
          const where = path.length === 0 ? 'at top level' : `in ${path.join('.')}`;
          throw new ComposeError(
            `non-string key ${where}: ${String(isScalar(keyNode) ? (keyNode.source ?? key) : key)}`,
            keyLoc,
          );
        }
        const prev = seen.get(key);
        if (prev) {
          throw new ComposeError(`yaml: mapping key "${key}" already defined at line ${prev.line}`, keyLoc, {
            code: 'YAML',
          });
        }
        seen.set(key, keyLoc);
        const p = [...path, key];
        locs.set(pointer(p), keyLoc);
        out[key] = convert(pair.value, p, keyLoc);
      }
      // Explicit keys win over merged ones; earlier merge sources win over later ones.
      for (const src of merged.reverse())
        for (const [k, v] of Object.entries(src)) if (!(k in out)) out[k] = v;
      if (merged.length > 0)
        return Object.fromEntries(Object.entries({ ...Object.assign({}, ...merged), ...out }));
      return out;
    }
    return null;
  };

  const root = doc.contents as Node | null;
  locs.set('', at(root?.range?.[0]));
  const tree = root === null ? {} : convert(root, [], at(root.range?.[0]));
  if (tree === null) return { file, tree: {}, locs };
  if (
    typeof tree !== 'object' ||
    Array.isArray(tree) ||
    tree instanceof ResetTag ||
    tree instanceof OverrideTag
  ) {
    throw new ComposeError('top-level object must be a mapping', at(root?.range?.[0]));
  }
  return { file, tree: tree as Tree, locs };
}
