/**
 * A container's files through the Engine API in-process: `cp` both ways (stat, get, put) on a
 * stopped and a running container, `export`, `diff` with whiteouts and an opaque directory,
 * and `commit` (then a run of the new image); and hostile tars and container symlinks that try
 * to reach the host: `..` names, a symlink entry then a file through it, a hard link out, a
 * symlink in the container naming a host path, in both directions. Real containers.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import * as tar from 'tar-stream';
import type { Engine } from '../../../src/engine/engine';
import { plantCanaries } from '../../helpers/canaries';
import { collect } from '../../helpers/engine';
import { useTestEngine } from '../../helpers/engine-suite';

type Entry = Partial<tar.Header> & { name: string; body?: string };

async function makeTar(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  pack.on('data', (c: unknown) => void parts.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => pack.on('end', resolve).on('error', reject));
  for (const { body, ...header } of entries) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ mode: 0o644, mtime: new Date('2020-01-01T00:00:00Z'), ...header }, body ?? '', (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
  pack.finalize();
  await ended;
  return Buffer.concat(parts);
}

interface Read {
  header: tar.Header;
  body: string;
}

async function readTar(input: Readable): Promise<Read[]> {
  const out: Read[] = [];
  const extract = tar.extract();
  input.pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    out.push({ header: entry.header, body: Buffer.concat(chunks).toString('utf8') });
  }
  return out;
}

/** Runs `script` in a new busybox container (the image given) and answers its stdout; the container is removed. */
async function sh(engine: Engine, script: string, image = 'busybox'): Promise<{ code: number; out: string }> {
  const { Id } = await engine.createContainer({ Image: image, Cmd: ['sh', '-c', script] });
  try {
    await engine.startContainer(Id);
    const { StatusCode } = await engine.waitContainer(Id);
    const out = await collect(engine.containerLogs(Id, { stdout: true, stderr: true }));
    return { code: StatusCode, out: out.stdout + out.stderr };
  } finally {
    await engine.removeContainer(Id, { force: true });
  }
}

/** A container that ran `script` and exited, for the stopped case. */
async function ran(engine: Engine, script: string, extra: object = {}): Promise<string> {
  const { Id } = await engine.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', script], ...extra });
  await engine.startContainer(Id);
  const { StatusCode } = await engine.waitContainer(Id);
  assert.equal(StatusCode, 0, `setup script failed: ${script}`);
  return Id;
}

/** The file's text as the container sees it, read back through a GET. */
async function catOut(engine: Engine, id: string, p: string): Promise<string> {
  const { tar: t } = await engine.getContainerArchive(id, p);
  const entries = await readTar(t);
  assert.equal(entries.length, 1, `one entry for ${p}`);
  return entries[0].body;
}

const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;

describe('container files: cp, export, diff, commit', () => {
  const suite = useTestEngine();

  test('cp into and out of a stopped container: files, directories, symlinks, owners', async () => {
    const { engine } = suite.t;
    const id = await ran(engine, 'mkdir -p /data && ln -s /etc/passwd /data/pw');
    try {
      const input = await makeTar([
        { name: 'dir/', type: 'directory', mode: 0o750, uid: 1000, gid: 1000 },
        { name: 'dir/file', body: 'hello\n', mode: 0o640, uid: 1000, gid: 1000 },
        { name: 'dir/link', type: 'symlink', linkname: 'file' },
      ]);
      await engine.putContainerArchive(id, '/data', Readable.from(input), { copyUIDGID: true });
      const st = await engine.statContainerPath(id, '/data/dir');
      assert.equal(st.name, 'dir');
      assert.ok(st.mode & GO_DIR, 'a directory');
      assert.equal(st.mode & 0o777, 0o750);
      const link = await engine.statContainerPath(id, '/data/pw');
      assert.ok(link.mode & GO_SYMLINK);
      assert.equal(link.linkTarget, '/etc/passwd');
      await assert.rejects(
        engine.statContainerPath(id, '/nope'),
        /Could not find the file \/nope in container/,
      );

      const { stat, tar: t } = await engine.getContainerArchive(id, '/data/dir');
      assert.equal(stat.name, 'dir');
      const entries = await readTar(t);
      assert.deepEqual(
        entries.map((e) => [e.header.name, e.header.type, e.header.uid, e.body]),
        [
          ['dir/', 'directory', 1000, ''],
          ['dir/file', 'file', 1000, 'hello\n'],
          ['dir/link', 'symlink', 0, ''],
        ],
      );
      // The symlink itself, not what it names, unless the path ends in `/`.
      const pw = await readTar((await engine.getContainerArchive(id, '/data/pw')).tar);
      assert.deepEqual([pw[0].header.type, pw[0].header.linkname], ['symlink', '/etc/passwd']);

      // Without copyUIDGID, root owns what was copied in, as docker's cp without -a.
      await engine.putContainerArchive(
        id,
        '/data',
        Readable.from(await makeTar([{ name: 'r', body: 'x', uid: 7 }])),
      );
      const r = await readTar((await engine.getContainerArchive(id, '/data/r')).tar);
      assert.equal(r[0].header.uid, 0);
      await assert.rejects(
        engine.putContainerArchive(id, '/data/dir/file', Readable.from(input)),
        /extraction point is not a directory/,
      );
      await assert.rejects(
        engine.putContainerArchive(id, '/data', Readable.from(await makeTar([{ name: 'dir', body: 'x' }])), {
          noOverwriteDirNonDir: true,
        }),
        /cannot overwrite directory/,
      );
      // After a start the container sees it all.
      await engine.startContainer(id);
      await engine.waitContainer(id);
      const again = await catOut(engine, id, '/data/dir/link');
      assert.equal(again, '');
      assert.equal(await catOut(engine, id, '/data/dir/file'), 'hello\n');
    } finally {
      await engine.removeContainer(id, { force: true });
    }
  });

  test('cp into and out of a running container, and into its volume', async () => {
    const { engine } = suite.t;
    const id = await suite.started(['sleep', '1000'], { HostConfig: { Binds: ['archvol:/vol'] } });
    try {
      await engine.putContainerArchive(
        id,
        '/tmp',
        Readable.from(await makeTar([{ name: 'in', body: 'running\n' }])),
      );
      await engine.putContainerArchive(
        id,
        '/vol',
        Readable.from(await makeTar([{ name: 'v', body: 'volume\n' }])),
      );
      assert.equal(await catOut(engine, id, '/tmp/in'), 'running\n');
      assert.equal(await catOut(engine, id, '/vol/v'), 'volume\n');
      // /proc of a running container is the kernel's: nothing is written there.
      await assert.rejects(
        engine.putContainerArchive(id, '/proc', Readable.from(await makeTar([{ name: 'x', body: 'x' }]))),
        /kernel's \/proc or \/sys/,
      );
      await engine.killContainer(id, 'SIGKILL');
      await engine.waitContainer(id);
      // Stopped: the volume is bound into the view as at the start.
      assert.equal(await catOut(engine, id, '/vol/v'), 'volume\n');
      const changes = await engine.containerChanges(id);
      assert.ok(!changes.some((c) => c.Path.startsWith('/vol')), 'the volume is no change of the container');
    } finally {
      await engine.removeContainer(id, { force: true, volumes: true });
      await engine.removeVolume('archvol').catch(() => undefined);
    }
  });

  test('diff, export and commit; the committed image runs', async () => {
    const { engine } = suite.t;
    const id = await ran(
      engine,
      'mkdir /added && echo hi > /added/f && rm /etc/group && echo more >> /etc/passwd && rm -rf /tmp && mkdir /tmp && touch /tmp/x',
    );
    try {
      const changes = await engine.containerChanges(id);
      const lines = changes.map((c) => `${'CAD'[c.Kind]} ${c.Path}`);
      for (const want of [
        'A /added',
        'A /added/f',
        'C /etc',
        'D /etc/group',
        'C /etc/passwd',
        'D /tmp',
        'A /tmp/x',
      ])
        assert.ok(lines.includes(want), `${want} in ${lines.join(', ')}`);
      for (const p of ['/etc/hosts', '/etc/resolv.conf', '/etc/hostname', '/proc', '/sys', '/dev'])
        assert.ok(!changes.some((c) => c.Path === p), `${p} is the engine's, not a change`);

      const exported = await readTar(await engine.exportContainer(id));
      const names = new Map(exported.map((e) => [e.header.name, e]));
      assert.equal(names.get('added/f')?.body, 'hi\n');
      assert.ok(!names.has('etc/group'), 'a deleted file is not exported');
      assert.ok(names.has('bin/busybox'));
      assert.equal(names.get('proc/')?.header.type, 'directory');

      const { Id } = await engine.commitContainer({
        container: id,
        repo: 'committed',
        tag: 't1',
        author: 'me',
        comment: 'a test',
        changes: ['CMD ["cat", "/added/f"]', 'ENV FOO=bar', 'LABEL a=b', 'WORKDIR /added', 'EXPOSE 8080'],
      });
      assert.match(Id, /^sha256:[0-9a-f]{64}$/);
      const img = await engine.inspectImage('committed:t1');
      const config = img.Config as {
        Cmd: string[];
        Env: string[];
        Labels: Record<string, string>;
        WorkingDir: string;
      };
      assert.deepEqual(config.Cmd, ['cat', '/added/f']);
      assert.ok(config.Env.includes('FOO=bar'));
      assert.equal(config.Labels.a, 'b');
      assert.equal(config.WorkingDir, '/added');
      const { Id: c2 } = await engine.createContainer({ Image: 'committed:t1' });
      try {
        await engine.startContainer(c2);
        assert.equal((await engine.waitContainer(c2)).StatusCode, 0);
        const out = await collect(engine.containerLogs(c2, { stdout: true, stderr: true }));
        assert.equal(out.stdout, 'hi\n');
      } finally {
        await engine.removeContainer(c2, { force: true });
      }
      const check = await sh(
        engine,
        'test ! -e /etc/group && grep -q more /etc/passwd && ls /tmp && echo ok',
        'committed:t1',
      );
      assert.equal(check.out, 'x\nok\n');
      await engine.removeImage('committed:t1');
    } finally {
      await engine.removeContainer(id, { force: true });
    }
  });

  test('hostile tars never leave the container', async (t) => {
    const { engine } = suite.t;
    const canary = plantCanaries(t);
    const id = await ran(engine, 'mkdir -p /dest');
    try {
      const put = async (entries: Entry[], dest = '/dest'): Promise<void> =>
        engine.putContainerArchive(id, dest, Readable.from(await makeTar(entries)));
      await assert.rejects(put([{ name: '../escape', body: 'x' }]), /outside of the destination/);
      await assert.rejects(put([{ name: 'a/../../escape', body: 'x' }]), /outside of the destination/);
      await assert.rejects(
        put([{ name: 'up', type: 'symlink', linkname: '../../../../../../../..' + canary.dir }]),
        /invalid symlink/,
      );
      await assert.rejects(
        put([{ name: 'hl', type: 'link', linkname: '../../etc/passwd' }]),
        /outside of the destination/,
      );
      // An absolute name is taken from the destination, as docker does.
      await put([{ name: canary.file, body: 'abs\n' }]);
      assert.equal(await catOut(engine, id, `/dest${canary.file}`), 'abs\n');
      // A symlink entry to `/` or to a host path, then a file through it: resolved in the container.
      await put([
        { name: 'root', type: 'symlink', linkname: '/' },
        { name: `root${canary.file}`, body: 'through root\n' },
        { name: 'host', type: 'symlink', linkname: canary.dir },
        { name: 'host/secret', body: 'through host\n' },
      ]);
      assert.equal(await catOut(engine, id, canary.file), 'through host\n');
      canary.assertUntouched('a tar wrote through a symlink to the host');
    } finally {
      await engine.removeContainer(id, { force: true });
    }
    canary.assertUntouched();
  });

  test('a symlink in the container naming a host path is resolved in the container, both ways', async (t) => {
    const { engine } = suite.t;
    const canary = plantCanaries(t);
    for (const running of [false, true]) {
      const script = `ln -s ${canary.dir} /abs && ln -s ../../../../../../..${canary.dir} /rel && ln -s ${canary.file} /file`;
      const id = running
        ? await suite.started(['sh', '-c', `${script} && sleep 1000`])
        : await ran(engine, script);
      try {
        if (running) await new Promise((r) => setTimeout(r, 300));
        for (const link of ['/abs', '/rel']) {
          // Out: the host's secret is never read; the container has no such file.
          await assert.rejects(engine.getContainerArchive(id, `${link}/secret`), /Could not find the file/);
          await assert.rejects(engine.getContainerArchive(id, `${link}/`), /Could not find the file/);
          const st = await engine.statContainerPath(id, link);
          assert.equal(st.linkTarget, canary.dir, 'the target as the container resolves it');
          const entry = await readTar((await engine.getContainerArchive(id, link)).tar);
          assert.equal(entry[0].header.type, 'symlink');
          // In: nothing exists at that path in the container, so nothing is written anywhere.
          await assert.rejects(
            engine.putContainerArchive(
              id,
              link,
              Readable.from(await makeTar([{ name: 'secret', body: 'pwned' }])),
            ),
            /Could not find the file/,
          );
        }
        // Into the container's own copy of the path, once it exists there.
        await engine.putContainerArchive(
          id,
          '/',
          Readable.from(await makeTar([{ name: canary.dir.slice(1) + '/', type: 'directory' }])),
        );
        await engine.putContainerArchive(
          id,
          '/abs',
          Readable.from(await makeTar([{ name: 'secret', body: 'inside\n' }])),
        );
        assert.equal(await catOut(engine, id, `${canary.dir}/secret`), 'inside\n');
        await engine
          .putContainerArchive(id, '/', Readable.from(await makeTar([{ name: 'file/x', body: 'no' }])))
          .catch(() => undefined);
        canary.assertUntouched(`cp through a container's symlink reached the host (running: ${running})`);
      } finally {
        await engine.removeContainer(id, { force: true });
      }
    }
  });
});
