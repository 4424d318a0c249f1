/**
 * The container's side of its network, done by a process already inside the namespace (the
 * init before its execve, or the connect helper): addresses on the interfaces the daemon put
 * in, links up, the default route through the first gateway.
 */
import fs from 'node:fs';
import { addAddress } from '../../../platform/linux/netlink/addresses';
import { linkIndex, setLink } from '../../../platform/linux/netlink/links';
import { addRoute } from '../../../platform/linux/netlink/routes';
import { withNetlink } from '../../../platform/linux/netlink/socket';
import { runNft } from '../../../platform/linux/nftables';
import type { NamespaceRules, NetworkAttachment } from '../spec';

export function configureInside(attach: readonly NetworkAttachment[], defaultRoute: boolean): void {
  withNetlink((s) => {
    for (const a of attach) {
      const index = linkIndex(s, a.ifName);
      addAddress(s, index, a.address);
      setLink(s, index, { up: true });
    }
    const via = attach.find((a) => a.gateway);
    if (defaultRoute && via?.gateway) addRoute(s, { gateway: via.gateway, index: linkIndex(s, via.ifName) });
  });
}

/**
 * The namespace's own rules (the DNS redirect). /proc/sys/net shows the namespace of the
 * process that opens it, so the host's /proc serves here before the container's is mounted.
 */
export function applyRules(rules: NamespaceRules | undefined): void {
  if (!rules) return;
  for (const key of rules.sysctls) {
    if (!/^[a-z0-9_/.-]+$/.test(key) || key.split('/').includes('..')) throw new Error(`bad sysctl ${key}`);
    fs.writeFileSync(`/proc/sys/${key}`, '1');
  }
  runNft(rules.nftables);
}
