/**
 * Reads an image archive in one pass, whatever order its entries come in: big files stream
 * straight into the blob store (hashed on the way, checked against their name under `blobs/`),
 * small metadata files stay in memory, symlinks (old docker saves link repeated layers) are
 * resolved at the end. A gzip- or zstd-compressed archive is read as docker reads one.
 */
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { TscomposeError } from '../../../common/errors';
import type { BlobStore } from '../blobs';
import { inflateBounded } from '../expansion';
import { DEFAULT_IMAGE_LIMITS } from '../limits';
import { compressionOfHead } from '../media';

/** Metadata files bigger than this are not JSON an archive would carry. */
const SMALL = 4 * 1024 * 1024;

export interface ArchiveFile {
  /** Stored in the blob store (every file that is not a small metadata file). */
  digest?: string;
  size: number;
  /** The bytes of a small metadata file (`*.json`, `repositories`, `oci-layout`, `VERSION`). */
  data?: Buffer;
}

export interface ArchiveContents {
  files: Map<string, ArchiveFile>;
  /** Blobs this read added to the store (the rest were there already). */
  added: Set<string>;
}

const isMetadata = (name: string): boolean =>
  !name.startsWith('blobs/') && /\.json$|^repositories$|^oci-layout$|\/VERSION$|\/json$/.test(name);

export function normalizeName(name: string): string {
  return path.posix.normalize(name.replace(/^(\.\/)+/, '')).replace(/\/+$/, '');
}

/** A name that leaves the archive (`../x`, `/etc/x`) names nothing in it: the archive is refused. */
function entryName(raw: unknown): string {
  const name = typeof raw === 'string' ? normalizeName(raw) : '';
  if (!name || name === '..' || name.startsWith('../') || name.startsWith('/') || name.includes('\0'))
    throw new TscomposeError(`entry ${JSON.stringify(raw)}: the path leaves the archive`, {
      code: 'BAD_ARCHIVE',
      kind: 'invalid-argument',
    });
  return name;
}

export async function readArchive(
  input: Readable,
  blobs: BlobStore,
  opts: { maxExpansionRatio?: number; added?: Set<string> } = {},
): Promise<ArchiveContents> {
  const files = new Map<string, ArchiveFile>();
  const links = new Map<string, string>();
  // The caller's set, so it can discard what a read that failed halfway had stored.
  const added = opts.added ?? new Set<string>();
  const extract = tar.extract();
  const reading = pipeline(await decompressed(input, opts.maxExpansionRatio), extract);
  // Its failure may come while an entry is still being written out: never an unhandled rejection.
  reading.catch(() => undefined);
  try {
    for await (const entry of extract) {
      const name = entryName(entry.header.name);
      if (entry.header.type === 'symlink' || entry.header.type === 'link') {
        const target = entry.header.linkname ?? '';
        // Old docker saves link repeated layers (`../<id>/layer.tar`): fine while it stays inside.
        links.set(
          name,
          entryName(
            entry.header.type === 'link' ? target : path.posix.join(path.posix.dirname(name), target),
          ),
        );
        entry.resume();
        continue;
      }
      if (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      const size = entry.header.size ?? 0;
      if (isMetadata(name) && size <= SMALL) {
        const parts: Buffer[] = [];
        for await (const chunk of entry as AsyncIterable<Buffer>) parts.push(chunk);
        files.set(name, { size, data: Buffer.concat(parts) });
        continue;
      }
      const named = /^blobs\/(sha256)\/([a-f0-9]{64})$/.exec(name);
      const expected = named ? `${named[1]}:${named[2]}` : undefined;
      const had = expected !== undefined && blobs.has(expected);
      const digest = await blobs.putStream(entry as unknown as Readable, { digest: expected, size });
      if (!had) added.add(digest);
      files.set(name, { digest, size });
    }
    await reading;
  } catch (err) {
    const e = err as Error;
    throw new TscomposeError(`invalid archive: ${e.message}`, {
      code: (err as TscomposeError).code === 'EXPANSION_LIMIT' ? 'EXPANSION_LIMIT' : 'BAD_ARCHIVE',
      cause: err,
      kind: 'invalid-argument',
    });
  }
  for (const [name, target] of links) {
    const file = files.get(target);
    if (file) files.set(name, file);
  }
  return { files, added };
}

/** The archive itself may be compressed (`docker save | gzip`): the first bytes say. */
async function decompressed(input: Readable, ratio: number | undefined): Promise<Readable> {
  const head = await new Promise<Buffer>((resolve, reject) => {
    const onReadable = () => {
      const chunk = input.read() as Buffer | null;
      if (chunk === null) return;
      cleanup();
      input.unshift(chunk);
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      input.off('readable', onReadable).off('end', onEnd).off('error', onError);
    };
    input.on('readable', onReadable).on('end', onEnd).on('error', onError);
  });
  const c = compressionOfHead(head);
  if (c === 'none') {
    const through = new PassThrough();
    input.on('error', (err) => through.destroy(err));
    return input.pipe(through);
  }
  return inflateBounded(input, c, {
    ratio: ratio ?? DEFAULT_IMAGE_LIMITS.maxExpansionRatio,
    what: 'the archive',
  });
}
