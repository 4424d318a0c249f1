/** Table tests for the pure loader stages, each on its own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml } from '../../../src/compose-model/parse';
import { substitute, interpolateFile } from '../../../src/compose-model/interpolate';
import { parseDotenv, parseDotenvRaw } from '../../../src/compose-model/dotenv';
import { mergeFiles } from '../../../src/compose-model/merge';
import { loadProject } from '../../../src/compose-model/loader';
import { OverrideTag, ResetTag } from '../../../src/compose-model/source';
import { ComposeError } from '../../../src/common/errors';
import { tmpProject } from '../../helpers/project';

test('parse: values, locations, tags, merge keys, octal modes', () => {
  const pf = parseYaml(
    'x: &a {p: 1}\nservices:\n  web:\n    <<: *a\n    image: busybox\n    command: !reset\n    ports: !override [80]\n    mode: 0440\n',
    'f.yml',
  );
  const web = (pf.tree.services as Record<string, Record<string, unknown>>).web;
  assert.equal(web.p, 1);
  assert.equal(web.image, 'busybox');
  assert.ok(web.command instanceof ResetTag);
  assert.ok(web.ports instanceof OverrideTag && (web.ports.value as number[])[0] === 80);
  assert.equal(web.mode, 0o440);
  assert.deepEqual(pf.locs.get('/services/web/image'), { file: 'f.yml', line: 5, col: 5 });
  const bomb =
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' +
    Array.from(
      { length: 7 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
    ).join('\n') +
    '\n';
  assert.throws(() => parseYaml(bomb, 'bomb.yml'), /excessive aliasing/);
});

test('interpolation: every operator', () => {
  const env: Record<string, string> = { SET: 'v', EMPTY: '' };
  const lookup = (k: string) => env[k];
  const table: [string, string][] = [
    ['$SET ${SET}', 'v v'],
    ['${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}', 'd d  d'],
    ['${SET:+a} ${EMPTY:+a} ${EMPTY+a} ${UNSET+a}', 'a  a '],
    ['${UNSET:-${SET}-x}', 'v-x'],
    ['$$SET $$ a $ b', '$SET $ a $ b'],
    ['${SET:?boom}', 'v'],
  ];
  for (const [input, out] of table) assert.equal(substitute(input, lookup), out, input);
  assert.throws(
    () => substitute('${UNSET:?needed here}', lookup),
    /required variable UNSET is missing a value: needed here/,
  );
  assert.throws(
    () => substitute('${EMPTY?x}x', lookup).concat(substitute('${EMPTY:?}', lookup)),
    /required variable EMPTY/,
  );
  assert.throws(() => substitute('${bad name}', lookup), /invalid interpolation format/);
});

test('interpolation: typed paths are cast back, errors are located', () => {
  const pf = parseYaml(
    'services:\n  web:\n    ports: [{target: "${P}"}]\n    read_only: "${RO}"\n    image: "${MISSING:?set it}"\n',
    'c.yml',
  );
  const err = (() => {
    try {
      interpolateFile(pf, (k) => ({ P: '80', RO: 'true' })[k]);
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof ComposeError);
  assert.equal(err.message, 'c.yml:5:5: required variable MISSING is missing a value: set it');
  const ok = interpolateFile(pf, (k) => ({ P: '80', RO: 'true', MISSING: 'x' })[k]);
  const web = (ok.tree.services as Record<string, Record<string, unknown>>).web;
  assert.deepEqual(web.ports, [{ target: 80 }]);
  assert.equal(web.read_only, true);
});

test('dotenv: forms and errors with their line', () => {
  const vars = parseDotenv(
    '# c\nA=1\nexport B="two\\nlines"\nC=\'$A\' # x\nD=${A}x\nE: 5\nF\n',
    '.env',
    (k) => (k === 'F' ? 'os' : undefined),
  );
  assert.deepEqual(vars, { A: '1', B: 'two\nlines', C: '$A', D: '1x', E: '5', F: 'os' });
  assert.throws(
    () => parseDotenv('A=1\nB="open\n', '/p/.env', () => undefined),
    / \/p\/\.env:2:1: line 2: unterminated quoted value$/,
  );
  assert.throws(
    () => parseDotenv('OK=1\nBAD KEY=1\n', '.env', () => undefined),
    /line 2: key cannot contain a space/,
  );
  assert.deepEqual(parseDotenvRaw('A="q" $B\n# c\n'), { A: '"q" $B' });
});

test('merge: replace, key=value maps, unicity, reset and override', () => {
  const a = parseYaml(
    'services:\n  s:\n    image: a\n    command: [x, y]\n    environment: [A=1, B=2]\n    volumes: ["d:/data", "/logs"]\n    cap_add: [NET_ADMIN]\n    ports: ["80:80"]\n',
    'a.yml',
  );
  const b = parseYaml(
    'services:\n  s:\n    command: [z]\n    environment: {B: 3}\n    volumes: ["e:/data"]\n    cap_add: [NET_ADMIN, SYS_TIME]\n    ports: !reset []\n    image: !override b\n',
    'b.yml',
  );
  const m = mergeFiles([a, b]);
  const s = (m.tree.services as Record<string, Record<string, unknown>>).s;
  assert.deepEqual(s.command, ['z']);
  assert.deepEqual(s.environment, { A: '1', B: 3 });
  assert.deepEqual(s.volumes, ['e:/data', '/logs']);
  assert.deepEqual(s.cap_add, ['NET_ADMIN', 'SYS_TIME']);
  assert.equal('ports' in s, false);
  assert.equal(s.image, 'b');
  assert.equal(m.locs.get('/services/s/command')?.file, 'b.yml');
  assert.equal(m.locs.get('/services/s/cap_add')?.file, 'b.yml');
});

test('extends: other file with rebased paths, chains, cycles, missing targets', (t) => {
  const dir = tmpProject(t, {
    'compose.yaml':
      'services:\n  web:\n    extends: {file: lib/base.yaml, service: app}\n    environment: {B: "2"}\n',
    'lib/base.yaml':
      'services:\n  root:\n    image: busybox\n    env_file: common.env\n  app:\n    extends: root\n    build: .\n    environment: {A: "1"}\n',
    'lib/common.env': 'C=3\n',
  });
  const web = (
    loadProject({ workingDir: dir, environment: {} }).model.services as Record<
      string,
      Record<string, unknown>
    >
  ).web;
  assert.equal(web.image, 'busybox');
  assert.deepEqual((web.build as Record<string, unknown>).context, `${dir}/lib`);
  assert.deepEqual(web.environment, { A: '1', B: '2', C: '3' });

  const cyc = tmpProject(t, {
    'compose.yaml': 'services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: a\n',
  });
  assert.throws(
    () => loadProject({ workingDir: cyc, environment: {} }),
    /Circular reference with extends: a -> b -> a/,
  );
  const missing = tmpProject(t, {
    'compose.yaml': 'services:\n  a:\n    extends: {file: nope.yaml, service: x}\n',
  });
  assert.throws(
    () => loadProject({ workingDir: missing, environment: {} }),
    /compose\.yaml:3:5: extends: open .*nope\.yaml: no such file/,
  );
  const noService = tmpProject(t, { 'compose.yaml': 'services:\n  a:\n    extends: ghost\n' });
  assert.throws(() => loadProject({ workingDir: noService, environment: {} }), /service "ghost" not found/);
});
