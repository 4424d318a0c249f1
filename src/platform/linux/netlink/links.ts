/** Links over rtnetlink: bridges, veth pairs (the peer made directly in another namespace), master, MTU, MAC, up/down, delete, dump. */
import {
  attrString,
  attrU32,
  decodeAttrs,
  encodeAttrs,
  ifinfomsg,
  macBytes,
  macText,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_DELLINK,
  RTM_GETLINK,
  RTM_NEWLINK,
  type Attr,
} from './message';
import type { NetlinkSocket } from './socket';

const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_MASTER = 10;
const IFLA_LINKINFO = 18;
const IFLA_NET_NS_PID = 19;
const IFLA_NET_NS_FD = 28;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const VETH_INFO_PEER = 1;
const IFF_UP = 0x1;
/** IFNAMSIZ less the NUL. */
const IFNAME_MAX = 15;

export interface LinkInfo {
  index: number;
  name: string;
  /** 'bridge', 'veth', ... ('' for a device without one, such as lo). */
  kind: string;
  up: boolean;
  mtu?: number;
  mac?: string;
  /** The index of the bridge it is a port of. */
  master?: number;
}

/** Where the other end of a veth is made: a process's network namespace, or a namespace's descriptor. */
export type NamespaceRef = { pid: number } | { fd: number };

function checkName(name: string): string {
  if (!name || Buffer.byteLength(name) > IFNAME_MAX || /[\s/:\0]/.test(name))
    throw new Error(`invalid interface name: ${JSON.stringify(name)}`);
  return name;
}

function nsAttr(ns: NamespaceRef): Attr {
  return 'pid' in ns ? { type: IFLA_NET_NS_PID, value: ns.pid } : { type: IFLA_NET_NS_FD, value: ns.fd };
}

function common(o: { mtu?: number; mac?: string }): Attr[] {
  const attrs: Attr[] = [];
  if (o.mtu !== undefined) attrs.push({ type: IFLA_MTU, value: o.mtu });
  if (o.mac !== undefined) attrs.push({ type: IFLA_ADDRESS, value: macBytes(o.mac) });
  return attrs;
}

export function createBridge(s: NetlinkSocket, name: string, o: { mtu?: number; mac?: string } = {}): void {
  s.request(
    RTM_NEWLINK,
    NLM_F_CREATE | NLM_F_EXCL,
    ifinfomsg(),
    [
      { type: IFLA_IFNAME, value: checkName(name) },
      ...common(o),
      { type: IFLA_LINKINFO, value: [{ type: IFLA_INFO_KIND, value: 'bridge' }] },
    ],
    `RTM_NEWLINK bridge ${name}`,
  );
}

export interface VethOptions {
  /** The end that stays here. */
  name: string;
  /** Its bridge's index (the host end becomes a port of it). */
  master?: number;
  mtu?: number;
  peer: { name: string; ns?: NamespaceRef; mtu?: number; mac?: string };
}

/**
 * A veth pair in one request: the peer is born in its namespace under its final name (eth0 in
 * a container), so nothing with that name ever exists here and no rename is needed.
 */
export function createVeth(s: NetlinkSocket, o: VethOptions): void {
  const peer: Attr[] = [
    { type: IFLA_IFNAME, value: checkName(o.peer.name) },
    ...common(o.peer),
    ...(o.peer.ns ? [nsAttr(o.peer.ns)] : []),
  ];
  s.request(
    RTM_NEWLINK,
    NLM_F_CREATE | NLM_F_EXCL,
    ifinfomsg(),
    [
      { type: IFLA_IFNAME, value: checkName(o.name) },
      ...common({ mtu: o.mtu }),
      ...(o.master !== undefined ? [{ type: IFLA_MASTER, value: o.master }] : []),
      {
        type: IFLA_LINKINFO,
        value: [
          { type: IFLA_INFO_KIND, value: 'veth' },
          {
            type: IFLA_INFO_DATA,
            // VETH_INFO_PEER holds an ifinfomsg and then attributes, not attributes alone.
            value: [{ type: VETH_INFO_PEER, value: Buffer.concat([ifinfomsg(), encodeAttrs(peer)]) }],
          },
        ],
      },
    ],
    `RTM_NEWLINK veth ${o.name}`,
  );
}

/** Changes of one existing link: up or down, MTU, MAC, master (0: none). */
export function setLink(
  s: NetlinkSocket,
  index: number,
  o: { up?: boolean; mtu?: number; mac?: string; master?: number },
): void {
  const attrs = common(o);
  if (o.master !== undefined) attrs.push({ type: IFLA_MASTER, value: o.master });
  const flags = o.up === undefined ? 0 : o.up ? IFF_UP : 0;
  const change = o.up === undefined ? 0 : IFF_UP;
  s.request(RTM_NEWLINK, 0, ifinfomsg({ index, flags, change }), attrs, `RTM_NEWLINK #${index}`);
}

const AF_BRIDGE = 7;
const RTM_SETLINK = 19;
const IFLA_PROTINFO = 12;
const NLA_F_NESTED = 0x8000;
const IFLA_BRPORT_MODE = 4;

/**
 * Hairpin mode on a bridge port (`bridge link set dev X hairpin on`): the bridge may send a frame
 * back out of the port it came in on, so a container reaches a DNATed address of its own network.
 */
export function setHairpin(s: NetlinkSocket, index: number, on: boolean): void {
  const mode = Buffer.from([on ? 1 : 0]);
  s.request(
    RTM_SETLINK,
    0,
    ifinfomsg({ family: AF_BRIDGE, index }),
    [{ type: IFLA_PROTINFO | NLA_F_NESTED, value: [{ type: IFLA_BRPORT_MODE, value: mode }] }],
    `RTM_SETLINK hairpin #${index}`,
  );
}

export function deleteLink(s: NetlinkSocket, index: number): void {
  s.request(RTM_DELLINK, 0, ifinfomsg({ index }), [], `RTM_DELLINK #${index}`);
}

function parseLink(p: Buffer): LinkInfo {
  const attrs = decodeAttrs(p, 16);
  const info = attrs.get(IFLA_LINKINFO);
  const mac = attrs.get(IFLA_ADDRESS);
  const master = attrU32(attrs.get(IFLA_MASTER));
  return {
    index: p.readInt32LE(4),
    name: attrString(attrs.get(IFLA_IFNAME)) ?? '',
    kind: (info && attrString(decodeAttrs(info).get(IFLA_INFO_KIND))) ?? '',
    up: (p.readUInt32LE(8) & IFF_UP) !== 0,
    mtu: attrU32(attrs.get(IFLA_MTU)),
    ...(mac && mac.length === 6 ? { mac: macText(mac) } : {}),
    ...(master ? { master } : {}),
  };
}

export function listLinks(s: NetlinkSocket): LinkInfo[] {
  return s.dump(RTM_GETLINK, ifinfomsg(), 'RTM_GETLINK').map(parseLink);
}

export function findLink(s: NetlinkSocket, name: string): LinkInfo | undefined {
  return listLinks(s).find((l) => l.name === name);
}

/** The index of a link that must exist; ENODEV's words otherwise. */
export function linkIndex(s: NetlinkSocket, name: string): number {
  const link = findLink(s, name);
  if (!link) throw new Error(`no such network interface: ${name}`);
  return link.index;
}
