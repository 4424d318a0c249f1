/** `tscompose config` driven through the real CLI, as a user types it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT, runCli } from '../helpers/cli';
import { tmpProject } from '../helpers/project';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'hello', 'compose.yaml');

test('config prints the normalized model of the example, and it loads again unchanged', (t) => {
  const r = runCli(['-f', EXAMPLE, 'config']);
  assert.equal(r.status, 0, r.stderr);
  const model = YAML.parse(r.stdout);
  assert.equal(model.name, 'hello');
  assert.deepEqual(Object.keys(model.services).sort(), ['db', 'web']);
  assert.equal(model.services.web.ports[0].target, 8080);
  assert.equal(model.services.web.ports[0].published, '8080');
  assert.equal(model.services.web.depends_on.db.condition, 'service_healthy');
  assert.equal(model.services.web.environment.GREETING, 'hello');
  assert.equal(model.volumes.data.name, 'hello_data');
  assert.equal(model.networks.default.name, 'hello_default');
  const dir = tmpProject(t, { 'compose.yaml': r.stdout });
  const again = runCli(['config'], { cwd: dir });
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(YAML.parse(again.stdout), model);
});

test('config --services, --volumes, --networks, --images, --format json', () => {
  const cases: [string[], string][] = [
    [['--services'], 'db\nweb\n'],
    [['--volumes'], 'data\n'],
    [['--networks'], 'default\n'],
    [['--images'], 'busybox:latest\nbusybox:latest\n'],
  ];
  for (const [flags, out] of cases) {
    const r = runCli(['-f', EXAMPLE, 'config', ...flags]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, out, flags.join(' '));
  }
  const j = runCli(['config', '-f', EXAMPLE, '--format', 'json']);
  assert.equal(j.status, 0, j.stderr);
  assert.equal(JSON.parse(j.stdout).name, 'hello');
});

test('config --hash is stable for scale/depends_on changes and changes with the image', (t) => {
  const a = tmpProject(t, {
    'compose.yaml': 'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: y\n',
  });
  const b = tmpProject(t, {
    'compose.yaml': 'services:\n  a:\n    image: x\n    scale: 2\n  b:\n    image: y\n',
  });
  const c = tmpProject(t, { 'compose.yaml': 'services:\n  a:\n    image: z\n  b:\n    image: y\n' });
  const hash = (dir: string) => {
    const r = runCli(['config', '--hash', 'a', '-p', 'p'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  assert.match(hash(a), /^a [0-9a-f]{64}\n$/);
  assert.equal(hash(a), hash(b));
  assert.notEqual(hash(a), hash(c));
});

test('a bad file gives one line with file:line:col, a nonzero exit and nothing on stdout', (t) => {
  const dir = tmpProject(t, { 'compose.yaml': 'services:\n  web:\n    image: busybox\n    bogus: 1\n' });
  const r = runCli(['config'], { cwd: dir });
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], new RegExp(`^${path.join(dir, 'compose.yaml')}:4:5: .*bogus`));
});

test('an error in an override file names the override file', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml': 'services:\n  web:\n    image: busybox\n',
    'compose.override.yaml': 'services:\n  web:\n    ports:\n      - "99999:80"\n',
  });
  const r = runCli(['config'], { cwd: dir });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, new RegExp(`^${path.join(dir, 'compose.override.yaml')}:\\d+:\\d+: `));
});

test('no compose file: exit 14 and docker compose wording', (t) => {
  const dir = tmpProject(t, { 'README.txt': 'nothing here' });
  const r = runCli(['config'], { cwd: dir });
  assert.equal(r.status, 14);
  assert.match(r.stderr, /no configuration file provided: not found/);
});

test('-p must already be a valid project name', () => {
  const r = runCli(['-f', EXAMPLE, '-p', 'Bad Name', 'config']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /invalid project name "Bad Name"/);
});

test('config --variables, --profiles, --environment and -o', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml':
      'services:\n  web:\n    image: "busybox:${TAG:-latest}"\n    environment: ["A=${NEEDED:?set it}"]\n  dbg:\n    image: busybox\n    profiles: [debug]\n',
    '.env': 'NEEDED=yes\n',
  });
  const v = runCli(['config', '--variables'], { cwd: dir });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^NAME\s+REQUIRED\s+DEFAULT VALUE\s+ALTERNATE VALUE\n/);
  assert.match(v.stdout, /\nNEEDED\s+true\s*\n/);
  assert.match(v.stdout, /\nTAG\s+false\s+latest\n/);
  const p = runCli(['config', '--profiles'], { cwd: dir });
  assert.equal(p.stdout, 'debug\n');
  const s = runCli(['--profile', 'debug', 'config', '--services'], { cwd: dir });
  assert.equal(s.stdout, 'dbg\nweb\n');
  const e = runCli(['config', '--environment'], { cwd: dir, env: { PATH: process.env.PATH } });
  assert.match(e.stdout, /^NEEDED=yes$/m);
  const out = path.join(dir, 'out.yaml');
  const o = runCli(['config', '-o', out], { cwd: dir });
  assert.equal(o.status, 0, o.stderr);
  assert.equal(o.stdout, '');
  assert.equal(YAML.parse(fs.readFileSync(out, 'utf8')).services.web.image, 'busybox:latest');
  const missing = runCli(['config'], {
    cwd: dir,
    env: { PATH: process.env.PATH, COMPOSE_ENV_FILES: 'none.env' },
  });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /Couldn't find env file/);
});

test('bad units are refused at load: file:line:col, exit 15, nothing printed', (t) => {
  for (const [body, field] of [
    ['mem_limit: lots', 'mem_limit'],
    ['cpus: many', 'cpus'],
    ['stop_grace_period: soon', 'stop_grace_period'],
    ['restart: sometimes', 'restart'],
  ]) {
    const dir = tmpProject(t, { 'compose.yaml': `services:\n  web:\n    image: busybox\n    ${body}\n` });
    const r = runCli(['config'], { cwd: dir });
    assert.equal(r.status, 15, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr.trim(),
      new RegExp(`^${path.join(dir, 'compose.yaml')}:4:5: services\\.web\\.${field}: [^\\n]+$`),
    );
  }
});
