/**
 * nftables through Debian's libnftables (the library the `nft` binary is a thin shell over), so
 * the engine never spawns `nft`. One context per call: a context's netlink socket is bound to
 * the network namespace it was made in, and a caller in another namespace (init, inside a
 * container) must get its own.
 */
import { koffi } from './lib';

type NftLib = {
  ctxNew: (flags: number) => unknown;
  ctxFree: (ctx: unknown) => void;
  bufferOutput: (ctx: unknown) => number;
  bufferError: (ctx: unknown) => number;
  setOutputFlags: (ctx: unknown, flags: number) => void;
  run: (ctx: unknown, text: string) => number;
  output: (ctx: unknown) => string | null;
  error: (ctx: unknown) => string | null;
};

let lib: NftLib | undefined;
let loadError: string | undefined;

function load(): NftLib {
  if (lib) return lib;
  if (loadError) throw new NftError(loadError);
  try {
    const so = koffi.load('libnftables.so.1');
    koffi.opaque('nft_ctx');
    lib = {
      ctxNew: so.func('nft_ctx *nft_ctx_new(uint32_t flags)'),
      ctxFree: so.func('void nft_ctx_free(nft_ctx *ctx)'),
      bufferOutput: so.func('int nft_ctx_buffer_output(nft_ctx *ctx)'),
      bufferError: so.func('int nft_ctx_buffer_error(nft_ctx *ctx)'),
      setOutputFlags: so.func('void nft_ctx_output_set_flags(nft_ctx *ctx, unsigned int flags)'),
      run: so.func('int nft_run_cmd_from_buffer(nft_ctx *ctx, const char *buf)'),
      output: so.func('const char *nft_ctx_get_output_buffer(nft_ctx *ctx)'),
      error: so.func('const char *nft_ctx_get_error_buffer(nft_ctx *ctx)'),
    };
    return lib;
  } catch (err) {
    loadError = `nftables is not available (install Debian's libnftables1): ${(err as Error).message}`;
    throw new NftError(loadError);
  }
}

export class NftError extends Error {
  override name = 'NftError';
}

/** Output flags of libnftables (`enum nft_output_flags`). */
export const NFT_OUTPUT_HANDLE = 1 << 3;
export const NFT_OUTPUT_JSON = 1 << 4;

/**
 * libnftables reports each error as the message, a copy of a command and a line of carets; the
 * copy is unreliable for buffer input (1.0.6 echoes the buffer's first line), so only the
 * messages are kept, joined on one line.
 */
function oneLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => l.startsWith('Error:')).map((l) => l.replace(/^Error:\s*/, ''));
  return errors.length
    ? [...new Set(errors)].join('; ')
    : lines.join(' ').trim() || 'nftables refused the commands';
}

/**
 * Runs ruleset text as one transaction (all of it or none) and returns what it printed.
 * `flags` are output flags (e.g. NFT_OUTPUT_JSON for listings). Throws NftError with one line.
 */
export function runNft(text: string, flags = 0): string {
  const l = load();
  const ctx = l.ctxNew(0);
  if (!ctx) throw new NftError('nft_ctx_new failed');
  try {
    l.bufferOutput(ctx);
    l.bufferError(ctx);
    if (flags) l.setOutputFlags(ctx, flags);
    const rc = l.run(ctx, text);
    if (rc !== 0) throw new NftError(`nftables: ${oneLine(l.error(ctx) ?? '')}`);
    return l.output(ctx) ?? '';
  } finally {
    l.ctxFree(ctx);
  }
}

/** Whether libnftables can be loaded at all (for a clear refusal before any work). */
export function nftAvailable(): boolean {
  try {
    load();
    return true;
  } catch {
    return false;
  }
}
