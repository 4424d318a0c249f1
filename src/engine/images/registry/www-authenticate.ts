/**
 * `WWW-Authenticate` challenges (RFC 7235): `Bearer realm="…",service="…",scope="…"` or
 * `Basic realm="…"`; one header may carry several challenges, and parameter values may be
 * tokens or quoted strings with backslash escapes.
 */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~\w]+/;

export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const out: Challenge[] = [];
  for (const h of [header ?? []].flat()) out.push(...parseOne(h));
  return out;
}

function parseOne(header: string): Challenge[] {
  const out: Challenge[] = [];
  let rest = header;
  let current: Challenge | undefined;
  const skip = (re: RegExp) => (rest = rest.replace(re, ''));
  for (skip(/^[\s,]+/); rest; skip(/^[\s,]+/)) {
    const name = TOKEN.exec(rest)?.[0];
    if (!name) break; // malformed: keep what was understood
    rest = rest.slice(name.length);
    skip(/^\s*/);
    if (rest.startsWith('=') && current) {
      rest = rest.slice(1).replace(/^\s*/, '');
      current.params[name.toLowerCase()] = readValue();
    } else {
      current = { scheme: name.toLowerCase(), params: {} };
      out.push(current);
    }
  }
  return out;

  function readValue(): string {
    if (!rest.startsWith('"')) {
      const v = /^[^\s,]*/.exec(rest)?.[0] ?? '';
      rest = rest.slice(v.length);
      return v;
    }
    let v = '';
    let i = 1;
    for (; i < rest.length && rest[i] !== '"'; i++) v += rest[i] === '\\' ? rest[++i] : rest[i];
    rest = rest.slice(i + 1);
    return v;
  }
}
