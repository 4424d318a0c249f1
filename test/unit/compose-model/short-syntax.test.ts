import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePort } from '../../../src/compose-model/short-ports';
import { parseServiceVolume } from '../../../src/compose-model/short-volumes';
import { splitShellWords } from '../../../src/compose-model/shell-words';

test('ports: short syntax table', () => {
  const table: [unknown, object[]][] = [
    [80, [{ mode: 'ingress', target: 80, protocol: 'tcp' }]],
    ['8080:80', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
    ['127.0.0.1::80', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, protocol: 'tcp' }]],
    ['53:53/udp', [{ mode: 'ingress', target: 53, published: '53', protocol: 'udp' }]],
    ['[::1]:80:80', [{ mode: 'ingress', host_ip: '::1', target: 80, published: '80', protocol: 'tcp' }]],
    [
      '9000-9001:80-81',
      [
        { mode: 'ingress', target: 80, published: '9000', protocol: 'tcp' },
        { mode: 'ingress', target: 81, published: '9001', protocol: 'tcp' },
      ],
    ],
    ['8000-8010:80', [{ mode: 'ingress', target: 80, published: '8000-8010', protocol: 'tcp' }]],
    [{ target: 80, published: 8080 }, [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
  ];
  for (const [input, expected] of table) assert.deepEqual(parsePort(input), expected, JSON.stringify(input));
});

test('ports: bad input', () => {
  for (const bad of ['80-79', 'a:b', '1:2:3:4', '8000-8002:80-81', '70000']) {
    assert.throws(() => parsePort(bad), /invalid port/, bad);
  }
});

test('volumes: short syntax table', () => {
  const table: [string, object][] = [
    ['/data', { type: 'volume', target: '/data', volume: {} }],
    ['./src:/app', { type: 'bind', source: './src', target: '/app', bind: {} }],
    ['/etc/x:/x:ro', { type: 'bind', source: '/etc/x', target: '/x', read_only: true, bind: {} }],
    ['~/c:/c:rw,z', { type: 'bind', source: '~/c', target: '/c', bind: { selinux: 'z' } }],
    ['db:/var/lib/db', { type: 'volume', source: 'db', target: '/var/lib/db', volume: {} }],
    ['db:/v:nocopy', { type: 'volume', source: 'db', target: '/v', volume: { nocopy: true } }],
    ['./a:/a:rshared', { type: 'bind', source: './a', target: '/a', bind: { propagation: 'rshared' } }],
  ];
  for (const [input, expected] of table) assert.deepEqual(parseServiceVolume(input), expected, input);
  assert.throws(() => parseServiceVolume('a:b:c:d'), /too many colons/);
  assert.throws(() => parseServiceVolume('./a:/a:bogus'), /unknown option/);
  assert.throws(() => parseServiceVolume({ type: 'bind', target: '/x' }), /field Source must not be empty/);
});

test('shell words', () => {
  assert.deepEqual(splitShellWords(`sh -c 'echo "a b"' x\\ y "q\\"z"`), [
    'sh',
    '-c',
    'echo "a b"',
    'x y',
    'q"z',
  ]);
  assert.deepEqual(splitShellWords('  '), []);
  assert.deepEqual(splitShellWords(`a ''`), ['a', '']);
  assert.throws(() => splitShellWords(`echo 'oops`), /unterminated/);
});
