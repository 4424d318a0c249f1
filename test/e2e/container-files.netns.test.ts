/**
 * tscompose's own file commands end to end: `container cp` both ways (a rename, a directory's
 * content with `/.`, -a, -L, a tar on stdin and stdout, docker's refusals), `container diff`,
 * `container commit` with -c/-m/-a then a run of the new image, and `container export`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { useCliEngine } from '../helpers/cli-engine';

function names(tarBytes: Buffer): string[] {
  const r = spawnSync('tar', ['-tf', '-'], { input: tarBytes, maxBuffer: 16 * 1024 * 1024 });
  assert.equal(r.status, 0, String(r.stderr));
  return String(r.stdout).split('\n').filter(Boolean);
}

describe('container cp, diff, commit, export', () => {
  const { dir, cli, cliWith } = useCliEngine('tscompose-files-');
  const ok = (...args: string[]): string => {
    const r = cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  test('cp both ways, diff, commit then run, export', () => {
    ok(
      'container',
      'run',
      '--name',
      'f1',
      'busybox',
      'sh',
      '-c',
      'mkdir -p /d/sub && echo hi > /d/f && ln -s f /d/rel && rm /etc/group',
    );
    try {
      const out = path.join(dir, 'out');
      fs.mkdirSync(out);
      ok('container', 'cp', 'f1:/d/f', path.join(out, 'renamed'));
      assert.equal(fs.readFileSync(path.join(out, 'renamed'), 'utf8'), 'hi\n');
      ok('container', 'cp', 'f1:/d/.', path.join(out, 'content'));
      assert.deepEqual(fs.readdirSync(path.join(out, 'content')).sort(), ['f', 'rel', 'sub']);
      ok('container', 'cp', '-L', 'f1:/d/rel', path.join(out, 'followed'));
      assert.equal(fs.readFileSync(path.join(out, 'followed'), 'utf8'), 'hi\n');
      ok('container', 'cp', 'f1:/d/rel', out);
      assert.equal(fs.readlinkSync(path.join(out, 'rel')), 'f');
      const piped = cliWith({ encoding: 'latin1' }, 'container', 'cp', 'f1:/d', '-');
      assert.deepEqual(names(Buffer.from(piped.stdout, 'latin1')), ['d/', 'd/f', 'd/rel', 'd/sub/']);

      const src = path.join(dir, 'src');
      fs.mkdirSync(path.join(src, 'tree'), { recursive: true });
      fs.writeFileSync(path.join(src, 'tree', 'leaf'), 'leaf\n');
      fs.writeFileSync(path.join(src, 'owned'), 'owned\n');
      fs.chownSync(path.join(src, 'owned'), 1234, 1234);
      ok('container', 'cp', path.join(src, 'tree'), 'f1:/d/tree');
      ok('container', 'cp', '-a', path.join(src, 'owned'), 'f1:/d/');
      ok('container', 'cp', path.join(src, 'owned'), 'f1:/d/rootowned');
      const tar = spawnSync('tar', ['-C', src, '-cf', '-', 'owned']).stdout;
      assert.equal(cliWith({ input: tar }, 'container', 'cp', '-', 'f1:/').status, 0);
      const check = cliWith({ encoding: 'latin1' }, 'container', 'cp', 'f1:/d', '-');
      const listing = spawnSync('tar', ['-tvf', '-', '--numeric-owner'], {
        input: Buffer.from(check.stdout, 'latin1'),
      });
      const lines = String(listing.stdout);
      assert.match(lines, /1234\/1234 .* d\/owned\n/);
      assert.match(lines, /0\/0 .* d\/rootowned\n/);
      assert.match(lines, / d\/tree\/leaf\n/);

      const refused = cli('container', 'cp', path.join(src, 'tree'), 'f1:/d/f');
      assert.equal(refused.status, 1);
      assert.equal(refused.stderr, 'cannot copy directory\n');
      assert.equal(
        cli('container', 'cp', 'f1:/x', 'f2:/y').stderr,
        'copying between containers is not supported\n',
      );
      const missing = cli('container', 'cp', 'f1:/nope', out);
      assert.match(missing.stderr, /Could not find the file \/nope in container f1/);

      const diff = ok('container', 'diff', 'f1').split('\n');
      for (const want of ['A /d', 'A /d/f', 'A /d/tree/leaf', 'C /etc', 'D /etc/group', 'A /owned'])
        assert.ok(diff.includes(want), `${want} in ${diff.join(', ')}`);

      const id = ok(
        'container',
        'commit',
        '-c',
        'CMD ["cat", "/d/tree/leaf"]',
        '-m',
        'msg',
        '-a',
        'me',
        'f1',
        'filescommit:1',
      );
      assert.match(id, /^sha256:[0-9a-f]{64}\n$/);
      assert.equal(ok('container', 'run', '--rm', 'filescommit:1'), 'leaf\n');
      const bad = cli('container', 'commit', '-c', 'NOPE x', 'f1');
      assert.equal(bad.status, 1);

      const exported = path.join(dir, 'f1.tar');
      ok('container', 'export', '-o', exported, 'f1');
      const all = names(fs.readFileSync(exported));
      assert.ok(all.includes('d/tree/leaf') && all.includes('bin/busybox') && !all.includes('etc/group'));
      ok('image', 'rm', 'filescommit:1');
    } finally {
      cli('container', 'rm', '-f', 'f1');
    }
  });
});
