/**
 * One layer tar unpacked into a directory in overlay form, keeping modes, owners, times, xattrs,
 * links, device nodes and FIFOs: a `.wh.<name>` whiteout becomes a 0:0 character device, an opaque
 * directory (`.wh..wh..opq`) gets `trusted.overlay.opaque=y`. Every entry stays inside the layer
 * directory (unpack-entry.ts); a broken tar, a bad header or a limit reached is one error, and
 * the caller removes the partial directory.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { TscomposeError } from '../../common/errors';
import { SyscallError } from '../../platform/linux/lib';
import { DEFAULT_IMAGE_LIMITS } from './limits';
import { badLayer, checkHeader, quoted, tarFailure } from './tar-checks';
import { LayerWriter, type UnpackLimits } from './unpack-entry';

export type { UnpackLimits } from './unpack-entry';

/** Resolves to the layer's size: the bytes of its files, as docker counts an image's size. */
export async function unpackLayer(
  input: Readable,
  dest: string,
  limits: UnpackLimits = DEFAULT_IMAGE_LIMITS,
): Promise<{ size: number }> {
  fs.mkdirSync(dest, { recursive: true });
  const layer = new LayerWriter(dest, limits);
  const extract = tar.extract();
  // Errors of either side reach the entry loop through the extractor; this copy only must not go unhandled.
  const feeding = pipeline(input, extract);
  feeding.catch(() => undefined);
  let current = '';
  try {
    for await (const entry of extract) {
      current = entry.header.name;
      checkHeader(entry.header, limits.maxLayerSize);
      await layer.add(entry.header, entry);
    }
    current = '';
    await feeding;
    layer.finish();
    return { size: layer.size };
  } catch (err) {
    extract.destroy();
    throw describe(tarFailure(err), current);
  } finally {
    layer.close();
  }
}

/** A refused kernel call names the entry: EXDEV is openat2 keeping a path beneath the layer. */
function describe(err: unknown, entry: string): unknown {
  if (err instanceof TscomposeError || !(err instanceof SyscallError) || !entry) return err;
  if (err.code === 'ENOSPC' || err.code === 'EDQUOT' || err.code === 'EMFILE') return err;
  if (err.code === 'EXDEV')
    return badLayer(`layer entry ${quoted(entry)} escapes the layer through a symlink`, err);
  return badLayer(`layer entry ${quoted(entry)} cannot be unpacked: ${err.syscall} ${err.code}`, err);
}
