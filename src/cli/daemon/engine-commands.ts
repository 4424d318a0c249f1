/**
 * `engine status` and `engine stop` once their flags are read, and the refusal `engine install`
 * ends with where systemd does not run.
 */
import { TscomposeError } from '../../common/errors';
import { engineFiles, engineStatus, stopEngine } from '../../engine-api/connect';
import { enginePaths } from '../../engine-api/paths';

/**
 * Where the engine's output goes: the CLI that starts it on demand sends it to engine.log;
 * an engine started by hand or by systemd writes to its own stdout and stderr.
 */
function logOf(autoStarted: boolean | undefined, env: NodeJS.ProcessEnv): string {
  return autoStarted
    ? engineFiles(enginePaths(env)).log
    : 'the output of `engine run` (under systemd: journalctl -u tscompose.service)';
}

/** The status lines, or its JSON; `running` decides the exit code. */
export async function engineStatusReport(
  format: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ running: boolean; text: string }> {
  const s = await engineStatus(env);
  const log = s.running ? logOf(s.autoStarted, env) : engineFiles(enginePaths(env)).log;
  if (format === 'json') return { running: s.running, text: `${JSON.stringify({ ...s, log })}\n` };
  if (!s.running) return { running: false, text: `engine: not running (unix://${s.socket})\n` };
  const lines = [
    'engine: running',
    `pid: ${s.pid ?? 'unknown'}${s.autoStarted ? ' (started on demand)' : ''}`,
    `version: ${s.version?.Version} (API ${s.version?.ApiVersion}, build ${s.version?.BuildId})`,
    `log: ${log}`,
    `socket: unix://${s.socket}`,
  ];
  return { running: true, text: lines.map((l) => `${l}\n`).join('') };
}

export async function stopEngineReport(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const stopped = await stopEngine(env);
  return stopped ? `engine stopped (pid ${stopped.pid})` : 'engine is not running';
}

export function systemdMissing(): TscomposeError {
  return new TscomposeError(
    'systemd is not running on this machine (no /run/systemd/system): the unit is written but not enabled',
    { code: 'NO_SYSTEMD', hint: 'start the engine another way: tscompose engine run' },
  );
}
