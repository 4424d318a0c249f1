/**
 * `up`'s flags → the compose service's options: docker compose's refusals in its words, what
 * each flag sets, and which services a foreground `up` shows the output of.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachedServices } from '../../../../src/cli/compose/attached-up';
import { parseScale, upRequest } from '../../../../src/cli/compose/up-options';

test('combinations docker compose refuses', () => {
  const refused: [Parameters<typeof upRequest>[0], RegExp][] = [
    [{ detach: true, 'abort-on-container-exit': true }, /^--detach cannot be combined with/],
    [{ detach: true, 'exit-code-from': 'web' }, /^--detach cannot be combined with/],
    [{ wait: true, attach: ['web'] }, /^--wait cannot be combined with/],
    [
      { 'force-recreate': true, 'no-recreate': true },
      /^--force-recreate and --no-recreate are incompatible$/,
    ],
    [{ 'always-recreate-deps': true, 'no-recreate': true }, /^--always-recreate-deps and --no-recreate/],
    [
      { 'abort-on-container-exit': true, 'abort-on-container-failure': true },
      /^--abort-on-container-failure cannot be combined with --abort-on-container-exit$/,
    ],
    [{ pull: 'sometimes' }, /^invalid --pull option "sometimes"/],
    [{ scale: ['web'] }, /^invalid --scale value "web": expected SERVICE=NUM$/],
  ];
  for (const [flags, message] of refused) assert.throws(() => upRequest(flags, []), { message });
});

test('what the flags set', () => {
  const detached = upRequest({ wait: true, 'wait-timeout': 5, 'force-recreate': true, scale: ['w=3'] }, [
    'w',
  ]);
  assert.equal(detached.attached, undefined, '--wait implies detached');
  assert.deepEqual(detached.options.start, { wait: true, waitTimeoutMs: 5000 });
  assert.equal(detached.options.create.recreate, 'force');
  assert.deepEqual(detached.options.create.scale, { w: 3 });
  assert.deepEqual(detached.options.create.services, ['w']);
  assert.equal(upRequest({ 'no-start': true }, []).options.start, undefined);
  assert.equal(upRequest({ 'no-recreate': true }, []).options.create.recreateDependencies, 'never');

  const fg = upRequest({ 'exit-code-from': 'tests' }, []).attached;
  assert.equal(fg?.cascade, 'stop', '--exit-code-from implies --abort-on-container-exit');
  assert.equal(upRequest({ 'abort-on-container-failure': true }, []).attached?.cascade, 'fail');
  assert.equal(upRequest({}, []).attached?.cascade, 'ignore');
  assert.deepEqual(parseScale(['a=0', 'b=2']), { a: 0, b: 2 });
});

test('attached services: all, the named ones, --attach, --no-attach, --exit-code-from', () => {
  const all = ['db', 'tests', 'web'];
  const settings = { cascade: 'ignore' as const, attach: [], noAttach: [], attachDependencies: false };
  const of = (over: object, services: string[] = []): string[] =>
    [...attachedServices(all, { settings: { ...settings, ...over }, services })].sort();
  assert.deepEqual(of({}), all);
  assert.deepEqual(of({}, ['web']), ['web']);
  assert.deepEqual(of({ attachDependencies: true }, ['web']), all);
  assert.deepEqual(of({ attach: ['db'] }), ['db']);
  assert.deepEqual(of({ noAttach: ['db'] }), ['tests', 'web']);
  assert.deepEqual(of({ attach: ['db'], exitCodeFrom: 'tests' }), ['db', 'tests']);
});
