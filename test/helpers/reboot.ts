/**
 * What a reboot does to an engine rooted at `root`, done by hand: every process of it dies at
 * once (the reaper, the daemon, every container process, no clean stop), its mounts and cgroups
 * go, its bridges, veths and nftables table go, and its run root (`TSCOMPOSE_RUNROOT`: the pid
 * files, the socket, the exit records, the sealed node — a tmpfs at /run on a real machine) is
 * wiped. What stays is what a disk keeps: the state root (records, images, volumes, networks).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cgroupDriver, cgroupParentFor } from '../../src/engine/runtime/cgroups';
import { natTableName } from '../../src/engine/networks/nat';
import { removeEngineLinks } from './leaks';

function pidsOf(root: string): number[] {
  const parent = cgroupParentFor(root);
  const envMark = `TSCOMPOSE_ROOT=${root}\0`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const inCgroup = fs.readFileSync(`/proc/${entry}/cgroup`, 'utf8').includes(`${parent}/`);
      if (inCgroup || fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(envMark))
        pids.push(Number(entry));
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  return pids;
}

async function killAll(root: string, runRoot: string): Promise<void> {
  // The reaper first, so that it starts no new daemon when the daemon dies.
  for (const file of ['reaper.json', 'engine.json']) {
    try {
      const { pid } = JSON.parse(fs.readFileSync(path.join(runRoot, file), 'utf8')) as { pid: number };
      process.kill(pid, 'SIGKILL');
    } catch {
      // not running
    }
  }
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pids = pidsOf(root);
    if (!pids.length) return;
    if (Date.now() > deadline) throw new Error(`processes of the engine outlived SIGKILL: ${pids.join(' ')}`);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function simulateReboot(root: string, runRoot: string): Promise<void> {
  await killAll(root, runRoot);
  const mounts = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m) => m && [root, runRoot].some((d) => m.startsWith(`${d}/`)))
    .reverse();
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  await cgroupDriver().removeParent(cgroupParentFor(root));
  removeEngineLinks(root);
  const nft = spawnSync('nft', ['delete', 'table', 'inet', natTableName(root)], { encoding: 'utf8' });
  if (nft.status !== 0 && !/No such file/.test(nft.stderr)) throw new Error(`nft: ${nft.stderr}`);
  fs.rmSync(runRoot, { recursive: true, force: true });
}
