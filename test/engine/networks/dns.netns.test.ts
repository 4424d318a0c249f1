/**
 * Service discovery end to end, in the namespace the test runner makes for this file: busybox
 * containers on a user-defined network find each other by name, network alias and short id
 * through 127.0.0.11 (the engine's listener on the gateway, behind each container's redirect),
 * with round robin over an alias's holders; names of other networks are not answered, the
 * default bridge has no name resolution, other names go to the host's servers (a stub on
 * 127.0.0.1:53 named by the engine's "resolv-conf" setting) or a container's own `--dns`
 * ones; junk packets are survived, a rename answers by the new name, and a network's listener
 * goes with its containers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startUpstream, type UpstreamStub } from '../../helpers/dns-upstream';
import { useTestEngine } from '../../helpers/engine-suite';
import { findLeaks, socketsBoundOn } from '../../helpers/leaks';

const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-dnsconf-'));
const resolvConf = path.join(configDir, 'resolv.conf');
// No search domains: busybox's nslookup would ask only for `name.<domain>`.
fs.writeFileSync(resolvConf, 'nameserver 127.0.0.1\noptions timeout:1\n');
fs.writeFileSync(
  path.join(configDir, 'engine.json'),
  JSON.stringify({ 'default-network': 'bridge', 'resolv-conf': resolvConf }),
);
process.env.TSCOMPOSE_CONFIG = path.join(configDir, 'engine.json');
process.once('exit', () => fs.rmSync(configDir, { recursive: true, force: true }));

/** An upstream that knows one name; everything else is NXDOMAIN. */
function upstreamFor(name: string, address: string): Promise<UpstreamStub> {
  return startUpstream(
    (q) => {
      const asked = q.questions?.[0];
      if (asked?.name.toLowerCase() === name && asked.type === 'A')
        return { answers: [{ type: 'A', name: asked.name, ttl: 60, class: 'IN', data: address }] };
      return { flags: 3 }; // NXDOMAIN
    },
    '127.0.0.1',
    53,
  );
}

/** The addresses busybox's nslookup printed for the name after the server's own lines. */
function addresses(out: string): string[] {
  return out
    .split('\n')
    .slice(2)
    .map((l) => /^Address:\s*(\S+)$/.exec(l.trim())?.[1])
    .filter((a): a is string => !!a);
}

/** Sections of a script's output, each after a `== key` line. */
function sections(out: string): Record<string, string> {
  const parts: Record<string, string> = {};
  let key = '';
  for (const line of out.split('\n')) {
    const m = /^== (\S+)$/.exec(line);
    if (m) key = m[1];
    else parts[key] = `${parts[key] ?? ''}${line}\n`;
  }
  return parts;
}

/** `== key` then the command's output (stderr too), for each [key, command]. */
function script(steps: [string, string][]): string[] {
  return ['sh', '-c', steps.map(([k, cmd]) => `echo "== ${k}"; ${cmd} 2>&1`).join('; ')];
}

describe('embedded DNS', () => {
  let upstream: UpstreamStub;
  let own: UpstreamStub | undefined;
  before(async () => {
    upstream = await upstreamFor('external.test', '192.0.2.7');
  });
  after(async () => {
    await upstream?.close();
    await own?.close();
  });
  const suite = useTestEngine();
  const e = () => suite.t.engine;

  async function run(
    network: string,
    cmd: string[],
    hostConfig: object = {},
    body: object = {},
  ): Promise<string> {
    const r = await suite.t.run({ Cmd: cmd, ...body, HostConfig: { NetworkMode: network, ...hostConfig } });
    return r.stdout + r.stderr;
  }

  test('names, aliases and short ids on one network; not across networks; the rest upstream', async () => {
    await e().createNetwork({ Name: 'front', IPAM: { Config: [{ Subnet: '10.91.0.0/24' }] } });
    await e().createNetwork({ Name: 'back', IPAM: { Config: [{ Subnet: '10.92.0.0/24' }] } });
    const sleeper = async (name: string, network: string, aliases: string[] = []): Promise<string> => {
      const { Id } = await e().createContainer(
        {
          Image: 'busybox',
          Cmd: ['sleep', '600'],
          HostConfig: { NetworkMode: network },
          NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: aliases } } },
        },
        name,
      );
      await e().startContainer(Id);
      return Id;
    };
    const web = await sleeper('web', 'front', ['www']);
    const web2 = await sleeper('web2', 'front', ['www']);
    await sleeper('other', 'back');
    const ipOf = async (id: string, net: string) =>
      (await e().inspectContainer(id)).NetworkSettings!.Networks![net].IPAddress;
    const webIp = await ipOf(web, 'front');
    const web2Ip = await ipOf(web2, 'front');

    // Junk first, over TCP (busybox's nc has no UDP): a header claiming a question it does not
    // hold (FORMERR, 12 bytes and the frame's 2), a message too short for a header (dropped),
    // and, once the reply is in, an empty frame (the server hangs up); the queries after them
    // are answered.
    const junk =
      "(printf '\\000\\015\\001\\002\\001\\000\\000\\001\\000\\000\\000\\000\\000\\000\\377\\000\\003abc'; " +
      "sleep 0.3; printf '\\000\\000') | nc 127.0.0.11 53 | wc -c";
    const out = sections(
      await run(
        'front',
        script([
          ['resolv', 'cat /etc/resolv.conf'],
          ['hosts', 'cat /etc/hosts'],
          ['junk', junk],
          ['web', 'nslookup -type=a web'],
          ['fqdn', 'nslookup -type=a web.front'],
          ['short', `nslookup -type=a ${web.slice(0, 12)}`],
          ['www1', 'nslookup -type=a www'],
          ['www2', 'nslookup -type=a www'],
          ['other', 'nslookup -type=a other'],
          ['external', 'nslookup -type=a external.test'],
          ['ptr', `nslookup ${webIp}`],
        ]),
        {},
        { Hostname: 'client' },
      ),
    );
    assert.match(out.resolv, /^nameserver 127\.0\.0\.11$/m);
    assert.match(out.resolv, /^options timeout:1 ndots:0$/m);
    assert.doesNotMatch(out.resolv, /127\.0\.0\.1\b(?!1)/);
    assert.match(out.hosts, /^10\.91\.0\.\d+\tclient$/m);
    assert.equal(out.junk.trim(), '14', `a FORMERR reply, then nothing:\n${out.junk}`);
    assert.deepEqual(addresses(out.web), [webIp], out.web);
    assert.deepEqual(addresses(out.fqdn), [webIp], out.fqdn);
    assert.deepEqual(addresses(out.short), [webIp], out.short);
    const [a, b] = [addresses(out.www1), addresses(out.www2)];
    assert.deepEqual([...a].sort(), [webIp, web2Ip].sort(), out.www1);
    assert.deepEqual([...b].sort(), [webIp, web2Ip].sort(), out.www2);
    assert.notEqual(a[0], b[0], 'round robin: each answer starts with the next holder');
    assert.deepEqual(addresses(out.other), [], `a name of another network is not answered:\n${out.other}`);
    assert.deepEqual(addresses(out.external), ['192.0.2.7'], out.external);
    assert.match(out.ptr, /web\.front/, out.ptr);
    assert.ok(upstream.asked.some((q) => q.name === 'external.test'));
    assert.ok(!upstream.asked.some((q) => ['web', 'www'].includes(q.name)), 'own names never go upstream');

    // From the other network, web is not a name; from the default bridge nothing is served.
    const fromBack = await run('back', ['nslookup', '-type=a', 'web']);
    assert.deepEqual(addresses(fromBack), [], fromBack);
    const fromBridge = sections(
      await run(
        'bridge',
        script([
          ['resolv', 'cat /etc/resolv.conf'],
          // No redirect: nothing answers at 127.0.0.11:53 (a TCP connect is refused at once).
          ['web', 'nc 127.0.0.11 53 </dev/null; echo "rc=$?"'],
        ]),
      ),
    );
    assert.doesNotMatch(fromBridge.resolv, /127\.0\.0\.11/);
    assert.match(fromBridge.resolv, /^nameserver /m);
    assert.match(fromBridge.web, /refused/i, fromBridge.web);

    // A container's own --dns servers take its other queries: a stub on back's gateway.
    own = await startUpstream(
      (q) => ({
        answers: [
          { type: 'A', name: q.questions?.[0]?.name ?? '', ttl: 60, class: 'IN', data: '192.0.2.99' },
        ],
      }),
      '10.92.0.1',
      53,
    );
    const withOwn = await run('front', ['nslookup', '-type=a', 'external.test'], { Dns: ['10.92.0.1'] });
    assert.deepEqual(addresses(withOwn), ['192.0.2.99'], withOwn);
    await own.close();
    own = undefined;

    // A rename answers by the new name only; a connect makes `other` a name of front too.
    await e().renameContainer(web2, 'web3');
    await e().connectNetwork('front', { Container: 'other' });
    const after = sections(
      await run(
        'front',
        script([
          ['new', 'nslookup -type=a web3'],
          ['old', 'nslookup -type=a web2'],
          ['other', 'nslookup -type=a other'],
        ]),
      ),
    );
    assert.deepEqual(addresses(after.new), [web2Ip], after.new);
    assert.deepEqual(addresses(after.old), [], after.old);
    assert.equal(addresses(after.other).length, 1, after.other);

    // The listeners go with the containers of their network.
    const listeners = e().dnsListeners();
    assert.deepEqual(listeners.map((l) => l.address).sort(), ['10.91.0.1', '10.92.0.1']);
    const port = listeners.find((l) => l.address === '10.91.0.1')!.port;
    assert.deepEqual(socketsBoundOn('10.91.0.1').sort(), [`tcp 10.91.0.1:${port}`, `udp 10.91.0.1:${port}`]);
    for (const c of await e().listContainers({ all: true })) await e().removeContainer(c.Id, { force: true });
    assert.deepEqual(e().dnsListeners(), []);
    assert.deepEqual(socketsBoundOn('10.91.0.1'), []);
    assert.deepEqual(findLeaks(suite.t.root), [], 'the leak sweep finds nothing either');
    await e().removeNetwork('front');
    await e().removeNetwork('back');
  });
});
