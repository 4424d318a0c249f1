import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { normalizeProjectName, resolveDiscovery } from '../../../src/compose-model/discovery';
import { applyProfiles } from '../../../src/compose-model/profiles';
import { tmpProject } from '../../helpers/project';

test('default files: the reference order, the override beside it, searched upwards', (t) => {
  const dir = tmpProject(t, {
    'docker-compose.yml': 'services: {}\n',
    'compose.yml': 'services: {}\n',
    'docker-compose.override.yaml': 'services: {}\n',
    'sub/deeper/README': '',
  });
  const d = resolveDiscovery({ workingDir: path.join(dir, 'sub', 'deeper'), environment: {} });
  assert.deepEqual(d.configFiles, [
    path.join(dir, 'compose.yml'),
    path.join(dir, 'docker-compose.override.yaml'),
  ]);
  assert.equal(d.projectDir, dir);
});

test('-f wins over COMPOSE_FILE, which wins over the default names', (t) => {
  const dir = tmpProject(t, { 'compose.yaml': '', 'a.yml': '', 'b.yml': '' });
  const env = { COMPOSE_FILE: 'a.yml:b.yml' };
  assert.deepEqual(resolveDiscovery({ workingDir: dir, environment: env }).configFiles, [
    path.join(dir, 'a.yml'),
    path.join(dir, 'b.yml'),
  ]);
  assert.deepEqual(
    resolveDiscovery({ workingDir: dir, environment: env, configFiles: ['b.yml'] }).configFiles,
    [path.join(dir, 'b.yml')],
  );
});

test('.env next to the first file; --env-file and COMPOSE_ENV_FILES replace it; the OS environment wins', (t) => {
  const dir = tmpProject(t, {
    'app/compose.yaml': '',
    'app/.env': 'A=dot\nB=dot\n',
    'x.env': 'A=x\n',
    'y.env': 'A=y\nC=y\n',
  });
  const f = ['app/compose.yaml'];
  assert.equal(resolveDiscovery({ workingDir: dir, configFiles: f, environment: {} }).environment.A, 'dot');
  assert.equal(
    resolveDiscovery({ workingDir: dir, configFiles: f, environment: { A: 'os' } }).environment.A,
    'os',
  );
  const withFlag = resolveDiscovery({
    workingDir: dir,
    configFiles: f,
    envFiles: ['x.env', 'y.env'],
    environment: {},
  });
  assert.deepEqual(
    [withFlag.environment.A, withFlag.environment.B, withFlag.environment.C],
    ['y', undefined, 'y'],
  );
  const withVar = resolveDiscovery({
    workingDir: dir,
    configFiles: f,
    environment: { COMPOSE_ENV_FILES: 'x.env' },
  });
  assert.equal(withVar.environment.A, 'x');
  assert.throws(
    () => resolveDiscovery({ workingDir: dir, configFiles: f, envFiles: ['nope.env'], environment: {} }),
    /Couldn't find env file: .*nope\.env/,
  );
  fs.rmSync(path.join(dir, 'app', '.env'));
  assert.equal(
    resolveDiscovery({ workingDir: dir, configFiles: f, environment: {} }).environment.A,
    undefined,
  );
});

test('project names are normalized like docker compose', () => {
  const table: [string, string][] = [
    ['MyApp', 'myapp'],
    ['my app!', 'myapp'],
    ['_-x_y-', 'x_y-'],
    ['Über.Service', 'berservice'],
    ['', ''],
  ];
  for (const [input, out] of table) assert.equal(normalizeProjectName(input), out, input);
});

test('profiles: unprofiled always on, active ones on, dependencies pulled in, * for all', () => {
  const tree = {
    services: {
      web: { image: 'x', depends_on: ['debugger'] },
      debugger: { image: 'x', profiles: ['debug'], depends_on: { tools: {} } },
      tools: { image: 'x', profiles: ['tools'] },
      docs: { image: 'x', profiles: ['docs'] },
    },
  };
  const pf = { file: 'f', tree, locs: new Map() };
  const names = (p: string[]) => Object.keys(applyProfiles(pf, p).model.tree.services as object).sort();
  assert.deepEqual(names([]), ['debugger', 'tools', 'web']);
  assert.deepEqual(names(['docs']), ['debugger', 'docs', 'tools', 'web']);
  assert.deepEqual(names(['*']), ['debugger', 'docs', 'tools', 'web']);
  assert.deepEqual(Object.keys(applyProfiles(pf, []).disabled), ['docs']);
});
