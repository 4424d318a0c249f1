/** The child side of the start protocol: wait for the daemon's go, report a failure and exit. */
import fs from 'node:fs';
import { CTL_FD, STS_FD, type StartFailure } from './protocol';
import { ExecLookupError } from './credentials';

export function waitForGo(): void {
  const buf = Buffer.alloc(1);
  if (fs.readSync(CTL_FD, buf, 0, 1, null) !== 1) process.exit(125); // the daemon gave up on us
  fs.closeSync(CTL_FD);
}

export function failAndExit(err: unknown): never {
  const failure: StartFailure =
    err instanceof ExecLookupError
      ? { message: err.message, exitCode: err.exitCode }
      : { message: (err as Error)?.message ?? String(err), exitCode: 125 };
  try {
    fs.writeSync(STS_FD, JSON.stringify(failure));
  } catch {
    // nobody listens any more; the exit code still tells
  }
  process.exit(failure.exitCode);
}
