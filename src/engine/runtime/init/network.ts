/**
 * The container's side of its network, done by a process already inside the namespace (the
 * init before its execve, or the connect helper): addresses on the interfaces the daemon put
 * in, links up, the default route through the first gateway.
 */
import { addAddress } from '../../../platform/linux/netlink/addresses';
import { linkIndex, setLink } from '../../../platform/linux/netlink/links';
import { addRoute } from '../../../platform/linux/netlink/routes';
import { withNetlink } from '../../../platform/linux/netlink/socket';
import type { NetworkAttachment } from '../spec';

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
