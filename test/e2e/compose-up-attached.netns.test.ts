/**
 * A foreground `up` through the real CLI and its daemon, in this file's own network namespace:
 * the containers' output behind their prefixes, docker compose's exit codes for
 * --abort-on-container-exit and --exit-code-from, an `up` that ends when its containers do, and
 * Ctrl-C in a terminal (tmux): the first stops the project gracefully, a second kills it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';
import { shellQuote, Tmux, tmuxMissing } from '../helpers/tmux';

const TWO = `
name: ab
services:
  quick:
    image: busybox
    command: ["sh", "-c", "echo quick says hi; sleep 1; exit 3"]
  slow:
    image: busybox
    command: ["sh", "-c", "echo slow up; trap 'exit 7' TERM; while :; do sleep 1; done"]
`;

describe('compose up, attached', () => {
  const e = useCliEngine('tscompose-upa-');
  let tmux: Tmux | undefined;
  afterEach(() => {
    tmux?.kill();
    tmux = undefined;
  });
  const write = (name: string, text: string): string => {
    const file = path.join(e.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const state = (name: string): string =>
    e.cli('container', 'inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name).stdout.trim();
  const down = (file: string): void => {
    const r = e.cli('-f', file, 'down', '-t', '0');
    assert.equal(r.status, 0, r.stderr);
  };

  test('--abort-on-container-exit exits with the first exit code; --exit-code-from with its service', () => {
    const file = write('two.yaml', TWO);
    const r = e.cli('-f', file, '--progress', 'plain', 'up', '--abort-on-container-exit');
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /^quick-1 {2}\| quick says hi$/m);
    assert.match(r.stdout, /^slow-1 {3}\| slow up$/m);
    assert.match(r.stdout, /^quick-1 exited with code 3$/m);
    assert.match(r.stderr, /^Attaching to quick-1, slow-1$/m);
    assert.match(r.stderr, /^Aborting on container exit\.\.\.$/m);
    assert.match(r.stderr, /^Container ab-slow-1 {2}Stopped$/m);
    assert.equal(state('ab-slow-1'), 'exited 7');

    const from = e.cli('-f', file, '--progress', 'quiet', 'up', '--exit-code-from', 'slow');
    assert.equal(from.status, 7, from.stderr);
    const unknown = e.cli('-f', file, 'up', '--exit-code-from', 'nope');
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'no such service: nope\n');
    const both = e.cli('-f', file, 'up', '-d', '--abort-on-container-exit');
    assert.equal(both.status, 1);
    assert.match(both.stderr, /^--detach cannot be combined with --abort-on-container-exit/);
    down(file);
  });

  test('an attached up ends when its containers have exited for good, with 0', () => {
    const file = write(
      'once.yaml',
      `name: once
services:
  a:
    image: busybox
    command: ["echo", "from a"]
  b:
    image: busybox
    command: ["sh", "-c", "sleep 1; echo from b"]
`,
    );
    const r = e.cli('-f', file, '--progress', 'quiet', 'up', '--no-attach', 'a');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'b-1  | from b\nb-1 exited with code 0\n');
    down(file);

    // One its restart policy brings back is followed through its runs.
    const flaky = write(
      'flaky.yaml',
      `name: flaky
services:
  f:
    image: busybox
    command: ["sh", "-c", "echo run; sleep 1; exit 1"]
    restart: on-failure:1
`,
    );
    const again = e.cli('-f', flaky, '--progress', 'quiet', 'up', '--no-log-prefix');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, 'run\nf-1 exited with code 1\nrun\nf-1 exited with code 1\n');
    down(flaky);
  });

  test(
    'Ctrl-C stops the project gracefully (exit 130); a second Ctrl-C kills',
    { skip: tmuxMissing() },
    async () => {
      const file = write(
        'fg.yaml',
        `name: fg
services:
  polite:
    image: busybox
    command: ["sh", "-c", "echo polite up; trap 'echo bye; exit 0' TERM; while :; do sleep 1; done"]
  stubborn:
    image: busybox
    command: ["sh", "-c", "trap '' TERM; echo stubborn up; while :; do sleep 1; done"]
    profiles: [stubborn]
`,
      );
      const bin = path.join(e.dir, 'build', 'bin', 'run.js');
      const vars = ['TSCOMPOSE_ROOT', 'TSCOMPOSE_RUNROOT', 'TSCOMPOSE_CONFIG']
        .map((k) => `${k}=${shellQuote(String(e.env[k]))}`)
        .join(' ');
      const codeFile = (n: number): string => path.join(e.dir, `code-${n}`);
      const line = (n: number, args: string[]): string =>
        `env ${vars} ${[process.execPath, bin, '-f', file, ...args].map(shellQuote).join(' ')}; echo $? > ${codeFile(n)}`;
      const code = async (n: number): Promise<number> => {
        const deadline = Date.now() + 30_000;
        while (!fs.existsSync(codeFile(n)) || !fs.readFileSync(codeFile(n), 'utf8').endsWith('\n')) {
          assert.ok(Date.now() < deadline, `up did not end:\n${tmux?.screen()}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        return Number(fs.readFileSync(codeFile(n), 'utf8'));
      };

      tmux = new Tmux(e.dir);
      tmux.open(line(1, ['up']), { width: 100, height: 30 });
      await tmux.waitFor(/polite-1 {2}\| polite up/);
      tmux.keys('main', ['C-c']);
      assert.equal(await code(1), 130);
      const screen = tmux.screen();
      assert.match(screen, /Gracefully stopping\.\.\. \(press Ctrl\+C again to force\)/);
      assert.match(screen, /Container fg-polite-1 +Stopped/);
      assert.equal(state('fg-polite-1'), 'exited 0');

      // One that ignores SIGTERM, with a long -t: the second Ctrl-C kills it at once.
      const t0 = Date.now();
      tmux.open(line(2, ['--profile', 'stubborn', 'up', '-t', '60', 'stubborn']), { window: 'two' });
      await tmux.waitFor(/stubborn-1 {2}\| stubborn up/, 'two');
      tmux.keys('two', ['C-c']);
      await tmux.waitFor(/Gracefully stopping/, 'two');
      tmux.keys('two', ['C-c']);
      assert.equal(await code(2), 130);
      assert.ok(Date.now() - t0 < 30_000, 'the second Ctrl-C did not wait for the stop timeout');
      assert.equal(state('fg-stubborn-1'), 'exited 137');
      const r = e.cli('-f', file, '--profile', 'stubborn', 'down', '-t', '0');
      assert.equal(r.status, 0, r.stderr);
    },
  );
});
