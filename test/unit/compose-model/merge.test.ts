/**
 * mergeFiles: compose-go's merge specials and unicity keys, one row each, plus where the
 * merged values say they were written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../../src/compose-model/parse';
import { mergeFiles } from '../../../src/compose-model/merge';
import { ComposeError } from '../../../src/common/errors';

interface Case {
  name: string;
  /** service `s` in the base file, then in the override file (YAML, indented by 4) */
  base: string;
  over: string;
  /** the merged service `s` */
  want: Record<string, unknown>;
}

const svc = (body: string) => `services:\n  s:\n${body.replace(/^/gm, '    ')}\n`;

const CASES: Case[] = [
  {
    name: 'scalars are replaced',
    base: 'image: a\nrestart: always',
    over: 'image: b',
    want: { image: 'b', restart: 'always' },
  },
  { name: 'null keeps the base value', base: 'image: a', over: 'image:', want: { image: 'a' } },
  {
    name: 'command is replaced, not appended',
    base: 'command: [a, b]',
    over: 'command: [c]',
    want: { command: ['c'] },
  },
  {
    name: 'entrypoint string over list',
    base: 'entrypoint: [a, b]',
    over: 'entrypoint: sh',
    want: { entrypoint: 'sh' },
  },
  {
    name: 'healthcheck.test is replaced, the rest merges',
    base: 'healthcheck: {test: [CMD, a], interval: 1s}',
    over: 'healthcheck: {test: [CMD, b]}',
    want: { healthcheck: { test: ['CMD', 'b'], interval: '1s' } },
  },
  {
    name: 'environment list meets map; KEY: unsets',
    base: 'environment: [A=1, B=2, C=3]',
    over: 'environment: {B: 3, C: }',
    want: { environment: { A: '1', B: 3, C: null } },
  },
  {
    name: 'labels map meets list',
    base: 'labels: {a: "1"}',
    over: 'labels: [b=2, a=3]',
    want: { labels: { a: '3', b: '2' } },
  },
  {
    name: 'ports are unique by their text or published:target/protocol',
    base: 'ports: ["80:80", {target: 81, published: "8081"}]',
    over: 'ports: ["80:80", {target: 81, published: "8081", mode: host}, "90:90"]',
    want: { ports: ['80:80', { target: 81, published: '8081', mode: 'host' }, '90:90'] },
  },
  {
    name: 'ports with other protocols stay',
    base: 'ports: [{target: 53, published: "53"}]',
    over: 'ports: [{target: 53, published: "53", protocol: udp}]',
    want: {
      ports: [
        { target: 53, published: '53' },
        { target: 53, published: '53', protocol: 'udp' },
      ],
    },
  },
  {
    name: 'expose 80 and "80" are one',
    base: 'expose: [80, "81"]',
    over: 'expose: ["80"]',
    want: { expose: ['80', '81'] },
  },
  {
    name: 'volumes are unique by target, short or long',
    base: 'volumes: ["a:/data", "/logs", "./c:/conf:ro"]',
    over: 'volumes: [{type: volume, source: b, target: /data}, "./d:/conf"]',
    want: { volumes: [{ type: 'volume', source: 'b', target: '/data' }, '/logs', './d:/conf'] },
  },
  {
    name: 'secrets are unique by mount point',
    base: 'secrets: [s1, {source: s2, target: /x}]',
    over: 'secrets: [{source: s1, mode: 0400}, {source: s3, target: /x}]',
    want: {
      secrets: [
        { source: 's1', mode: 0o400 },
        { source: 's3', target: '/x' },
      ],
    },
  },
  {
    name: 'configs are unique by mount point',
    base: 'configs: [c1]',
    over: 'configs: [{source: c1, target: /c1}, {source: c1, target: /other}]',
    want: {
      configs: [
        { source: 'c1', target: '/c1' },
        { source: 'c1', target: '/other' },
      ],
    },
  },
  {
    name: 'devices are unique by container path',
    base: 'devices: ["/dev/a:/dev/x", "/dev/b"]',
    over: 'devices: ["/dev/c:/dev/x"]',
    want: { devices: ['/dev/c:/dev/x', '/dev/b'] },
  },
  {
    name: 'dns: a string meets a list',
    base: 'dns: 1.1.1.1',
    over: 'dns: [8.8.8.8, 1.1.1.1]',
    want: { dns: ['1.1.1.1', '8.8.8.8'] },
  },
  {
    name: 'tmpfs is unique by what comes before "="',
    base: 'tmpfs: [/run, "/tmp:size=1m"]',
    over: 'tmpfs: "/tmp:size=2m"',
    want: { tmpfs: ['/run', '/tmp:size=2m'] },
  },
  {
    name: 'links are unique by their whole text',
    base: 'links: [db, "cache:c"]',
    over: 'links: ["db:database", cache:c]',
    want: { links: ['db', 'cache:c', 'db:database'] },
  },
  {
    name: 'cap_add and profiles by value',
    base: 'cap_add: [NET_ADMIN]\nprofiles: [a]',
    over: 'cap_add: [NET_ADMIN, SYS_TIME]\nprofiles: [b, a]',
    want: { cap_add: ['NET_ADMIN', 'SYS_TIME'], profiles: ['a', 'b'] },
  },
  {
    name: 'env_file: strings and objects unique by path',
    base: 'env_file: a.env',
    over: 'env_file: [{path: a.env, required: false}, b.env]',
    want: { env_file: [{ path: 'a.env', required: false }, 'b.env'] },
  },
  {
    name: 'label_file keeps repeats',
    base: 'label_file: a',
    over: 'label_file: [a]',
    want: { label_file: ['a', 'a'] },
  },
  {
    name: 'extra_hosts: a map meets a list, repeats skipped',
    base: 'extra_hosts: {a: 1.1.1.1, b: [2.2.2.2, "::1"]}',
    over: 'extra_hosts: ["a=1.1.1.1", "c=3.3.3.3"]',
    want: { extra_hosts: ['a=1.1.1.1', 'b=2.2.2.2', 'b=::1', 'c=3.3.3.3'] },
  },
  {
    name: 'depends_on: a list becomes the default long form',
    base: 'depends_on: [db]',
    over: 'depends_on: {cache: {condition: service_healthy}, db: {restart: true}}',
    want: {
      depends_on: {
        db: { condition: 'service_started', required: true, restart: true },
        cache: { condition: 'service_healthy' },
      },
    },
  },
  {
    name: 'networks: a list meets a map, aliases unique',
    base: 'networks: {front: {aliases: [a, b]}, back: }',
    over: 'networks: [front]',
    want: { networks: { front: { aliases: ['a', 'b'] }, back: null } },
  },
  {
    name: 'networks aliases merge',
    base: 'networks: {front: {aliases: [a]}}',
    over: 'networks: {front: {aliases: [b, a]}}',
    want: { networks: { front: { aliases: ['a', 'b'] } } },
  },
  {
    name: 'build: a string is the context',
    base: 'build: ./app',
    over: 'build: {dockerfile: Dockerfile.dev, args: [A=1]}',
    want: { build: { context: './app', dockerfile: 'Dockerfile.dev', args: ['A=1'] } },
  },
  {
    name: 'build args and additional contexts',
    base: 'build: {context: ., args: {A: "1"}, additional_contexts: {x: ./x}}',
    over: 'build: {args: [B=2], additional_contexts: [y=./y]}',
    want: { build: { context: '.', args: { A: '1', B: '2' }, additional_contexts: ['x=./x', 'y=./y'] } },
  },
  {
    name: 'logging with the same driver merges options',
    base: 'logging: {driver: json-file, options: {max-size: 1m}}',
    over: 'logging: {options: {max-file: "3"}}',
    want: { logging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } } },
  },
  {
    name: 'logging with another driver is replaced',
    base: 'logging: {driver: json-file, options: {max-size: 1m}}',
    over: 'logging: {driver: syslog}',
    want: { logging: { driver: 'syslog' } },
  },
  {
    name: 'a ulimit is replaced as a whole',
    base: 'ulimits: {nofile: {soft: 1, hard: 2}, nproc: 10}',
    over: 'ulimits: {nofile: 5}',
    want: { ulimits: { nofile: 5, nproc: 10 } },
  },
  {
    name: 'other maps merge deeply',
    base: 'deploy: {resources: {limits: {cpus: "1", memory: 1g}}}',
    over: 'deploy: {resources: {limits: {memory: 2g}}}',
    want: { deploy: { resources: { limits: { cpus: '1', memory: '2g' } } } },
  },
  {
    name: '!reset removes, !override replaces',
    base: 'image: a\nports: ["80:80"]\nenvironment: {A: "1", B: "2"}\nlabels: {a: "1"}',
    over: 'ports: !reset []\nenvironment: {A: !reset }\nlabels: !override {b: "2"}',
    want: { image: 'a', environment: { B: '2' }, labels: { b: '2' } },
  },
  {
    name: '!reset of a list entry only drops that entry',
    base: 'dns: [1.1.1.1]',
    over: 'dns: [!reset 1.1.1.1, 8.8.8.8]',
    want: { dns: ['1.1.1.1', '8.8.8.8'] },
  },
];

for (const c of CASES) {
  test(`merge: ${c.name}`, () => {
    const m = mergeFiles([parseYaml(svc(c.base), '/p/a.yaml'), parseYaml(svc(c.over), '/p/b.yaml')]);
    assert.deepEqual((m.tree.services as Record<string, unknown>).s, c.want);
  });
}

test('merge: top-level resources, extensions and ipam', () => {
  const a = parseYaml(
    'x-common: {a: 1, list: [1]}\nnetworks:\n  n:\n    labels: [a=1]\n    ipam: {config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1}]}\nvolumes:\n  v: {driver: local}\n',
    '/p/a.yaml',
  );
  const b = parseYaml(
    'x-common: {b: 2, list: [2]}\nnetworks:\n  n:\n    labels: {a: "2"}\n    ipam: {config: [{subnet: 10.0.0.0/24, ip_range: 10.0.0.0/28}]}\nvolumes:\n  v:\n  w:\n',
    '/p/b.yaml',
  );
  const m = mergeFiles([a, b]);
  assert.deepEqual(m.tree, {
    'x-common': { a: 1, b: 2, list: [1, 2] },
    networks: {
      n: {
        labels: { a: '2' },
        ipam: { config: [{ subnet: '10.0.0.0/24', gateway: '10.0.0.1', ip_range: '10.0.0.0/28' }] },
      },
    },
    volumes: { v: { driver: 'local' }, w: null },
  });
});

test('merge: a sequence is made unique even within one file', () => {
  const m = mergeFiles([parseYaml(svc('ports: ["80:80", "80:80"]\nvolumes: [a:/x, b:/x]'), '/p/a.yaml')]);
  assert.deepEqual((m.tree.services as Record<string, unknown>).s, { ports: ['80:80'], volumes: ['b:/x'] });
  assert.equal(m.locs.get('/services/s/volumes/0')?.col, 21);
});

test('merge: locations follow the values', () => {
  const a = parseYaml(svc('image: a\nports: ["80:80", "81:81"]\nenvironment: [A=1, B=2]'), '/p/a.yaml');
  const b = parseYaml(svc('ports: ["82:82", "80:80"]\nenvironment: {B: "3"}\ncommand: [x]'), '/p/b.yaml');
  const m = mergeFiles([a, b]);
  const where = (ptr: string) => {
    const l = m.locs.get(ptr);
    return l && `${l.file}:${l.line}:${l.col}`;
  };
  assert.deepEqual((m.tree.services as Record<string, Record<string, unknown>>).s.ports, [
    '80:80',
    '81:81',
    '82:82',
  ]);
  assert.equal(where('/services/s/image'), '/p/a.yaml:3:5');
  assert.equal(where('/services/s/command/0'), '/p/b.yaml:5:15');
  // "80:80" was redefined by the override: it stays first but points there.
  assert.equal(where('/services/s/ports/0'), '/p/b.yaml:3:22');
  assert.equal(where('/services/s/ports/1'), '/p/a.yaml:4:22');
  assert.equal(where('/services/s/ports/2'), '/p/b.yaml:3:13');
  assert.equal(where('/services/s/environment/A'), '/p/a.yaml:5:19');
  assert.equal(where('/services/s/environment/B'), '/p/b.yaml:4:19');
  assert.equal(where(''), '/p/a.yaml:1:1');
});

test('merge, bad input: a list cannot override a map', () => {
  const a = parseYaml('x-thing: {a: 1}\n', '/p/a.yaml');
  const b = parseYaml('services: {}\nx-thing: [a]\n', '/p/b.yaml');
  let err: unknown;
  try {
    mergeFiles([a, b]);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ComposeError);
  assert.equal(err.message, '/p/b.yaml:2:1: cannot override x-thing');
});
