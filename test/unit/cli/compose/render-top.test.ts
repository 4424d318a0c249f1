/** docker compose's `top` table: SERVICE and # first, CMD last, `-` for a column a container lacks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderComposeTop } from '../../../../src/cli/compose/render-top';

const TITLES = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];

test('one table for every container, sorted by name, CMD last', () => {
  const out = renderComposeTop([
    {
      name: 'p-web-1',
      service: 'web',
      replica: '1',
      titles: TITLES,
      processes: [['root', '10', '1', '0', '07:08', '?', '00:00:00', 'httpd -f -p 80']],
    },
    {
      name: 'p-db-1',
      service: 'db',
      replica: '1',
      titles: ['PID', 'CMD', 'EXTRA'],
      processes: [['7', 'sleep 1', 'x']],
    },
  ]);
  assert.equal(
    out,
    [
      'SERVICE  #   PID  EXTRA  UID   PPID  C   STIME  TTY  TIME      CMD',
      'db       1   7    x      -     -     -   -      -    -         sleep 1',
      'web      1   10   -      root  1     0   07:08  ?    00:00:00  httpd -f -p 80',
      '',
    ].join('\n'),
  );
});

test('nothing at all when no process is listed', () => {
  assert.equal(renderComposeTop([]), '');
});
