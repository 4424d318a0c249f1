/**
 * What the embedded DNS server accepts of a query and the replies it builds itself. Every
 * packet comes from a container, so from anyone: checks run on the raw header before the
 * decoder sees the packet, and the decoder's throws become FORMERR.
 */
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

const HEADER_BYTES = 12;
const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;
const OPCODE_MASK = 0x7800;
/** A real query carries one question and at most an OPT and a TSIG/COOKIE-like extra; more is junk. */
const MAX_EXTRA_RECORDS = 4;
/** RFC 1035's UDP limit, for clients that send no EDNS OPT record. */
export const CLASSIC_UDP_BYTES = 512;
/** The most a UDP client is sent even when its OPT claims more (the DNS flag day's figure is lower still). */
const MAX_UDP_BYTES = 4096;
/** Docker's resolver answers its own names with this TTL. */
const ANSWER_TTL = 600;

export interface Query {
  id: number;
  /** The query's flags with QR, AA, TC, RA and RCODE cleared: what a reply echoes. */
  flags: number;
  question: Question;
  /** The largest UDP reply the client takes. */
  maxUdpBytes: number;
}

export type Parsed = { kind: 'drop' } | { kind: 'reply'; reply: Buffer } | { kind: 'query'; query: Query };

/** A reply made of the query's header alone: for packets whose question cannot be trusted. */
export function headerReply(packet: Buffer, rcode: number): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  packet.copy(out, 0, 0, 2);
  const flags = packet.readUInt16BE(2);
  out.writeUInt16BE(QR | (flags & (OPCODE_MASK | RD)) | RA | rcode, 2);
  return out;
}

export function parseQuery(packet: Buffer): Parsed {
  // Too short for an id: nothing to reply to.
  if (packet.length < HEADER_BYTES) return { kind: 'drop' };
  const flags = packet.readUInt16BE(2);
  // Never answer a response: two resolvers (or a spoofed source) would bounce it forever.
  if (flags & QR) return { kind: 'drop' };
  if (flags & OPCODE_MASK) return { kind: 'reply', reply: headerReply(packet, RCODE.NOTIMP) };
  const qd = packet.readUInt16BE(4);
  const an = packet.readUInt16BE(6);
  const ns = packet.readUInt16BE(8);
  const ar = packet.readUInt16BE(10);
  if (qd !== 1 || an !== 0 || ns !== 0 || ar > MAX_EXTRA_RECORDS)
    return { kind: 'reply', reply: headerReply(packet, RCODE.FORMERR) };
  let decoded: DecodedPacket;
  try {
    decoded = dnsPacket.decode(packet);
  } catch {
    return { kind: 'reply', reply: headerReply(packet, RCODE.FORMERR) };
  }
  const question = decoded.questions?.[0];
  if (!question || typeof question.name !== 'string')
    return { kind: 'reply', reply: headerReply(packet, RCODE.FORMERR) };
  let maxUdpBytes = CLASSIC_UDP_BYTES;
  for (const extra of decoded.additionals ?? []) {
    if (extra.type === 'OPT')
      maxUdpBytes = Math.min(MAX_UDP_BYTES, Math.max(CLASSIC_UDP_BYTES, extra.udpPayloadSize));
  }
  return {
    kind: 'query',
    query: { id: packet.readUInt16BE(0), flags: flags & (OPCODE_MASK | RD | 0x0010), question, maxUdpBytes },
  };
}

/** Container names are matched without regard to case and with or without the root's dot. */
export function normalizeName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

function encodeReply(
  query: Query,
  rcode: number,
  answers: Answer[],
  authoritative: boolean,
  truncated: boolean,
): Buffer {
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: query.flags | (authoritative ? AA : 0) | (truncated ? TC : 0) | RA | rcode,
    questions: [query.question],
    answers,
  });
}

/** An rcode with the question echoed (SERVFAIL when no upstream answers, NXDOMAIN, ...). */
export function rcodeReply(query: Query, rcode: number): Buffer {
  return encodeReply(query, rcode, [], false, false);
}

/**
 * Records for a name the engine knows. The name is echoed as the client wrote it (resolvers
 * that randomise its case check it). Records that would pass `maxBytes` are left out and the
 * reply says it is truncated, so the client asks again over TCP.
 */
export function answerReply(
  query: Query,
  records: { type: 'A' | 'AAAA' | 'PTR'; data: string }[],
  maxBytes: number,
): Buffer {
  const answers: Answer[] = [];
  let truncated = false;
  for (const r of records) {
    const answer: Answer = {
      type: r.type,
      name: query.question.name,
      ttl: ANSWER_TTL,
      class: 'IN',
      data: r.data,
    };
    const size = dnsPacket.encodingLength({ questions: [query.question], answers: [...answers, answer] });
    if (size > maxBytes) {
      truncated = true;
      break;
    }
    answers.push(answer);
  }
  return encodeReply(query, RCODE.NOERROR, answers, false, truncated);
}

/** The id of a packet (0 when it is too short to have one). */
export function packetId(packet: Buffer): number {
  return packet.length >= 2 ? packet.readUInt16BE(0) : 0;
}

export function withId(packet: Buffer, id: number): Buffer {
  const out = Buffer.from(packet);
  if (out.length >= 2) out.writeUInt16BE(id, 0);
  return out;
}

export function isTruncated(packet: Buffer): boolean {
  return packet.length >= HEADER_BYTES && (packet.readUInt16BE(2) & TC) !== 0;
}

/**
 * Whether an upstream's packet answers `query`: a response (QR) carrying the same question,
 * compared without regard to case, or a failure without one (servers often leave the question
 * out of FORMERR, REFUSED or SERVFAIL). Anything else is a stray or spoofed packet.
 */
export function answersQuery(packet: Buffer, query: Query): boolean {
  if (packet.length < HEADER_BYTES || !(packet.readUInt16BE(2) & QR)) return false;
  if (packet.readUInt16BE(4) === 0) return rcodeOf(packet) !== RCODE.NOERROR;
  let decoded: DecodedPacket;
  try {
    // The header and question only: the records are passed on as they are, not inspected.
    const head = Buffer.from(packet);
    head.writeUInt16BE(0, 6);
    head.writeUInt16BE(0, 8);
    head.writeUInt16BE(0, 10);
    decoded = dnsPacket.decode(head);
  } catch {
    return false;
  }
  const q = decoded.questions?.[0];
  if (decoded.questions?.length !== 1 || !q) return false;
  return (
    q.type === query.question.type &&
    q.class === query.question.class &&
    q.name.toLowerCase() === query.question.name.toLowerCase()
  );
}

export function rcodeOf(packet: Buffer): number {
  return packet.length >= HEADER_BYTES ? packet.readUInt16BE(2) & 0xf : RCODE.SERVFAIL;
}

/** `2.0.18.172.in-addr.arpa` → `172.18.0.2`; the 32 nibbles of `ip6.arpa` → an IPv6 address. */
export function reverseAddress(name: string): string | undefined {
  const n = normalizeName(name);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(n);
  if (v4) {
    const parts = [v4[4], v4[3], v4[2], v4[1]].map(Number);
    return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
  }
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(n);
  if (v6) {
    const nibbles = v6[1].split('.').slice(0, 32).reverse().join('');
    // The URL parser writes an IPv6 address in its canonical short form.
    return new URL(`http://[${(nibbles.match(/.{4}/g) ?? []).join(':')}]`).hostname.slice(1, -1);
  }
  return undefined;
}
