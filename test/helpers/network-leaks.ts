/**
 * The network part of the leak sweep: what an engine rooted at `root` adds to the host's network
 * and must take away again — its links (bridges, host veths: its tag in their names), its
 * nftables table (while it runs, only rules of the networks and publishing containers its
 * records hold; once it is stopped, no table at all), and sockets its process listens on
 * (userland proxies, DNS listeners) that no published port or network accounts for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { linksNamed, removeLinks } from '../../src/engine/networks/bridge';
import { Nat, natTableName } from '../../src/engine/networks/nat';
import { bridgePrefix, vethPrefix } from '../../src/engine/networks/names';
import { NetworkStore, type NetworkRecord } from '../../src/engine/networks/store';
import { nftAvailable } from '../../src/platform/linux/nftables';

/** The engine the sweep looks at. */
export interface EngineState {
  /**
   * Whether it runs now; a stopped engine has no nftables table. Unknown (undefined): the
   * table's rules are checked as for a running engine.
   */
  up?: boolean;
  /**
   * The process it runs in (the daemon's; the test's own for an in-process engine). A daemon's
   * every listening socket is checked; in the test's own process only those on a wildcard or
   * a non-loopback address, as tests run their own helpers (registries, DNS upstreams) on loopback.
   */
  pid?: number;
}

/** The engine's bridges and host veths (its tag in their names). */
function engineLinks(root: string): string[] {
  return [...linksNamed(bridgePrefix(root)), ...linksNamed(vethPrefix(root))];
}

/** Removes them: what a test does with the root once its engine is gone. */
export function removeEngineLinks(root: string): void {
  removeLinks(engineLinks(root));
}

function records(root: string): NetworkRecord[] {
  return new NetworkStore(path.join(root, 'networks')).all();
}

/** Links of the engine that no network record or kept container accounts for. */
function leakedLinks(root: string, nets: NetworkRecord[], containerIds: readonly string[]): string[] {
  const kept = new Set<string>();
  for (const n of nets) {
    kept.add(n.bridge);
    for (const [id, e] of Object.entries(n.endpoints)) if (containerIds.includes(id)) kept.add(e.hostVeth);
  }
  return engineLinks(root).filter((l) => !kept.has(l));
}

/** Host ports (`proto/port`) that kept containers publish now, by their records. */
function publishedPorts(nets: NetworkRecord[], containerIds: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const n of nets)
    for (const [id, e] of Object.entries(n.endpoints)) {
      if (!containerIds.includes(id)) continue;
      for (const [key, bindings] of Object.entries(e.published?.ports ?? {}))
        for (const b of bindings ?? []) out.add(`${key.split('/')[1] ?? 'tcp'}/${b.HostPort}`);
    }
  return out;
}

/** The table's rules no record accounts for; the table itself when the engine is stopped. */
function leakedRules(
  root: string,
  nets: NetworkRecord[],
  containerIds: readonly string[],
  up: boolean | undefined,
): string[] {
  if (!nftAvailable()) return [];
  const nat = new Nat(root);
  let rules: ReturnType<Nat['rules']>;
  try {
    rules = nat.rules();
  } catch {
    return []; // no table
  }
  if (up === false) return [`nftables table inet ${natTableName(root)} (the engine is stopped)`];
  const owners = new Set(nets.map((n) => `net:${n.bridge}`));
  for (const n of nets)
    for (const [id, e] of Object.entries(n.endpoints))
      if (containerIds.includes(id) && e.published) owners.add(`ctr:${id}`);
  const stray = rules.filter((r) => r.comment && !owners.has(r.comment));
  return [...new Set(stray.map((r) => `nftables rules of ${r.comment}`))];
}

interface Socket {
  proto: 'tcp' | 'udp';
  address: string;
  port: number;
  inode: string;
}

/** /proc/net's hex address: IPv4 as one little-endian word, IPv6 as four. */
function hexAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [...(w.match(/../g) ?? [])].reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  const v6 = groups.join(':');
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(v6);
  if (mapped) return bytes.slice(12).join('.');
  return v6 === '0:0:0:0:0:0:0:0' ? '::' : v6;
}

/** Listening TCP and bound UDP sockets of `pid`'s network namespace. */
function boundSockets(pid: number): Socket[] {
  const out: Socket[] = [];
  for (const proto of ['tcp', 'udp'] as const)
    for (const file of [proto, `${proto}6`]) {
      let text: string;
      try {
        text = fs.readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f.length < 10 || (proto === 'tcp' && f[3] !== '0A')) continue;
        const [addr, port] = f[1].split(':');
        out.push({ proto, address: hexAddress(addr), port: parseInt(port, 16), inode: f[9] });
      }
    }
  return out;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** Sockets the engine's process listens on that no published port or DNS listener explains. */
function leakedListeners(nets: NetworkRecord[], containerIds: readonly string[], pid: number): string[] {
  const mine = socketInodes(pid);
  const published = publishedPorts(nets, containerIds);
  // A UDP proxy relays each client through a socket of its own (an ephemeral port).
  const udpFlows = [...published].some((p) => p.startsWith('udp/'));
  // The DNS server listens on the gateway of a user-defined network while containers are on it.
  const gateways = new Set(
    nets
      .filter((n) => !n.builtin && Object.keys(n.endpoints).some((id) => containerIds.includes(id)))
      .map((n) => n.IPAM.Config[0]?.Gateway ?? ''),
  );
  const daemon = pid !== process.pid;
  return boundSockets(pid)
    .filter((s) => mine.has(s.inode))
    .filter((s) => daemon || !(s.address.startsWith('127.') || s.address === '0:0:0:0:0:0:0:1'))
    .filter((s) => !published.has(`${s.proto}/${s.port}`) && !gateways.has(s.address))
    .filter((s) => !(s.proto === 'udp' && udpFlows))
    .map((s) => `${s.proto} ${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}`);
}

/** What is left of the engine's networking; [] when clean. `containerIds`: containers still kept. */
export function findNetworkLeaks(
  root: string,
  containerIds: readonly string[],
  engine: EngineState,
): string[] {
  const problems: string[] = [];
  const nets = records(root);
  const links = leakedLinks(root, nets, containerIds);
  if (links.length) problems.push(`network links: ${links.join(', ')}`);
  const rules = leakedRules(root, nets, containerIds, engine.up);
  if (rules.length) problems.push(`nftables: ${rules.join(', ')}`);
  if (engine.pid && fs.existsSync(`/proc/${engine.pid}`)) {
    const listeners = leakedListeners(nets, containerIds, engine.pid);
    if (listeners.length) problems.push(`listeners of the engine: ${listeners.join(', ')}`);
  }
  return problems;
}
