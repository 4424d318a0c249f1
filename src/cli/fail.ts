import { TscomposeError } from '../common/errors';

/** Last stop for any error: one line on stderr, nothing on stdout, a nonzero exit. */
export function fail(err: unknown): never {
  const e = err as { oclif?: { exit?: number }; message?: string; code?: string };
  if (err instanceof TscomposeError) {
    process.stderr.write(`${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
    process.exit(err.exitCode);
  }
  if (e && e.oclif && typeof e.oclif.exit === 'number') {
    if (e.code !== 'EEXIT' && e.message) process.stderr.write(`${e.message}\n`);
    process.exit(e.oclif.exit);
  }
  const message = e && e.message ? e.message : String(err);
  process.stderr.write(`${message.split('\n')[0]}\n`);
  if (process.env.TSCOMPOSE_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  process.exit(1);
}
