/** Runs `fn` over `items`, at most `limit` at once (docker compose's errgroup SetLimit); every call ends before it resolves. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  const workers = Math.max(1, Math.min(items.length, Number.isFinite(limit) ? limit : items.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
