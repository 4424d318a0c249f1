/**
 * Bounds on what one image may cost the host (SECURITY.md rule 7): a layer's unpacked size, how
 * far a compressed layer may expand, and the free space unpacking must leave on the state root's
 * filesystem so the engine can still remove things on a full disk. Settable in engine.json.
 */
import type { EngineConfig } from '../engine-config';

export interface ImageLimits {
  /** Bytes of file content one layer may unpack to. */
  maxLayerSize: number;
  /** Unpacked bytes per compressed byte a layer blob may reach (a gzip or zstd bomb goes far beyond). */
  maxExpansionRatio: number;
  /** Free bytes left on the state root's filesystem, below which unpacking and ingest stop. */
  minFreeSpace: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/**
 * 64 GiB covers the largest images seen in practice (CUDA and ML stacks) without letting a layer
 * fill a disk alone; real layers compress 2–10×, text-heavy ones up to ~50×, so 1:200 leaves
 * room while a bomb (1:1000 and more) fails early; 512 MiB of reserve lets records, logs and
 * removals go on when the disk is otherwise full.
 */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxLayerSize: 64 * GiB,
  maxExpansionRatio: 200,
  minFreeSpace: 512 * MiB,
};

/** engine.json's `max-layer-size`, `max-expansion-ratio`, `min-free-space` (bytes), each optional. */
export function imageLimits(config: EngineConfig): ImageLimits {
  return {
    maxLayerSize: config['max-layer-size'] ?? DEFAULT_IMAGE_LIMITS.maxLayerSize,
    maxExpansionRatio: config['max-expansion-ratio'] ?? DEFAULT_IMAGE_LIMITS.maxExpansionRatio,
    minFreeSpace: config['min-free-space'] ?? DEFAULT_IMAGE_LIMITS.minFreeSpace,
  };
}
