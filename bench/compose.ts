/**
 * `npm run bench -- compose`: the example stack (examples/demo) brought up with `up -d --wait`
 * and down with `down -v -t 0`, and a no-op re-`up -d` in between, medians over N cycles, beside
 * Debian's dockerd 20.10 + docker-compose 1.29 on the same compose file and the same root file
 * system in the same run. docker-compose 1.29 has no `--wait`: its `up -d` already waits for the
 * web service to be healthy before it starts the worker that depends on it, which is the same
 * end state. Each engine runs confined (bench/confined.ts, bench/docker-peer.ts); the cycles of
 * the two alternate, so a slow moment of the machine hits both. Goal (reported, not a gate):
 * up+down and the no-op re-up each at most half of docker compose's time.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cgroupDriver, cgroupParentFor } from '../src/engine/runtime/cgroups';
import { Confined } from './confined';
import { startDockerPeer } from './docker-peer';
import { median } from './lib';

const DEMO = path.resolve(__dirname, '..', '..', 'examples', 'demo');
const COMPOSE_FILE = path.join(DEMO, 'compose.yaml');
const IMAGE = 'demo-busybox:latest';
const CHANGES = ['-c', 'CMD ["sh"]', '-c', 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin'];
type Step = 'up' | 're-up' | 'down';

interface Side {
  name: string;
  place: Confined;
  env: NodeJS.ProcessEnv;
  /** The compose CLI as [command, leading args]. */
  compose: [string, string[]];
  up: string[];
  times: Record<Step, number[]>;
}

function run(side: Side, cmd: string, args: string[]): string {
  const r = side.place.run(cmd, args, side.env);
  if (r.status !== 0)
    throw new Error(
      `${side.name}: ${[cmd, ...args].join(' ')}: exit ${r.status}: ${r.stderr.trim().slice(-400)}`,
    );
  return r.stdout;
}

function timed(side: Side, step: Step, verb: string[], record: boolean): void {
  const t0 = process.hrtime.bigint();
  run(side, side.compose[0], [...side.compose[1], ...verb]);
  if (record) side.times[step].push(Number(process.hrtime.bigint() - t0) / 1e6);
}

/** One cycle; the first one also checks the stack works (the published port answers). */
function cycle(side: Side, record: boolean, check: boolean): void {
  timed(side, 'up', side.up, record);
  if (check) {
    const page = run(side, 'timeout', ['10', 'busybox', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/']);
    if (!page.includes('hello from'))
      throw new Error(`${side.name}: port 8080 answered ${JSON.stringify(page)}`);
  }
  timed(side, 're-up', ['up', '-d'], record);
  timed(side, 'down', ['down', '-v', '-t', '0'], record);
}

function tscomposeSide(bin: string, rootfs: string): { side: Side; close(): void } {
  const place = new Confined('tscbench-tsc');
  const root = path.join(place.dir, 'root');
  const config = path.join(place.dir, 'engine.json');
  fs.writeFileSync(config, '{}\n');
  const env = {
    ...process.env,
    TSCOMPOSE_ROOT: root,
    TSCOMPOSE_RUNROOT: path.join(place.dir, 'run'),
    TSCOMPOSE_CONFIG: config,
  };
  const side: Side = {
    name: 'tscompose',
    place,
    env,
    compose: [process.execPath, [bin, '--project-directory', DEMO, '-f', COMPOSE_FILE]],
    up: ['up', '-d', '--wait'],
    times: { up: [], 're-up': [], down: [] },
  };
  const close = (): void => {
    place.run(
      process.execPath,
      [bin, '--project-directory', DEMO, '-f', COMPOSE_FILE, 'down', '-v', '-t', '0'],
      env,
    );
    place.run(process.execPath, [bin, 'engine', 'stop'], env);
    place.close();
    void cgroupDriver()
      .removeParent(cgroupParentFor(root))
      .catch(() => undefined);
  };
  try {
    run(side, process.execPath, [bin, 'image', 'import', ...CHANGES, rootfs, IMAGE]);
  } catch (err) {
    close();
    throw err;
  }
  return { side, close };
}

function report(sides: Side[]): void {
  const [ours, peer] = sides;
  const m = (s: Side, step: Step | 'up+down'): number =>
    step === 'up+down' ? median(s.times.up.map((t, i) => t + s.times.down[i])) : median(s.times[step]);
  const rows: [string, Step | 'up+down'][] = [
    ['up -d --wait', 'up'],
    ['down -v -t 0', 'down'],
    ['up + down (one cycle)', 'up+down'],
    ['no-op re-up -d', 're-up'],
  ];
  const head = `${'median ms'.padEnd(24)}${ours.name.padStart(12)}${peer ? peer.name.padStart(20) + '     ratio' : ''}`;
  console.log(head);
  for (const [label, step] of rows) {
    const a = m(ours, step);
    const line = `${label.padEnd(24)}${a.toFixed(0).padStart(12)}`;
    if (!peer) console.log(line);
    else {
      const b = m(peer, step);
      console.log(`${line}${b.toFixed(0).padStart(20)}${(a / b).toFixed(2).padStart(9)}×`);
    }
  }
}

export async function benchCompose(bin: string, runs: number): Promise<void> {
  console.log(`\n## compose: the example stack (examples/demo), ${runs} cycles of up, no-op re-up, down`);
  if (process.getuid?.() !== 0)
    return void console.log('skipped: needs root (the engines, network namespaces)');
  if (!fs.existsSync('/bin/busybox')) return void console.log('skipped: apt-get install busybox-static');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tscbench-rootfs-'));
  const closers: (() => void)[] = [() => fs.rmSync(tmp, { recursive: true, force: true })];
  try {
    const rootfs = path.join(tmp, 'rootfs.tar');
    const made = spawnSync(path.join(DEMO, 'make-image.sh'), [rootfs], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`make-image.sh: ${made.stderr.trim()}`);
    const ours = tscomposeSide(bin, rootfs);
    closers.push(ours.close);
    const sides = [ours.side];
    const peer = await startDockerPeer();
    if (typeof peer === 'string') console.log(`docker compose: skipped — ${peer}`);
    else {
      closers.push(peer.close);
      const side: Side = {
        name: 'docker-compose 1.29',
        place: peer.place,
        env: peer.env,
        compose: [peer.compose, ['-p', 'demo', '--project-directory', DEMO, '-f', COMPOSE_FILE]],
        up: ['up', '-d'],
        times: { up: [], 're-up': [], down: [] },
      };
      run(side, peer.docker, ['import', ...CHANGES, rootfs, IMAGE]);
      sides.push(side);
      closers.push(() => run(side, peer.compose, [...side.compose[1], 'down', '-v', '-t', '0']));
    }
    for (const side of sides) cycle(side, false, true); // warm-up, and the check
    for (let i = 0; i < runs; i++) for (const side of sides) cycle(side, true, false);
    report(sides);
  } finally {
    for (const close of closers.reverse()) {
      try {
        close();
      } catch (err) {
        console.error(`cleanup: ${(err as Error).message}`);
      }
    }
  }
}
