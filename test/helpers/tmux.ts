/**
 * A pseudo-terminal for end-to-end tests of interactive commands: a private tmux server (its
 * own socket name, no user config, no status line, panes kept after their command ends) whose
 * one window runs a shell command; keys go in as tmux names them, the screen comes back as
 * text. `kill()` ends the server and everything in it, whatever state it is in.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const CALL_TIMEOUT_MS = 10_000;

export function tmuxMissing(): string | false {
  return spawnSync('tmux', ['-V']).status === 0 ? false : 'tmux is not installed (apt-get install tmux)';
}

/** A word for sh, quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export class Tmux {
  private readonly socket = `tscompose-test-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  private readonly config: string;

  constructor(dir: string) {
    this.config = path.join(dir, `${this.socket}.conf`);
    fs.writeFileSync(this.config, 'set -g status off\nset -g remain-on-exit on\nset -g history-limit 2000\n');
  }

  private tmux(args: string[], env?: NodeJS.ProcessEnv): string {
    const r = spawnSync('tmux', ['-L', this.socket, '-f', this.config, ...args], {
      encoding: 'utf8',
      timeout: CALL_TIMEOUT_MS,
      env: env ?? process.env,
    });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }

  /** The first window (starting the server) or another one, width x height, running `command`. */
  open(
    command: string,
    opts: { window?: string; width?: number; height?: number; env?: NodeJS.ProcessEnv } = {},
  ): void {
    const name = opts.window ?? 'main';
    const size = ['-x', String(opts.width ?? 80), '-y', String(opts.height ?? 24)];
    if (name === 'main')
      this.tmux(['new-session', '-d', '-s', 'test', '-n', name, ...size, command], opts.env);
    else this.tmux(['new-window', '-d', '-t', 'test', '-n', name, command]);
  }

  /** tmux key names (`Enter`, `C-c`, `C-p`), or literal text with `{ literal: true }`. */
  keys(window: string, keys: string[], opts: { literal?: boolean } = {}): void {
    this.tmux(['send-keys', '-t', `test:${window}`, ...(opts.literal ? ['-l'] : []), ...keys]);
  }

  /** A line typed and entered. */
  type(window: string, line: string): void {
    this.keys(window, [line], { literal: true });
    this.keys(window, ['Enter']);
  }

  /** The pane's text, history included (a pane that settles its size may scroll a line into it). */
  screen(window = 'main'): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', `test:${window}`]);
  }

  async waitFor(re: RegExp, window = 'main', timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen(window);
      if (re.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} on the screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  resize(window: string, width: number, height: number): void {
    this.tmux(['resize-window', '-t', `test:${window}`, '-x', String(width), '-y', String(height)]);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { timeout: CALL_TIMEOUT_MS });
    fs.rmSync(this.config, { force: true });
  }
}
