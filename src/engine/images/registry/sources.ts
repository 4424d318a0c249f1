/**
 * Which repositories of which registries a blob is known to be in (learnt by pulling and
 * pushing), so a push can mount it from a sibling repository instead of uploading it again,
 * as docker's distribution metadata does. A hint only: a lost or stale entry costs an upload.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../../common/atomic';
import { checkDigest } from '../validate';

export interface BlobSource {
  domain: string;
  repository: string;
}

const MAX_SOURCES = 16;

function file(storeRoot: string, digest: string): string {
  checkDigest(digest, 'blob source');
  return path.join(storeRoot, 'distribution', `${digest.replace(/^sha256:/, '')}.json`);
}

export function sourcesOf(storeRoot: string, digest: string): BlobSource[] {
  try {
    return JSON.parse(fs.readFileSync(file(storeRoot, digest), 'utf8')) as BlobSource[];
  } catch {
    return [];
  }
}

export function recordSource(storeRoot: string, digests: string[], source: BlobSource): void {
  for (const digest of new Set(digests)) {
    const known = sourcesOf(storeRoot, digest);
    if (known.some((s) => s.domain === source.domain && s.repository === source.repository)) continue;
    writeJsonAtomic(file(storeRoot, digest), [source, ...known].slice(0, MAX_SOURCES));
  }
}
