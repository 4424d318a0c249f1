/**
 * `--progress plain`, and what `auto` gives when stderr is not a terminal: one line per state
 * change, so a CI log reads as a history (`Container demo-web-1  Started`).
 */
import type { ProgressEvent, ProgressSink } from '../../../compose/progress';

export function plainLine(e: ProgressEvent, dryRun = false): string {
  const line = `${e.id}  ${e.status}${e.text ? ` ${e.text}` : ''}`;
  return dryRun ? `DRY-RUN MODE - ${line}` : line;
}

export function plainSink(out: NodeJS.WritableStream, dryRun = false): ProgressSink {
  return {
    emit: (e) => void out.write(`${plainLine(e, dryRun)}\n`),
    done: () => Promise.resolve(),
  };
}
