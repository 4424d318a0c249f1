/**
 * .env files as compose-go reads them: `KEY=VALUE` or `KEY: VALUE`, `export` prefixes, comments,
 * single quotes (literal), double quotes (escapes, several lines), unquoted values (inline ` #`
 * comments), `${VAR}` expansion from earlier keys then the OS environment, bare `KEY` lines
 * taken from the OS environment.
 */
import { ComposeError } from '../common/errors';
import { substitute, type Lookup } from './interpolate';

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  $: '$$', // kept escaped for the expansion that follows
};

export function parseDotenv(text: string, file: string, lookup: Lookup): Record<string, string> {
  return parse(text, file, lookup);
}

/** env_file `format: raw`: `KEY=VALUE` lines taken literally, no quotes, escapes or expansion. */
export function parseDotenvRaw(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (line.trim() === '' || line.trimStart().startsWith('#') || eq < 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

function parse(text: string, file: string, lookup: Lookup): Record<string, string> {
  const out: Record<string, string> = {};
  const src = text.replace(/\r\n/g, '\n');
  const lineAt = (pos: number) => src.slice(0, pos).split('\n').length;
  const fail = (msg: string, pos: number): never => {
    const line = lineAt(pos);
    throw new ComposeError(`line ${line}: ${msg}`, { file, line, col: 1 }, { code: 'DOTENV' });
  };
  const expand = (v: string): string => substitute(v, (k) => (k in out ? out[k] : lookup(k)));
  let i = 0;
  while (i < src.length) {
    // Blank lines, indentation and comment lines.
    const ws = /^[ \t\n]*/.exec(src.slice(i)) as RegExpExecArray;
    i += ws[0].length;
    if (i >= src.length) break;
    if (src[i] === '#') {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl + 1;
      continue;
    }
    const start = i;
    const exp = /^export[ \t]+/.exec(src.slice(i));
    if (exp) i += exp[0].length;
    const lineEnd = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    const rest = src.slice(i, lineEnd);
    const sep = rest.search(/[=:]/);
    if (sep < 0) {
      const key = rest.trim();
      if (/\s/.test(key)) fail('key cannot contain a space', start);
      if (!/^[A-Za-z0-9_.-]+$/.test(key))
        fail(`unexpected character in variable name ${JSON.stringify(key)}`, start);
      const v = lookup(key);
      if (v !== undefined) out[key] = v;
      i = lineEnd;
      continue;
    }
    const key = rest.slice(0, sep).trim();
    if (/\s/.test(key)) fail('key cannot contain a space', start);
    i += sep + 1;
    while (src[i] === ' ' || src[i] === '\t') i++;
    const q = src[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      let value = '';
      for (; j < src.length && src[j] !== q; j++) {
        if (src[j] !== '\\' || j + 1 >= src.length) {
          value += src[j];
          continue;
        }
        const c = src[j + 1];
        const octal = /^0([0-7]{1,3})/.exec(src.slice(j + 1));
        if (q === "'") {
          // Only the quote itself can be escaped between single quotes.
          value += c === "'" ? "'" : '\\';
          if (c === "'") j++;
        } else if (octal) {
          value += String.fromCharCode(parseInt(octal[1], 8));
          j += octal[0].length;
        } else if (c in ESCAPES) {
          value += ESCAPES[c];
          j++;
        } else {
          value += '\\';
        }
      }
      if (j >= src.length) fail('unterminated quoted value', start);
      out[key] = q === "'" ? value : expand(value);
      const nl = src.indexOf('\n', j);
      i = nl < 0 ? src.length : nl + 1;
      continue;
    }
    const end = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    let value = src.slice(i, end);
    const comment = value.search(/[ \t]#/);
    if (comment >= 0) value = value.slice(0, comment);
    value = value.trim();
    out[key] = expand(value.replace(/\\\$/g, '$$$$'));
    i = end;
  }
  return out;
}
