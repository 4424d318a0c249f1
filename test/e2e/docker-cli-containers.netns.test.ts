/**
 * The official docker CLI's container commands against the engine, in the network namespace
 * the test runner makes for this file (issue 16): what each prints, exits with and leaves
 * behind as against dockerd — run attached, detached, with --rm and -i, the exit codes, create
 * and start -a/-i, attach, the lifecycle verbs and their events, exec twenty times in a row and
 * with its options, a command that cannot start, -it under a terminal (`script`), update of a
 * running container read back in its cgroup, ps and its filters, logs, top with ps options,
 * stats, port, inspect, prune.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cgroupDriver, cgroupParentFor } from '../../src/engine/runtime/cgroups';
import { useCliEngine } from '../helpers/cli-engine';
import type { CliResult } from '../helpers/cli';
import { dockerCli, dockerMissing } from '../helpers/docker-cli';
import { defaultBridgeConfig } from '../helpers/network-config';

const scriptMissing = (): string | false =>
  spawnSync('script', ['--version']).status === 0 ? false : 'script (util-linux) is not installed';

describe('the docker CLI: containers', { skip: dockerMissing() }, () => {
  const engine = useCliEngine('tscompose-dkc-', { TSCOMPOSE_CONFIG: defaultBridgeConfig() });
  const { docker, dockerWith, env } = dockerCli(engine);
  const ok = (...args: string[]): string => {
    const r = docker(...args);
    assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const exits = (r: CliResult, code: number, what: string): void =>
    assert.equal(r.status, code, `${what}: ${r.stdout}${r.stderr}`);
  const json = <T>(text: string): T[] =>
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as T);
  const names = (...filters: string[]): string[] =>
    ok('ps', '-a', ...filters.flatMap((f) => ['--filter', f]), '--format', '{{.Names}}')
      .split('\n')
      .filter(Boolean)
      .sort();
  /** A value of the container's live cgroup: the file in whichever hierarchy has it. */
  const cgroupValue = (id: string, file: string): string => {
    const dirs = cgroupDriver().open(cgroupParentFor(engine.root), id).dirs;
    const dir = dirs.find((d) => fs.existsSync(path.join(d, file)));
    assert.ok(dir, `${file} in the cgroup of ${id}`);
    return fs.readFileSync(path.join(dir, file), 'utf8').trim();
  };

  test('run attached, -d, --rm, -i; create, start -a/-i, attach, wait, logs: output and exit codes', () => {
    const hi = docker('run', '--rm', 'busybox', 'echo', 'hi');
    exits(hi, 0, 'run --rm echo');
    assert.equal(hi.stdout, 'hi\n');
    exits(docker('run', '--name', 'three', 'busybox', 'sh', '-c', 'exit 3'), 3, 'run exit 3');
    assert.equal(ok('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'three').trim(), 'exited 3');
    exits(docker('run', '--rm', 'busybox', 'nosuch-cmd'), 127, 'run of a missing command');
    assert.deepEqual(names('status=exited'), ['three']);
    const id = ok('run', '-d', '--name', 'bg', 'busybox', 'sleep', '300').trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(ok('inspect', '-f', '{{.State.Running}}', 'bg').trim(), 'true');
    const piped = dockerWith({ input: 'from stdin\n' }, 'run', '-i', '--rm', 'busybox', 'cat');
    exits(piped, 0, 'run -i');
    assert.equal(piped.stdout, 'from stdin\n');

    ok('create', '--name', 'split', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 4');
    const started = docker('start', '-a', 'split');
    exits(started, 4, 'start -a');
    assert.equal(started.stdout, 'out\n');
    assert.equal(started.stderr, 'err\n');
    assert.equal(ok('wait', 'split').trim(), '4');
    const logs = docker('logs', 'split');
    assert.equal(logs.stdout, 'out\n');
    assert.equal(logs.stderr, 'err\n');
    ok('create', '-i', '--name', 'cat', 'busybox', 'cat');
    const cat = dockerWith({ input: 'to cat\n' }, 'start', '-a', '-i', 'cat');
    exits(cat, 0, 'start -a -i');
    assert.equal(cat.stdout, 'to cat\n');

    ok('run', '-d', '--name', 'talker', 'busybox', 'sh', '-c', 'sleep 1; echo late; exit 6');
    const attached = docker('attach', 'talker');
    exits(attached, 6, 'attach');
    assert.equal(attached.stdout, 'late\n');
    ok('rm', 'three', 'split', 'cat', 'talker');
    ok('rm', '-f', 'bg');
  });

  test('stop, kill, restart, pause, unpause, rename, rm -f/-v; the events as dockerd names them', () => {
    const since = String(Date.now() / 1000 - 1);
    const lifeId = ok('run', '-d', '--name', 'life', '-v', '/anon', 'busybox', 'sleep', '300').trim();
    ok('pause', 'life');
    assert.equal(ok('inspect', '-f', '{{.State.Status}}', 'life').trim(), 'paused');
    exits(docker('exec', 'life', 'true'), 1, 'exec into a paused container');
    ok('unpause', 'life');
    ok('kill', '-s', 'KILL', 'life');
    assert.equal(ok('wait', 'life').trim(), '137');
    ok('restart', '-t', '1', 'life');
    assert.equal(ok('inspect', '-f', '{{.State.Running}}', 'life').trim(), 'true');
    ok('stop', '-t', '0', 'life');
    assert.equal(ok('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'life').trim(), 'exited 137');
    ok('rename', 'life', 'renamed');
    exits(docker('inspect', 'life'), 1, 'inspect of the old name');
    const volume = ok('inspect', '-f', '{{range .Mounts}}{{.Name}}{{end}}', 'renamed').trim();
    ok('start', 'renamed');
    exits(docker('rm', 'renamed'), 1, 'rm of a running container');
    ok('rm', '-f', '-v', 'renamed');
    exits(docker('volume', 'inspect', volume), 1, 'the anonymous volume went with rm -v');

    // A restart by the policy is a die then a start; `restart` is a user's.
    ok('run', '-d', '--name', 'flaky', '--restart', 'on-failure:1', 'busybox', 'sh', '-c', 'exit 2');
    for (let i = 0; i < 100 && ok('inspect', '-f', '{{.RestartCount}}', 'flaky').trim() !== '1'; i++)
      spawnSync('sleep', ['0.1']);
    assert.equal(ok('wait', 'flaky').trim(), '2');
    const until = String(Date.now() / 1000 + 1);
    const actions = (name: string): string[] =>
      ok(
        'events',
        '--since',
        since,
        '--until',
        until,
        '--filter',
        `container=${name}`,
        '--format',
        '{{.Action}}',
      )
        .split('\n')
        .filter(Boolean);
    assert.deepEqual(actions('flaky'), ['create', 'start', 'die', 'start', 'die']);
    assert.deepEqual(actions(lifeId), [
      'create',
      'start',
      'pause',
      'unpause',
      'kill',
      'die',
      'start',
      'restart',
      'kill',
      'kill',
      'die',
      'stop',
      'rename',
      'start',
      'kill',
      'die',
      'destroy',
    ]);
    ok('rm', 'flaky');
  });

  test('exec: twenty in a row with their exit codes, -i, -u, -w, -e, a command that cannot start', () => {
    ok('run', '-d', '--name', 'ex', 'busybox', 'sleep', '300');
    for (let i = 0; i < 20; i++)
      exits(docker('exec', 'ex', 'sh', '-c', `exit ${(i * 7) % 13}`), (i * 7) % 13, `exec ${i}`);
    const opts = docker(
      'exec',
      '-u',
      'nobody',
      '-w',
      '/tmp',
      '-e',
      'GREETING=hello',
      'ex',
      'sh',
      '-c',
      'id -u; pwd; echo $GREETING',
    );
    exits(opts, 0, 'exec -u -w -e');
    assert.equal(opts.stdout, '65534\n/tmp\nhello\n');
    const piped = dockerWith({ input: 'in\n' }, 'exec', '-i', 'ex', 'cat');
    exits(piped, 0, 'exec -i');
    assert.equal(piped.stdout, 'in\n');
    const missing = docker('exec', 'ex', 'nosuchcmd');
    exits(missing, 126, 'exec of a missing command');
    assert.equal(
      missing.stdout,
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown\r\n',
    );
    const notExecutable = docker('exec', 'ex', '/etc');
    exits(notExecutable, 126, 'exec of a directory');
    assert.match(notExecutable.stdout, /exec: "\/etc": permission denied/);
    exits(docker('exec', 'ex', 'true'), 0, 'exec after the failures');
    ok('rm', '-f', 'ex');
  });

  test('-it under a terminal: run and exec exit codes, the tty inside', { skip: scriptMissing() }, () => {
    const underTty = (command: string): CliResult => {
      const r = spawnSync('script', ['-qec', command, '/dev/null'], {
        encoding: 'utf8',
        env,
        timeout: 30_000,
        killSignal: 'SIGKILL',
        input: '',
      });
      return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
    };
    const run = underTty(`docker run -it --rm busybox sh -c 'tty; exit 5'`);
    exits(run, 5, 'run -it');
    assert.match(run.stdout, /\/dev\/pts\/\d+\r\n/);
    ok('run', '-d', '--name', 'tty', 'busybox', 'sleep', '300');
    const exec = underTty(`docker exec -it tty sh -c 'tty; exit 6'`);
    exits(exec, 6, 'exec -it');
    assert.match(exec.stdout, /\/dev\/pts\/\d+\r\n/);
    ok('rm', '-f', 'tty');
  });

  test('update of a running container: its cgroup, its inspect, its restart policy', () => {
    const id = ok('run', '-d', '--name', 'up', 'busybox', 'sleep', '300').trim();
    ok(
      'update',
      '--cpus',
      '0.5',
      '--memory',
      '64m',
      '--memory-swap',
      '128m',
      '--pids-limit',
      '50',
      '--restart',
      'always',
      'up',
    );
    const v2 = cgroupDriver().mode === 'v2';
    assert.equal(cgroupValue(id, v2 ? 'cpu.max' : 'cpu.cfs_quota_us'), v2 ? '50000 100000' : '50000');
    assert.equal(cgroupValue(id, v2 ? 'memory.max' : 'memory.limit_in_bytes'), String(64 << 20));
    assert.equal(cgroupValue(id, 'pids.max'), '50');
    assert.equal(
      ok(
        'inspect',
        '-f',
        '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}',
        'up',
      ).trim(),
      `500000000 ${64 << 20} 50 always`,
    );
    ok('update', '--pids-limit', '-1', 'up');
    assert.equal(cgroupValue(id, 'pids.max'), 'max');
    const conflict = docker('update', '--cpu-quota', '20000', 'up');
    exits(conflict, 1, 'update of a quota over --cpus');
    assert.match(
      conflict.stderr,
      /Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set/,
    );
    exits(docker('update', 'nosuch', '--cpus', '1'), 1, 'update of a missing container');
    // The policy now applies: killed (not by the user), it comes back.
    const pid = ok('inspect', '-f', '{{.State.Pid}}', 'up').trim();
    process.kill(Number(pid), 'SIGKILL');
    let again = '';
    for (let i = 0; i < 100; i++) {
      again = ok('inspect', '-f', '{{.State.Running}} {{.RestartCount}}', 'up').trim();
      if (again === 'true 1') break;
      spawnSync('sleep', ['0.1']);
    }
    assert.equal(again, 'true 1');
    ok('rm', '-f', 'up');
  });

  test('ps and its filters; --format json; port, top, stats, inspect; prune', () => {
    ok('volume', 'create', 'psvol');
    ok(
      'run',
      '-d',
      '--name',
      'web',
      '-l',
      'tier=front',
      '-v',
      'psvol:/data',
      '-p',
      '8080:80',
      '--expose',
      '9000',
      'busybox',
      'sleep',
      '300',
    );
    ok(
      'run',
      '-d',
      '--name',
      'probe',
      '--health-cmd',
      'true',
      '--health-interval',
      '200ms',
      'busybox',
      'sleep',
      '300',
    );
    exits(docker('run', '--name', 'done', '-l', 'tier=back', 'busybox', 'sh', '-c', 'exit 3'), 3, 'run done');
    ok('create', '--name', 'fresh', 'busybox', 'true');
    for (let i = 0; i < 50 && names('health=healthy').length === 0; i++) spawnSync('sleep', ['0.1']);
    assert.deepEqual(names('health=healthy'), ['probe']);
    assert.deepEqual(names('health=none', 'status=running'), ['web']);
    assert.deepEqual(names('label=tier=front'), ['web']);
    assert.deepEqual(names('label=tier'), ['done', 'web']);
    assert.deepEqual(names('status=exited'), ['done']);
    assert.deepEqual(names('status=created'), ['fresh']);
    assert.deepEqual(names('exited=3'), ['done']);
    assert.deepEqual(names('ancestor=busybox'), ['done', 'fresh', 'probe', 'web']);
    assert.deepEqual(names('volume=psvol'), ['web']);
    assert.deepEqual(names('volume=/data'), ['web']);
    assert.deepEqual(names('network=bridge', 'status=running'), ['probe', 'web']);
    assert.deepEqual(names('publish=80'), ['web']);
    assert.deepEqual(names('expose=9000/tcp'), ['web']);
    assert.deepEqual(names('before=done'), ['probe', 'web']);
    assert.deepEqual(names('since=done'), ['fresh']);
    assert.deepEqual(names('name=we'), ['web']);
    exits(docker('ps', '--filter', 'status=sleepy'), 1, 'a bad status');
    exits(docker('ps', '--filter', 'nosuch=1'), 1, 'a bad filter');
    const running = json<Record<string, string>>(ok('ps', '--format', '{{json .}}'));
    assert.deepEqual(running.map((c) => c.Names).sort(), ['probe', 'web']);
    const web = running.find((c) => c.Names === 'web') as Record<string, string>;
    assert.equal(web.Image, 'busybox');
    assert.equal(web.State, 'running');
    assert.equal(web.Labels, 'tier=front');
    assert.equal(web.Mounts, 'psvol');
    assert.equal(web.Networks, 'bridge');
    assert.match(web.Ports, /0\.0\.0\.0:8080->80\/tcp/);
    assert.match(web.Status, /^Up /);

    assert.equal(ok('port', 'web'), '80/tcp -> 0.0.0.0:8080\n');
    assert.equal(ok('port', 'web', '80'), '0.0.0.0:8080\n');
    const ports = JSON.parse(ok('inspect', '-f', '{{json .NetworkSettings.Ports}}', 'web')) as Record<
      string,
      unknown
    >;
    assert.deepEqual(ports['80/tcp'], [{ HostIp: '0.0.0.0', HostPort: '8080' }]);
    const top = ok('top', 'web', '-o', 'pid,comm').split('\n').filter(Boolean);
    assert.match(top[0], /^PID\s+COMMAND$/);
    assert.match(top[1], /^\d+\s+sleep$/);
    assert.match(ok('top', 'web').split('\n')[0], /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    const [stats] = json<Record<string, string>>(ok('stats', '--no-stream', '--format', '{{json .}}', 'web'));
    assert.equal(stats.Name, 'web');
    assert.equal(stats.PIDs, '1');
    ok('exec', 'web', 'dd', 'if=/dev/zero', 'of=/written', 'bs=1k', 'count=100');
    const [rw, rootFs] = ok('inspect', '--size', '-f', '{{.SizeRw}} {{.SizeRootFs}}', 'web')
      .trim()
      .split(' ')
      .map(Number);
    assert.equal(rw, 102_400);
    assert.ok(rootFs > rw, `${rootFs} > ${rw}`);
    assert.match(
      ok('ps', '-s', '--filter', 'name=^web$', '--format', '{{.Size}}'),
      /^102kB \(virtual [\d.]+MB\)\n$/,
    );
    const inspect = JSON.parse(ok('inspect', 'web')) as [Record<string, Record<string, unknown>>];
    assert.equal(inspect[0].Config.Image, 'busybox');
    assert.deepEqual(inspect[0].Config.Labels, { tier: 'front' });
    assert.equal(inspect[0].State.Status, 'running');

    const pruned = ok('container', 'prune', '-f', '--filter', 'label=tier=back');
    assert.match(pruned, /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: /);
    assert.deepEqual(names(), ['fresh', 'probe', 'web']);
    ok('container', 'prune', '-f');
    assert.deepEqual(names(), ['probe', 'web']);
    ok('rm', '-f', 'web', 'probe');
    ok('volume', 'rm', 'psvol');
  });
});
