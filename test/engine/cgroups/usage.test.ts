/**
 * Cgroup.usage(): a table of control-file contents against what must be read from them on a
 * cgroup2-shaped temp tree, the v1 and v2 block I/O formats, and the real numbers of a busy,
 * memory-holding process in this machine's v1 hierarchies.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  cgroupDriver,
  cgroupParentFor,
  detectCgroups,
  type CgroupDriver,
  type CgroupUsage,
} from '../../../src/engine/runtime/cgroups';
import { parseBlkio, parseIoStat } from '../../../src/engine/runtime/cgroups/usage';
import { GatedShell, tempRoot, until } from './helpers';

const MiB = 1024 * 1024;

interface UsageCase {
  name: string;
  files: Record<string, string>;
  want: (u: CgroupUsage) => void;
}

const V2_CASES: UsageCase[] = [
  {
    name: 'cpu.stat in microseconds, throttling',
    files: {
      'cpu.stat':
        'usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 7\nnr_throttled 2\nthrottled_usec 30\n',
    },
    want: (u) =>
      assert.deepEqual(u.cpu, {
        totalNs: 2_500_000,
        userNs: 2_000_000,
        systemNs: 500_000,
        periods: 7,
        throttledPeriods: 2,
        throttledNs: 30_000,
      }),
  },
  {
    name: 'memory: current, peak, limit and memory.stat',
    files: {
      'memory.current': `${5 * MiB}\n`,
      'memory.peak': `${9 * MiB}\n`,
      'memory.max': `${64 * MiB}\n`,
      'memory.stat': 'anon 4096\nfile 8192\ninactive_file 1024\n',
    },
    want: (u) =>
      assert.deepEqual(u.memory, {
        usage: 5 * MiB,
        maxUsage: 9 * MiB,
        limit: 64 * MiB,
        stats: { anon: 4096, file: 8192, inactive_file: 1024 },
      }),
  },
  {
    name: 'no limits: memory.max and pids.max are "max"',
    files: { 'memory.current': '10\n', 'memory.max': 'max\n', 'pids.current': '3\n', 'pids.max': 'max\n' },
    want: (u) => {
      assert.equal(u.memory.limit, null);
      assert.deepEqual(u.pids, { current: 3, limit: null });
    },
  },
  {
    name: 'pids limit, and io.stat as read and write entries',
    files: {
      'pids.current': '2\n',
      'pids.max': '20\n',
      'io.stat': '8:0 rbytes=4096 wbytes=512 rios=1 wios=1\n',
    },
    want: (u) => {
      assert.deepEqual(u.pids, { current: 2, limit: 20 });
      assert.deepEqual(u.io, [
        { major: 8, minor: 0, op: 'read', value: 4096 },
        { major: 8, minor: 0, op: 'write', value: 512 },
      ]);
    },
  },
  {
    name: 'missing files read as zeros, pids from cgroup.procs',
    files: { 'cgroup.procs': '11\n12\n' },
    want: (u) => {
      assert.equal(u.cpu.totalNs, 0);
      assert.equal(u.memory.usage, 0);
      assert.equal(u.memory.maxUsage, undefined);
      assert.deepEqual(u.pids, { current: 2, limit: null });
      assert.deepEqual(u.io, []);
    },
  },
];

describe('Cgroup.usage on cgroup v2 (a cgroup2-shaped temp tree)', () => {
  const t = tempRoot('tscompose-cg2-usage-');
  const fake = path.join(t.root, 'cgroup2');
  const parent = cgroupParentFor(t.root);
  let driver: CgroupDriver;
  before(() => {
    fs.mkdirSync(fake);
    fs.writeFileSync(path.join(fake, 'cgroup.controllers'), 'cpu io memory pids\n');
    fs.writeFileSync(path.join(fake, 'cgroup.subtree_control'), '');
    driver = cgroupDriver({ v2Root: fake });
  });
  after(t.cleanup);

  for (const [i, c] of V2_CASES.entries()) {
    it(c.name, () => {
      const cg = driver.create(parent, `usage-${i}`, {});
      const dir = path.join(fake, cg.path);
      for (const [file, text] of Object.entries(c.files)) fs.writeFileSync(path.join(dir, file), text);
      c.want(cg.usage());
    });
  }
});

describe('block I/O formats', () => {
  it('v1 blkio: every operation of every device, without the Total line', () => {
    const text =
      '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n';
    const io = parseBlkio(text);
    assert.equal(io.length, 6);
    assert.deepEqual(io[1], { major: 8, minor: 0, op: 'Write', value: 8192 });
    assert.deepEqual(parseBlkio('Total 0\n'), []);
  });

  it('v2 io.stat: two devices, a field missing', () => {
    assert.deepEqual(parseIoStat('8:0 rbytes=1 wbytes=2\n253:1 wbytes=9 dbytes=0\n'), [
      { major: 8, minor: 0, op: 'read', value: 1 },
      { major: 8, minor: 0, op: 'write', value: 2 },
      { major: 253, minor: 1, op: 'read', value: 0 },
      { major: 253, minor: 1, op: 'write', value: 9 },
    ]);
  });
});

const mounts = detectCgroups();
const v1Skip = mounts.mode !== 'v2' && process.getuid?.() === 0 ? false : 'needs root and cgroup v1';

describe('Cgroup.usage on this kernel (v1)', { skip: v1Skip }, () => {
  const t = tempRoot('tscompose-cg1-usage-');
  const parent = cgroupParentFor(t.root);
  after(async () => {
    try {
      await cgroupDriver().removeParent(parent);
    } finally {
      t.cleanup();
    }
  });

  it('a busy shell holding 8 MB: cpu time, memory near 8 MB, pids, the limit', async () => {
    const cg = cgroupDriver().create(parent, 'busy', { memoryBytes: 64 * MiB, pidsLimit: 50 });
    const child = new GatedShell(
      "x=$(head -c 8000000 /dev/zero | tr '\\0' a); sleep 30 & while :; do :; done",
    );
    try {
      cg.addProcess(child.pid);
      child.release();
      assert.ok(await until(() => cg.usage().memory.usage > 8_000_000, 10_000), 'memory grows');
      assert.ok(await until(() => cg.usage().pids.current >= 2, 5000), 'the shell and its sleep');
      const u = cg.usage();
      assert.ok(u.cpu.totalNs > 0, 'cpu time is counted');
      assert.ok(u.cpu.userNs + u.cpu.systemNs >= 0);
      if (u.cpu.perCpuNs) assert.ok(u.cpu.perCpuNs.length >= 1);
      assert.ok(u.memory.usage < 60 * MiB, `memory: ${u.memory.usage}`);
      assert.equal(u.memory.limit, 64 * MiB);
      assert.ok('total_inactive_file' in u.memory.stats, Object.keys(u.memory.stats).join(' '));
      assert.deepEqual(u.pids.limit, 50);
      assert.ok(Array.isArray(u.io));
    } finally {
      await cg.killAll();
      await child.kill();
      await cg.destroy();
    }
  });
});
