/**
 * Blobs between a registry and the local BlobStore: a download streams through a progress meter
 * into `blobs.putStream`, which verifies digest and size and renames into place only then, so a
 * corrupted or interrupted transfer leaves nothing behind; an upload is a monolithic PUT, or
 * PATCH chunks and a closing PUT for big blobs, or a cross-repository mount.
 */
import fs from 'node:fs';
import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs';
import type { RegistryClient } from './client';
import type { Descriptor } from './manifests';
import type { ByteProgress } from './progress';

export async function downloadBlob(
  client: RegistryClient,
  repo: string,
  desc: Descriptor,
  blobs: BlobStore,
  progress: ByteProgress,
): Promise<void> {
  const res = await client.request('GET', `/v2/${repo}/blobs/${desc.digest}`, { expect: [200] });
  const meter = progress.stream();
  const piping = pipeline(res, meter);
  const [stored, piped] = await Promise.allSettled([
    blobs.putStream(meter, { digest: desc.digest, size: desc.size }),
    piping,
  ]);
  // The store's verdict (a digest mismatch) says more than the broken pipe it causes.
  if (stored.status === 'rejected') {
    if (!res.complete) res.destroy();
    throw piped.status === 'rejected' && !isPrematureClose(piped.reason) ? piped.reason : stored.reason;
  }
  if (piped.status === 'rejected') throw piped.reason;
  progress.finish();
}

function isPrematureClose(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

export async function blobExists(client: RegistryClient, repo: string, digest: string): Promise<boolean> {
  const res = await client.request('HEAD', `/v2/${repo}/blobs/${digest}`, { expect: [200, 404] });
  res.resume();
  return res.statusCode === 200;
}

/** True when mounted; otherwise the upload session the registry opened instead. */
export async function mountBlob(
  client: RegistryClient,
  repo: string,
  digest: string,
  from: string,
): Promise<true | URL> {
  const q = new URLSearchParams({ mount: digest, from });
  const res = await client.request('POST', `/v2/${repo}/blobs/uploads/?${q}`, { expect: [201, 202] });
  res.resume();
  return res.statusCode === 201 || location(client, res);
}

export interface UploadOptions {
  /** Blobs above this size go up in PATCH chunks of this size. */
  chunkSize: number;
  /** An upload session already open (a mount the registry refused). */
  session?: URL;
  progress: ByteProgress;
}

export async function uploadBlob(
  client: RegistryClient,
  repo: string,
  desc: Descriptor,
  file: string,
  opts: UploadOptions,
): Promise<void> {
  let at = opts.session ?? (await startUpload(client, repo));
  const octets = { 'content-type': 'application/octet-stream' };
  const put = async (body: Readable | Buffer, size: number): Promise<void> => {
    const url = new URL(at);
    url.searchParams.set('digest', desc.digest);
    const headers = { ...octets, 'content-length': size };
    const res = await client.request('PUT', url, { headers, body, expect: [201] });
    res.resume();
  };
  if (desc.size <= opts.chunkSize) {
    await put(fs.createReadStream(file).pipe(opts.progress.stream()), desc.size);
  } else {
    for (let start = 0; start < desc.size; start += opts.chunkSize) {
      const end = Math.min(start + opts.chunkSize, desc.size) - 1;
      const res = await client.request('PATCH', at, {
        headers: { ...octets, 'content-range': `${start}-${end}`, 'content-length': end - start + 1 },
        body: fs.createReadStream(file, { start, end }).pipe(opts.progress.stream()),
        expect: [202],
      });
      res.resume();
      at = location(client, res);
    }
    await put(Buffer.alloc(0), 0);
  }
  opts.progress.finish();
}

async function startUpload(client: RegistryClient, repo: string): Promise<URL> {
  const res = await client.request('POST', `/v2/${repo}/blobs/uploads/`, { expect: [202] });
  res.resume();
  return location(client, res);
}

function location(client: RegistryClient, res: http.IncomingMessage): URL {
  const loc = res.headers.location;
  if (!loc) throw new Error('the registry opened an upload without a Location');
  return client.url(loc);
}
