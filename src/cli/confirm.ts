/** docker's prune prompt: only `y` or `yes` goes on; end of input is a no. */
import readline from 'node:readline/promises';

export async function confirm(warning: string): Promise<boolean> {
  return askYesNo(`${warning}\nAre you sure you want to continue? [y/N] `);
}

/** A question on stdout, a yes or no read from stdin (docker compose's `rm` asks this way too). */
export async function askYesNo(question: string): Promise<boolean> {
  process.stdout.write(question);
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  try {
    const answer = await Promise.race([
      rl.question(''),
      new Promise<string>((r) => rl.once('close', () => r(''))),
    ]);
    return ['y', 'yes'].includes(answer.trim().toLowerCase());
  } finally {
    rl.close();
  }
}
