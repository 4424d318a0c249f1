/**
 * A reboot, simulated (test/helpers/reboot.ts): a project is up with `restart: always` and
 * `unless-stopped` services on a network of its own with a published port; then every process
 * of the engine dies at once, its mounts, cgroups, bridges, veths, nftables table and run root
 * go. The engine started again (by the next CLI call, as systemd would with `engine run`) brings
 * those services back running, on their network, with the published port answering — and leaves
 * down what was down: a `restart: "no"` service, and an `unless-stopped` one its user stopped.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';
import { httpGet } from '../helpers/http-get';
import { simulateReboot } from '../helpers/reboot';
import { linksNamed } from '../../src/engine/networks/bridge';
import { bridgePrefix } from '../../src/engine/networks/names';

const PORT = 18090;

const STACK = `
name: boot
services:
  web:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:${PORT}:8080"]
    networks: [front]
    restart: always
  sidecar:
    image: busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    networks: [front]
    restart: unless-stopped
  paused:
    image: busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    networks: [front]
    restart: unless-stopped
  once:
    image: busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    networks: [front]
    restart: "no"
networks:
  front:
    ipam:
      config:
        - subnet: 10.91.0.0/24
`;

describe('a reboot', () => {
  const e = useCliEngine('tscompose-reboot-');
  const ok = (...args: string[]): string => {
    const r = e.cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const inspect = (name: string, format: string): string =>
    ok('container', 'inspect', '--format', format, name).trim();

  test('brings back always and unless-stopped services with their network and published port', async () => {
    const file = path.join(e.dir, 'compose.yaml');
    fs.writeFileSync(file, STACK);
    const f = ['-f', file, '--progress', 'plain'];
    ok(...f, 'up', '-d', '--wait');
    ok('container', 'stop', '-t', '1', 'boot-paused-1');
    const webId = inspect('boot-web-1', '{{.Id}}');
    assert.match(await httpGet(PORT), /200 OK[\s\S]*\n[0-9a-f]{12}\n$/);
    const pidBefore = inspect('boot-web-1', '{{.State.Pid}}');

    await simulateReboot(e.root, e.runRoot);
    assert.deepEqual(linksNamed(bridgePrefix(e.root)), [], 'the bridges went with the reboot');
    assert.ok(!fs.existsSync(e.runRoot), 'the run root went with the reboot');
    await assert.rejects(httpGet(PORT), 'nothing answers on the port while the engine is down');

    // The next command starts the engine, which starts what its restart policy says.
    const t0 = Date.now();
    const status = (name: string): string => inspect(name, '{{.State.Status}}');
    while (status('boot-web-1') !== 'running' || status('boot-sidecar-1') !== 'running') {
      assert.ok(
        Date.now() - t0 < 30_000,
        `not back: web ${status('boot-web-1')}, sidecar ${status('boot-sidecar-1')}`,
      );
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(inspect('boot-web-1', '{{.Id}}'), webId, 'the same container, started again');
    assert.notEqual(inspect('boot-web-1', '{{.State.Pid}}'), pidBefore);
    assert.equal(status('boot-paused-1'), 'exited', 'unless-stopped and stopped by its user: stays down');
    assert.equal(status('boot-once-1'), 'exited', 'restart "no": stays down');

    assert.equal(linksNamed(bridgePrefix(e.root)).length >= 1, true, 'the network has a bridge again');
    const networks = JSON.parse(inspect('boot-web-1', '{{json .NetworkSettings.Networks}}')) as Record<
      string,
      { IPAddress: string }
    >;
    assert.deepEqual(Object.keys(networks), ['boot_front']);
    const webIp = networks.boot_front.IPAddress;
    assert.match(webIp, /^10\.91\.0\.\d+$/);
    const page = ok('container', 'exec', 'boot-sidecar-1', 'wget', '-q', '-O-', `http://${webIp}:8080/`);
    assert.equal(page, `${webId.slice(0, 12)}\n`, 'the sidecar reaches web over the network');
    let answer = '';
    while (!answer) {
      answer = await httpGet(PORT).catch(() => '');
      assert.ok(answer || Date.now() - t0 < 30_000, 'the published port does not answer');
    }
    assert.match(answer, new RegExp(`200 OK[\\s\\S]*\\n${webId.slice(0, 12)}\\n$`));

    ok(...f, 'down', '-v', '-t', '1');
    assert.equal(ok('container', 'ls', '-a', '-q'), '');
  });
});
