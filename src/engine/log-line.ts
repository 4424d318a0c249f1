/**
 * One line of a daemon's own log on its stdout (engine.log when the CLI started it). Written
 * with writeSync and never thrown: process.stdout on a file is a stream that emits an error on
 * a full disk, and that unhandled error would end the daemon; its lines are not worth that. A
 * line that cannot be written is lost, the next one is tried again.
 */
import fs from 'node:fs';

export function writeLogLine(line: string): void {
  try {
    fs.writeSync(1, `${new Date().toISOString()} ${line}\n`);
  } catch {
    // A full disk, or a pipe nobody reads: the line is lost, the daemon goes on.
  }
}
