/** One piece of a container's or an exec's output: what a multiplexed stream frame carries. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}
