/**
 * The daemon's part of a container's network: veths made with their peer directly in the
 * container's network namespace (by its PID 1's pid, never by entering it) and their host end a
 * port of the bridge, up. The container's side (addresses, routes) is configured from inside.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { createVeth, deleteLink, findLink, setLink } from '../../platform/linux/netlink/links';
import { withNetlink, type NetlinkSocket } from '../../platform/linux/netlink/socket';
import { helperExecutable } from './sealed-exe';
import type { NamespaceRules, NetworkAttachment } from './spec';

function removeIfThere(s: NetlinkSocket, name: string): void {
  const link = findLink(s, name);
  if (link) deleteLink(s, link.index);
}

/** Puts each attachment's veth in; on failure none stays. */
export function wireAttachments(attach: readonly NetworkAttachment[], pid: number): void {
  withNetlink((s) => {
    const made: string[] = [];
    try {
      for (const a of attach) {
        const bridge = findLink(s, a.bridge);
        if (!bridge) throw new Error(`network bridge ${a.bridge} is missing`);
        // A namespace that just died frees its veths a little later; the name is ours alone.
        removeIfThere(s, a.hostVeth);
        createVeth(s, {
          name: a.hostVeth,
          master: bridge.index,
          mtu: a.mtu,
          peer: { name: a.ifName, ns: { pid }, mtu: a.mtu, mac: a.mac },
        });
        made.push(a.hostVeth);
        const host = findLink(s, a.hostVeth);
        if (host) setLink(s, host.index, { up: true });
      }
    } catch (err) {
      for (const name of made) {
        try {
          removeIfThere(s, name);
        } catch {
          // gone with its namespace
        }
      }
      throw err;
    }
  });
}

/** Deletes host veths (each takes its peer in the container with it); those already gone are fine. */
export function unwireAttachments(hostVeths: readonly string[]): void {
  withNetlink((s) => {
    for (const name of hostVeths) removeIfThere(s, name);
  });
}

const NETNS_HELPER = path.join(__dirname, 'netns-helper', 'main.js');

/** Runs the helper that enters the namespace of `pid` and configures `attach`, then loads `rules`. */
function runHelper(pid: number, attach: readonly NetworkAttachment[], rules?: NamespaceRules): Promise<void> {
  const args = [NETNS_HELPER, String(pid), JSON.stringify(attach), ...(rules ? [JSON.stringify(rules)] : [])];
  return new Promise<void>((resolve, reject) => {
    execFile(helperExecutable(), args, { env: {}, timeout: 60_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve();
    });
  });
}

/**
 * Attaches a running container (pid: its PID 1): veths in from here, their inside configured by
 * a helper process that enters the namespace (with `rules`, when given). On failure the veths go again.
 */
export async function attachRunning(
  pid: number,
  attach: readonly NetworkAttachment[],
  rules?: NamespaceRules,
): Promise<void> {
  wireAttachments(attach, pid);
  try {
    await runHelper(pid, attach, rules);
  } catch (err) {
    unwireAttachments(attach.map((a) => a.hostVeth));
    throw err;
  }
}

/** Loads `rules` in the namespace of a running container (its DNS redirect changed). */
export function applyRulesIn(pid: number, rules: NamespaceRules): Promise<void> {
  return runHelper(pid, [], rules);
}
