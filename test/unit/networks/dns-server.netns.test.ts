/**
 * The embedded DNS server on 127.0.0.1 of the test's own network namespace: its own names,
 * round robin, forwarding to an upstream the test runs (UDP, the next upstream after a
 * timeout, TCP on truncation), and hostile packets that must leave it answering.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import dgram from 'node:dgram';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import dnsPacket from 'dns-packet';
import { udpExchange } from '../../../src/engine/networks/dns/forward';
import { parseQuery } from '../../../src/engine/networks/dns/packet';
import { DnsServer, type DnsResolver } from '../../../src/engine/networks/dns/server';
import {
  answerWith,
  askTcp,
  askUdp,
  framed,
  queryPacket,
  rcodeOf,
  startUpstream,
  type UpstreamStub,
} from '../../helpers/dns-upstream';

const LOOPBACK = '127.0.0.1';

const holders: Record<string, string[]> = {
  web: ['172.30.0.2'],
  db: ['172.30.0.3', '172.30.0.4'],
  v6: ['fd00::5'],
};

const resolver: DnsResolver = {
  lookup: (_client, name) => holders[name],
  reverse: (_client, address) => (address === '172.30.0.2' ? 'web.net1' : undefined),
};

function answersOf(reply: Buffer | undefined): string[] {
  assert.ok(reply, 'a reply came');
  return (dnsPacket.decode(reply).answers ?? []).map((a) => ('data' in a ? String(a.data) : ''));
}

/**
 * True in the namespace scripts/test.js makes for a *.netns.test file: it has loopback and no
 * other link, which no machine's own namespace looks like.
 */
function inOwnNetns(): boolean {
  const links = fs
    .readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':', 1)[0].trim())
    .filter(Boolean);
  return links.length === 1 && links[0] === 'lo';
}

describe('embedded DNS server', { timeout: 120_000 }, () => {
  let upstream: UpstreamStub;
  let server: DnsServer;
  let port: number;
  /** The server's log: a line there means a packet reached code that threw. */
  const logs: string[] = [];

  before(async () => {
    upstream = await startUpstream((q) => {
      const name = q.questions?.[0]?.name ?? '';
      if (name === 'silent.example') return undefined;
      return answerWith('192.0.2.7')(q, 'udp');
    });
    server = new DnsServer({
      resolver,
      upstreams: [{ address: LOOPBACK, port: upstream.port }],
      timeoutMs: 1500,
      log: (line) => logs.push(line),
    });
    port = await server.listen(LOOPBACK);
  });
  after(async () => {
    await server.close();
    await upstream.close();
  });

  test('answers a container name in any case, with or without the trailing dot, and keeps the id', async () => {
    for (const name of ['web', 'WEB', 'Web.']) {
      const reply = await askUdp(port, queryPacket(name, 'A', 777));
      assert.deepEqual(answersOf(reply), ['172.30.0.2'], name);
      const decoded = dnsPacket.decode(reply!);
      assert.equal(decoded.id, 777);
      assert.equal(decoded.questions?.[0]?.name, name.replace(/\.$/, ''), 'the question is echoed as asked');
      assert.equal(rcodeOf(reply!), 0);
    }
    assert.equal(upstream.asked.length, 0, 'a container name is not sent upstream');
  });

  test('a known name without an address of the asked family gets an empty answer, not the upstream', async () => {
    const reply = await askUdp(port, queryPacket('web', 'AAAA'));
    assert.equal(rcodeOf(reply!), 0);
    assert.deepEqual(answersOf(reply), []);
    assert.deepEqual(answersOf(await askUdp(port, queryPacket('v6', 'AAAA'))), ['fd00::5']);
    assert.deepEqual(answersOf(await askUdp(port, queryPacket('v6', 'A'))), []);
    assert.equal(upstream.asked.length, 0);
  });

  test('round robin: each answer for a name of two holders starts with the other one', async () => {
    const firsts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const got = answersOf(await askUdp(port, queryPacket('db')));
      assert.deepEqual([...got].sort(), ['172.30.0.3', '172.30.0.4']);
      firsts.push(got[0]);
    }
    assert.deepEqual(firsts, ['172.30.0.3', '172.30.0.4', '172.30.0.3', '172.30.0.4']);
  });

  test('PTR for a container address', async () => {
    const reply = await askUdp(port, queryPacket('2.0.30.172.in-addr.arpa', 'PTR'));
    assert.deepEqual(answersOf(reply), ['web.net1']);
  });

  test('other names go to the upstream over UDP and over TCP, with the client id', async () => {
    const before = upstream.asked.length;
    const reply = await askUdp(port, queryPacket('example.org', 'A', 31337));
    assert.deepEqual(answersOf(reply), ['192.0.2.7']);
    assert.equal(dnsPacket.decode(reply!).id, 31337);
    const tcp = await askTcp(port, framed(queryPacket('example.net', 'A', 4040)));
    assert.deepEqual(answersOf(tcp.replies[0]), ['192.0.2.7']);
    assert.equal(dnsPacket.decode(tcp.replies[0]).id, 4040);
    assert.deepEqual(
      upstream.asked.slice(before).map((a) => `${a.transport} ${a.name}`),
      ['udp example.org', 'tcp example.net'],
    );
  });

  test('an upstream that does not answer is given up on: SERVFAIL after the time limit', async () => {
    const started = Date.now();
    const reply = await askUdp(port, queryPacket('silent.example'), 10_000);
    assert.equal(rcodeOf(reply!), 2);
    assert.ok(Date.now() - started >= 1400, 'it waited for the upstream');
    assert.equal(server.pendingForwards, 0);
  });

  test('an upstream the namespace has no route to: no answer, and no exception out of reach', async () => {
    const parsed = parseQuery(queryPacket('example.org'));
    assert.equal(parsed.kind, 'query');
    if (parsed.kind !== 'query') return;
    // Only loopback is up here: a connect to a documentation address fails with ENETUNREACH.
    const reply = await udpExchange(
      { address: '192.0.2.1', port: 53 },
      queryPacket('example.org'),
      parsed.query,
      2000,
    );
    assert.equal(reply, undefined);
    // An exception thrown in a later tick would end this process before the next test.
    await new Promise((r) => setTimeout(r, 50));
  });

  test('local answers that pass 512 bytes are truncated over UDP and whole over TCP', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `10.9.${i >> 8}.${i & 255}`);
    const name = `${'x'.repeat(60)}.${'y'.repeat(60)}`;
    holders[name] = many;
    try {
      const udp = await askUdp(port, queryPacket(name));
      assert.ok(udp!.length <= 512);
      assert.ok(dnsPacket.decode(udp!).flag_tc, 'TC is set');
      const tcp = await askTcp(port, framed(queryPacket(name)));
      assert.equal(answersOf(tcp.replies[0]).length, 60);
      assert.equal(dnsPacket.decode(tcp.replies[0]).flag_tc, false);
    } finally {
      delete holders[name];
    }
  });

  test('hostile packets get FORMERR, NOTIMP or nothing, over UDP and TCP', async () => {
    const q = queryPacket('web');
    const withFlags = (flags: number): Buffer => {
      const b = Buffer.from(q);
      b.writeUInt16BE(flags, 2);
      return b;
    };
    const withCount = (offset: number, n: number): Buffer => {
      const b = Buffer.from(q);
      b.writeUInt16BE(n, offset);
      return b;
    };
    // A name that is a compression pointer to itself.
    const loop = Buffer.concat([q.subarray(0, 12), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
    // A pointer to later in the packet (forward pointers can loop).
    const forward = Buffer.concat([q.subarray(0, 12), Buffer.from([0xc0, 18, 0, 1, 0, 1, 1, 0x61, 0])]);
    const cases: [string, Buffer, number | undefined][] = [
      ['empty', Buffer.alloc(0), undefined],
      ['shorter than a header', q.subarray(0, 11), undefined],
      ['a response', withFlags(0x8100), undefined],
      ['opcode STATUS', withFlags(2 << 11), 4],
      ['opcode UPDATE', withFlags(5 << 11), 4],
      ['no question', withCount(4, 0), 1],
      ['two questions', withCount(4, 2), 1],
      ['65535 questions', withCount(4, 0xffff), 1],
      ['65535 answers in a query', withCount(6, 0xffff), 1],
      ['65535 additionals', withCount(10, 0xffff), 1],
      ['header only', q.subarray(0, 12), 1],
      ['cut question', q.subarray(0, q.length - 3), 1],
      ['compression loop', loop, 1],
      ['forward pointer', forward, 1],
      ['label past the end', Buffer.concat([q.subarray(0, 12), Buffer.from([63, 0x61])]), 1],
    ];
    for (const [what, packet, rcode] of cases) {
      const reply = await askUdp(port, packet, rcode === undefined ? 300 : 2000);
      if (rcode === undefined) assert.equal(reply, undefined, `${what}: dropped`);
      else {
        assert.ok(reply, `${what}: answered`);
        assert.equal(rcodeOf(reply), rcode, what);
        assert.equal(reply.readUInt16BE(0), packet.readUInt16BE(0), `${what}: the id is kept`);
      }
      if (packet.length > 0) {
        const tcp = await askTcp(port, framed(packet), 1, rcode === undefined ? 300 : 3000);
        if (rcode !== undefined) assert.equal(rcodeOf(tcp.replies[0]), rcode, `${what} over TCP`);
        else assert.equal(tcp.replies.length, 0, `${what} over TCP: dropped`);
      }
    }
    // A 64 KiB frame of junk with a query's header: FORMERR, then the connection still serves.
    const big = Buffer.concat([withCount(4, 1).subarray(0, 12), randomBytes(0xffff - 12)]);
    const tcp = await askTcp(port, Buffer.concat([framed(big), framed(queryPacket('web'))]), 2);
    assert.equal(tcp.replies.length, 2);
    assert.equal(rcodeOf(tcp.replies[0]), 1);
    assert.deepEqual(answersOf(tcp.replies[1]), ['172.30.0.2']);
    // A zero-length frame has nothing to answer: the connection is closed.
    const zero = await askTcp(port, Buffer.from([0, 0]), 1, 3000);
    assert.equal(zero.closed, true);
    assert.equal(zero.replies.length, 0);
    assert.deepEqual(answersOf(await askUdp(port, queryPacket('web'))), ['172.30.0.2']);
  });

  test('random and mutated packets: the server still answers afterwards', async () => {
    const sock = dgram.createSocket('udp4');
    const seeds = [
      queryPacket('web'),
      queryPacket('example.org', 'MX'),
      queryPacket('2.0.30.172.in-addr.arpa', 'PTR'),
    ];
    for (let i = 0; i < 3000; i++) {
      let p: Buffer;
      if (i % 3 === 0) p = randomBytes(i % 700);
      else {
        p = Buffer.from(seeds[i % seeds.length]);
        const flips = 1 + (i % 6);
        for (let f = 0; f < flips; f++) p[randomBytes(2).readUInt16BE() % p.length] = randomBytes(1)[0];
        if (i % 7 === 0) p = p.subarray(0, i % p.length);
      }
      // Never a response flag: those are dropped before anything else looks at them, and the
      // rest of the packet is what should be exercised.
      if (p.length > 2) p[2] &= 0x7f;
      sock.send(p, port, LOOPBACK);
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 500));
    sock.close();
    // Mutated packets also go over TCP, two per connection, on 50 connections at once.
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const p = Buffer.from(seeds[i % seeds.length]);
        p[12 + (i % (p.length - 12))] ^= 0xff;
        return askTcp(port, Buffer.concat([framed(p), framed(randomBytes(40 + i))]), 2, 1000);
      }),
    );
    assert.deepEqual(answersOf(await askUdp(port, queryPacket('web'))), ['172.30.0.2']);
    const tcp = await askTcp(port, framed(queryPacket('web')));
    assert.deepEqual(answersOf(tcp.replies[0]), ['172.30.0.2']);
    assert.deepEqual(logs, [], 'no packet made the server fail');
  });
});

describe('embedded DNS server: upstream failover and truncation', { timeout: 120_000 }, () => {
  test('the next upstream is asked when the first does not answer in time', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, LOOPBACK, resolve));
    const good = await startUpstream(answerWith('192.0.2.8'));
    const server = new DnsServer({
      resolver,
      upstreams: [
        { address: LOOPBACK, port: silent.address().port },
        { address: LOOPBACK, port: good.port },
      ],
      timeoutMs: 400,
    });
    try {
      const port = await server.listen(LOOPBACK);
      assert.deepEqual(answersOf(await askUdp(port, queryPacket('example.com'), 5000)), ['192.0.2.8']);
    } finally {
      await server.close();
      await good.close();
      silent.close();
    }
  });

  test('an upstream that refuses or fails is passed over for the next; when all do, the client gets the failure', async () => {
    const refusing = await startUpstream(() => ({ flags: 5, questions: [] }));
    const failing = await startUpstream(() => ({ flags: 2 }));
    const good = await startUpstream(answerWith('192.0.2.5'));
    const ask = async (...ups: UpstreamStub[]) => {
      const server = new DnsServer({
        resolver,
        upstreams: ups.map((u) => ({ address: LOOPBACK, port: u.port })),
        timeoutMs: 1500,
      });
      try {
        const port = await server.listen(LOOPBACK);
        return (await askUdp(port, queryPacket('example.com'), 5000))!;
      } finally {
        await server.close();
      }
    };
    try {
      const started = Date.now();
      assert.deepEqual(answersOf(await ask(refusing, failing, good)), ['192.0.2.5']);
      assert.ok(Date.now() - started < 1400, 'a refusal without a question is taken at once, not waited out');
      assert.equal(rcodeOf(await ask(failing, refusing)), 5);
      assert.equal(rcodeOf(await ask(refusing, failing)), 2);
    } finally {
      await Promise.all([refusing.close(), failing.close(), good.close()]);
    }
  });

  test('a truncated UDP answer is fetched again over TCP and passed on whole when it fits', async () => {
    const up = await startUpstream((q, transport) =>
      transport === 'udp'
        ? { flags: dnsPacket.TRUNCATED_RESPONSE, answers: [] }
        : answerWith('192.0.2.1', '192.0.2.2', '192.0.2.3')(q, transport),
    );
    const server = new DnsServer({
      resolver,
      upstreams: [{ address: LOOPBACK, port: up.port }],
      timeoutMs: 1500,
    });
    try {
      const port = await server.listen(LOOPBACK);
      const reply = await askUdp(port, queryPacket('big.example'));
      assert.deepEqual(answersOf(reply), ['192.0.2.1', '192.0.2.2', '192.0.2.3']);
      assert.equal(dnsPacket.decode(reply!).flag_tc, false);
      assert.deepEqual(
        up.asked.map((a) => a.transport),
        ['udp', 'tcp'],
      );
    } finally {
      await server.close();
      await up.close();
    }
  });

  test('a whole answer too big for the client datagram leaves the client the truncated one', async () => {
    const many = Array.from({ length: 80 }, (_, i) => `198.51.100.${i}`);
    const up = await startUpstream((q, transport) =>
      transport === 'udp'
        ? { flags: dnsPacket.TRUNCATED_RESPONSE, answers: [] }
        : answerWith(...many)(q, transport),
    );
    const server = new DnsServer({
      resolver,
      upstreams: [{ address: LOOPBACK, port: up.port }],
      timeoutMs: 1500,
    });
    try {
      const port = await server.listen(LOOPBACK);
      const reply = await askUdp(port, queryPacket('huge.example'));
      assert.ok(reply!.length <= 512);
      assert.equal(dnsPacket.decode(reply!).flag_tc, true);
      const tcp = await askTcp(port, framed(queryPacket('huge.example')));
      assert.equal(answersOf(tcp.replies[0]).length, 80);
    } finally {
      await server.close();
      await up.close();
    }
  });

  test("a container's own dns servers are used; a loopback one, or none (internal), gives SERVFAIL", async (t) => {
    if (!inOwnNetns()) {
      t.skip('needs the network namespace scripts/test.js runs *.netns.test files in');
      return;
    }
    // An address of the test's namespace (not loopback) for a stub on port 53.
    execFileSync('ip', ['addr', 'add', '10.253.0.53/32', 'dev', 'lo']);
    const own = await startUpstream(answerWith('192.0.2.99'), '10.253.0.53', 53);
    const host = await startUpstream(answerWith('192.0.2.1'));
    const forwarders: Record<string, string[] | undefined> = {};
    const server = new DnsServer({
      resolver: { ...resolver, forwarders: (client) => forwarders[client] },
      upstreams: [{ address: LOOPBACK, port: host.port }],
      timeoutMs: 1000,
    });
    try {
      const port = await server.listen(LOOPBACK);
      forwarders[LOOPBACK] = ['10.253.0.53'];
      assert.deepEqual(answersOf(await askUdp(port, queryPacket('a.example'))), ['192.0.2.99']);
      forwarders[LOOPBACK] = ['127.0.0.1'];
      assert.equal(rcodeOf((await askUdp(port, queryPacket('b.example')))!), 2);
      forwarders[LOOPBACK] = [];
      assert.equal(rcodeOf((await askUdp(port, queryPacket('c.example')))!), 2);
      forwarders[LOOPBACK] = undefined;
      assert.deepEqual(answersOf(await askUdp(port, queryPacket('d.example'))), ['192.0.2.1']);
      assert.deepEqual(
        host.asked.map((a) => a.name),
        ['d.example'],
      );
    } finally {
      await server.close();
      await own.close();
      await host.close();
      execFileSync('ip', ['addr', 'del', '10.253.0.53/32', 'dev', 'lo']);
    }
  });
});

test('a client the resolver does not know is not served at all, over UDP or TCP', async () => {
  const up = await startUpstream(answerWith('192.0.2.1'));
  let known = false;
  const server = new DnsServer({
    resolver: { ...resolver, knows: () => known },
    upstreams: [{ address: LOOPBACK, port: up.port }],
  });
  try {
    const port = await server.listen(LOOPBACK);
    assert.equal(await askUdp(port, queryPacket('web'), 500), undefined);
    assert.equal(await askUdp(port, queryPacket('example.org'), 500), undefined);
    assert.equal(await askUdp(port, queryPacket('web').subarray(0, 14), 500), undefined);
    const tcp = await askTcp(port, framed(queryPacket('example.org')), 1, 2000);
    assert.equal(tcp.replies.length, 0);
    assert.equal(tcp.closed, true);
    assert.equal(up.asked.length, 0, 'nothing was forwarded for a stranger');
    known = true;
    assert.deepEqual(answersOf(await askUdp(port, queryPacket('web'))), ['172.30.0.2']);
  } finally {
    await server.close();
    await up.close();
  }
});

describe('embedded DNS server under a flood', { timeout: 120_000 }, () => {
  test('forwards in flight stay bounded; the excess gets SERVFAIL at once; names still answer', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, LOOPBACK, resolve));
    const server = new DnsServer({
      resolver,
      upstreams: [{ address: LOOPBACK, port: silent.address().port }],
      timeoutMs: 800,
      maxPending: 16,
    });
    const client = dgram.createSocket('udp4');
    try {
      const port = await server.listen(LOOPBACK);
      let servfails = 0;
      client.on('message', (m) => {
        if (rcodeOf(m) === 2) servfails++;
      });
      await new Promise<void>((resolve) => client.bind(0, LOOPBACK, resolve));
      let most = 0;
      for (let i = 0; i < 400; i++) {
        client.send(queryPacket(`flood${i}.example`, 'A', i), port, LOOPBACK);
        if (i % 20 === 0) {
          await new Promise((r) => setTimeout(r, 5));
          most = Math.max(most, server.pendingForwards);
        }
      }
      await new Promise((r) => setTimeout(r, 200));
      most = Math.max(most, server.pendingForwards);
      assert.ok(most <= 16, `at most 16 forwards in flight (saw ${most})`);
      assert.ok(servfails >= 300, `the excess was refused at once (${servfails} SERVFAIL)`);
      assert.deepEqual(
        answersOf(await askUdp(port, queryPacket('web'))),
        ['172.30.0.2'],
        'names answer meanwhile',
      );
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(server.pendingForwards, 0, 'every forward ended with its time limit');
    } finally {
      client.close();
      await server.close();
      silent.close();
    }
  });

  test('TCP connections past the limit are closed; idle ones end; the server still serves', async () => {
    const server = new DnsServer({ resolver, upstreams: [], maxTcpConnections: 8, tcpIdleMs: 1000 });
    const held: net.Socket[] = [];
    try {
      const port = await server.listen(LOOPBACK);
      const closedAt: number[] = [];
      const opened = Date.now();
      for (let i = 0; i < 12; i++) {
        const s = net.connect({ host: LOOPBACK, port });
        s.on('error', () => undefined);
        s.on('close', () => closedAt.push(Date.now() - opened));
        // Half a frame: it never completes.
        s.write(Buffer.from([0x01]));
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(closedAt.length, 4, 'the four past the limit were closed at once');
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(closedAt.length, 12, 'the idle ones were closed by the idle limit');
      const tcp = await askTcp(port, framed(queryPacket('web')));
      assert.deepEqual(answersOf(tcp.replies[0]), ['172.30.0.2']);
      assert.deepEqual(answersOf(await askUdp(port, queryPacket('web'))), ['172.30.0.2']);
    } finally {
      for (const s of held) s.destroy();
      await server.close();
    }
  });

  test('one client holds at most its share of connections, and a message trickled in byte by byte is cut off', async () => {
    const server = new DnsServer({ resolver, upstreams: [], maxTcpPerClient: 3, tcpIdleMs: 1000 });
    const held: net.Socket[] = [];
    try {
      const port = await server.listen(LOOPBACK);
      let closed = 0;
      for (let i = 0; i < 4; i++) {
        const s = net.connect({ host: LOOPBACK, port });
        s.on('error', () => undefined);
        s.on('close', () => closed++);
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(closed, 1, 'the fourth connection of one client was closed at once');
      for (const s of held) s.destroy();
      await new Promise((r) => setTimeout(r, 200));
      // A 64 KiB frame announced, then one byte every 200 ms: never idle, never complete.
      const slow = net.connect({ host: LOOPBACK, port });
      held.push(slow);
      slow.on('error', () => undefined);
      const started = Date.now();
      const ended = new Promise<number>((resolve) => slow.on('close', () => resolve(Date.now() - started)));
      slow.write(Buffer.from([0xff, 0xff]));
      const drip = setInterval(() => slow.writable && slow.write(Buffer.from([0])), 200);
      const after = await Promise.race([ended, new Promise<number>((r) => setTimeout(() => r(-1), 6000))]);
      clearInterval(drip);
      assert.ok(after > 0 && after < 3000, `the trickling connection was closed (after ${after} ms)`);
      assert.deepEqual(answersOf((await askTcp(port, framed(queryPacket('web')))).replies[0]), [
        '172.30.0.2',
      ]);
    } finally {
      for (const s of held) s.destroy();
      await server.close();
    }
  });
});
