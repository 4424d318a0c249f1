/**
 * Docker's pull/push progress on the terminal: one line per layer id, redrawn in place with a
 * progress bar (`[=====>     ]  1.2MB/3.4MB`) when the output is a TTY; otherwise one plain
 * line per state change, leaving out the byte counts, so logs stay readable.
 */
import type { ProgressMessage } from '../../engine-api/registry/api';
import { humanSize } from './go-format';

const BAR_WIDTH = 50;

/** docker's JSONProgress.String(): 50 columns of `=` by halves of a percent, then the byte counts. */
export function progressBar(current: number, total: number): string {
  if (!(total > 0)) return current > 0 ? humanSize(current, 4) : '';
  const filled = Math.min(BAR_WIDTH, Math.floor(Math.floor((current / total) * 100) / 2));
  const bar = `[${'='.repeat(filled)}>${' '.repeat(BAR_WIDTH - filled)}]`;
  return `${bar} ${humanSize(current, 4).padStart(8)}/${humanSize(total, 4)}`;
}

/** The line docker prints for a message, without its bar when `bars` is false. */
export function progressLine(m: ProgressMessage, bars: boolean): string {
  const detail = m.progressDetail;
  const bar = bars && detail?.current !== undefined ? progressBar(detail.current, detail.total ?? 0) : '';
  const text = [m.status ?? '', bar].filter(Boolean).join(' ');
  return m.id ? `${m.id}: ${text}` : text;
}

export interface ProgressRenderer {
  (m: ProgressMessage): void;
}

export function progressRenderer(
  out: NodeJS.WriteStream = process.stdout,
  tty = !!out.isTTY,
): ProgressRenderer {
  const lines: string[] = []; // ids in the order their lines were printed
  return (m) => {
    if (m.status === undefined) return; // push's aux message carries data, not text
    const counting = m.progressDetail?.current !== undefined;
    if (!tty) {
      if (!counting) out.write(`${progressLine(m, false)}\n`);
      return;
    }
    const at = m.id ? lines.indexOf(m.id) : -1;
    if (at < 0) {
      if (m.id) lines.push(m.id);
      else lines.push('');
      out.write(`${progressLine(m, true)}\n`);
      return;
    }
    const up = lines.length - at;
    // Up to the layer's line, clear it, write, and back down below the last line.
    out.write(`\x1b[${up}A\r\x1b[2K${progressLine(m, true)}\r\x1b[${up}B`);
  };
}
