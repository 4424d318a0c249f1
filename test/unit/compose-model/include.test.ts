/** `include:` through the loader: included projects, their directories and variables, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadProject } from '../../../src/compose-model/loader';
import { ComposeError } from '../../../src/common/errors';
import { tmpProject } from '../../helpers/project';

type Services = Record<string, Record<string, unknown>>;

const load = (dir: string, environment: Record<string, string> = {}) =>
  loadProject({ workingDir: dir, environment, nameFromDirectory: false, projectName: 'p' });

test('include: an entry is a project of its own, resolved in its own directory', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml':
      'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: busybox\n    depends_on: [db]\n',
    'sub/compose.yaml':
      'services:\n  db:\n    build: .\n    volumes: ["./data:/data"]\n    networks: [back]\nnetworks:\n  back: {}\n',
  });
  const p = load(dir);
  const services = p.model.services as Services;
  assert.deepEqual(Object.keys(services).sort(), ['db', 'web']);
  assert.equal((services.db.build as Record<string, unknown>).context, path.join(dir, 'sub'));
  assert.equal((services.db.volumes as Record<string, unknown>[])[0].source, path.join(dir, 'sub/data'));
  assert.ok((p.model.networks as Record<string, unknown>).back);
  const loc = p.locs.get('/services/db/build');
  assert.equal(loc?.file, path.join(dir, 'sub/compose.yaml'));
  assert.equal(loc?.line, 3);
});

test('include: long form with project_directory, env_file and several files', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml':
      'include:\n  - path: [lib/compose.yaml, lib/override.yaml]\n    project_directory: lib/root\n    env_file: vars.env\n',
    'vars.env': 'TAG=fromfile\nWIN=fromfile\n',
    'lib/compose.yaml': 'services:\n  app:\n    image: "app:${TAG}-${WIN}"\n    build: ./ctx\n',
    'lib/override.yaml': 'services:\n  app:\n    ports: ["80:80"]\n',
  });
  const app = (load(dir, { WIN: 'os' }).model.services as Services).app;
  // The including project's variables win over the included env files.
  assert.equal(app.image, 'app:fromfile-os');
  assert.equal((app.build as Record<string, unknown>).context, path.join(dir, 'lib/root/ctx'));
  assert.equal((app.ports as unknown[]).length, 1);
});

test('include: the included project reads its own .env, under the including variables', (t) => {
  const dir = tmpProject(t, {
    '.env': 'A=parent\n',
    'compose.yaml': 'include: [sub/compose.yaml]\n',
    'sub/.env': 'A=child\nB=child\n',
    'sub/compose.yaml': 'services:\n  s:\n    image: "${A}-${B}"\n',
  });
  assert.equal((load(dir).model.services as Services).s.image, 'parent-child');
});

test('include: nested includes and a resource defined the same on both sides', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml':
      'include: [a/compose.yaml]\nservices:\n  top:\n    image: x\nnetworks:\n  shared: {driver: bridge}\n',
    'a/compose.yaml': 'include: [../b/compose.yaml]\nservices:\n  mid:\n    image: x\n',
    'b/compose.yaml': 'services:\n  low:\n    image: x\nnetworks:\n  shared: {driver: bridge}\n',
  });
  const p = load(dir);
  assert.deepEqual(Object.keys(p.model.services as Services).sort(), ['low', 'mid', 'top']);
});

interface BadCase {
  name: string;
  files: Record<string, string>;
  message: RegExp;
  at: string;
}

const BAD: BadCase[] = [
  {
    name: 'a resource defined differently on both sides',
    files: {
      'compose.yaml': 'include: [inc.yaml]\nservices:\n  web:\n    image: mine\n',
      'inc.yaml': 'services:\n  web:\n    image: theirs\n',
    },
    message: /^services\.web conflicts with imported resource$/,
    at: 'compose.yaml:3:3',
  },
  {
    name: 'a volume defined differently on both sides',
    files: {
      'compose.yaml': 'include: [inc.yaml]\nservices:\n  web:\n    image: x\nvolumes:\n  data: {driver: a}\n',
      'inc.yaml': 'services: {}\nvolumes:\n  data: {driver: b}\n',
    },
    message: /^volumes\.data conflicts with imported resource$/,
    at: 'compose.yaml:6:3',
  },
  {
    name: 'an include loop',
    files: {
      'compose.yaml': 'include: [a.yaml]\nservices:\n  web:\n    image: x\n',
      'a.yaml': 'include: [b.yaml]\nservices: {}\n',
      'b.yaml': 'include:\n  - path: a.yaml\nservices: {}\n',
    },
    message: /^include cycle detected: compose\.yaml -> a\.yaml -> b\.yaml -> a\.yaml$/,
    at: 'b.yaml:2:5',
  },
  {
    name: 'a missing included file',
    files: { 'compose.yaml': 'include: [nope.yaml]\nservices: {}\n' },
    message: /^open .*nope\.yaml: no such file or directory$/,
    at: 'compose.yaml:1:11',
  },
  {
    name: 'a missing env file',
    files: {
      'compose.yaml': 'include:\n  - path: inc.yaml\n    env_file: nope.env\n',
      'inc.yaml': 'services: {}\n',
    },
    message: /^stat .*nope\.env: no such file or directory$/,
    at: 'compose.yaml:3:5',
  },
  {
    name: 'broken YAML in an included file',
    files: {
      'compose.yaml': 'include: [inc.yaml]\n',
      'inc.yaml': 'services:\n  web:\n    image: a\n    image: b\n',
    },
    message: /mapping key "image" already defined at line 3/,
    at: 'inc.yaml:4:5',
  },
];

for (const c of BAD) {
  test(`include, bad input: ${c.name}`, (t) => {
    const dir = tmpProject(t, c.files);
    let err: unknown;
    try {
      load(dir);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ComposeError, `expected a ComposeError, got ${String(err)}`);
    assert.match(err.detail, c.message);
    assert.ok(!err.message.includes('\n'), 'one line');
    if (c.at) {
      assert.ok(err.location, 'located');
      const { file, line, col } = err.location;
      assert.equal(`${path.relative(dir, file)}:${line}:${col}`, c.at, err.message);
    }
  });
}
