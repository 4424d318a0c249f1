/**
 * The network records, one private JSON file each under `<root>/networks/<id>.json`, written
 * atomically. A network's endpoints (the containers on it, their addresses) live in its record:
 * addresses in use are exactly those of its endpoints.
 */
import fs from 'node:fs';
import type { PublishedPorts } from './container-ports';
import { RecordStore } from '../state/records';
import type { IpamConfig } from '../../engine-api/network/types';

export interface EndpointRecord {
  /** The container's name when it was connected (docker's Containers[].Name). */
  name: string;
  endpointId: string;
  ip: string;
  mac: string;
  aliases: string[];
  hostVeth: string;
  /** eth0, eth1, ... inside the container. */
  ifName: string;
  /** The address asked for (IPAMConfig.IPv4Address), kept as docker keeps it. */
  requestedIp?: string;
  /** The ports published on this address while the container runs (its first network only). */
  published?: PublishedPorts;
}

export interface NetworkRecord {
  Id: string;
  Name: string;
  Driver: 'bridge';
  Internal: boolean;
  EnableIPv6: boolean;
  Attachable: boolean;
  Labels: Record<string, string>;
  Options: Record<string, string>;
  IPAM: { Config: IpamConfig[]; Options?: Record<string, string> };
  /** Whether the user chose the subnet (a static address needs one: docker's rule). */
  userSubnet: boolean;
  bridge: string;
  mtu: number;
  created: string;
  /** The engine's own default network (`bridge`): never removed, no name resolution. */
  builtin?: boolean;
  endpoints: Record<string, EndpointRecord>;
  /** Where the IPAM's next search starts: a freed address is not handed out again at once. */
  ipamNext?: string;
  /**
   * The port of the embedded DNS server's listener on the gateway: a restarted daemon listens
   * there again, where running containers' redirects point.
   */
  dnsPort?: number;
}

function isNetworkRecord(r: unknown): boolean {
  const n = r as NetworkRecord;
  return (
    !!n &&
    typeof n === 'object' &&
    typeof n.Id === 'string' &&
    typeof n.Name === 'string' &&
    typeof n.bridge === 'string' &&
    Array.isArray(n.IPAM?.Config) &&
    !!n.endpoints &&
    typeof n.endpoints === 'object'
  );
}

export class NetworkStore {
  private readonly records: RecordStore;

  constructor(dir: string) {
    this.records = new RecordStore(dir);
  }

  /** Every readable record; one that cannot be read is left where it is and named to `onBad`. */
  all(onBad?: (id: string, why: string) => void): NetworkRecord[] {
    const { records, unreadable } = this.records.readAll();
    for (const u of unreadable) onBad?.(u.id, u.reason);
    const good: NetworkRecord[] = [];
    for (const { id, raw } of records) {
      if (isNetworkRecord(raw) && (raw as NetworkRecord).Id === id) good.push(raw as NetworkRecord);
      else onBad?.(id, 'not a network record of the expected shape');
    }
    return good;
  }

  get(id: string): NetworkRecord | undefined {
    try {
      const raw: unknown = JSON.parse(fs.readFileSync(this.records.file(id), 'utf8'));
      return isNetworkRecord(raw) ? (raw as NetworkRecord) : undefined;
    } catch {
      return undefined;
    }
  }

  put(record: NetworkRecord): void {
    this.records.write(record.Id, record);
  }

  remove(id: string): void {
    this.records.remove(id);
  }
}
