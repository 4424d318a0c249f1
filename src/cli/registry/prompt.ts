/**
 * Asking on the terminal, as docker login does: a line read from stdin, the echo turned off for
 * a password. Without a terminal there is nobody to ask: a clear error instead of a hang.
 */
import readline from 'node:readline';
import { TscomposeError } from '../../common/errors';

export async function promptLine(question: string, opts: { secret?: boolean } = {}): Promise<string> {
  if (!process.stdin.isTTY)
    throw new TscomposeError('Cannot perform an interactive login from a non TTY device', { code: 'USAGE' });
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const shown = rl as unknown as { _writeToOutput: (s: string) => void };
  const write = shown._writeToOutput.bind(rl);
  // readline echoes each keystroke through _writeToOutput: the question is shown, the secret not.
  if (opts.secret) shown._writeToOutput = (s: string) => write(s.startsWith(question) ? question : '');
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    if (opts.secret) process.stderr.write('\n');
    rl.close();
  }
}

export async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
