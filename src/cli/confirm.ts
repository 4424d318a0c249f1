/** docker's prune prompt: only `y` or `yes` goes on; end of input is a no. */
import readline from 'node:readline/promises';

export async function confirm(warning: string): Promise<boolean> {
  process.stdout.write(`${warning}\nAre you sure you want to continue? [y/N] `);
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
