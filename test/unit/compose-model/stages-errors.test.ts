/**
 * Bad input through the whole loader: every case must fail with one line that names the file,
 * line and column where the bad value was written, in the reference loader's words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadProject } from '../../../src/compose-model/loader';
import { ComposeError } from '../../../src/common/errors';
import { tmpProject } from '../../helpers/project';

interface BadCase {
  name: string;
  files: Record<string, string>;
  env?: Record<string, string>;
  /** [file, line, col] of the reported location, or null when the error has no place in a file. */
  at: [string, number, number] | null;
  message: RegExp;
}

const svc = (body: string) => `services:\n  web:\n    image: busybox\n${body}`;

const CASES: BadCase[] = [
  {
    name: 'broken YAML',
    files: { 'compose.yaml': 'services:\n  web: [\n' },
    at: ['compose.yaml', 3, 1],
    message: /^yaml: /,
  },
  {
    name: 'duplicate key',
    files: { 'compose.yaml': svc('    image: nginx\n') },
    at: ['compose.yaml', 4, 5],
    message: /mapping key "image" already defined at line 3/,
  },
  {
    name: 'non-string key',
    files: { 'compose.yaml': 'services:\n  1:\n    image: x\n' },
    at: ['compose.yaml', 2, 3],
    message: /non-string key in services: 1/,
  },
  {
    name: 'top-level scalar',
    files: { 'compose.yaml': 'hello\n' },
    at: ['compose.yaml', 1, 1],
    message: /top-level object must be a mapping/,
  },
  {
    name: 'unknown key',
    files: { 'compose.yaml': svc('    bogus: 1\n') },
    at: ['compose.yaml', 4, 5],
    message: /services\.web additional properties 'bogus' not allowed/,
  },
  {
    name: 'wrong type',
    files: { 'compose.yaml': 'services:\n  web:\n    image: [a]\n' },
    at: ['compose.yaml', 3, 5],
    message: /services\.web\.image must be a string/,
  },
  {
    name: 'services as a list',
    files: { 'compose.yaml': 'services:\n  - web\n' },
    at: ['compose.yaml', 1, 1],
    message: /services must be a mapping/,
  },
  {
    name: 'dependency cycle',
    files: {
      'compose.yaml':
        'services:\n  a:\n    image: x\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n',
    },
    at: ['compose.yaml', 7, 18],
    message: /dependency cycle detected: a -> b -> a/,
  },
  {
    name: 'unknown dependency',
    files: { 'compose.yaml': svc('    depends_on: [db]\n') },
    at: ['compose.yaml', 4, 18],
    message: /service "web" depends on undefined service "db"/,
  },
  {
    name: 'undefined volume',
    files: { 'compose.yaml': svc('    volumes: ["data:/data"]\n') },
    at: ['compose.yaml', 4, 15],
    message: /refers to undefined volume data/,
  },
  {
    name: 'undefined network',
    files: { 'compose.yaml': svc('    networks: [back]\n') },
    at: ['compose.yaml', 4, 16],
    message: /refers to undefined network back/,
  },
  {
    name: 'no image nor build',
    files: { 'compose.yaml': 'services:\n  web:\n    command: x\n' },
    at: ['compose.yaml', 2, 3],
    message: /neither an image nor a build context/,
  },
  {
    name: 'bad port range',
    files: { 'compose.yaml': svc('    ports: ["8000-8002:80-81"]\n') },
    at: ['compose.yaml', 4, 13],
    message: /invalid port range/,
  },
  {
    name: 'container_name with scale',
    files: { 'compose.yaml': svc('    container_name: web1\n    scale: 2\n') },
    at: ['compose.yaml', 4, 5],
    message: /container name must be unique/,
  },
  {
    name: 'missing env_file',
    files: { 'compose.yaml': svc('    env_file: missing.env\n') },
    at: null,
    message: /env file .*missing\.env not found/,
  },
  {
    name: 'error in an override file is located there',
    files: { 'compose.yaml': svc(''), 'compose.override.yaml': 'services:\n  web:\n    ports: ["9-1:3"]\n' },
    at: ['compose.override.yaml', 3, 13],
    message: /invalid port range/,
  },
  {
    name: 'included file conflicts',
    files: {
      'compose.yaml': 'include: [inc.yaml]\n' + svc(''),
      'inc.yaml': 'services:\n  web:\n    image: other\n',
    },
    at: ['compose.yaml', 3, 3],
    message: /services\.web conflicts with imported resource/,
  },
  {
    name: 'include loop',
    files: {
      'compose.yaml': 'include: [a.yaml]\n' + svc(''),
      'a.yaml': 'include: [compose.yaml]\nservices: {}\n',
    },
    at: ['a.yaml', 1, 11],
    message: /include cycle detected: compose\.yaml -> a\.yaml -> compose\.yaml/,
  },
];

for (const c of CASES) {
  test(`bad input: ${c.name}`, (t) => {
    const dir = tmpProject(t, c.files);
    let err: unknown;
    try {
      loadProject({ workingDir: dir, environment: c.env ?? {} });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ComposeError, `expected a ComposeError, got ${String(err)}`);
    assert.match(err.detail, c.message);
    assert.ok(!err.message.includes('\n'), 'one line');
    if (c.at) {
      const [file, line, col] = c.at;
      assert.deepEqual(err.location, { file: path.join(dir, file), line, col }, err.message);
      assert.ok(err.message.startsWith(`${path.join(dir, file)}:${line}:${col}: `));
    }
  });
}
