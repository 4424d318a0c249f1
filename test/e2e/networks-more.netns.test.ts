/**
 * More of networks through the CLI and its daemon, in the network namespace the test runner
 * makes for this file: several `--network` flags and `ls --filter network=`, an `internal`
 * network keeping its containers in, IPv6 refused in one line, and daemon restarts (a clean
 * stop, a SIGKILL) that keep what is in use — the default bridge's NAT, published ports — and
 * remove what a removed network left (its bridge, its nft rules).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';
import { defaultBridgeConfig } from '../helpers/network-config';
import { ip, ipText } from '../helpers/netns';
import { answerOf, killDaemon } from '../helpers/tcp-answer';
import { Nat } from '../../src/engine/networks/nat';
import { bridgePrefix } from '../../src/engine/networks/names';

describe('more networks from the CLI', () => {
  const { root, runRoot, cli } = useCliEngine('tscompose-net2-', { TSCOMPOSE_CONFIG: defaultBridgeConfig() });
  const ok = (...args: string[]): string => {
    const r = cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const refused = (args: string[], message: RegExp): void => {
    const r = cli(...args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  };
  const networksOf = (name: string): Record<string, { IPAddress: string; Aliases: string[] | null }> =>
    JSON.parse(ok('container', 'inspect', '--format', '{{json .NetworkSettings.Networks}}', name));
  const ping = (from: string, to: string) => cli('container', 'exec', from, 'ping', '-c', '1', '-W', '2', to);
  const owners = (): string[] => [...new Set(new Nat(root).rules().flatMap((r) => r.comment ?? []))].sort();

  test('several --network flags, ls --filter network=, internal keeps in, IPv6 refused', () => {
    const oneId = ok('network', 'create', '--subnet', '10.91.0.0/24', 'one').trim();
    ok('network', 'create', '--subnet', '10.92.0.0/24', 'two');
    ok('network', 'create', '--internal', '--subnet', '10.93.0.0/24', 'walled');
    const sleep = ['busybox', 'sleep', '300'];
    const multi = ok(
      'container',
      'run',
      '-d',
      '--name',
      'multi',
      '--network',
      'one',
      '--network',
      'name=two,alias=m2',
      ...sleep,
    ).trim();
    const p1 = ok('container', 'run', '-d', '--name', 'p1', '--network', 'one', ...sleep).trim();
    const p2 = ok('container', 'run', '-d', '--name', 'p2', '--net', 'two', ...sleep).trim();
    const nets = networksOf('multi');
    assert.deepEqual(Object.keys(nets).sort(), ['one', 'two']);
    assert.deepEqual(nets.two.Aliases, ['m2']);
    assert.equal(ping('p1', nets.one.IPAddress).status, 0, 'multi answers on one');
    assert.equal(ping('p2', nets.two.IPAddress).status, 0, 'multi answers on two');
    const filtered = (value: string): string[] =>
      ok('container', 'ls', '-q', '--no-trunc', '--filter', `network=${value}`)
        .split('\n')
        .filter(Boolean)
        .sort();
    assert.deepEqual(filtered('two'), [multi, p2].sort());
    assert.deepEqual(filtered(oneId.slice(0, 10)), [multi, p1].sort());
    assert.deepEqual(filtered('tw'), [], 'a name matches whole');
    refused(
      ['container', 'run', '-d', '--network', 'one', '--network', 'one', ...sleep],
      /network "one" is specified multiple times/,
    );
    refused(
      ['container', 'create', '--network', 'one', '--network', 'host', ...sleep],
      /cannot attach both user-defined and non-user-defined/,
    );

    // internal: the peer on the network answers, an address of the host outside it does not.
    ip('addr', 'add', '10.94.0.1/32', 'dev', 'lo');
    try {
      ok('container', 'run', '-d', '--name', 'in1', '--network', 'walled', ...sleep);
      ok('container', 'run', '-d', '--name', 'in2', '--network', 'walled', ...sleep);
      assert.equal(
        ping('in1', networksOf('in2').walled.IPAddress).status,
        0,
        'the peer on the internal network',
      );
      assert.equal(
        ping('p1', '10.94.0.1').status,
        0,
        'a container of a network with a way out reaches the host',
      );
      assert.notEqual(ping('in1', '10.94.0.1').status, 0, 'an internal network has no way out');
    } finally {
      ip('addr', 'del', '10.94.0.1/32', 'dev', 'lo');
    }

    refused(
      ['network', 'create', '--ipv6', 'v6'],
      /^Error response from daemon: IPv6 networks are not supported/,
    );
    refused(['network', 'create', '--subnet', 'fd00:1::/64', 'v6'], /IPv6 networks are not supported/);
    refused(
      ['container', 'create', '--network', 'name=one,ip6=fd00::5', ...sleep],
      /IPv6 addresses are not supported/,
    );
    assert.match(
      cli('network', 'inspect', 'v6').stderr,
      /network v6 not found/,
      'a refused create leaves nothing',
    );

    ok('container', 'rm', '-f', 'multi', 'p1', 'p2', 'in1', 'in2');
    ok('network', 'rm', 'one', 'two', 'walled');
  });

  test("restarts keep the default bridge's NAT and published ports, and drop a removed network's leftovers", async () => {
    const serve = ['busybox', 'sh', '-c', 'while true; do echo hello | nc -l -p 80; done'];
    ok('container', 'run', '-d', '--name', 'web', '--stop-timeout', '1', '-p', '127.0.0.1::80', ...serve);
    const options = JSON.parse(ok('network', 'inspect', '-f', '{{json .Options}}', 'bridge'));
    const bridge = String(options['com.docker.network.bridge.name']);
    const port = (): number => Number(ok('container', 'port', 'web', '80').trim().split(':')[1]);
    assert.equal(await answerOf(port(), 'hello'), 'hello');
    assert.ok(owners().includes(`net:${bridge}`), 'the default bridge masquerades');

    // What a network removed while no daemon ran would leave: its bridge and its rules.
    const stale = `${bridgePrefix(root)}eeeee`;
    ip('link', 'add', stale, 'type', 'bridge');
    new Nat(root).network({ bridge: stale, subnet: '10.96.0.0/24', internal: false });
    await killDaemon(runRoot, cli);
    assert.ok(owners().includes(`net:${bridge}`), 'the default bridge masquerades after a SIGKILL');
    assert.ok(!owners().includes(`net:${stale}`), "a removed network's rules go");
    assert.doesNotMatch(ipText('-o', 'link'), new RegExp(stale), "a removed network's bridge goes");
    assert.equal(await answerOf(port(), 'hello'), 'hello', 'the port answers after a SIGKILL');

    // A clean stop stops the containers; started again they publish again.
    ok('engine', 'stop');
    ok('container', 'start', 'web');
    assert.ok(owners().includes(`net:${bridge}`), 'the default bridge masquerades after a clean stop');
    assert.equal(await answerOf(port(), 'hello'), 'hello', 'the port answers after a clean stop');

    // The bridge outlives its last container and the daemon: a new daemon's first container on it still gets its NAT.
    ok('container', 'rm', '-f', 'web');
    ok('engine', 'stop');
    ok('container', 'run', '-d', '--name', 'web', '--stop-timeout', '1', '-p', '127.0.0.1::80', ...serve);
    assert.ok(owners().includes(`net:${bridge}`), 'the default bridge masquerades for a new daemon');
    assert.equal(await answerOf(port(), 'hello'), 'hello', 'its port answers on 127.0.0.1');
    ok('container', 'rm', '-f', 'web');
  });
});
