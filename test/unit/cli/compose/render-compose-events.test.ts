/**
 * The project's events as docker compose prints them: --json a Go map (keys sorted, Go's
 * RFC 3339 time with its trailing zeros dropped) and the plain line of api.Event's String().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComposeEvent } from '../../../../src/compose/project-events';
import { composeEventJson, composeEventLine, goJsonTime } from '../../../../src/cli/compose/render-events';

const event: ComposeEvent = {
  // Nanoseconds past 2^53 are exact only in steps of 256: a whole number of 4 ms is.
  timeNano: Date.UTC(2026, 11, 3, 7, 0, 5, 124) * 1e6,
  service: 'web',
  container: 'c0ffee',
  action: 'restart',
  attributes: { name: 'demo-web-1', image: 'busybox', exitCode: '0' },
};

test('--json: the keys of a Go map, sorted; Go time', () => {
  assert.equal(
    composeEventJson(event, 0),
    '{"action":"restart","attributes":{"exitCode":"0","image":"busybox","name":"demo-web-1"},' +
      '"id":"c0ffee","service":"web","time":"2026-12-03T07:00:05.124Z","type":"container"}',
  );
  assert.equal(goJsonTime(Date.UTC(2026, 0, 1) * 1e6, 0), '2026-01-01T00:00:00Z');
  assert.equal(goJsonTime(Date.UTC(2026, 0, 1) * 1e6 + 256, 90), '2026-01-01T01:30:00.000000256+01:30');
});

test('the plain line: local time to the microsecond, the attributes sorted', () => {
  assert.equal(
    composeEventLine(event, 0),
    '2026-12-03 07:00:05.124000 container restart c0ffee (exitCode=0, image=busybox, name=demo-web-1)',
  );
  assert.match(composeEventLine(event, -300), /^2026-12-03 02:00:05\.124000 /);
});
