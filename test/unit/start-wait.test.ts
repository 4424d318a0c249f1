/**
 * The CLI's wait for an engine it started, on a clock of its own: it waits as long as the
 * engine's process lives (a loaded machine once needed over 10 s), says so after 2 s, fails at
 * once when the process died and gives up at its bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROGRESS_AFTER_MS, START_BOUND_MS, waitForStart } from '../../src/engine-api/start-wait';

function engine(opts: { answersAt?: number; diesAt?: number }) {
  let now = 0;
  const lines: { at: number; line: string }[] = [];
  const deps = {
    answers: async () => opts.answersAt !== undefined && now >= opts.answersAt,
    died: () => (opts.diesAt !== undefined && now >= opts.diesAt ? 'exit code 1' : undefined),
    progress: (line: string) => lines.push({ at: now, line }),
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
  };
  return { deps, lines, at: () => now };
}

test('a slow start is waited for while its process lives, with one progress line after 2 s', async () => {
  const e = engine({ answersAt: 25_000 });
  assert.deepEqual(await waitForStart(e.deps), { ok: true });
  assert.ok(e.at() >= 25_000 && e.at() < 25_200, `${e.at()}`);
  assert.equal(e.lines.length, 1);
  assert.match(e.lines[0].line, /^waiting for the tscompose engine to start/);
  assert.ok(e.lines[0].at >= PROGRESS_AFTER_MS && e.lines[0].at < PROGRESS_AFTER_MS + 200);
});

test('a quick start prints nothing', async () => {
  const e = engine({ answersAt: 300 });
  assert.deepEqual(await waitForStart(e.deps), { ok: true });
  assert.deepEqual(e.lines, []);
});

test('a process that died fails the wait at once, with its exit', async () => {
  const e = engine({ diesAt: 500 });
  assert.deepEqual(await waitForStart(e.deps), { ok: false, why: 'failed (exit code 1)' });
  assert.ok(e.at() < 700, `${e.at()}`);
});

test('a process that lives and never answers is given up at the bound', async () => {
  const e = engine({});
  const r = await waitForStart(e.deps);
  assert.deepEqual(r, { ok: false, why: `did not come up within ${START_BOUND_MS / 1000} s` });
  assert.ok(e.at() > START_BOUND_MS && e.at() < START_BOUND_MS + 200);
});
