/**
 * `run` once its flags are read (docker compose's `cmd/compose/run.go`): the project loaded with
 * the service's profiles active, its dependencies brought up under the project's lock (progress
 * on stderr), then the one-off created and run as the engine-level `run` runs a container —
 * attached with stdin passed on (a terminal unless -T or ours is none), or with -d started and
 * its id printed. The exit code is the one-off's.
 */
import { authHeaderFor } from '../registry/registry-auth';
import type { UpIo } from '../../compose/up';
import { openEngine } from '../engine-client';
import { requireOperands } from '../flags/usage';
import { progressSink } from './progress/choose';
import { withProjectLock } from './project-lock';
import { checkRunFlags, runOptions, type ComposeRunFlags } from './run-options';
import { checkServices } from './services';
import { proxySignals } from './signal-proxy';
import { loadProjectFromFlags } from './project-from-flags';
import { parallelLimit, withTargetedProfiles } from './up';

export async function runComposeRun(flags: ComposeRunFlags, operands: string[]): Promise<number> {
  requireOperands('run', operands, 1);
  checkRunFlags(flags);
  const service = operands[0];
  const loaded = loadProjectFromFlags(flags);
  checkServices(loaded, [service]);
  const project = withTargetedProfiles(loaded, flags, [service]);
  const options = runOptions(flags, project, operands);
  const { prepareRun } = require('../../compose/run') as typeof import('../../compose/run');
  const engine = await openEngine(flags);
  const progress = progressSink(
    {
      progress: flags['quiet-pull'] ? 'quiet' : flags.progress,
      ansi: flags.ansi,
      env: process.env,
      stderrIsTTY: !!process.stderr.isTTY,
    },
    { title: 'Running', dryRun: flags['dry-run'] },
  );
  const io: UpIo = {
    progress,
    print: (text) => void process.stderr.write(text),
    warn: (message) => void process.stderr.write(`WARN[0000] ${message}\n`),
    parallelLimit: parallelLimit(flags.parallel),
    registryAuth: (image) => authHeaderFor(image),
  };
  let req;
  try {
    req = await withProjectLock(project.name, () => prepareRun(engine, project, options, io));
  } finally {
    await progress.done();
  }
  if (flags.detach) {
    const { runDetached } = require('../container/run') as typeof import('../container/run');
    const id = await runDetached(engine, req);
    if (!flags.quiet) process.stdout.write(`${id}\n`);
    return 0;
  }
  const { runInteractive } =
    require('../container/run-interactive') as typeof import('../container/run-interactive');
  // As docker compose's run: every signal that would end us goes to the one-off instead.
  let stopProxy = (): void => undefined;
  try {
    return await runInteractive(engine, req, { created: (id) => (stopProxy = proxySignals(engine, id)) });
  } finally {
    stopProxy();
  }
}
