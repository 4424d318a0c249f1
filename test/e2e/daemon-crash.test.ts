/**
 * The daemon SIGKILLed while containers run and write logs: they keep running, the daemon that
 * the reaper starts again re-adopts them with their logs contiguous, learns the exit code of a
 * container that ended during the outage, and still applies restart policies. The outage is
 * lengthened (TSCOMPOSE_DAEMON_RESTART_DELAY_MS) so that exits happen while no daemon runs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';

const OUTAGE_MS = 3000;

describe('surviving a daemon crash', () => {
  const { runRoot, cli } = useCliEngine('tscompose-crash-', {
    TSCOMPOSE_DAEMON_RESTART_DELAY_MS: String(OUTAGE_MS),
  });
  const daemonPid = (): number =>
    Number(JSON.parse(fs.readFileSync(path.join(runRoot, 'engine.json'), 'utf8')).pid);
  const inspect = (name: string, format: string): string =>
    cli('container', 'inspect', '--format', format, name).stdout.trim();

  test('containers outlive the daemon and are re-adopted', async () => {
    const run = (...args: string[]): void => {
      const r = cli('container', 'run', '-d', ...args);
      assert.equal(r.status, 0, r.stderr);
    };
    run(
      '--name',
      'logger',
      'busybox',
      'sh',
      '-c',
      'i=0; while :; do i=$((i+1)); echo line $i; sleep 0.1; done',
    );
    run('--name', 'quitter', 'busybox', 'sh', '-c', 'sleep 1; exit 7');
    run('--name', 'flaky', '--restart', 'on-failure:1', 'busybox', 'sh', '-c', 'sleep 1; exit 3');
    const first = daemonPid();
    process.kill(first, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(fs.existsSync(path.join(runRoot, 'engine.sock')), 'the dead daemon left its socket behind');
    // quitter and flaky have ended by now, with no daemon to see it
    const t0 = Date.now();
    while (cli('engine', 'status').status !== 0 || daemonPid() === first) {
      assert.ok(Date.now() - t0 < 20_000, 'no daemon came back');
      await new Promise((r) => setTimeout(r, 200));
    }

    assert.equal(inspect('logger', '{{.State.Status}}'), 'running');
    assert.equal(inspect('quitter', '{{.State.ExitCode}}'), '7');
    assert.equal(inspect('quitter', '{{.State.Status}}'), 'exited');
    // flaky's exit (3) was learnt after the outage and its on-failure policy restarted it once
    const t1 = Date.now();
    while (
      inspect('flaky', '{{.RestartCount}}') !== '1' ||
      inspect('flaky', '{{.State.Status}}') !== 'exited'
    ) {
      assert.ok(Date.now() - t1 < 20_000, `flaky: ${inspect('flaky', '{{json .State}}')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(inspect('flaky', '{{.State.ExitCode}}'), '3');

    await new Promise((r) => setTimeout(r, 500));
    const lines = cli('container', 'logs', 'logger').stdout.trim().split('\n');
    const numbers = lines.map((l) => Number(l.split(' ')[1]));
    assert.ok(numbers.length > 30, `${numbers.length} lines`);
    numbers.forEach((n, i) => assert.equal(n, i + 1, `line ${i + 1} is ${lines[i]}`));
  });
});
