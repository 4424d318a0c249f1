/**
 * `--progress json`: one object a line, in the shape of docker compose's jsonMessage
 * (`cmd/display/json.go`): `status` is the step's state (Working, Done, Warning, Error), `text`
 * the status word, `details` the rest; empty fields are left out, as Go's omitempty does.
 */
import type { ProgressEvent, ProgressSink } from '../../../compose/progress';
import { goJson } from '../../format/go-format';

function state(e: ProgressEvent): string {
  if (e.error) return 'Error';
  if (e.status === 'Warning') return 'Warning';
  return e.done ? 'Done' : 'Working';
}

export function jsonLine(e: ProgressEvent, dryRun = false): string {
  const message: Record<string, unknown> = {};
  if (dryRun) message['dry-run'] = true;
  message.id = e.id;
  message.status = state(e);
  message.text = e.status;
  if (e.text) message.details = e.text;
  return goJson(message);
}

export function jsonSink(out: NodeJS.WritableStream, dryRun = false): ProgressSink {
  return {
    emit: (e) => void out.write(`${jsonLine(e, dryRun)}\n`),
    done: () => Promise.resolve(),
  };
}
