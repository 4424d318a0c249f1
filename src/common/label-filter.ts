/** Docker's `label` filter value: `k` (the label is there) or `k=v` (with that value). */
export function hasLabel(labels: Record<string, string>, v: string): boolean {
  const i = v.indexOf('=');
  return i < 0 ? v in labels : labels[v.slice(0, i)] === v.slice(i + 1);
}
