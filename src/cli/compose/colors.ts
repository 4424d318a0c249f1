/**
 * When compose output may carry ANSI codes, and which: docker compose's `--ansi`/`COMPOSE_ANSI`
 * (the flag wins), `NO_COLOR` (https://no-color.org: any non-empty value turns colour off) and
 * whether the stream is a terminal; and its colours (`cmd/formatter/colors.go`).
 */
import { InvalidArgumentError } from '../../common/errors';

export type AnsiMode = 'never' | 'always' | 'auto';

export type Env = Record<string, string | undefined>;

export function ansiMode(flag: string | undefined, env: Env): AnsiMode {
  const value = flag ?? env.COMPOSE_ANSI ?? 'auto';
  if (value === 'never' || value === 'always' || value === 'auto') return value;
  throw new InvalidArgumentError(`unsupported --ansi value "${value}" (never, always or auto)`);
}

/** Whether text written to a stream gets colours: `--ansi`, then NO_COLOR, then the terminal. */
export function colorOn(ansi: AnsiMode, env: Env, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  return ansi === 'always' || (ansi === 'auto' && isTTY);
}

export type Paint = (s: string) => string;

export const plainPaint: Paint = (s) => s;

export function paint(code: string): Paint {
  return (s) => `\x1b[${code}m${s}\x1b[0m`;
}

/**
 * The order docker compose hands colours to log prefixes (its `rainbow`): the six basic ones
 * it uses, then their bright (bold) forms.
 */
export const LOG_PALETTE: readonly string[] = [
  '36',
  '33',
  '32',
  '35',
  '34',
  '36;1',
  '33;1',
  '32;1',
  '35;1',
  '34;1',
];
