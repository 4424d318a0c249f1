/** What the engine keeps of a volume (`volumes/<name>/volume.json`), and docker's shape of it. */
import path from 'node:path';
import type { Volume } from '../../engine-api/volume/types';

export interface VolumeRecord {
  name: string;
  driver: 'local';
  createdAt: string;
  labels: Record<string, string>;
  /** `type`, `o`, `device`: what the local driver mounts on `_data`; empty for a plain directory. */
  options: Record<string, string>;
}

export const RECORD_FILE = 'volume.json';
export const DATA_DIR = '_data';

const isStringMap = (v: unknown): v is Record<string, string> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

export function isVolumeRecord(v: unknown, name: string): v is VolumeRecord {
  const r = v as VolumeRecord;
  return (
    !!r &&
    typeof r === 'object' &&
    r.name === name &&
    r.driver === 'local' &&
    typeof r.createdAt === 'string' &&
    isStringMap(r.labels) &&
    isStringMap(r.options)
  );
}

export function toVolume(r: VolumeRecord, dir: string): Volume {
  return {
    Name: r.name,
    Driver: r.driver,
    Mountpoint: path.join(dir, r.name, DATA_DIR),
    CreatedAt: r.createdAt,
    Labels: r.labels,
    Scope: 'local',
    Options: Object.keys(r.options).length ? r.options : null,
  };
}
