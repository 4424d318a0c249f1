/**
 * Names of what the engine makes outside its state root (bridges, veths, the nft table): all
 * carry a tag derived from TSCOMPOSE_ROOT, as the cgroup parent does, so engines with different
 * roots never touch each other's, and a sweep finds exactly its own. Linux allows 15 bytes.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

/** 6 hex of sha256 of the absolute state root. */
export function engineTag(root: string): string {
  return createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 6);
}

/** `tsc<tag>-<5 hex of the network id>`: 15 bytes. */
export function bridgeName(root: string, networkId: string): string {
  return `${bridgePrefix(root)}${networkId.slice(0, 5)}`;
}

export function bridgePrefix(root: string): string {
  return `tsc${engineTag(root)}-`;
}

/** `tv<tag><5 hex>` of one container on one network: 13 bytes. */
export function hostVethName(root: string, containerId: string, networkId: string): string {
  const h = createHash('sha256').update(`${containerId}/${networkId}`).digest('hex').slice(0, 5);
  return `${vethPrefix(root)}${h}`;
}

export function vethPrefix(root: string): string {
  return `tv${engineTag(root)}`;
}
