/**
 * The official docker CLI's file commands against the engine: `cp` both ways (files,
 * directories, symlinks, owners, -a, -L, `-` as a tar on stdin and stdout), `diff`, `commit
 * --change` then a run of the new image, `export`; and `cp` through a container's symlink that
 * names a host path, both ways, which must stay inside the container. Skipped where
 * /usr/local/bin/docker is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { plantCanaries } from '../helpers/canaries';
import { useCliEngine } from '../helpers/cli-engine';
import { DOCKER_BIN, dockerCli } from '../helpers/docker-cli';

const skip = DOCKER_BIN ? false : 'the docker CLI is not installed at /usr/local/bin/docker';

/** `tar tv`-like lines of a tar (a string: latin1, as binary output comes back): type, owner, name (and link target). */
function listTar(bytes: Buffer | string): string[] {
  const input = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const r = spawnSync('tar', ['-tvf', '-', '--numeric-owner'], { input, maxBuffer: 16 * 1024 * 1024 });
  assert.equal(r.status, 0, String(r.stderr));
  return String(r.stdout)
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const f = l.split(/\s+/);
      return `${f[0][0]} ${f[1]} ${f.slice(5).join(' ')}`;
    });
}

describe('the docker CLI: cp, diff, commit, export', { skip }, () => {
  const engine = useCliEngine('tscompose-dkarch-');
  const { docker, dockerWith } = dockerCli(engine);
  const ok = (...args: string[]): string => {
    const r = docker(...args);
    assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** A busybox container that ran `script` and exited. */
  const ran = (name: string, script: string): void => {
    ok('create', '--name', name, 'busybox', 'sh', '-c', script);
    ok('start', name);
    assert.equal(ok('wait', name).trim(), '0');
  };
  const work = (name: string): string => {
    const d = path.join(engine.dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };

  test('cp out of a container: a file, a directory, a symlink with and without -L, a tar on stdout', () => {
    ran(
      'out1',
      'mkdir -p /d/sub && echo hi > /d/f && echo deep > /d/sub/x && ln -s f /d/rel && ln -s /etc/passwd /d/abs && chown 1000:1000 /d/f',
    );
    try {
      const out = work('out');
      ok('cp', 'out1:/d/f', path.join(out, 'f'));
      assert.equal(fs.readFileSync(path.join(out, 'f'), 'utf8'), 'hi\n');
      ok('cp', 'out1:/d', path.join(out, 'd'));
      assert.equal(fs.readFileSync(path.join(out, 'd', 'sub', 'x'), 'utf8'), 'deep\n');
      assert.equal(fs.readlinkSync(path.join(out, 'd', 'rel')), 'f');
      ok('cp', 'out1:/d/.', path.join(out, 'content'));
      assert.ok(fs.existsSync(path.join(out, 'content', 'sub', 'x')), 'dir/. copies the content');
      ok('cp', 'out1:/d/abs', path.join(out, 'abs'));
      assert.equal(fs.readlinkSync(path.join(out, 'abs')), '/etc/passwd', 'the symlink itself');
      ok('cp', '-L', 'out1:/d/abs', path.join(out, 'absL'));
      assert.match(
        fs.readFileSync(path.join(out, 'absL'), 'utf8'),
        /^root:x:0:0:/,
        "the container's file, not the host's",
      );
      const r = dockerWith({ encoding: 'latin1' }, 'cp', 'out1:/d', '-');
      assert.equal(r.status, 0);
      assert.deepEqual(listTar(r.stdout), [
        'd 0/0 d/',
        'l 0/0 d/abs -> /etc/passwd',
        '- 1000/1000 d/f',
        'l 0/0 d/rel -> f',
        'd 0/0 d/sub/',
        '- 0/0 d/sub/x',
      ]);
      const missing = docker('cp', 'out1:/nope', out);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /Could not find the file \/nope in container out1/);
    } finally {
      ok('rm', '-f', 'out1');
    }
  });

  test('cp into a container: a file, a new name, a directory, -a keeps owners, a tar on stdin, into a running one', () => {
    ran('in1', 'mkdir /dest && ln -s /dest /destlink');
    try {
      const src = work('src');
      fs.writeFileSync(path.join(src, 'file'), 'content\n');
      fs.chownSync(path.join(src, 'file'), 1234, 4321);
      fs.mkdirSync(path.join(src, 'tree', 'sub'), { recursive: true });
      fs.writeFileSync(path.join(src, 'tree', 'sub', 'leaf'), 'leaf\n');
      fs.symlinkSync('sub/leaf', path.join(src, 'tree', 'link'));
      ok('cp', path.join(src, 'file'), 'in1:/dest/');
      ok('cp', '-a', path.join(src, 'file'), 'in1:/dest/kept');
      ok('cp', path.join(src, 'file'), 'in1:/destlink/renamed');
      ok('cp', path.join(src, 'tree'), 'in1:/dest/tree');
      const tar = spawnSync('tar', ['-C', src, '-cf', '-', 'file']).stdout;
      assert.equal(dockerWith({ input: tar }, 'cp', '-', 'in1:/').status, 0);
      const listing = listTar(dockerWith({ encoding: 'latin1' }, 'cp', 'in1:/dest', '-').stdout);
      assert.deepEqual(listing, [
        'd 0/0 dest/',
        '- 0/0 dest/file',
        '- 1234/4321 dest/kept',
        '- 0/0 dest/renamed',
        'd 0/0 dest/tree/',
        'l 0/0 dest/tree/link -> sub/leaf',
        'd 0/0 dest/tree/sub/',
        '- 0/0 dest/tree/sub/leaf',
      ]);
      const notDir = docker('cp', path.join(src, 'tree'), 'in1:/dest/file');
      assert.equal(notDir.status, 1);
      assert.match(notDir.stderr, /cannot copy directory/);
      const viaStdin = dockerWith({ input: tar }, 'cp', '-', 'in1:/dest/file');
      assert.match(viaStdin.stderr, /destination "in1:\/dest\/file" must be a directory/);

      ok('create', '--name', 'in2', 'busybox', 'sleep', '1000');
      ok('start', 'in2');
      ok('cp', path.join(src, 'file'), 'in2:/tmp/live');
      assert.equal(ok('exec', 'in2', 'cat', '/tmp/live'), 'content\n');
      ok('exec', 'in2', 'sh', '-c', 'echo fresh > /tmp/made');
      const back = work('back');
      ok('cp', 'in2:/tmp/made', back);
      assert.equal(fs.readFileSync(path.join(back, 'made'), 'utf8'), 'fresh\n');
    } finally {
      docker('rm', '-f', 'in1', 'in2');
    }
  });

  test('diff, commit --change, a run of the new image, export', () => {
    ran('ch1', 'mkdir /added && echo hi > /added/f && rm /etc/group && echo more >> /etc/passwd');
    try {
      const diff = ok('diff', 'ch1').split('\n').filter(Boolean);
      for (const want of ['A /added', 'A /added/f', 'C /etc', 'D /etc/group', 'C /etc/passwd'])
        assert.ok(diff.includes(want), `${want} in:\n${diff.join('\n')}`);
      assert.ok(!diff.some((l) => /\/etc\/(hosts|hostname|resolv\.conf)$/.test(l)), diff.join('\n'));

      const id = ok(
        'commit',
        '-a',
        'me',
        '-m',
        'a message',
        '-c',
        'CMD ["cat", "/added/f"]',
        '-c',
        'ENV FOO=bar',
        '-c',
        'LABEL x=y',
        'ch1',
        'committed:v1',
      ).trim();
      assert.match(id, /^sha256:[0-9a-f]{64}$/);
      assert.equal(
        ok(
          'image',
          'inspect',
          '--format',
          '{{json .Config.Cmd}} {{.Author}} {{index .Config.Labels "x"}}',
          'committed:v1',
        ).trim(),
        '["cat","/added/f"] me y',
      );
      ok('create', '--name', 'fromcommit', 'committed:v1');
      ok('start', 'fromcommit');
      assert.equal(ok('wait', 'fromcommit').trim(), '0');
      assert.equal(ok('logs', 'fromcommit'), 'hi\n');
      const bad = docker('commit', '-c', 'BOGUS x', 'ch1');
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /BOGUS x/);

      const file = path.join(engine.dir, 'export.tar');
      ok('export', '-o', file, 'ch1');
      const names = listTar(fs.readFileSync(file)).map((l) => l.split(' ').slice(2).join(' '));
      assert.ok(names.includes('added/f'));
      assert.ok(!names.includes('etc/group'));
      assert.ok(names.includes('bin/busybox'));
      const piped = dockerWith({ encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 }, 'export', 'ch1');
      assert.equal(piped.status, 0);
      assert.equal(listTar(piped.stdout).length, names.length);
    } finally {
      docker('rm', '-f', 'ch1', 'fromcommit');
      docker('rmi', 'committed:v1');
    }
  });

  test("cp through a container's symlink naming a host path stays in the container, both ways", (t) => {
    const canary = plantCanaries(t);
    const daemonPid = (): unknown =>
      (JSON.parse(engine.cli('engine', 'status', '--format', 'json').stdout) as { pid?: unknown }).pid;
    const pid = daemonPid();
    ran(
      'esc',
      `ln -s ${canary.dir} /abs && ln -s ../../../../../../..${canary.dir} /rel && ln -s ${canary.file} /file`,
    );
    try {
      const out = work('esc-out');
      for (const link of ['/abs', '/rel']) {
        const r = docker('cp', `esc:${link}/secret`, out);
        assert.equal(r.status, 1, 'the host file is not the container');
        assert.match(r.stderr, /Could not find the file/);
        assert.equal(docker('cp', '-L', `esc:${link}`, path.join(out, 'followed')).status, 1);
      }
      assert.equal(docker('cp', '-L', 'esc:/file', path.join(out, 'f')).status, 1);
      assert.ok(!fs.existsSync(path.join(out, 'f')));
      const src = work('esc-src');
      fs.writeFileSync(path.join(src, 'secret'), 'pwned\n');
      for (const dest of ['esc:/abs', 'esc:/rel', 'esc:/abs/', 'esc:/file'])
        docker('cp', path.join(src, 'secret'), dest); // refused or written inside the container
      canary.assertUntouched('docker cp reached the host through a container symlink');
      assert.equal(daemonPid(), pid, 'the daemon lives');
    } finally {
      docker('rm', '-f', 'esc');
    }
    canary.assertUntouched();
  });
});
