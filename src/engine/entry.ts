/**
 * The engine's processes as the CLI starts them on demand (`node entry.js engine run
 * [--child] [--auto-started]`): the reaper, then the daemon under it, without the command
 * framework, whose loading cost each of them about as long again as the engine's own start.
 * `tscompose engine run` by hand goes through the command and ends up in the same two functions.
 * The argv keeps `engine run`, which is how the CLI tells an engine process from a recycled pid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TscomposeError } from '../common/errors';

function version(): string {
  const pkg = path.resolve(__dirname, '..', '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string }).version ?? '0.0.0';
}

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.slice(2));
  const known = new Set(['--child', '--auto-started']);
  if (argv[0] !== 'engine' || argv[1] !== 'run' || [...flags].some((f) => !known.has(f)))
    throw new Error(`usage: ${path.basename(__filename)} engine run [--child] [--auto-started]`);
  const autoStarted = flags.has('--auto-started');
  if (!flags.has('--child')) {
    const { runReaper } = require('./reaper') as typeof import('./reaper');
    const args = [process.execPath, __filename, 'engine', 'run', '--child'];
    if (autoStarted) args.push('--auto-started');
    return runReaper({ daemonArgs: args });
  }
  const { runDaemon } = require('./daemon') as typeof import('./daemon');
  await runDaemon({ version: version(), autoStarted });
  return 0;
}

// Whatever the engine left behind (timers, watchers) must not keep a stopped engine alive.
// An error is one line on stderr (the engine log), as the CLI prints it.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error)?.message?.split('\n')[0] ?? String(err)}\n`);
    process.exit(err instanceof TscomposeError ? err.exitCode : 1);
  },
);
