/** Routes over rtnetlink: add (a default route through a gateway, or one to a subnet), delete, dump. */
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  attrU32,
  decodeAttrs,
  ipBytes,
  ipText,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_DELROUTE,
  RTM_GETROUTE,
  RTM_NEWROUTE,
  rtmsg,
  type Attr,
} from './message';
import { parseCidr } from './addresses';
import type { NetlinkSocket } from './socket';

const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_TABLE = 15;
const RT_TABLE_MAIN = 254;
const RTPROT_BOOT = 3;
const RT_SCOPE_UNIVERSE = 0;
const RT_SCOPE_LINK = 253;
const RTN_UNICAST = 1;

export interface RouteSpec {
  /** `0.0.0.0/0` (or omitted) for the default route. */
  destination?: string;
  gateway?: string;
  /** The output link's index. */
  index?: number;
}

export interface RouteInfo {
  family: 'ipv4' | 'ipv6';
  /** `10.0.0.0/8`; `0.0.0.0/0` for a default route. */
  destination: string;
  gateway?: string;
  index?: number;
  table: number;
}

function routeMessage(r: RouteSpec): { body: Buffer; attrs: Attr[]; what: string } {
  const dest = parseCidr(
    r.destination ?? (r.gateway && ipBytes(r.gateway).length === 16 ? '::/0' : '0.0.0.0/0'),
  );
  const attrs: Attr[] = [];
  if (dest.prefixLen > 0) attrs.push({ type: RTA_DST, value: ipBytes(dest.address) });
  if (r.gateway) attrs.push({ type: RTA_GATEWAY, value: ipBytes(r.gateway) });
  if (r.index !== undefined) attrs.push({ type: RTA_OIF, value: r.index });
  const body = rtmsg({
    family: dest.family,
    dstLen: dest.prefixLen,
    table: RT_TABLE_MAIN,
    protocol: RTPROT_BOOT,
    // A route without a gateway reaches its destination on the link itself.
    scope: r.gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
    type: RTN_UNICAST,
  });
  return { body, attrs, what: `${r.destination ?? 'default'}${r.gateway ? ` via ${r.gateway}` : ''}` };
}

export function addRoute(s: NetlinkSocket, r: RouteSpec): void {
  const { body, attrs, what } = routeMessage(r);
  s.request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, body, attrs, `RTM_NEWROUTE ${what}`);
}

export function deleteRoute(s: NetlinkSocket, r: RouteSpec): void {
  const { body, attrs, what } = routeMessage(r);
  s.request(RTM_DELROUTE, 0, body, attrs, `RTM_DELROUTE ${what}`);
}

/** Every route of every table (the local table's too: addresses the host answers to). */
export function listRoutes(s: NetlinkSocket): RouteInfo[] {
  return s.dump(RTM_GETROUTE, rtmsg({ family: AF_UNSPEC }), 'RTM_GETROUTE').flatMap((p) => {
    const family = p.readUInt8(0);
    if (family !== AF_INET && family !== AF_INET6) return [];
    const attrs = decodeAttrs(p, 12);
    const dst = attrs.get(RTA_DST);
    const gw = attrs.get(RTA_GATEWAY);
    const zero = family === AF_INET ? '0.0.0.0' : '0:0:0:0:0:0:0:0';
    const index = attrU32(attrs.get(RTA_OIF));
    return [
      {
        family: family === AF_INET ? ('ipv4' as const) : ('ipv6' as const),
        destination: `${dst ? ipText(dst) : zero}/${p.readUInt8(1)}`,
        ...(gw ? { gateway: ipText(gw) } : {}),
        ...(index !== undefined ? { index } : {}),
        table: attrU32(attrs.get(RTA_TABLE)) ?? p.readUInt8(4),
      },
    ];
  });
}
