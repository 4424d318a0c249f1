/**
 * `engine status` and `engine stop` once their flags are read, and the refusal `engine install`
 * ends with where systemd does not run.
 */
import { TscomposeError } from '../../common/errors';
import { engineStatus, stopEngine } from '../../engine-api/connect';

/** The status lines, or its JSON; `running` decides the exit code. */
export async function engineStatusReport(
  format: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ running: boolean; text: string }> {
  const s = await engineStatus(env);
  if (format === 'json') return { running: s.running, text: `${JSON.stringify(s)}\n` };
  if (!s.running) return { running: false, text: `engine: not running (unix://${s.socket})\n` };
  const lines = [
    'engine: running',
    `pid: ${s.pid ?? 'unknown'}${s.autoStarted ? ' (started on demand)' : ''}`,
    `version: ${s.version?.Version} (API ${s.version?.ApiVersion}, build ${s.version?.BuildId})`,
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
