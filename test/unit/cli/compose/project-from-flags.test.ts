/** The project `ps` and `logs` work on: its name alone with -p where no compose file is found. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectNameFromFlags } from '../../../../src/cli/compose/project-from-flags';

function inDir<T>(files: Record<string, string>, f: () => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-pff-'));
  const cwd = process.cwd();
  const env = process.env.COMPOSE_PROJECT_NAME;
  delete process.env.COMPOSE_PROJECT_NAME;
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    process.chdir(dir);
    return f();
  } finally {
    process.chdir(cwd);
    if (env !== undefined) process.env.COMPOSE_PROJECT_NAME = env;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('-p without compose files: the name alone; with files: the project, named by -p', () => {
  assert.deepEqual(
    inDir({}, () => projectNameFromFlags({ 'project-name': 'demo' })),
    { name: 'demo' },
  );
  const r = inDir({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n' }, () =>
    projectNameFromFlags({ 'project-name': 'demo' }),
  );
  assert.equal(r.name, 'demo');
  assert.deepEqual(Object.keys(r.project?.services ?? {}), ['web']);
});

test('no name and no files, or -f of a missing file: the loader says so', () => {
  assert.throws(() => inDir({}, () => projectNameFromFlags({})), /no configuration file provided/);
  assert.throws(
    () => inDir({}, () => projectNameFromFlags({ 'project-name': 'demo', file: ['nope.yaml'] })),
    /nope\.yaml/,
  );
});
