/**
 * A forward to an upstream the namespace has no route to (this file's namespace has loopback
 * alone): the exchange gives up with no answer, and the process survives. The failed connect
 * used to be followed by a send on the unconnected socket, which threw out of the daemon when
 * a container with `dns:` servers (or a name missing for a moment) asked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tcpExchange, udpExchange } from '../../../src/engine/networks/dns/forward';
import { parseQuery } from '../../../src/engine/networks/dns/packet';
import { queryPacket } from '../../helpers/dns-upstream';

const packet = queryPacket('example.org');
const parsed = parseQuery(packet);
if (parsed.kind !== 'query') throw new Error('the test query does not parse');

for (const address of ['10.0.0.53', 'fd00::53']) {
  test(`an unreachable upstream ${address}: no answer, no crash`, async () => {
    const upstream = { address, port: 53 };
    const started = Date.now();
    assert.equal(await udpExchange(upstream, packet, parsed.query, 2_000), undefined);
    assert.equal(await tcpExchange(upstream, packet, parsed.query, 2_000), undefined);
    assert.ok(Date.now() - started < 3_000, 'it gave up at once, not at the time limit');
  });
}
