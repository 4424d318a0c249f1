/** parseYaml: values and their locations, compose-go's tags and go-yaml's rules, located errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../../src/compose-model/parse';
import { OverrideTag, ResetTag } from '../../../src/compose-model/source';
import { ComposeError } from '../../../src/common/errors';

interface GoodCase {
  name: string;
  text: string;
  tree: unknown;
  /** pointer → "line:col" */
  locs?: Record<string, string>;
}

const GOOD: GoodCase[] = [
  {
    name: 'maps, lists and scalars with their places',
    text: 'services:\n  web:\n    image: busybox\n    ports:\n      - "80:80"\n      - 443\n',
    tree: { services: { web: { image: 'busybox', ports: ['80:80', 443] } } },
    locs: { '': '1:1', '/services/web': '2:3', '/services/web/image': '3:5', '/services/web/ports/1': '6:9' },
  },
  {
    name: 'empty file',
    text: '# nothing here\n',
    tree: {},
  },
  {
    name: 'merge key: explicit keys win wherever they are, merged keys point at the anchor',
    text: 'x-base: &base\n  image: a\n  restart: always\nservices:\n  web:\n    image: b\n    <<: *base\n',
    tree: {
      'x-base': { image: 'a', restart: 'always' },
      services: { web: { image: 'b', restart: 'always' } },
    },
    locs: { '/services/web/image': '6:5', '/services/web/restart': '3:3' },
  },
  {
    name: 'merge key with a list: earlier maps win',
    text: 'a: &a {p: 1}\nb: &b {p: 2, q: 2}\nc:\n  <<: [*a, *b]\n',
    tree: { a: { p: 1 }, b: { p: 2, q: 2 }, c: { p: 1, q: 2 } },
    locs: { '/c/p': '1:8', '/c/q': '2:14' },
  },
  {
    name: 'aliases expand where they are used',
    text: 'x: &x [1, 2]\ny: *x\n',
    tree: { x: [1, 2], y: [1, 2] },
    locs: { '/y': '2:1', '/y/1': '1:11' },
  },
  {
    name: 'integers as go-yaml reads them',
    text: 'a: 0440\nb: 1_000\nc: 0b101\nd: 0o17\ne: "0440"\nf: 08\ng: 1.5\nh: yes\n',
    tree: { a: 288, b: 1000, c: 5, d: 15, e: '0440', f: 8, g: 1.5, h: 'yes' },
  },
  {
    name: 'several documents are merged in order',
    text: 'services:\n  web:\n    image: a\n    ports: ["80:80"]\n---\nservices:\n  web:\n    image: b\n    ports: ["81:81"]\n',
    tree: { services: { web: { image: 'b', ports: ['80:80', '81:81'] } } },
    locs: { '/services/web/image': '8:5', '/services/web/ports/0': '4:13', '/services/web/ports/1': '9:13' },
  },
];

const at = (pf: ReturnType<typeof parseYaml>, ptr: string) => {
  const l = pf.locs.get(ptr);
  return l && `${l.line}:${l.col}`;
};

for (const c of GOOD) {
  test(`parse: ${c.name}`, () => {
    const pf = parseYaml(c.text, '/p/compose.yaml');
    assert.deepEqual(pf.tree, c.tree);
    for (const [ptr, want] of Object.entries(c.locs ?? {})) assert.equal(at(pf, ptr), want, ptr);
    for (const loc of pf.locs.values()) assert.equal(loc.file, '/p/compose.yaml');
  });
}

test('parse: !reset and !override become tags wherever they are', () => {
  const pf = parseYaml(
    'services:\n  web:\n    command: !reset\n    ports: !override ["80:80"]\n    env_file: !reset []\n    dns: [!reset 1.1.1.1]\n',
    'f.yml',
  );
  const web = (pf.tree.services as Record<string, Record<string, unknown>>).web;
  assert.ok(web.command instanceof ResetTag);
  assert.equal(web.command.value, null);
  assert.ok(web.ports instanceof OverrideTag);
  assert.deepEqual(web.ports.value, ['80:80']);
  assert.ok(web.env_file instanceof ResetTag);
  assert.ok((web.dns as unknown[])[0] instanceof ResetTag);
});

interface BadCase {
  name: string;
  text: string;
  message: RegExp;
  at: string;
}

const bomb =
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' +
  Array.from({ length: 7 }, (_, i) => {
    const [me, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
    return `${me}: &${me} [${Array(10).fill(`*${prev}`).join(',')}]`;
  }).join('\n') +
  '\n';

const BAD: BadCase[] = [
  { name: 'unclosed flow sequence', text: 'services:\n  web: [\n', message: /^yaml: /, at: '3:1' },
  {
    name: 'mapping value in a compact mapping',
    text: 'services:\n  web:\n    image: a: b\n',
    message: /^yaml: /,
    at: '3:12',
  },
  { name: 'tab indentation', text: 'services:\n  web:\n\timage: x\n', message: /^yaml: .*[Tt]ab/, at: '3:1' },
  {
    name: 'duplicate key',
    text: 'services:\n  web:\n    image: a\n    image: b\n',
    message: /^yaml: mapping key "image" already defined at line 3$/,
    at: '4:5',
  },
  {
    name: 'duplicate key, one of them reset',
    text: 'services:\n  web:\n    command: !reset\n    command: x\n',
    message: /mapping key "command" already defined at line 3/,
    at: '4:5',
  },
  {
    name: 'duplicate key, one of them quoted',
    text: 'a: 1\n"a": 2\n',
    message: /mapping key "a" already defined at line 1/,
    at: '2:1',
  },
  {
    name: 'two merge keys',
    text: 'x: &x {a: 1}\ny:\n  <<: *x\n  <<: *x\n',
    message: /mapping key "<<" already defined at line 3/,
    at: '4:3',
  },
  {
    name: 'non-string key at top level',
    text: '123: x\n',
    message: /^non-string key at top level: 123$/,
    at: '1:1',
  },
  {
    name: 'non-string key in services',
    text: 'services:\n  123:\n    image: x\n',
    message: /^non-string key in services: 123$/,
    at: '2:3',
  },
  {
    name: 'non-string key inside a list item',
    text: 'services:\n  web:\n    ports:\n      - {1: 2}\n',
    message: /^non-string key in services\.web\.ports\[0\]: 1$/,
    at: '4:10',
  },
  { name: 'null key', text: 'x:\n  ~: 1\n', message: /^non-string key in x: <nil>$/, at: '2:3' },
  { name: 'boolean key', text: 'true: 1\n', message: /^non-string key at top level: true$/, at: '1:1' },
  { name: 'top level scalar', text: 'hello\n', message: /^top-level object must be a mapping$/, at: '1:1' },
  { name: 'top level list', text: '- a\n', message: /^top-level object must be a mapping$/, at: '1:1' },
  { name: 'top level !reset', text: '!reset\n', message: /^top-level object must be a mapping$/, at: '1:7' },
  {
    name: 'merge key with a scalar',
    text: 'a:\n  <<: 1\n',
    message: /map merge requires map or sequence of maps/,
    at: '2:3',
  },
  {
    name: 'anchor containing itself',
    text: 'a: &a [b, *a]\n',
    message: /anchor 'a' value contains itself/,
    at: '1:11',
  },
  { name: 'alias bomb', text: bomb, message: /excessive aliasing/, at: '' },
];

for (const c of BAD) {
  test(`parse, bad input: ${c.name}`, () => {
    let err: unknown;
    try {
      parseYaml(c.text, '/p/compose.yaml');
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ComposeError, `expected a ComposeError, got ${String(err)}`);
    assert.match(err.detail, c.message);
    assert.ok(!err.message.includes('\n'), 'one line');
    assert.ok(err.location, 'located');
    assert.equal(err.location.file, '/p/compose.yaml');
    if (c.at) assert.equal(`${err.location.line}:${err.location.col}`, c.at, err.message);
    assert.ok(err.message.startsWith(`/p/compose.yaml:${err.location.line}:${err.location.col}: `));
  });
}
