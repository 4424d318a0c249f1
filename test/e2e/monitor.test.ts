/**
 * pause/unpause, stats, events, log drivers and engine install through the real CLI and the
 * daemon it starts on demand: what a user types and what docker would print.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pause, stats, events, log drivers and engine install through the CLI', () => {
  const e = useCliEngine('tscompose-e2e-monitor-');
  const { cli } = e;
  /** `container run -d ARGS`: the new container's id. */
  const runDetached = (...args: string[]): string => {
    const r = cli('container', 'run', '-d', ...args);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  const logLines = (name: string): number =>
    cli('container', 'logs', name).stdout.split('\n').filter(Boolean).length;

  test('pause stops the output, ls says Paused, unpause resumes; docker’s refusals', async () => {
    const since = Date.now() / 1000;
    const id = runDetached(
      '--name',
      'counter',
      'busybox',
      'sh',
      '-c',
      'while :; do echo tick; sleep 0.05; done',
    );
    await sleep(300);
    assert.deepEqual(cli('container', 'pause', 'counter'), { status: 0, stdout: 'counter\n', stderr: '' });
    assert.match(cli('container', 'ls').stdout, /Up .* \(Paused\)\s+counter\n/);
    await sleep(300);
    const frozen = logLines('counter');
    await sleep(600);
    assert.equal(logLines('counter'), frozen, 'nothing written while paused');
    const again = cli('container', 'pause', 'counter');
    assert.equal(again.status, 1);
    assert.equal(again.stderr, `Error response from daemon: Container ${id} is already paused\n`);

    assert.equal(cli('container', 'unpause', 'counter').status, 0);
    await sleep(500);
    const resumed = logLines('counter');
    assert.ok(resumed > frozen + 3, `ticking again: ${frozen} then ${resumed}`);
    const notPaused = cli('container', 'unpause', 'counter', 'nosuch');
    assert.equal(notPaused.status, 1);
    assert.deepEqual(notPaused.stderr.split('\n'), [
      `Error response from daemon: Container ${id} is not paused`,
      'Error response from daemon: No such container: nosuch',
      '',
    ]);

    const stats = cli('container', 'stats', '--no-stream', '--format', 'json', 'counter');
    assert.equal(stats.status, 0, stats.stderr);
    const s = JSON.parse(stats.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(s), [
      'BlockIO',
      'CPUPerc',
      'Container',
      'ID',
      'MemPerc',
      'MemUsage',
      'Name',
      'NetIO',
      'PIDs',
    ]);
    assert.equal(s.Name, 'counter');
    assert.equal(s.ID, id.slice(0, 12));
    assert.match(s.CPUPerc, /^\d+\.\d\d%$/);
    assert.match(s.MemUsage, /^[\d.]+[KMG]?i?B \/ [\d.]+[KMG]iB$/);
    assert.equal(s.NetIO, '0B / 0B');
    assert.ok(Number(s.PIDs) >= 1);
    const table = cli('container', 'stats', '--no-stream');
    assert.match(
      table.stdout.split('\n')[0],
      /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/,
    );
    assert.match(table.stdout, new RegExp(`^${id.slice(0, 12)}\\s+counter\\s+\\d+\\.\\d\\d%`, 'm'));
    assert.equal(
      cli('container', 'stats', '--no-stream', 'nosuch').stderr,
      'Error response from daemon: No such container: nosuch\n',
    );
    // streaming: a table a second until interrupted
    const streamed = e.cliWith(
      { timeout: 2500, killSignal: 'SIGINT' },
      'container',
      'stats',
      '--format',
      '{{.Name}}',
      'counter',
    );
    assert.ok(streamed.stdout.split('\n').filter((l) => l === 'counter').length >= 2, streamed.stdout);

    assert.equal(cli('container', 'rm', '-f', 'counter').status, 0);
    const events = cli(
      'system',
      'events',
      '--since',
      String(since),
      '--until',
      String(Date.now() / 1000 + 0.05),
      '--filter',
      'container=counter',
    );
    assert.equal(events.status, 0, events.stderr);
    const lines = events.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' ')[2]),
      ['create', 'start', 'pause', 'unpause', 'kill', 'die', 'destroy'],
    );
    assert.match(
      lines[0],
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}(Z|[+-]\\d\\d:\\d\\d) container create ${id} \\(image=busybox, name=counter\\)$`,
      ),
    );
    const json = cli(
      'system',
      'events',
      '--since',
      String(since),
      '--until',
      String(Date.now() / 1000),
      '--filter',
      'event=die',
      '--format',
      'json',
    );
    const die = JSON.parse(json.stdout.trim().split('\n').at(-1) as string);
    assert.equal(die.Action, 'die');
    assert.equal(die.Actor.Attributes.exitCode, '137');
    assert.equal(
      cli('system', 'events', '--filter', 'colour=red', '--until', '0s').stderr,
      "Error response from daemon: invalid filter 'colour'\n",
    );
  });

  test('log rotation through --log-opt, logs --tail; none; options refused at create', () => {
    const id = runDetached(
      '--name',
      'rot',
      '--log-opt',
      'max-size=1k',
      '--log-opt',
      'max-file=3',
      'busybox',
      'sh',
      '-c',
      'seq 1 400',
    );
    assert.equal(cli('container', 'wait', 'rot').stdout, '0\n');
    const files = fs.readdirSync(path.join(e.root, 'containers', id)).filter((n) => n.includes('-json.log'));
    assert.equal(files.length, 3, files.join(' '));
    assert.equal(cli('container', 'logs', '--tail', '3', 'rot').stdout, '398\n399\n400\n');
    const inspect = JSON.parse(cli('container', 'inspect', 'rot').stdout)[0];
    assert.deepEqual(inspect.HostConfig.LogConfig, {
      Type: 'json-file',
      Config: { 'max-size': '1k', 'max-file': '3' },
    });

    assert.equal(
      cli('container', 'run', '-d', '--name', 'quiet', '--log-driver', 'none', 'busybox', 'echo', 'hi')
        .status,
      0,
    );
    // no log to follow: a foreground run shows the output through an attach, as docker's does
    const shown = cli(
      'container',
      'run',
      '--rm',
      '--log-driver',
      'none',
      'busybox',
      'sh',
      '-c',
      'echo hi; exit 3',
    );
    assert.deepEqual([shown.status, shown.stdout], [3, 'hi\n']);
    const logs = cli('container', 'logs', 'quiet');
    assert.equal(logs.status, 1);
    assert.equal(
      logs.stderr,
      'Error response from daemon: configured logging driver does not support reading\n',
    );

    const refused: [string[], string][] = [
      [
        ['--log-opt', 'bogus=1'],
        "Error response from daemon: unknown log opt 'bogus' for json-file log driver\n",
      ],
      [
        ['--log-driver', 'syslog'],
        "Error response from daemon: logger: no log driver named 'syslog' is registered\n",
      ],
      [['--log-driver', 'none', '--log-opt', 'max-size=1k'], 'invalid logging opts for driver none\n'],
    ];
    for (const [flags, message] of refused) {
      const r = cli('container', 'create', ...flags, 'busybox');
      assert.deepEqual([r.status, r.stderr], [125, message], flags.join(' '));
    }
    assert.equal(e.ids().length, 2);
    for (const name of ['rot', 'quiet']) assert.equal(cli('container', 'rm', '-f', name).status, 0);
  });

  test('engine install: --dry-run prints the unit; without systemd it writes it and says so', () => {
    const dry = cli('engine', 'install', '--dry-run');
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^ExecStart=\S+node\S* \S+\/bin\/run\.js engine run$/m);
    assert.match(dry.stdout, /^KillMode=process$/m);
    assert.ok(dry.stdout.includes(`Environment="TSCOMPOSE_ROOT=${e.root}"`));
    assert.ok(dry.stdout.includes(`Environment="TSCOMPOSE_RUNROOT=${path.join(e.dir, 'run')}"`));

    const unitDir = path.join(e.dir, 'units');
    const r = cli('engine', 'install', '--unit-dir', unitDir);
    assert.equal(fs.readFileSync(path.join(unitDir, 'tscompose.service'), 'utf8'), dry.stdout);
    if (fs.existsSync('/run/systemd/system')) return; // a machine with systemd would enable it for real
    assert.equal(r.status, 1);
    assert.equal(r.stdout, `wrote ${path.join(unitDir, 'tscompose.service')}\n`);
    assert.match(r.stderr, /^systemd is not running on this machine/);
  });
});
