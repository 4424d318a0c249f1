/**
 * YAML text → a plain tree plus the location of every value. The yaml package's node tree is
 * walked by hand (not `toJS`) so that `!reset`/`!override`, merge keys, non-string keys and
 * alias bombs are handled with compose-go's (go-yaml's) rules and every error names
 * file:line:col. Several documents in one file are merged in order, as compose-go does.
 */
import YAML, { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, type Document } from 'yaml';
import { ComposeError } from '../common/errors';
import { mergeFiles } from './merge';
import {
  OverrideTag,
  ResetTag,
  isObj,
  pointer,
  type Loc,
  type LocMap,
  type ParsedFile,
  type Tree,
} from './source';

/** Alias expansion beyond this many nodes is refused (an alias bomb never gets that far honestly). */
const MAX_NODE_VISITS = 1_000_000;

export function parseYaml(text: string, file: string): ParsedFile {
  const lc = new LineCounter();
  const docs = YAML.parseAllDocuments(text, {
    lineCounter: lc,
    uniqueKeys: false,
    prettyErrors: false,
    strict: false,
  });
  const at = (offset: number | undefined): Loc => {
    const p = lc.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col };
  };
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const fail = doc.errors[0];
    if (fail) {
      const detail = fail.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ComposeError(`yaml: ${detail}`, at(fail.pos[0]), { code: 'YAML' });
    }
  }
  const parsed = list.map((doc) => convertDocument(doc, file, at)).filter((pf) => pf !== null);
  if (parsed.length === 0) return { file, tree: {}, locs: new Map([['', at(0)]]) };
  return parsed.length === 1 ? parsed[0] : { ...mergeFiles(parsed), file };
}

function convertDocument(
  doc: Document,
  file: string,
  at: (offset: number | undefined) => Loc,
): ParsedFile | null {
  let visits = 0;
  const locs: LocMap = new Map();
  /** The nodes being converted: an alias to one of them would never end. */
  const active = new Set<unknown>();

  const convert = (node: unknown, path: string[], loc: Loc, into: LocMap): unknown => {
    if (++visits > MAX_NODE_VISITS) throw new ComposeError('yaml: document contains excessive aliasing', loc);
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target && active.has(target)) {
        throw new ComposeError(`yaml: anchor '${node.source}' value contains itself`, loc, { code: 'YAML' });
      }
      return convert(target, path, loc, into);
    }
    const n = node as Node | null | undefined;
    const tag = n && 'tag' in n ? n.tag : undefined;
    if (n) active.add(n);
    const value = convertUntagged(n, path, into);
    if (n) active.delete(n);
    if (tag === '!reset') return new ResetTag(value === '' ? null : value);
    if (tag === '!override') return new OverrideTag(value);
    return value;
  };

  const convertUntagged = (n: Node | null | undefined, path: string[], into: LocMap): unknown => {
    if (n === null || n === undefined) return null;
    if (isScalar(n)) return scalarValue(n);
    if (isSeq(n)) {
      return n.items.map((item, i) => {
        const p = [...path, String(i)];
        const itemLoc = at((item as Node | null)?.range?.[0] ?? n.range?.[0]);
        into.set(pointer(p), itemLoc);
        return convert(item, p, itemLoc, into);
      });
    }
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      const seen = new Map<string, Loc>();
      let mergeSource: { node: unknown; loc: Loc } | undefined;
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keyLoc = at(keyNode?.range?.[0] ?? n.range?.[0]);
        const key = isScalar(keyNode) ? keyNode.value : keyNode;
        const text = isScalar(keyNode) ? String(keyNode.source ?? key) : undefined;
        if (text !== undefined) {
          const prev = seen.get(text);
          if (prev) {
            throw new ComposeError(
              `yaml: mapping key "${text}" already defined at line ${prev.line}`,
              keyLoc,
              {
                code: 'YAML',
              },
            );
          }
          seen.set(text, keyLoc);
        }
        // go-yaml: only the last `<<` of a mapping merges, and explicit keys win wherever they are.
        if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
          mergeSource = { node: pair.value, loc: keyLoc };
          continue;
        }
        if (typeof key !== 'string')
          throw new ComposeError(`non-string key ${where(path)}: ${goKey(key)}`, keyLoc);
        const p = [...path, key];
        into.set(pointer(p), keyLoc);
        out[key] = convert(pair.value, p, keyLoc, into);
      }
      if (mergeSource) mergeInto(out, mergeSource.node, mergeSource.loc, path, into);
      return out;
    }
    return null;
  };

  /** YAML merge keys: a map, an alias of one, or a list of them; earlier maps win. */
  const mergeInto = (out: Record<string, unknown>, node: unknown, loc: Loc, path: string[], into: LocMap) => {
    const resolved = isAlias(node) ? node.resolve(doc) : node;
    const sources = isSeq(resolved) ? resolved.items : [node];
    for (const s of sources) {
      const tmp: LocMap = new Map();
      const v = convert(s, path, loc, tmp);
      if (!isObj(v))
        throw new ComposeError('yaml: map merge requires map or sequence of maps as the value', loc);
      for (const [k, x] of Object.entries(v)) {
        if (k in out) continue;
        out[k] = x;
        const ptr = pointer([...path, k]);
        for (const [lk, lv] of tmp) if (lk === ptr || lk.startsWith(ptr + '/')) into.set(lk, lv);
      }
    }
  };

  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null && !root.tag)) return null;
  locs.set('', at(root.range?.[0]));
  const tree = convert(root, [], at(root.range?.[0]), locs);
  if (!isObj(tree) || tree instanceof ResetTag || tree instanceof OverrideTag)
    throw new ComposeError('top-level object must be a mapping', at(root.range?.[0]));
  return { file, tree: tree as Tree, locs };
}

/**
 * A scalar as go-yaml reads it into an interface: plain integers may be written with `_`,
 * `0b…`, or a leading `0` for octal (file modes are written `0440`).
 */
function scalarValue(n: YAML.Scalar): unknown {
  const src = n.source;
  if (n.type === 'PLAIN' && typeof src === 'string' && !n.tag) {
    const m = /^([-+]?)(0[bB][01_]+|0[oO][0-7_]+|0[0-7_]+|[0-9][0-9_]*_[0-9_]*)$/.exec(src);
    if (m) {
      const digits = m[2].replace(/_/g, '');
      let v: number;
      if (/^0[bB]/.test(digits)) v = parseInt(digits.slice(2), 2);
      else if (/^0[oO]/.test(digits)) v = parseInt(digits.slice(2), 8);
      else if (/^0[0-7]+$/.test(digits)) v = parseInt(digits, 8);
      else v = parseInt(digits, 10);
      if (!Number.isNaN(v)) return m[1] === '-' ? -v : v;
    }
  }
  return n.value;
}

function where(path: string[]): string {
  if (path.length === 0) return 'at top level';
  return (
    'in ' +
    path.reduce((acc, s, i) => (/^\d+$/.test(s) && i > 0 ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '')
  );
}

/** The key as Go's `%#v` prints it. */
function goKey(key: unknown): string {
  if (key === null || key === undefined) return '<nil>';
  if (typeof key === 'number')
    return Number.isInteger(key) ? String(key) : String(key).replace(/e([+-])(\d)$/, 'e$10$2');
  if (typeof key === 'object') return JSON.stringify(key);
  return String(key);
}
