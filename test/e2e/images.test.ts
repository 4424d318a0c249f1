/**
 * The image commands end to end through the real CLI and the daemon it starts on demand:
 * import → tag → save → rm → load → ls, prune, and docker's messages; the daemon is stopped
 * at the end.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { busyboxLayers, busyboxMissing } from '../helpers/busybox-image';
import { runCli, type CliResult } from '../helpers/cli';

describe('image commands through the auto-started daemon', { skip: busyboxMissing() }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-e2e-img-'));
  const env = {
    ...process.env,
    TSCOMPOSE_ROOT: path.join(dir, 'root'),
    TSCOMPOSE_RUNROOT: path.join(dir, 'run'),
  };
  const cli = (args: string[], input?: Buffer): CliResult => runCli(args, { env, input });
  const ok = (...args: string[]): string => {
    const r = cli(args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const rows = (): string[][] =>
    ok('image', 'ls', '--format', '{{.Repository}} {{.Tag}} {{.ID}}')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
      .sort();

  after(() => {
    try {
      cli(['engine', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('import, tag, save, rm, load: the same image comes back under both names', () => {
    const id = ok('image', 'import', '-c', 'CMD ["sh"]', busyboxLayers().layers[0], 'busybox:1').trim();
    assert.match(id, /^sha256:[a-f0-9]{64}$/);
    assert.equal(ok('image', 'tag', 'busybox:1', 'example.com/tools/bb:2'), '');
    const short = id.slice(7, 19);
    assert.deepEqual(rows(), [
      ['busybox', '1', short],
      ['example.com/tools/bb', '2', short],
    ]);
    const table = ok('image', 'ls').split('\n');
    assert.match(table[0], /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);

    const tarFile = path.join(dir, 'saved.tar');
    assert.equal(ok('image', 'save', '-o', tarFile, 'busybox:1', 'example.com/tools/bb:2'), '');
    const saved = fs.readFileSync(tarFile);
    assert.ok(saved.includes('manifest.json') && saved.includes('oci-layout'));

    assert.equal(ok('image', 'rm', 'busybox:1'), 'Untagged: busybox:1\n');
    const removed = ok('image', 'rm', 'example.com/tools/bb:2').split('\n').filter(Boolean);
    assert.deepEqual(removed.slice(0, 2), ['Untagged: example.com/tools/bb:2', `Deleted: ${id}`]);
    assert.match(removed[2], /^Deleted: sha256:[a-f0-9]{64}$/, 'and its layer');
    assert.deepEqual(rows(), []);

    assert.equal(
      ok('image', 'load', '-i', tarFile),
      'Loaded image: busybox:1\nLoaded image: example.com/tools/bb:2\n',
    );
    assert.deepEqual(rows(), [
      ['busybox', '1', short],
      ['example.com/tools/bb', '2', short],
    ]);
    const fromStdin = cli(['image', 'load'], saved);
    assert.equal(fromStdin.status, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, 'Loaded image: busybox:1\nLoaded image: example.com/tools/bb:2\n');
    assert.equal(
      JSON.parse(ok('image', 'inspect', '-f', '{{json .Config.Cmd}}', 'busybox:1')).join(' '),
      'sh',
    );
  });

  test('a dangling image shows as <none>; prune asks first, -f removes it', () => {
    const id = ok('image', 'import', busyboxLayers().layers[1]).trim();
    assert.ok(rows().some((r) => r.join(' ') === `<none> <none> ${id.slice(7, 19)}`));
    const asked = cli(['image', 'prune'], Buffer.from('n\n'));
    assert.equal(
      asked.stdout,
      'WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] Total reclaimed space: 0B\n',
    );
    assert.ok(rows().some((r) => r[2] === id.slice(7, 19)));
    const pruned = ok('image', 'prune', '-f');
    assert.match(
      pruned,
      new RegExp(
        `^Deleted Images:\\ndeleted: ${id}\\ndeleted: sha256:[a-f0-9]{64}\\n\\nTotal reclaimed space: \\d+(\\.\\d+)?[kM]?B\\n$`,
      ),
    );
    assert.equal(rows().length, 2, 'the tagged images stay');
    assert.equal(ok('image', 'prune', '-f'), 'Total reclaimed space: 0B\n');
  });

  test("docker's errors: unknown images, an unreadable input, a digest tag", () => {
    const rm = cli(['image', 'rm', 'nope:1']);
    assert.deepEqual([rm.status, rm.stderr], [1, 'Error response from daemon: No such image: nope:1\n']);
    const save = cli(['image', 'save', '-o', path.join(dir, 'x.tar'), 'nope:1']);
    assert.deepEqual([save.status, save.stderr], [1, 'Error response from daemon: No such image: nope:1\n']);
    assert.equal(fs.existsSync(path.join(dir, 'x.tar')), false, 'no file for a failed save');
    const load = cli(['image', 'load', '-i', path.join(dir, 'missing.tar')]);
    assert.deepEqual(
      [load.status, load.stderr],
      [1, `open ${path.join(dir, 'missing.tar')}: no such file or directory\n`],
    );
    const garbage = cli(['image', 'load'], Buffer.from('x'.repeat(2000)));
    assert.equal(garbage.status, 1);
    assert.match(garbage.stderr, /^Error response from daemon: invalid archive/);
    const tag = cli(['image', 'tag', 'busybox:1', `bb@sha256:${'a'.repeat(64)}`]);
    assert.deepEqual([tag.status, tag.stderr], [1, 'refusing to create a tag with a digest reference\n']);
    const missingTag = cli(['image', 'tag', 'nope:1', 'x:1']);
    assert.deepEqual(
      [missingTag.status, missingTag.stderr],
      [1, 'Error response from daemon: No such image: nope:1\n'],
    );
  });
});
