/**
 * Conntrack entries through ctnetlink (NFNL_SUBSYS_CTNETLINK on a NETLINK_NETFILTER socket):
 * the IPv4 entries whose original direction goes to a port, listed and deleted. A UDP flow
 * keeps the NAT its first packet got for as long as packets keep coming, so after the rules of
 * a published port change its entries must go for the next packet to meet the new rules.
 */
import { SyscallError } from '../lib';
import { AF_INET, decodeAttrs, type Attr } from './message';
import { NETLINK_NETFILTER, withNetlink } from './socket';

const NFNL_SUBSYS_CTNETLINK = 1;
const IPCTNL_MSG_CT_NEW = 0;
const IPCTNL_MSG_CT_GET = 1;
const IPCTNL_MSG_CT_DELETE = 2;
const NLA_F_NESTED = 0x8000;
const CTA_TUPLE_ORIG = 1;
const CTA_TUPLE_IP = 1;
const CTA_TUPLE_PROTO = 2;
const CTA_IP_V4_SRC = 1;
const CTA_IP_V4_DST = 2;
const CTA_PROTO_NUM = 1;
const CTA_PROTO_SRC_PORT = 2;
const CTA_PROTO_DST_PORT = 3;
const ENOENT = 2;

export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** An entry's original direction. */
export interface ConntrackTuple {
  proto: number;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
}

const ct = (msg: number): number => (NFNL_SUBSYS_CTNETLINK << 8) | msg;

/** struct nfgenmsg: family, version 0, resource id 0. */
function nfgenmsg(): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt8(AF_INET, 0);
  return b;
}

function ipv4(b: Buffer | undefined): string {
  return b && b.length >= 4 ? [...b.subarray(0, 4)].join('.') : '';
}

function port(b: Buffer | undefined): number {
  return b && b.length >= 2 ? b.readUInt16BE(0) : 0;
}

function tupleOf(payload: Buffer): ConntrackTuple | undefined {
  const orig = decodeAttrs(payload, 4).get(CTA_TUPLE_ORIG);
  if (!orig) return undefined;
  const t = decodeAttrs(orig);
  const addr = decodeAttrs(t.get(CTA_TUPLE_IP) ?? Buffer.alloc(0));
  const proto = decodeAttrs(t.get(CTA_TUPLE_PROTO) ?? Buffer.alloc(0));
  return {
    proto: proto.get(CTA_PROTO_NUM)?.readUInt8(0) ?? 0,
    src: ipv4(addr.get(CTA_IP_V4_SRC)),
    dst: ipv4(addr.get(CTA_IP_V4_DST)),
    srcPort: port(proto.get(CTA_PROTO_SRC_PORT)),
    dstPort: port(proto.get(CTA_PROTO_DST_PORT)),
  };
}

function be16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function tupleAttrs(t: ConntrackTuple): Attr[] {
  const ip = (s: string): Buffer => Buffer.from(s.split('.').map(Number));
  return [
    {
      type: CTA_TUPLE_ORIG | NLA_F_NESTED,
      value: [
        {
          type: CTA_TUPLE_IP | NLA_F_NESTED,
          value: [
            { type: CTA_IP_V4_SRC, value: ip(t.src) },
            { type: CTA_IP_V4_DST, value: ip(t.dst) },
          ],
        },
        {
          type: CTA_TUPLE_PROTO | NLA_F_NESTED,
          value: [
            { type: CTA_PROTO_NUM, value: Buffer.from([t.proto]) },
            { type: CTA_PROTO_SRC_PORT, value: be16(t.srcPort) },
            { type: CTA_PROTO_DST_PORT, value: be16(t.dstPort) },
          ],
        },
      ],
    },
  ];
}

/** The IPv4 entries of this network namespace whose original direction is `proto` to `dstPort` (at `dst`, if given). */
export function listConntrack(proto: number, dstPort: number, dst?: string): ConntrackTuple[] {
  return withNetlink(
    (s) => s.dump(ct(IPCTNL_MSG_CT_GET), nfgenmsg(), 'conntrack dump', ct(IPCTNL_MSG_CT_NEW)),
    NETLINK_NETFILTER,
  )
    .map(tupleOf)
    .filter(
      (t): t is ConntrackTuple =>
        !!t && t.proto === proto && t.dstPort === dstPort && (dst === undefined || t.dst === dst),
    );
}

/** Deletes those entries; how many went (one gone meanwhile is no error). */
export function deleteConntrack(proto: number, dstPort: number, dst?: string): number {
  const entries = listConntrack(proto, dstPort, dst);
  if (!entries.length) return 0;
  let deleted = 0;
  withNetlink((s) => {
    for (const t of entries) {
      try {
        s.request(
          ct(IPCTNL_MSG_CT_DELETE),
          0,
          nfgenmsg(),
          tupleAttrs(t),
          `conntrack delete ${t.dst}:${t.dstPort}`,
        );
        deleted++;
      } catch (err) {
        if (!(err instanceof SyscallError && err.errno === ENOENT)) throw err;
      }
    }
  }, NETLINK_NETFILTER);
  return deleted;
}
