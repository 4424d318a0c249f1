/**
 * Inside a container on a user-defined network, 127.0.0.11:53 (its resolv.conf's nameserver,
 * as in docker) leads to the engine's DNS listener on the network's gateway. The container's
 * namespace gets nft rules for it, run by init through platform/linux/nftables.ts.
 *
 * A query to 127.0.0.11 leaves with source 127.0.0.1; after the DNAT it goes out of eth0, which
 * the kernel allows only with route_localnet, and the gateway would drop a loopback source as
 * a martian, so it is masqueraded to the container's address (which is also how the server
 * knows the client). Replies are undone by conntrack on the way back.
 */
import net from 'node:net';

export const EMBEDDED_DNS_ADDRESS = '127.0.0.11';
export const REDIRECT_TABLE = 'tscompose_dns';

/**
 * sysctls (under /proc/sys) init sets to 1 in the container's namespace before loading the
 * rules: route_localnet for every interface (`all` is or'ed with each device's own value).
 */
export const REDIRECT_SYSCTLS = ['net/ipv4/conf/all/route_localnet'];

export interface RedirectTarget {
  /** The network's gateway: where the engine's DNS server listens. */
  gateway: string;
  /** The port it listens on there (the same for UDP and TCP). */
  port: number;
}

/**
 * The ruleset text, for the `ip` family (127.0.0.11 is IPv4 only). It replaces any earlier copy
 * of the table in one transaction, so running it again (a reconnect, a new port after an engine
 * restart) leaves one set of rules.
 */
export function dnsRedirectRuleset({ gateway, port }: RedirectTarget): string {
  if (!net.isIPv4(gateway))
    throw new Error(`dns redirect: the gateway must be an IPv4 address, got ${JSON.stringify(gateway)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`dns redirect: bad port ${port}`);
  const t = REDIRECT_TABLE;
  return [
    `table ip ${t}`,
    `delete table ip ${t}`,
    `table ip ${t} {`,
    `\tchain output {`,
    `\t\ttype nat hook output priority -100; policy accept;`,
    `\t\tip daddr ${EMBEDDED_DNS_ADDRESS} udp dport 53 dnat to ${gateway}:${port}`,
    `\t\tip daddr ${EMBEDDED_DNS_ADDRESS} tcp dport 53 dnat to ${gateway}:${port}`,
    `\t}`,
    `\tchain postrouting {`,
    `\t\ttype nat hook postrouting priority 100; policy accept;`,
    `\t\tip saddr 127.0.0.0/8 ip daddr ${gateway} meta l4proto { tcp, udp } th dport ${port} masquerade`,
    `\t}`,
    `}`,
    '',
  ].join('\n');
}
