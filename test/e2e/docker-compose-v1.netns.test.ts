/**
 * Debian's docker-compose 1.29 (python, docker-py 5) as a second real client of the Engine API,
 * pointed at this file's engine with DOCKER_HOST, in this file's own network namespace: a web
 * server with a healthcheck, a named volume and a published port, and a client that reaches it
 * by its service name (and a link's alias) on a project network with its own subnet. `up -d`,
 * `ps`, `port`, `top`, `logs`, `exec`, `run`, a re-up that changes nothing, a changed service
 * recreated (its volume kept), `events`, an attached `up --exit-code-from`, then `down` and
 * `down -v` leaving nothing behind.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';
import { httpGet } from '../helpers/http-get';

const COMPOSE = 'docker-compose';

function composeMissing(): string | false {
  return spawnSync(COMPOSE, ['version'], { encoding: 'utf8' }).status === 0
    ? false
    : `${COMPOSE} is not installed (apt-get install docker-compose)`;
}

/** `$$` is compose's escape for a `$` the container's shell expands. */
const STACK = `
version: "3.8"
services:
  web:
    image: busybox:latest
    init: true
    command: ["sh", "-c", "echo hello$$MSG > /www/index.html && exec httpd -f -p 8080 -h /www"]
    environment: ["MSG=\${MSG:-}"]
    ports: ["127.0.0.1:18080:8080"]
    volumes: [www:/www]
    networks: [appnet]
    healthcheck:
      test: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1"]
      interval: 1s
      timeout: 2s
      retries: 20
  client:
    image: busybox:latest
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do wget -q -O - http://web:8080/; sleep 1; done"]
    links: ["web:webhost"]
    networks:
      appnet:
        aliases: [fetcher]
    depends_on:
      web: { condition: service_healthy }
networks:
  appnet:
    ipam:
      config: [{ subnet: 10.231.7.0/24 }]
volumes:
  www: {}
`;

const ONCE = `
version: "3.8"
services:
  once:
    image: busybox:latest
    command: ["sh", "-c", "echo attached-out; echo attached-err >&2; exit 3"]
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

describe('docker-compose 1.29 against the engine', { skip: composeMissing() }, () => {
  const e = useCliEngine('tscompose-dc1-');
  const project = path.join(e.dir, 'proj');
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(path.join(project, 'docker-compose.yml'), STACK);
  fs.writeFileSync(path.join(project, 'once.yml'), ONCE);
  const env = (more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    DOCKER_HOST: `unix://${e.runRoot}/engine.sock`,
    ...more,
  });
  const composeWith = (more: NodeJS.ProcessEnv, ...args: string[]): Run => {
    const r = spawnSync(COMPOSE, ['-p', 'dc1', ...args], {
      cwd: project,
      env: env(more),
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  /** What a failed call printed, and the end of the engine's log (a reset connection is told there). */
  const failed = (r: Run): string => {
    let log = '';
    try {
      log = fs.readFileSync(path.join(e.runRoot, 'engine.log'), 'utf8').slice(-2000);
    } catch {
      // no log yet
    }
    return `${r.stderr}\n--- engine.log:\n${log}`;
  };
  const ok = (...args: string[]): Run => {
    const r = composeWith({}, ...args);
    assert.equal(r.status, 0, `docker-compose ${args.join(' ')}: ${failed(r)}`);
    return r;
  };
  const tsc = (...args: string[]): string => {
    const r = e.cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const lines = (text: string): string[] => text.split('\n').filter(Boolean).sort();
  /** Polls `check` every 250 ms until it holds or `ms` pass, then asserts it once more. */
  const eventually = async (ms: number, what: () => string, check: () => boolean): Promise<void> => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) if (check()) return;
    assert.ok(check(), what());
  };

  test('up -d, ps, the published port, DNS by service name, a no-op re-up, a recreate, down, down -v', async () => {
    const up = ok('up', '-d');
    assert.match(up.stderr, /Creating network "dc1_appnet" with the default driver/);
    assert.match(up.stderr, /Creating volume "dc1_www" with default driver/);
    assert.match(up.stderr, /Creating dc1_web_1 \.\.\. done/);
    assert.match(up.stderr, /Creating dc1_client_1 \.\.\. done/);

    // The client started only once web was healthy.
    const ps = ok('ps').stdout;
    assert.match(ps, /^dc1_web_1 .* Up \(healthy\) +127\.0\.0\.1:18080->8080\/tcp/m);
    assert.match(ps, /^dc1_client_1 .* Up /m);
    const ids = lines(ok('ps', '-q').stdout);
    assert.deepEqual(ids, lines(tsc('container', 'ls', '-q', '--no-trunc')));

    assert.equal(ok('port', 'web', '8080').stdout, '127.0.0.1:18080\n');
    assert.match(ok('top', 'web').stdout, /httpd -f -p 8080 -h \/www/);
    assert.match(await httpGet(18080), /200 OK[\s\S]*\r\n\r\nhello\n$/);
    // By the service name (the engine's DNS on the project network), and by an alias.
    assert.equal(ok('exec', '-T', 'client', 'wget', '-q', '-O', '-', 'http://web:8080/').stdout, 'hello\n');
    assert.match(ok('exec', '-T', 'web', 'nslookup', 'fetcher').stdout, /Address: 10\.231\.7\.\d+/);
    // A link's alias, for the linking container alone.
    assert.equal(
      ok('exec', '-T', 'client', 'wget', '-q', '-O', '-', 'http://webhost:8080/').stdout,
      'hello\n',
    );
    assert.doesNotMatch(composeWith({}, 'exec', '-T', 'web', 'nslookup', 'webhost').stdout, /Address: 10\./);
    // docker-py's own exec (dockerpty reads the exec's ProcessConfig.tty). Output written before
    // the client has read the 101 answer is still lost to docker-py's buffered reader: hence the pause.
    const pty = composeWith(
      { COMPOSE_INTERACTIVE_NO_CLI: '1' },
      'exec',
      '-T',
      'web',
      'sh',
      '-c',
      'sleep 1; echo late',
    );
    assert.equal(pty.status, 0, failed(pty));
    assert.equal(pty.stdout, 'late\n');
    await eventually(
      10_000,
      () => 'the client logs what it fetched from web',
      () => /^client_1 +\| hello$/m.test(ok('logs', '--no-color', 'client').stdout),
    );

    // Compose's labels on what it made.
    const volume = JSON.parse(tsc('volume', 'inspect', '--format', '{{json .Labels}}', 'dc1_www')) as unknown;
    assert.deepEqual(volume, {
      'com.docker.compose.project': 'dc1',
      'com.docker.compose.version': '1.29.2',
      'com.docker.compose.volume': 'www',
    });
    const net = tsc('network', 'inspect', '--format', '{{json .Labels}} {{json .IPAM.Config}}', 'dc1_appnet');
    assert.match(net, /"com\.docker\.compose\.network":"appnet"/);
    assert.match(net, /"Subnet":"10\.231\.7\.0\/24"/);

    // A one-off container: attached, its exit code, removed after. Through docker-py's own
    // attach (COMPOSE_INTERACTIVE_NO_CLI; compose runs `docker start -a` otherwise), which
    // attaches only once the container has started (dockerpty's lazy map of sockets, as against
    // dockerd), so the output comes after a pause.
    const run = composeWith(
      { COMPOSE_INTERACTIVE_NO_CLI: '1' },
      'run',
      '--rm',
      '-T',
      'client',
      'sh',
      '-c',
      'sleep 1; wget -q -O - http://web:8080/; exit 5',
    );
    assert.equal(run.status, 5, failed(run));
    assert.match(run.stdout, /^hello$/m);
    assert.deepEqual(lines(tsc('container', 'ls', '-a', '-q', '--no-trunc')), ids);

    // Nothing changed: nothing is touched.
    const again = ok('up', '-d');
    assert.match(again.stderr, /dc1_web_1 is up-to-date/);
    assert.match(again.stderr, /dc1_client_1 is up-to-date/);
    assert.deepEqual(lines(ok('ps', '-q').stdout), ids);

    // A changed environment recreates web alone, on the same volume (compose reads the image's
    // ContainerConfig for that), and `events` sees it.
    ok('exec', '-T', 'web', 'sh', '-c', 'echo kept > /www/kept.txt');
    const events = spawn(COMPOSE, ['-p', 'dc1', 'events', '--json'], { cwd: project, env: env() });
    let seen = '';
    events.stdout.setEncoding('utf8').on('data', (d: string) => (seen += d));
    try {
      await sleep(1_000);
      const changed = composeWith({ MSG: '2' }, 'up', '-d');
      assert.equal(changed.status, 0, failed(changed));
      assert.match(changed.stderr, /Recreating dc1_web_1 \.\.\. done/);
      assert.match(changed.stderr, /dc1_client_1 is up-to-date/);
      await eventually(
        5_000,
        () => `events of the recreate, got: ${seen}`,
        () => /"action": "start"[^\n]*"name": "dc1_web_1"/.test(seen),
      );
    } finally {
      events.kill('SIGKILL');
    }
    assert.match(seen, /"action": "create"[^\n]*"service": "web"/);
    const after = lines(ok('ps', '-q').stdout);
    assert.equal(after.length, 2);
    assert.notDeepEqual(after, ids);
    assert.match(await httpGet(18080), /\r\n\r\nhello2\n$/);
    assert.equal(
      ok('exec', '-T', 'client', 'wget', '-q', '-O', '-', 'http://web:8080/kept.txt').stdout,
      'kept\n',
    );

    // down: containers and network gone, the volume kept; down -v: the volume too.
    const down = ok('down', '-t', '1');
    assert.match(down.stderr, /Removing network dc1_appnet/);
    assert.deepEqual(lines(tsc('container', 'ls', '-a', '-q')), []);
    assert.doesNotMatch(tsc('network', 'ls', '--format', '{{.Name}}'), /dc1_appnet/);
    assert.deepEqual(lines(tsc('volume', 'ls', '-q')), ['dc1_www']);
    const downV = ok('down', '-v');
    assert.match(downV.stderr, /Removing volume dc1_www/);
    assert.deepEqual(lines(tsc('volume', 'ls', '-q')), []);
    await assert.rejects(httpGet(18080), /ECONNREFUSED/);
  });

  test('an attached up streams both outputs and exits with the code of --exit-code-from', () => {
    const up = composeWith({}, '-f', 'once.yml', 'up', '--no-color', '--exit-code-from', 'once');
    assert.equal(up.status, 3, failed(up));
    assert.match(up.stdout, /^once_1 +\| attached-out$/m);
    assert.match(up.stdout, /^once_1 +\| attached-err$/m);
    assert.match(up.stdout, /dc1_once_1 exited with code 3/);
    assert.match(ok('-f', 'once.yml', 'ps', '-a').stdout, /dc1_once_1 .* Exit 3/);
    ok('-f', 'once.yml', 'down');
    assert.equal(ok('-f', 'once.yml', 'ps', '-a', '-q').stdout, '');
  });
});
