/** applyExtends on its own: same file, other files, chains, re-based paths, locations, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { applyExtends } from '../../../src/compose-model/extends';
import { parseYaml } from '../../../src/compose-model/parse';
import type { FileContext } from '../../../src/compose-model/types';
import { ComposeError } from '../../../src/common/errors';
import { tmpProject } from '../../helpers/project';

type Services = Record<string, Record<string, unknown>>;

function run(dir: string, file = 'compose.yaml', projectDir = dir) {
  const abs = path.join(dir, file);
  const ctx: FileContext = {
    lookup: () => undefined,
    interpolate: false,
    projectDir,
    includeChain: [],
    loadFile: () => {
      throw new Error('not used');
    },
    loadInclude: () => {
      throw new Error('not used');
    },
  };
  return applyExtends(parseYaml(fs.readFileSync(abs, 'utf8'), abs), ctx);
}

interface Case {
  name: string;
  files: Record<string, string>;
  /** the file the project names, and the project directory, relative to the temp dir */
  file?: string;
  projectDir?: string;
  want: Services;
}

const CASES: Case[] = [
  {
    name: 'same file, with the merge rules',
    files: {
      'compose.yaml':
        'services:\n  base:\n    image: a\n    command: [x]\n    ports: ["80:80"]\n    environment: [A=1]\n  web:\n    extends: base\n    command: [y]\n    ports: ["81:81"]\n    environment: {B: "2"}\n',
    },
    want: {
      base: { image: 'a', command: ['x'], ports: ['80:80'], environment: ['A=1'] },
      web: { image: 'a', command: ['y'], ports: ['80:80', '81:81'], environment: { A: '1', B: '2' } },
    },
  },
  {
    name: 'a chain, resolved from the far end',
    files: {
      'compose.yaml':
        'services:\n  a:\n    extends: b\n    hostname: a\n  b:\n    extends: {service: c}\n    user: b\n  c:\n    image: c\n    user: c\n',
    },
    want: {
      a: { image: 'c', user: 'b', hostname: 'a' },
      b: { image: 'c', user: 'b' },
      c: { image: 'c', user: 'c' },
    },
  },
  {
    name: 'another file: its relative paths are re-based, others kept',
    files: {
      'compose.yaml': 'services:\n  web:\n    extends: {file: lib/base.yaml, service: app}\n',
      'lib/base.yaml':
        'services:\n  app:\n    build: .\n    env_file: [common.env, {path: /abs.env}]\n    label_file: labels\n' +
        '    volumes: ["./data:/data", "named:/named", "/abs:/abs", {type: bind, source: ../up, target: /up}, {type: volume, source: v, target: /v}]\n' +
        '    develop: {watch: [{path: ./src, action: sync, target: /src}]}\n',
    },
    want: {
      web: {
        build: 'lib',
        env_file: ['lib/common.env', { path: '/abs.env' }],
        label_file: ['lib/labels'],
        volumes: [
          './lib/data:/data',
          'named:/named',
          '/abs:/abs',
          { type: 'bind', source: 'up', target: '/up' },
          { type: 'volume', source: 'v', target: '/v' },
        ],
        develop: { watch: [{ path: 'lib/src', action: 'sync', target: '/src' }] },
      },
    },
  },
  {
    name: 'remote build contexts are not paths',
    files: {
      'compose.yaml': 'services:\n  web:\n    extends: {file: lib/base.yaml, service: app}\n',
      'lib/base.yaml':
        'services:\n  app:\n    build:\n      context: https://github.com/x/y.git\n      additional_contexts: {a: ./a, b: "docker-image://alpine", c: "service:db"}\n',
    },
    want: {
      web: {
        build: {
          context: 'https://github.com/x/y.git',
          additional_contexts: { a: 'lib/a', b: 'docker-image://alpine', c: 'service:db' },
        },
      },
    },
  },
  {
    name: 'an extended file extends a third one, relative to itself',
    files: {
      'compose.yaml': 'services:\n  web:\n    extends: {file: lib/base.yaml, service: app}\n    image: web\n',
      'lib/base.yaml': 'services:\n  app:\n    extends: {file: more/root.yaml, service: root}\n',
      'lib/more/root.yaml': 'services:\n  root:\n    build: ./ctx\n    image: root\n',
    },
    want: { web: { build: 'lib/more/ctx', image: 'web' } },
  },
  {
    name: 'a project file names extended files relative to the project directory',
    file: 'overrides/compose.override.yaml',
    files: {
      'overrides/compose.override.yaml': 'services:\n  web:\n    extends: {file: base.yaml, service: app}\n',
      'base.yaml': 'services:\n  app:\n    image: from-project-dir\n',
      'overrides/base.yaml': 'services:\n  app:\n    image: from-file-dir\n',
    },
    want: { web: { image: 'from-project-dir' } },
  },
  {
    name: '!reset in the extending service drops what it inherits',
    files: {
      'compose.yaml':
        'services:\n  base:\n    image: a\n    ports: ["80:80"]\n    labels: {a: "1"}\n  web:\n    extends: base\n    ports: !reset []\n    labels: !override {b: "2"}\n',
    },
    want: {
      base: { image: 'a', ports: ['80:80'], labels: { a: '1' } },
      web: { image: 'a', labels: { b: '2' } },
    },
  },
];

for (const c of CASES) {
  test(`extends: ${c.name}`, (t) => {
    const dir = tmpProject(t, c.files);
    const pf = run(dir, c.file, path.join(dir, c.projectDir ?? ''));
    assert.deepEqual(pf.tree.services, c.want);
  });
}

test('extends: inherited values point into the file that wrote them', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml': 'services:\n  web:\n    extends: {file: base.yaml, service: app}\n    ports: ["81:81"]\n',
    'base.yaml': 'services:\n  app:\n    image: a\n    ports: ["80:80"]\n',
  });
  const pf = run(dir);
  const where = (ptr: string) => {
    const l = pf.locs.get(ptr);
    return l && `${path.relative(dir, l.file)}:${l.line}:${l.col}`;
  };
  assert.equal(where('/services/web/image'), 'base.yaml:3:5');
  assert.equal(where('/services/web/ports/0'), 'base.yaml:4:13');
  assert.equal(where('/services/web/ports/1'), 'compose.yaml:4:13');
  assert.equal(where('/services/web'), 'compose.yaml:2:3');
  assert.equal(pf.locs.has('/services/web/extends'), false);
});

interface BadCase {
  name: string;
  files: Record<string, string>;
  message: RegExp;
  /** file:line:col of the error */
  at: string;
}

const BAD: BadCase[] = [
  {
    name: 'missing file',
    files: { 'compose.yaml': 'services:\n  web:\n    extends: {file: nope.yaml, service: x}\n' },
    message: /^extends: open .*\/nope\.yaml: no such file or directory$/,
    at: 'compose.yaml:3:5',
  },
  {
    name: 'missing service in the same file',
    files: { 'compose.yaml': 'services:\n  web:\n    image: a\n    extends: ghost\n' },
    message: /^cannot extend service "web" in .*compose\.yaml: service "ghost" not found$/,
    at: 'compose.yaml:4:5',
  },
  {
    name: 'missing service in another file',
    files: {
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: base.yaml\n      service: ghost\n',
      'base.yaml': 'services:\n  app:\n    image: a\n',
    },
    message: /^cannot extend service "web" in .*compose\.yaml: service "ghost" not found in base\.yaml$/,
    at: 'compose.yaml:3:5',
  },
  {
    name: 'another file without services',
    files: {
      'compose.yaml': 'services:\n  web:\n    extends: {file: base.yaml, service: app}\n',
      'base.yaml': 'volumes: {}\n',
    },
    message: /^cannot extend service "web" in .*base\.yaml: no services section$/,
    at: 'compose.yaml:3:5',
  },
  {
    name: 'no service named',
    files: { 'compose.yaml': 'services:\n  web:\n    extends: {file: base.yaml}\n' },
    message: /^extends\.web\.service is required$/,
    at: 'compose.yaml:3:5',
  },
  {
    name: 'a cycle in one file',
    files: {
      'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n',
    },
    message: /^Circular reference with extends: a -> b -> c -> a$/,
    at: 'compose.yaml:7:5',
  },
  {
    name: 'a cycle across files',
    files: {
      'compose.yaml': 'services:\n  a:\n    extends: {file: other.yaml, service: a}\n',
      'other.yaml': 'services:\n  a:\n    extends: {file: compose.yaml, service: a}\n',
    },
    message: /^Circular reference with extends: a -> a -> a$/,
    at: 'other.yaml:3:5',
  },
  {
    name: 'broken YAML in the extended file',
    files: {
      'compose.yaml': 'services:\n  a:\n    extends: {file: other.yaml, service: a}\n',
      'other.yaml': 'services:\n  a:\n    image: [\n',
    },
    message: /^yaml: /,
    at: 'other.yaml:4:1',
  },
];

for (const c of BAD) {
  test(`extends, bad input: ${c.name}`, (t) => {
    const dir = tmpProject(t, c.files);
    let err: unknown;
    try {
      run(dir);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ComposeError, `expected a ComposeError, got ${String(err)}`);
    assert.match(err.detail, c.message);
    assert.ok(!err.message.includes('\n'), 'one line');
    assert.ok(err.location, 'located');
    const { file, line, col } = err.location;
    assert.equal(`${path.relative(dir, file)}:${line}:${col}`, c.at, err.message);
  });
}
