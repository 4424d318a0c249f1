/**
 * `engine install`: the engine as a systemd service, started at boot. KillMode=process, as
 * docker.service has it: stopping or restarting the service signals the engine alone, so the
 * containers (their inits are the engine's children) are stopped by the engine itself, or
 * survive a crash and are adopted by the next one. The engine brings back `always` and
 * `unless-stopped` containers when it starts.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TscomposeError } from '../common/errors';

export const UNIT_NAME = 'tscompose.service';
/** The settings the engine reads from its environment, carried into the unit when set. */
const ENGINE_ENV = ['TSCOMPOSE_ROOT', 'TSCOMPOSE_RUNROOT', 'TSCOMPOSE_HOST', 'TSCOMPOSE_CONFIG'];

export interface UnitOptions {
  /** The node binary and the CLI's entry script (bin/run.js). */
  node: string;
  script: string;
  env: NodeJS.ProcessEnv;
}

/** A word of ExecStart=: quoted when it must be; `%` is a specifier and `$` a variable to systemd. */
function execWord(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (!/[\s"'\\;]/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function environmentLine(key: string, value: string): string {
  return `Environment="${`${key}=${value}`.replace(/%/g, '%%').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function systemdUnit(o: UnitOptions): string {
  const env = ENGINE_ENV.flatMap((k) => (o.env[k] ? [environmentLine(k, o.env[k] as string)] : []));
  return [
    '[Unit]',
    'Description=tscompose container engine',
    'After=network-online.target local-fs.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    ...env,
    `ExecStart=${[o.node, o.script, 'engine', 'run'].map(execWord).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=2',
    'KillMode=process',
    // The engine stops its containers on SIGTERM, each with its own grace period.
    'TimeoutStopSec=120',
    'LimitNOFILE=infinity',
    'TasksMax=infinity',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** PID 1 is systemd: what systemd itself checks (sd_booted). */
export function systemdRunning(): boolean {
  return fs.existsSync('/run/systemd/system');
}

export function writeUnit(unitDir: string, text: string): string {
  fs.mkdirSync(unitDir, { recursive: true });
  const file = path.join(unitDir, UNIT_NAME);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  fs.renameSync(tmp, file);
  return file;
}

/** systemctl daemon-reload, then enable --now; its own message when it fails. */
export function enableUnit(): void {
  for (const args of [['daemon-reload'], ['enable', '--now', UNIT_NAME]]) {
    const r = spawnSync('systemctl', args, { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      const why = r.error?.message ?? (r.stderr.trim() || `exit code ${r.status}`);
      throw new TscomposeError(`systemctl ${args.join(' ')} failed: ${why}`, { code: 'SYSTEMD' });
    }
  }
}
