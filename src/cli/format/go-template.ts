/**
 * The part of Go's text/template that docker's `--format` is mostly used with: text, `{{.}}`,
 * `{{.A.B}}` and `{{json .A.B}}`, over JSON values. Error texts follow Go's, so scripts that
 * match on them keep working.
 */
import { TscomposeError } from '../../common/errors';

export class TemplateError extends TscomposeError {
  constructor(message: string, exitCode = 1) {
    super(message, { code: 'TEMPLATE', exitCode });
  }
}

interface Action {
  json: boolean;
  path: string[];
  /** Byte offset Go reports for the field chain: its second field when chained, else its first. */
  pos: number;
  text: string;
}

type Piece = string | Action;

export type Template = (value: unknown) => string;

export function compileTemplate(format: string): Template {
  const pieces = parse(format);
  return (value) => pieces.map((p) => (typeof p === 'string' ? p : run(p, value))).join('');
}

function parse(format: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (let open = format.indexOf('{{'); open >= 0; open = format.indexOf('{{', at)) {
    const close = format.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError('template: :1: unclosed action');
    pieces.push(format.slice(at, open), action(format.slice(open + 2, close), open + 2));
    at = close + 2;
  }
  pieces.push(format.slice(at));
  return pieces.filter((p) => p !== '');
}

function action(inner: string, offset: number): Action {
  const m = /^(\s*)(?:(json)(\s+))?(\.|(?:\.[A-Za-z_]\w*)+)\s*$/.exec(inner);
  if (!m) {
    const word = /^\s*([A-Za-z_]\w*)/.exec(inner);
    if (word) throw new TemplateError(`template: :1: function "${word[1]}" not defined`);
    throw new TemplateError(`template: :1: unsupported action {{${inner}}}`);
  }
  const start = offset + m[1].length + (m[2] ? m[2].length + m[3].length : 0);
  const path = m[4] === '.' ? [] : m[4].slice(1).split('.');
  const pos = path.length > 1 ? start + path[0].length + 1 : start;
  return { json: Boolean(m[2]), path, pos, text: `{{${inner}}}` };
}

function run(a: Action, root: unknown): string {
  let v = root;
  for (const key of a.path) {
    const at = `template: :1:${a.pos}: executing "" at <${a.text.slice(2, -2).trim()}>`;
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw new TemplateError(`${at}: can't evaluate field ${key} in type ${goTypeName(v)}`);
    if (!(key in v)) throw new TemplateError(`${at}: map has no entry for key "${key}"`);
    v = (v as Record<string, unknown>)[key];
  }
  return a.json ? JSON.stringify(v ?? null) : goPrint(v, true);
}

function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'json.Number';
  return Array.isArray(v) ? '[]interface {}' : 'interface {}';
}

/** fmt.Print of a decoded JSON value, as a template prints it. */
export function goPrint(v: unknown, top = false): string {
  if (v === null || v === undefined) return top ? '<no value>' : '<nil>';
  if (Array.isArray(v)) return `[${v.map((x) => goPrint(x)).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const entries = Object.keys(o)
      .sort()
      .map((k) => `${k}:${goPrint(o[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(v);
}
