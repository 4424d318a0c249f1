/** Interface addresses over rtnetlink: add, delete, dump. */
import {
  AF_INET,
  AF_INET6,
  decodeAttrs,
  ifaddrmsg,
  ipBytes,
  ipText,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_DELADDR,
  RTM_GETADDR,
  RTM_NEWADDR,
  AF_UNSPEC,
  type Attr,
} from './message';
import type { NetlinkSocket } from './socket';

const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_BROADCAST = 4;

export interface AddressInfo {
  index: number;
  family: 'ipv4' | 'ipv6';
  address: string;
  prefixLen: number;
}

/** `172.18.0.2/16` → address and prefix length, checked. */
export function parseCidr(cidr: string): { address: string; prefixLen: number; family: number } {
  const [address, len, extra] = cidr.split('/');
  const bytes = ipBytes(address);
  const max = bytes.length * 8;
  const prefixLen = Number(len);
  if (extra !== undefined || !/^\d+$/.test(len ?? '') || prefixLen > max)
    throw new Error(`invalid address: ${JSON.stringify(cidr)}`);
  return { address, prefixLen, family: bytes.length === 4 ? AF_INET : AF_INET6 };
}

function broadcast(address: string, prefixLen: number): Buffer {
  const b = ipBytes(address);
  const n = (b.readUInt32BE(0) | (prefixLen >= 32 ? 0 : 0xffffffff >>> prefixLen)) >>> 0;
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n);
  return out;
}

function addressMessage(cidr: string, index: number): { body: Buffer; attrs: Attr[] } {
  const { address, prefixLen, family } = parseCidr(cidr);
  const bytes = ipBytes(address);
  const attrs: Attr[] = [
    { type: IFA_LOCAL, value: bytes },
    { type: IFA_ADDRESS, value: bytes },
  ];
  if (family === AF_INET && prefixLen < 31)
    attrs.push({ type: IFA_BROADCAST, value: broadcast(address, prefixLen) });
  return { body: ifaddrmsg({ family, prefixLen, index }), attrs };
}

export function addAddress(s: NetlinkSocket, index: number, cidr: string): void {
  const { body, attrs } = addressMessage(cidr, index);
  s.request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, body, attrs, `RTM_NEWADDR ${cidr} #${index}`);
}

export function deleteAddress(s: NetlinkSocket, index: number, cidr: string): void {
  const { body, attrs } = addressMessage(cidr, index);
  s.request(RTM_DELADDR, 0, body, attrs, `RTM_DELADDR ${cidr} #${index}`);
}

export function listAddresses(s: NetlinkSocket): AddressInfo[] {
  return s.dump(RTM_GETADDR, ifaddrmsg({ family: AF_UNSPEC }), 'RTM_GETADDR').flatMap((p) => {
    const family = p.readUInt8(0);
    const attrs = decodeAttrs(p, 8);
    const addr = attrs.get(IFA_LOCAL) ?? attrs.get(IFA_ADDRESS);
    if (!addr || (family !== AF_INET && family !== AF_INET6)) return [];
    return [
      {
        index: p.readUInt32LE(4),
        family: family === AF_INET ? ('ipv4' as const) : ('ipv6' as const),
        address: ipText(addr),
        prefixLen: p.readUInt8(1),
      },
    ];
  });
}
