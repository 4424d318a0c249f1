/** What the embedded DNS server makes of a query's bytes and the replies it builds. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import dnsPacket from 'dns-packet';
import {
  answerReply,
  answersQuery,
  normalizeName,
  parseQuery,
  reverseAddress,
  type Query,
} from '../../../src/engine/networks/dns/packet';
import { queryPacket } from '../../helpers/dns-upstream';

function query(packet: Buffer): Query {
  const parsed = parseQuery(packet);
  assert.equal(parsed.kind, 'query');
  return (parsed as { query: Query }).query;
}

describe('dns packets', () => {
  test('a query: id, question, the UDP size from its OPT record (bounded)', () => {
    const q = query(queryPacket('Web.', 'A', 99));
    assert.equal(q.id, 99);
    assert.equal(q.question.name, 'Web');
    assert.equal(q.maxUdpBytes, 512);
    const edns = (size: number) =>
      dnsPacket.encode({
        type: 'query',
        id: 1,
        questions: [{ type: 'A', name: 'x', class: 'IN' }],
        additionals: [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: size,
            extendedRcode: 0,
            ednsVersion: 0,
            flags: 0,
            flag_do: false,
            options: [],
          },
        ],
      });
    assert.equal(query(edns(1232)).maxUdpBytes, 1232);
    assert.equal(query(edns(65535)).maxUdpBytes, 4096);
    assert.equal(query(edns(100)).maxUdpBytes, 512);
  });

  test('names: case and the trailing dot do not count', () => {
    assert.equal(normalizeName('My-App.Net1.'), 'my-app.net1');
    assert.equal(normalizeName('.'), '');
  });

  test('reverse names', () => {
    assert.equal(reverseAddress('2.0.18.172.in-addr.arpa'), '172.18.0.2');
    assert.equal(reverseAddress('2.0.18.172.IN-ADDR.ARPA.'), '172.18.0.2');
    assert.equal(reverseAddress('2.0.18.999.in-addr.arpa'), undefined);
    assert.equal(reverseAddress('0.18.172.in-addr.arpa'), undefined);
    const v6 = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
    assert.equal(reverseAddress(v6), '2001:db8::1');
  });

  test('an answer that does not fit is cut at a record and flagged truncated', () => {
    const q = query(queryPacket('a'.repeat(63) + '.' + 'b'.repeat(63)));
    const records = Array.from({ length: 10 }, (_, i) => ({ type: 'A' as const, data: `10.0.0.${i}` }));
    const small = answerReply(q, records, 512);
    assert.ok(small.length <= 512);
    const decoded = dnsPacket.decode(small);
    assert.equal(decoded.flag_tc, true);
    assert.ok((decoded.answers ?? []).length > 0 && (decoded.answers ?? []).length < 10);
    const whole = dnsPacket.decode(answerReply(q, records, 0xffff));
    assert.equal(whole.flag_tc, false);
    assert.equal(whole.answers?.length, 10);
    assert.equal(whole.flag_rd, true, 'RD is echoed');
    assert.equal(whole.flag_ra, true);
  });

  test("an upstream's packet answers a query only as a response with the same question", () => {
    const q = query(queryPacket('example.org', 'A', 5));
    const reply = (name: string, type: 'A' | 'AAAA', response = true) =>
      dnsPacket.encode({
        type: response ? 'response' : 'query',
        id: 5,
        questions: [{ name, type, class: 'IN' }],
      });
    assert.equal(answersQuery(reply('EXAMPLE.org', 'A'), q), true);
    assert.equal(answersQuery(reply('example.com', 'A'), q), false);
    assert.equal(answersQuery(reply('example.org', 'AAAA'), q), false);
    assert.equal(answersQuery(reply('example.org', 'A', false), q), false);
    assert.equal(answersQuery(Buffer.from([0, 5, 0x80]), q), false);
    // A failure without its question is taken; a success without one is not.
    const bare = (rcode: number) => Buffer.from([0, 5, 0x81, 0x80 | rcode, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(answersQuery(bare(5), q), true);
    assert.equal(answersQuery(bare(0), q), false);
  });
});
