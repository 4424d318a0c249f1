/**
 * The cgroup driver: the limits table against the real v1 kernel files and against a
 * cgroup2-shaped temp tree, then real behaviour on this machine's v1 (hybrid) kernel: joining
 * every hierarchy, pids.max, OOM kills, freezing, killing, stats and leak-free removal.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  cgroupDriver,
  cgroupParentFor,
  CgroupError,
  detectCgroups,
  parseMountinfo,
  type CgroupDriver,
} from '../../../src/engine/runtime/cgroups';
import { cgroupsOf, GatedShell, tempRoot, until } from './helpers';
import { LIMIT_CASES, PARENT, type Expected } from './limits-table';

const mounts = detectCgroups();
const isRoot = process.getuid?.() === 0;
const hasV1 = mounts.mode !== 'v2' && isRoot;
const v1Skip = hasV1 ? false : 'needs root and cgroup v1 controllers';

function v1Dir(controller: string, cgPath: string): string {
  const h = mounts.v1.find((m) => m.controllers.includes(controller));
  assert.ok(h, `controller ${controller} mounted`);
  return path.join(h.mountpoint, cgPath);
}

function readIf(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8').trim();
  } catch {
    return null;
  }
}

describe('parseMountinfo', () => {
  const hybrid = [
    '30 23 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755',
    '31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw,nsdelegate',
    '34 30 0:30 / /sys/fs/cgroup/cpu,cpuacct rw shared:15 - cgroup cgroup rw,cpu,cpuacct',
    '35 30 0:31 / /sys/fs/cgroup/memory rw shared:16 - cgroup cgroup rw,memory',
    '36 30 0:32 / /sys/fs/cgroup/systemd rw shared:11 - cgroup cgroup rw,xattr,name=systemd',
    '37 30 0:31 /docker/abc /mnt/memory rw - cgroup cgroup rw,memory',
  ].join('\n');
  const cases: [string, string, ReturnType<typeof parseMountinfo>][] = [
    [
      'hybrid',
      hybrid,
      {
        mode: 'hybrid',
        unified: '/sys/fs/cgroup/unified',
        v1: [
          { mountpoint: '/sys/fs/cgroup/cpu,cpuacct', controllers: ['cpu', 'cpuacct'] },
          { mountpoint: '/sys/fs/cgroup/memory', controllers: ['memory'] },
          { mountpoint: '/sys/fs/cgroup/systemd', controllers: ['name=systemd'] },
        ],
      },
    ],
    [
      'pure v2',
      '30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot',
      { mode: 'v2', unified: '/sys/fs/cgroup', v1: [] },
    ],
    [
      'pure v1',
      '35 30 0:31 / /sys/fs/cgroup/pids rw shared:16 - cgroup cgroup rw,pids',
      { mode: 'v1', unified: undefined, v1: [{ mountpoint: '/sys/fs/cgroup/pids', controllers: ['pids'] }] },
    ],
  ];
  for (const [name, text, want] of cases) it(name, () => assert.deepEqual(parseMountinfo(text), want));

  it('finds this machine', () => {
    assert.ok(['v1', 'hybrid', 'v2'].includes(mounts.mode));
    if (mounts.mode !== 'v2') assert.ok(mounts.v1.some((h) => h.controllers.includes('memory')));
  });
});

describe('cgroupParentFor', () => {
  it('differs per root and is stable', () => {
    assert.equal(cgroupParentFor('/var/lib/tscompose'), '/tscompose');
    assert.equal(cgroupParentFor('/tmp/a'), cgroupParentFor('/tmp/a/'));
    assert.notEqual(cgroupParentFor('/tmp/a'), cgroupParentFor('/tmp/b'));
    assert.match(cgroupParentFor('/tmp/a'), /^\/tscompose-[0-9a-f]{12}$/);
  });
});

/** The same table on both versions; `read` gives what a control file holds after create(). */
function limitsTable(
  version: 'v1' | 'v2',
  setup: () => {
    driver: CgroupDriver;
    parent: string;
    read: (cgPath: string, file: string) => string | null;
  },
  skip: string | false,
) {
  describe(`limits table on ${version}`, { skip }, () => {
    for (const [i, c] of LIMIT_CASES.entries()) {
      it(c.name, async () => {
        const { driver, parent, read } = setup();
        const cg = driver.create(parent, `limits-${i}`, c.limits);
        try {
          const want: Expected = c[version];
          for (const [file, value] of Object.entries(want)) {
            const got = read(cg.path, file);
            if (value === PARENT) {
              const controller = file.split('.')[0];
              const parentValue = readIf(path.join(path.dirname(v1Dir(controller, cg.path)), file));
              assert.ok(got, `${file} is set`);
              assert.equal(got, parentValue, `${file} copied from the parent`);
            } else assert.equal(got, value, file);
          }
        } finally {
          if (version === 'v1') await cg.destroy();
        }
      });
    }
  });
}

describe('cgroup v2 (a cgroup2-shaped temp tree)', () => {
  const t = tempRoot('tscompose-cg2-');
  const fake = path.join(t.root, 'cgroup2');
  const parent = cgroupParentFor(t.root);
  let driver: CgroupDriver;
  before(() => {
    fs.mkdirSync(fake);
    fs.writeFileSync(path.join(fake, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
    fs.writeFileSync(path.join(fake, 'cgroup.subtree_control'), '');
    driver = cgroupDriver({ v2Root: fake });
  });
  after(t.cleanup);

  limitsTable(
    'v2',
    () => ({ driver, parent, read: (cgPath, file) => readIf(path.join(fake, cgPath, file)) }),
    false,
  );

  it('enables the controllers top-down, in every ancestor', () => {
    for (const dir of [fake, path.join(fake, parent)]) {
      assert.equal(readIf(path.join(dir, 'cgroup.subtree_control')), '+cpu +cpuset +memory +pids', dir);
    }
    assert.equal(driver.mode, 'v2');
    assert.ok(driver.list(parent).length >= LIMIT_CASES.length);
  });

  it('refuses a limit whose controller is missing, and leaves nothing', () => {
    const other = path.join(t.root, 'cgroup2-nomem');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'cgroup.controllers'), 'cpu pids\n');
    const d = cgroupDriver({ v2Root: other });
    assert.throws(
      () => d.create(parent, 'c', { memoryBytes: 1 << 24 }),
      (err: unknown) =>
        err instanceof CgroupError && /controller\(s\) memory not available/.test(err.message),
    );
    assert.equal(fs.existsSync(path.join(other, parent, 'c')), false);
  });

  it('adds processes, kills with cgroup.kill, reads events and stats', async () => {
    const cg = driver.create(parent, 'ops', { memoryBytes: 1 << 26 });
    const dir = path.join(fake, cg.path);
    cg.addProcess(4242);
    assert.equal(readIf(path.join(dir, 'cgroup.procs')), '4242');
    fs.writeFileSync(path.join(dir, 'cgroup.procs'), '7\n4242\n');
    assert.deepEqual(cg.pids(), [7, 4242]);

    fs.writeFileSync(path.join(dir, 'cgroup.events'), 'populated 1\nfrozen 0\n');
    assert.equal(cg.isPopulated(), true);
    fs.writeFileSync(path.join(dir, 'cgroup.kill'), '');
    const killed = cg.killAll(2000);
    // The kernel would empty it; here the test does.
    setTimeout(() => fs.writeFileSync(path.join(dir, 'cgroup.events'), 'populated 0\nfrozen 0\n'), 50);
    await killed;
    assert.equal(readIf(path.join(dir, 'cgroup.kill')), '1');

    const freezing = cg.freeze(2000);
    assert.equal(readIf(path.join(dir, 'cgroup.freeze')), '1');
    fs.writeFileSync(path.join(dir, 'cgroup.events'), 'populated 0\nfrozen 1\n');
    await freezing;
    cg.thaw();
    assert.equal(readIf(path.join(dir, 'cgroup.freeze')), '0');

    fs.writeFileSync(path.join(dir, 'cpu.stat'), 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n');
    fs.writeFileSync(path.join(dir, 'memory.current'), '12345\n');
    fs.writeFileSync(path.join(dir, 'pids.current'), '2\n');
    assert.deepEqual(cg.stats(), {
      cpuUsageNs: 1_500_000,
      memoryUsageBytes: 12345,
      memoryLimitBytes: 1 << 26,
      pidsCurrent: 2,
    });
    assert.equal(cg.oomKilled(), false);
    fs.writeFileSync(path.join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    assert.equal(cg.oomKilled(), true);
  });

  it('refuses to create a cgroup that exists, and bad names', () => {
    assert.throws(() => driver.create(parent, 'ops', {}), /already exists/);
    assert.throws(() => driver.create(parent, '../x', {}), CgroupError);
    assert.throws(() => driver.create('/a/../b', 'x', {}), CgroupError);
  });
});

describe('cgroup v1 on this kernel', { skip: v1Skip }, () => {
  const t = tempRoot('tscompose-cg1-');
  const parent = cgroupParentFor(t.root);
  const driver = hasV1 ? cgroupDriver() : (undefined as unknown as CgroupDriver);

  after(async () => {
    try {
      if (hasV1) await driver.removeParent(parent);
    } finally {
      t.cleanup();
    }
  });

  limitsTable(
    'v1',
    () => ({
      driver,
      parent,
      read: (cgPath, file) => readIf(path.join(v1Dir(file.split('.')[0], cgPath), file)),
    }),
    v1Skip,
  );

  it('creates the cgroup in every hierarchy and moves a process into all of them', async () => {
    const cg = driver.create(parent, 'join', {});
    const child = new GatedShell('exit 0');
    try {
      cg.addProcess(child.pid);
      const lines = cgroupsOf(child.pid);
      const expected = mounts.v1.length + (mounts.unified ? 1 : 0);
      assert.equal(cg.dirs.length, expected);
      const inside = lines.filter((l) => l.endsWith(`:${cg.path}`));
      assert.equal(inside.length, expected, lines.join('\n'));
      if (mounts.unified) assert.ok(lines.includes(`0::${cg.path}`), 'joined the unified hierarchy');
      assert.deepEqual(cg.pids(), [child.pid]);
      assert.equal(cg.isPopulated(), true);
    } finally {
      child.release();
      await child.exit();
    }
    assert.ok(await until(() => !cg.isPopulated(), 5000), 'empty once the shell exited');
    await cg.destroy();
    assert.deepEqual(driver.list(parent), []);
    await cg.destroy(); // idempotent
  });

  for (const [limit, forkFails] of [
    [5, true],
    [20, false],
  ] as const) {
    it(`pids_limit ${limit}: seven background processes ${forkFails ? 'cannot' : 'can'} be forked`, async () => {
      const cg = driver.create(parent, `pids-${limit}`, { pidsLimit: limit });
      const child = new GatedShell('for i in 1 2 3 4 5 6 7; do sleep 30 & done; echo started; wait');
      try {
        cg.addProcess(child.pid);
        child.release();
        await until(() => /fork/i.test(child.stderr) || child.stdout.includes('started'), 10_000);
        await until(() => cg.pids().length >= 8, 500);
        if (forkFails) {
          assert.match(child.stderr, /fork/i, 'a failed fork is reported');
          assert.ok(cg.pids().length <= limit, `at most ${limit}: ${cg.pids().join(' ')}`);
          assert.ok(cg.stats().pidsCurrent <= limit);
        } else {
          assert.equal(child.stderr, '');
          assert.equal(cg.pids().length, 8);
          assert.equal(cg.stats().pidsCurrent, 8);
        }
        await cg.killAll();
        assert.deepEqual(cg.pids(), []);
        await child.exit(); // dash may already have given up after the failed fork
      } finally {
        await cg.killAll();
        await child.kill();
        await cg.destroy();
      }
    });
  }

  it('memory limit: an allocating process is OOM-killed and the kill is detected', async () => {
    const cg = driver.create(parent, 'oom', {
      memoryBytes: 32 * 1024 * 1024,
      memorySwapBytes: 32 * 1024 * 1024,
    });
    // tail keeps the whole newline-free /dev/zero stream in memory.
    const child = new GatedShell('exec tail /dev/zero');
    try {
      cg.addProcess(child.pid);
      assert.equal(cg.oomKilled(), false);
      assert.equal(cg.stats().memoryLimitBytes, 32 * 1024 * 1024);
      child.release();
      assert.equal((await child.exit()).signal, 'SIGKILL');
      assert.equal(cg.oomKilled(), true);
    } finally {
      await cg.killAll();
      await child.kill();
      await cg.destroy();
    }
  });

  it('freeze stops a busy process, thaw resumes it; stats count its CPU time', async () => {
    const cg = driver.create(parent, 'freeze', {});
    // The 2 MB variable is charged to the cgroup (v1 does not move earlier charges with a process).
    const child = new GatedShell("x=$(head -c 2000000 /dev/zero | tr '\\0' a); while :; do :; done");
    try {
      cg.addProcess(child.pid);
      child.release();
      await new Promise((r) => setTimeout(r, 200));
      await cg.freeze();
      const frozenAt = cg.stats().cpuUsageNs;
      assert.ok(frozenAt > 0, 'cpu time is counted');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(cg.stats().cpuUsageNs, frozenAt, 'no CPU time while frozen');
      assert.match(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'), /State:\s+[DST]/);
      cg.thaw();
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(cg.stats().cpuUsageNs > frozenAt, 'running again');
      assert.ok(cg.stats().memoryUsageBytes > 2_000_000, `memory: ${cg.stats().memoryUsageBytes}`);
    } finally {
      await cg.killAll();
      await child.kill();
      await cg.destroy();
    }
  });

  for (const variant of ['hybrid (cgroup.kill)', 'pure v1 (freeze, SIGKILL, thaw)'] as const) {
    it(`killAll, ${variant}: a process tree dies, then destroy leaves nothing`, async () => {
      const d = variant.startsWith('pure')
        ? cgroupDriver({ mounts: { ...mounts, mode: 'v1', unified: undefined } })
        : driver;
      const name = variant.startsWith('pure') ? 'kill-v1' : 'kill-hybrid';
      const cg = d.create(parent, name, {});
      // Children that ignore SIGTERM, and a grandchild, keep the cgroup busy.
      const child = new GatedShell("trap '' TERM; (sleep 60 & sleep 60; wait) & sleep 60 & wait");
      try {
        cg.addProcess(child.pid);
        child.release();
        assert.ok(await until(() => cg.pids().length >= 5, 5000), `processes: ${cg.pids().join(' ')}`);
        await cg.killAll();
        assert.equal(cg.isPopulated(), false);
        assert.equal((await child.exit()).signal, 'SIGKILL');
        await cg.destroy();
        assert.deepEqual(d.list(parent), []);
        for (const dir of cg.dirs) assert.equal(fs.existsSync(dir), false, dir);
      } finally {
        await cg.killAll();
        await child.kill();
        await cg.destroy();
      }
    });
  }

  it('devices: only the usual devices may be opened, unless allowAllDevices', async () => {
    const cg = driver.create(parent, 'dev', {});
    const open = driver.create(parent, 'dev-all', {}, { allowAllDevices: true });
    try {
      const list = readIf(path.join(v1Dir('devices', cg.path), 'devices.list')) ?? '';
      assert.match(list, /^c 1:3 rwm$/m);
      assert.doesNotMatch(list, /^a \*:\* rwm$/m);
      assert.equal(readIf(path.join(v1Dir('devices', open.path), 'devices.list')), 'a *:* rwm');
    } finally {
      await cg.destroy();
      await open.destroy();
    }
  });

  it('an impossible limit is a CgroupError and leaves no directory behind', () => {
    assert.throws(
      () => driver.create(parent, 'bad', { cpusetCpus: '99' }),
      (err: unknown) => err instanceof CgroupError && /cpuset\.cpus/.test(err.message),
    );
    assert.deepEqual(
      driver.list(parent).filter((d) => d.endsWith('/bad')),
      [],
    );
  });

  it('create refuses an existing cgroup; removeParent clears the parent everywhere', async () => {
    const cg = driver.create(parent, 'dup', {});
    assert.throws(() => driver.create(parent, 'dup', {}), /already exists/);
    assert.ok(driver.list(parent).length >= cg.dirs.length);
    await driver.removeParent(parent);
    assert.deepEqual(driver.list(parent), []);
    for (const h of mounts.v1) assert.equal(fs.existsSync(path.join(h.mountpoint, parent)), false);
  });
});
