/**
 * The state root is private: a non-root host user can neither run a setuid binary out of a
 * layer or a running container's root file system (moby CVE-2021-41091) nor read a container's
 * record, config or logs; a store an older build left with wide modes is fixed at start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUSYBOX, busyboxLayers } from '../../helpers/busybox-image';
import { startTestEngine } from '../../helpers/engine';
import { tarBuffer } from '../../helpers/image-builder';

/**
 * Runs `argv` as nobody, with no groups. Through a shell: setpriv still has its capabilities
 * when it execs its own argument, so that path would be looked up with root's privileges.
 */
function asNobody(...argv: string[]) {
  const drop = ['--reuid=65534', '--regid=65534', '--clear-groups'];
  return spawnSync('setpriv', [...drop, '/bin/sh', '-c', 'exec "$0" "$@"', ...argv], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

const mode = (p: string) => fs.lstatSync(p).mode & 0o7777;

/** What an older build made: directories 0755 (the root 0711), files 0644. */
function widen(root: string): void {
  const walk = (dir: string, depth: number): void => {
    fs.chmodSync(dir, dir === root ? 0o711 : 0o755);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'diff' && depth < 4) walk(p, depth + 1);
      else if (e.isFile()) fs.chmodSync(p, 0o644);
    }
  };
  walk(root, 0);
}

/** The store's skeleton: every directory 0700 and every file 0600, layer content aside. */
function assertPrivate(dir: string, depth = 0): void {
  assert.equal(mode(dir).toString(8), '700', dir);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'diff' && depth < 3) assertPrivate(p, depth + 1);
    else if (e.isFile()) assert.equal(mode(p).toString(8), '600', p);
  }
}

test('a non-root user reaches no setuid binary, record, config or log under the state root', async (t) => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-private-'));
  fs.chmodSync(parent, 0o755); // so only the store's own modes stand in the way
  t.after(() => fs.rmSync(parent, { recursive: true, force: true }));
  const suidTar = path.join(parent, 'suid.tar');
  fs.writeFileSync(
    suidTar,
    await tarBuffer([[{ name: 'bin/busybox-suid', mode: 0o4755, uid: 0, gid: 0 }, fs.readFileSync(BUSYBOX)]]),
  );
  let layerBinary = '';
  const e = await startTestEngine({
    root: path.join(parent, 'root'),
    beforeStart: async (store) => {
      const img = await store.importLayers([...busyboxLayers().layers, suidTar], { tag: 'suid' });
      layerBinary = path.join(img.layerDirs[0], 'bin', 'busybox-suid');
      widen(path.dirname(store.root));
    },
  });
  try {
    const root = e.root;
    assert.equal(mode(layerBinary).toString(8), '4755', 'layer content keeps its own modes');
    assertPrivate(path.join(root, 'images'));
    assert.equal(mode(root).toString(8), '700');

    const { Id } = await e.engine.createContainer({
      Image: 'suid',
      Env: ['SECRET=hunter2'],
      Cmd: ['sh', '-c', 'echo the-output; sleep 60'],
    });
    await e.engine.startContainer(Id);
    const record = path.join(root, 'containers', `${Id}.json`);
    const dir = path.join(root, 'containers', Id);
    const log = path.join(dir, `${Id}-json.log`);
    // The overlay is mounted in the container's mount namespace: the host reaches it through /proc.
    const { State } = await e.engine.inspectContainer(Id);
    const merged = `/proc/${State.Pid}/root/bin/busybox-suid`;
    // The log file is made with the first output.
    const logged = () => fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('the-output');
    for (let i = 0; i < 200 && !logged(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(fs.readFileSync(record, 'utf8'), /hunter2/, 'root reads the record');
    assert.ok(fs.existsSync(merged), 'the container runs');
    for (const d of [path.join(root, 'containers'), dir]) assert.equal(mode(d).toString(8), '700', d);
    for (const f of [record, log, path.join(dir, 'config.json')]) assert.equal(mode(f).toString(8), '600', f);

    // As root the setuid copy works, as nobody it cannot even be reached.
    assert.equal(spawnSync(layerBinary, ['id', '-u'], { encoding: 'utf8' }).stdout.trim(), '0');
    for (const bin of [layerBinary, merged]) {
      const r = asNobody(bin, 'id', '-u');
      assert.notEqual(r.status, 0, `${bin} ran as ${r.stdout}`);
      assert.match(r.stderr, /Permission denied/, bin);
    }
    for (const f of [record, log, path.join(dir, 'config.json')]) {
      const r = asNobody('cat', f);
      assert.notEqual(r.status, 0, `${f} was read: ${r.stdout.slice(0, 80)}`);
      assert.doesNotMatch(r.stdout, /hunter2|the-output/);
    }
    assert.notEqual(asNobody('ls', root).status, 0, 'the root cannot be listed');
  } finally {
    await e.close();
  }
});
