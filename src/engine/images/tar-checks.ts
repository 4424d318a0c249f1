/**
 * What tar-stream lets through and the unpacker must not trust: it parses sizes and numbers
 * loosely (`parseInt` of a PAX `size`, base-256 fields up to 2^88, NaN from garbage), so every
 * header is checked here before anything is created from it.
 */
import type * as tar from 'tar-stream';
import { TscomposeError } from '../../common/errors';

/** An entry's name (or any value from the tar) for a message: quoted, at most ~200 characters. */
export const quoted = (value: string): string =>
  JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);

export const badLayer = (message: string, cause?: unknown): TscomposeError =>
  new TscomposeError(message, { code: 'BAD_LAYER', cause });

/**
 * Real layers nest a few dozen levels at most; a tree thousands deep is an attack on whatever
 * walks it later (Node's recursive rm overflows its stack near 2000 levels, `image rm` would fail).
 */
export const MAX_DEPTH = 256;

const MAX_ID = 0xffff_fffe; // (uid_t)-1 means "leave unchanged" to chown
const MAX_DEV = 0xffff_ffff;

function integer(name: string, field: string, value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw badLayer(`layer entry ${quoted(name)} has a bad ${field} (${String(value)})`);
  }
}

/** Throws a BAD_LAYER error naming the entry and the field that is out of range. */
export function checkHeader(header: tar.Header, maxLayerSize: number): void {
  const name = header.name;
  if (typeof name !== 'string' || name === '' || name.includes('\0')) {
    throw badLayer(`layer entry ${quoted(String(name))} has no usable name`);
  }
  for (const [field, p] of [
    ['name', name],
    ['link target', header.type === 'link' ? header.linkname : ''],
  ]) {
    if (p && p.split('/').filter(Boolean).length > MAX_DEPTH) {
      throw badLayer(`layer entry ${quoted(name)} has a ${field} deeper than ${MAX_DEPTH} levels`);
    }
  }
  const paxSize = (header.pax as Record<string, string> | null | undefined)?.size;
  if (paxSize !== undefined && !/^\d{1,16}$/.test(paxSize)) {
    throw badLayer(`layer entry ${quoted(name)} has a bad PAX size (${quoted(paxSize)})`);
  }
  integer(name, 'size', header.size, Number.MAX_SAFE_INTEGER);
  if ((header.size ?? 0) > maxLayerSize) {
    throw badLayer(
      `layer entry ${quoted(name)} claims ${header.size} bytes, more than the layer limit (${maxLayerSize}, max-layer-size)`,
    );
  }
  integer(name, 'mode', header.mode, 0o7777777);
  integer(name, 'uid', header.uid, MAX_ID);
  integer(name, 'gid', header.gid, MAX_ID);
  integer(name, 'device major', header.devmajor, MAX_DEV);
  integer(name, 'device minor', header.devminor, MAX_DEV);
  if (header.mtime !== undefined && !Number.isFinite(header.mtime.getTime())) {
    throw badLayer(`layer entry ${quoted(name)} has a bad modification time`);
  }
  if ((header.type === 'link' || header.type === 'symlink') && !header.linkname) {
    throw badLayer(`layer entry ${quoted(name)} is a link without a target`);
  }
}

/**
 * tar-stream's own failures are plain Errors ("Unexpected end of data", "Invalid tar header…",
 * "Header exceeds max size"): a layer that is cut or not a tar.
 */
export function tarFailure(err: unknown): unknown {
  if (err instanceof TscomposeError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/^(Unexpected end of data|Invalid (tar )?header|Header exceeds max size)/.test(msg)) {
    const cut = msg.startsWith('Unexpected end');
    return badLayer(cut ? 'layer tar ends inside an entry (truncated)' : `layer tar is broken: ${msg}`, err);
  }
  return err;
}
