/** Go's ways of printing values, where docker's output depends on them. */

const QUOTE_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** strconv.Quote: printable characters stay as they are, others are escaped. */
export function goQuote(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (QUOTE_ESCAPES[ch]) out += QUOTE_ESCAPES[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

/** json.Marshal: like JSON.stringify, but <, > and & are escaped as Go escapes them for HTML. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** docker's stringutils.Ellipsis for plain text: at most `max` characters, the last one `…`. */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  return `${chars.slice(0, max - 1).join('')}…`;
}

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** go-units' HumanSizeWithPrecision: decimal units, `%.<precision>g` ('4.26MB', '0B', '1e+03kB'). */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < SIZE_UNITS.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${formatG(size, precision)}${SIZE_UNITS[unit]}`;
}

/**
 * fmt's %.<p>g for non-negative numbers. Rounded on the number's exact decimal digits (100 of
 * them cover a double of this range), ties to even as Go does; toPrecision would round ties up.
 */
export function formatG(x: number, p: number): string {
  if (x === 0) return '0';
  const [mantissa, e] = x.toExponential(99).split('e');
  const digits = mantissa.replace('.', '');
  let exp = Number(e);
  let head = digits.slice(0, p);
  const rest = digits.slice(p);
  const odd = Number(head[p - 1]) % 2 === 1;
  if (rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || odd))) {
    head = String(BigInt(head) + 1n);
    if (head.length > p) {
      head = head.slice(0, p);
      exp += 1;
    }
  }
  const trim = (t: string): string => (t.includes('.') ? t.replace(/\.?0+$/, '') : t);
  if (exp < -4 || exp >= p) {
    return `${trim(`${head[0]}.${head.slice(1)}`)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return trim(`0.${'0'.repeat(-exp - 1)}${head}`);
  const fraction = head.slice(exp + 1);
  return fraction === '' ? head : trim(`${head.slice(0, exp + 1)}.${fraction}`);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** time.Time.String() for a whole second, in local time: `2024-01-02 15:04:05 +0000 UTC`. */
export function goTimeString(unixSeconds: number, timeZone?: string): string {
  const d = new Date(unixSeconds * 1000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(parts.timeZoneName);
  const offset = m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
  // Go prints the zone's abbreviation, or `+03` / `+0530` for a zone that has none. Intl names
  // American zones in en-US and European ones in en-GB; where neither does, the offset stands.
  const named = ['en-US', 'en-GB']
    .map(
      (locale) =>
        new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
          .formatToParts(d)
          .find((p) => p.type === 'timeZoneName')?.value ?? '',
    )
    .find((name) => /^[A-Z]+$/.test(name));
  const abbr = named ?? (m ? `${m[1]}${m[2]}${m[3] === '00' ? '' : m[3]}` : 'UTC');
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${pad2(Number(parts.hour))}:${parts.minute}:${parts.second}`;
  return `${date} ${time} ${offset} ${abbr}`;
}

/** strconv.ParseBool; undefined for what it refuses. */
export function goBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

/** What Go's os.Open says about a file it cannot open: `open x: no such file or directory`. */
export function goOpenError(file: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
  };
  return `open ${file}: ${why[e.code ?? ''] ?? e.message}`;
}
