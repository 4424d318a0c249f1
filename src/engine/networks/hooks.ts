/**
 * Where the other network pieces plug in (networks-design.md): the NAT (masquerade, published
 * ports) and the DNS server learn of networks and endpoints from the manager. Every hook is
 * optional; one that throws fails the operation that called it (create, connect) or is logged
 * (remove, disconnect, where undoing must go on).
 */

export interface NetworkInfo {
  id: string;
  name: string;
  bridge: string;
  subnet: string;
  gateway: string;
  internal: boolean;
  /** The default `bridge` network: no name resolution. */
  builtin: boolean;
}

export interface EndpointInfo {
  network: NetworkInfo;
  containerId: string;
  containerName: string;
  ip: string;
  aliases: string[];
  /** The host end of the container's veth, on the network's bridge. */
  hostVeth: string;
}

export interface NetworkHooks {
  /** After the bridge exists (also for each network at daemon start). */
  networkUp?(n: NetworkInfo): void | Promise<void>;
  /** Before the bridge goes. */
  networkDown?(n: NetworkInfo): void | Promise<void>;
  /** A running container has its interface on the network (at start, or connect while running). */
  endpointUp?(e: EndpointInfo): void | Promise<void>;
  /** The container stopped or was disconnected. */
  endpointDown?(e: EndpointInfo): void | Promise<void>;
}

/** Several pieces on the same events, in order; one that throws stops the ones after it. */
export function combineHooks(...all: (NetworkHooks | undefined)[]): NetworkHooks {
  const hooks = all.filter((h): h is NetworkHooks => h !== undefined);
  const each =
    <K extends keyof NetworkHooks>(name: K) =>
    async (arg: Parameters<NonNullable<NetworkHooks[K]>>[0]): Promise<void> => {
      for (const h of hooks)
        await (h[name] as ((a: typeof arg) => void | Promise<void>) | undefined)?.call(h, arg);
    };
  return {
    networkUp: each('networkUp'),
    networkDown: each('networkDown'),
    endpointUp: each('endpointUp'),
    endpointDown: each('endpointDown'),
  };
}
