/**
 * Networks through the CLI and its daemon, in the network namespace the test runner makes for
 * this file: docker's commands and words, `run --network/--network-alias/--ip`, the default
 * network from engine.json, and a daemon SIGKILLed while containers are attached: the one the
 * reaper starts again keeps them reachable (by address and by name) and removes the engine's
 * links nothing uses.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';
import { defaultBridgeConfig } from '../helpers/network-config';
import { ip, ipText } from '../helpers/netns';
import { answerOf, killDaemon } from '../helpers/tcp-answer';
import { bridgePrefix, vethPrefix } from '../../src/engine/networks/names';

describe('networks from the CLI', () => {
  const { root, runRoot, cli } = useCliEngine('tscompose-net-', { TSCOMPOSE_CONFIG: defaultBridgeConfig() });
  const ok = (...args: string[]): string => {
    const r = cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const networksOf = (name: string): Record<string, { IPAddress: string; Aliases: string[] | null }> =>
    JSON.parse(ok('container', 'inspect', '--format', '{{json .NetworkSettings.Networks}}', name));

  test('create, ls, inspect, run on it, rm refused while in use; survived a daemon SIGKILL', async () => {
    const id = ok('network', 'create', '--subnet', '10.77.0.0/24', '--label', 'tier=front', 'front').trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const again = cli('network', 'create', 'front');
    assert.equal(again.status, 1);
    assert.equal(again.stderr, 'Error response from daemon: network with name front already exists\n');
    const ls = ok('network', 'ls').split('\n');
    assert.match(ls[0], /^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
    assert.ok(
      ls.some((l) => new RegExp(`^${id.slice(0, 12)}\\s+front\\s+bridge\\s+local$`).test(l)),
      ls.join('\n'),
    );
    assert.deepEqual(ok('network', 'ls', '-q', '-f', 'label=tier=front').trim(), id.slice(0, 12));
    assert.equal(
      ok('network', 'inspect', '-f', '{{.Name}} {{json .IPAM.Config}}', 'front').trim(),
      'front [{"Subnet":"10.77.0.0/24","Gateway":"10.77.0.1"}]',
    );

    ok(
      'container',
      'run',
      '-d',
      '--name',
      'srv',
      '--network',
      'front',
      '--network-alias',
      'db',
      '--ip',
      '10.77.0.9',
      'busybox',
      'sleep',
      '300',
    );
    ok('container', 'run', '-d', '--name', 'cli1', '--network', 'front', 'busybox', 'sleep', '300');
    ok('container', 'run', '-d', '--name', 'dflt', 'busybox', 'sleep', '300');
    assert.deepEqual(networksOf('srv').front.IPAddress, '10.77.0.9');
    assert.deepEqual(networksOf('srv').front.Aliases, ['db']);
    assert.deepEqual(Object.keys(networksOf('dflt')), ['bridge'], 'engine.json names the default network');
    ok('container', 'exec', 'cli1', 'ping', '-c', '1', '-W', '3', '10.77.0.9');
    // The embedded DNS server answers the alias, before and after the daemon's SIGKILL below.
    const resolves = (name: string): string => ok('container', 'exec', 'cli1', 'nslookup', '-type=a', name);
    assert.match(resolves('db'), /^Address: 10\.77\.0\.9$/m);

    const rm = cli('network', 'rm', 'front');
    assert.equal(rm.status, 1);
    assert.match(
      rm.stderr,
      /^Error response from daemon: error while removing network: network front has active endpoints \(name:"srv" id:"[0-9a-f]{12}", name:"cli1" id:"[0-9a-f]{12}"\)\n$/,
    );
    assert.match(
      cli('network', 'rm', 'bridge').stderr,
      /bridge is a pre-defined network and cannot be removed/,
    );

    // Leftovers of the engine's (by their tag) that no record names; the restarted daemon removes them.
    ip('link', 'add', `${vethPrefix(root)}fffff`, 'type', 'veth', 'peer', 'name', 'strayend0');
    ip('link', 'add', `${bridgePrefix(root)}fffff`, 'type', 'bridge');
    await killDaemon(runRoot, cli);
    ok('container', 'exec', 'cli1', 'ping', '-c', '1', '-W', '3', '10.77.0.9');
    assert.match(resolves('srv'), /^Address: 10\.77\.0\.9$/m, 'the DNS listener is back');
    const links = ipText('-o', 'link');
    assert.doesNotMatch(links, new RegExp(`${vethPrefix(root)}fffff|${bridgePrefix(root)}fffff|strayend0`));
    assert.deepEqual(
      Object.keys(JSON.parse(ok('network', 'inspect', '-f', '{{json .Containers}}', 'front'))).length,
      2,
    );
    // A clean stop stops the containers (docker's, without live-restore); they start again on their networks.
    ok('engine', 'stop');
    ok('container', 'start', 'srv', 'cli1');
    ok('container', 'exec', 'cli1', 'ping', '-c', '1', '-W', '3', '10.77.0.9');
    // The addresses in use stay taken: a new container gets another.
    ok('container', 'run', '-d', '--name', 'cli2', '--network', 'front', 'busybox', 'sleep', '300');
    assert.ok(
      !['10.77.0.9', networksOf('cli1').front.IPAddress].includes(networksOf('cli2').front.IPAddress),
    );

    ok('network', 'disconnect', 'front', 'cli2');
    ok('network', 'connect', '--alias', 'again', 'front', 'cli2');
    ok('container', 'exec', 'cli2', 'ping', '-c', '1', '-W', '3', '10.77.0.9');
    ok('container', 'rm', '-f', 'srv', 'cli1', 'cli2', 'dflt');
    assert.equal(ok('network', 'rm', 'front'), 'front\n');
    assert.equal(ok('network', 'prune', '-f'), '');
    assert.match(cli('network', 'inspect', 'front').stderr, /network front not found/);
  });

  test('run -p/-P/--expose publishes on 127.0.0.1, container port lists the mappings, rm -f of no network', async () => {
    ok('network', 'create', '--subnet', '10.79.0.0/24', 'pubnet');
    const serve = 'while true; do echo hello | nc -l -p 80; done';
    const args = ['-p', '127.0.0.1::80', '-P', '--expose', '81/udp', '--network', 'pubnet'];
    ok('container', 'run', '-d', '--name', 'web', ...args, 'busybox', 'sh', '-c', serve);
    const lines = ok('container', 'port', 'web').trim().split('\n');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0], /^80\/tcp -> 127\.0\.0\.1:\d+$/);
    assert.match(lines[1], /^81\/udp -> 0\.0\.0\.0:\d+$/);
    const addr = ok('container', 'port', 'web', '80').trim();
    assert.match(addr, /^127\.0\.0\.1:\d+$/);
    const listed = ok('container', 'ls', '--format', '{{.Ports}}|{{.Networks}}').trim();
    assert.match(listed, /^127\.0\.0\.1:\d+->80\/tcp, 0\.0\.0\.0:\d+->81\/udp\|pubnet$/);
    assert.equal(await answerOf(Number(addr.split(':')[1]), 'hello'), 'hello');
    // A daemon SIGKILLed: the one started again publishes the same ports for the container that outlived it.
    await killDaemon(runRoot, cli);
    assert.equal(ok('container', 'port', 'web', '80').trim(), addr);
    assert.equal(
      await answerOf(Number(addr.split(':')[1]), 'hello'),
      'hello',
      'the port answers after the restart',
    );
    const none = cli('container', 'port', 'web', '82');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /No public port '82\/tcp' published/);
    ok('container', 'rm', '-f', 'web');
    ok('network', 'rm', 'pubnet');
    assert.equal(ok('network', 'rm', '-f', 'nosuchnet'), '');
  });
});
