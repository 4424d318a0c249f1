/**
 * Which renderer draws a compose operation's progress, as docker compose's selectEventProcessor
 * chooses: `--progress` (else COMPOSE_PROGRESS, else auto); auto is the terminal view when
 * stderr is a terminal and ANSI is not turned off, plain lines otherwise. Progress goes to
 * stderr, so `up | tee log` keeps the terminal view.
 */
import type { ProgressSink } from '../../../compose/progress';
import { silentSink } from '../../../compose/progress';
import { InvalidArgumentError } from '../../../common/errors';
import { ansiMode, colorOn, type Env } from '../colors';
import { jsonSink } from './json';
import { plainSink } from './plain';
import { ttySink } from './tty';

export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

export interface ProgressChoice {
  /** `--progress` as typed; undefined when absent. */
  progress?: string;
  /** `--ansi` as typed; undefined when absent. */
  ansi?: string;
  env: Env;
  stderrIsTTY: boolean;
}

export function progressMode(c: ProgressChoice): ProgressMode {
  const ansi = ansiMode(c.ansi, c.env);
  const progress = c.progress ?? c.env.COMPOSE_PROGRESS ?? 'auto';
  switch (progress) {
    case '':
    case 'auto':
      return ansi !== 'never' && c.stderrIsTTY ? 'tty' : 'plain';
    case 'tty':
      if (ansi === 'never')
        throw new InvalidArgumentError("can't use --progress tty while ANSI support is disabled");
      return 'tty';
    case 'plain':
      if (ansi === 'always')
        throw new InvalidArgumentError("can't use --progress plain while ANSI support is forced");
      return 'plain';
    case 'quiet':
    case 'none':
      return 'quiet';
    case 'json':
      return 'json';
    default:
      throw new InvalidArgumentError(`unsupported --progress value "${progress}"`);
  }
}

export interface SinkOptions {
  /** The header's verb: `[+] Running 2/3`. */
  title?: string;
  dryRun?: boolean;
  /** Where progress goes: stderr. */
  err?: NodeJS.WriteStream;
  /** What the terminal view holds back while it redraws (stdout), written out after it. */
  out?: NodeJS.WriteStream;
}

/** The sink for a choice; throws InvalidArgumentError for the combinations docker compose refuses. */
export function progressSink(c: ProgressChoice, o: SinkOptions = {}): ProgressSink {
  const err = o.err ?? process.stderr;
  switch (progressMode(c)) {
    case 'quiet':
      return silentSink;
    case 'json':
      return jsonSink(err, o.dryRun);
    case 'plain':
      return plainSink(err, o.dryRun);
    case 'tty':
      return ttySink(err, {
        color: colorOn(ansiMode(c.ansi, c.env), c.env, true),
        title: o.title,
        held: o.out ?? process.stdout,
      });
  }
}

/** The sink the global compose flags (`--progress`, `--ansi`) choose, drawn on this process's stderr. */
export function progressFromFlags(
  flags: { progress?: string; ansi?: string; 'dry-run'?: boolean },
  o: SinkOptions = {},
): ProgressSink {
  return progressSink(
    { progress: flags.progress, ansi: flags.ansi, env: process.env, stderrIsTTY: !!process.stderr.isTTY },
    { title: 'Running', dryRun: flags['dry-run'], ...o },
  );
}
