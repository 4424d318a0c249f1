/**
 * Docker prints its tables through Go's text/tabwriter: every cell but a line's last is padded
 * to its column's widest cell plus the padding, and never below the minimum width. Widths count
 * characters, not UTF-16 units, so an ellipsis is one column.
 */
export interface TableLayout {
  minWidth: number;
  padding: number;
}

const width = (s: string): number => [...s].length;

export function tabulate(rows: string[][], layout: TableLayout): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? layout.minWidth, width(cell) + layout.padding);
    });
  }
  const line = (row: string[]): string =>
    row.map((cell, i) => (i < row.length - 1 ? cell + ' '.repeat(widths[i] - width(cell)) : cell)).join('');
  return rows.map((row) => `${line(row)}\n`).join('');
}
