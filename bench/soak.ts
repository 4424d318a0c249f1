/**
 * A soak: container churn for N minutes through the real CLI on an engine of its own (runs, execs,
 * parallel containers, a container writing log lines all along), then the RSS slope of the
 * reaper and of the daemon (least squares over the samples, MB/min) and their fds and threads at
 * start and end. A steady slope after warm-up is a leak; one process with steady growth and the
 * other flat says which to read.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxLayers } from '../test/helpers/busybox-image';
import { loopbackOnlyConfig } from '../test/helpers/network-config';

const SAMPLE_MS = 5000;
const PARALLEL = 8;

interface Sample {
  minutes: number;
  rssMiB: number;
  fds: number;
  threads: number;
}

function sample(pid: number, t0: number): Sample | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))?.[1]);
    return {
      minutes: (Date.now() - t0) / 60_000,
      rssMiB: field('VmRSS') / 1024,
      fds: fs.readdirSync(`/proc/${pid}/fd`).length,
      threads: field('Threads'),
    };
  } catch {
    return undefined;
  }
}

/** MB per minute, least squares. */
export function slope(samples: { minutes: number; rssMiB: number }[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((s, p) => s + p.minutes, 0) / n;
  const my = samples.reduce((s, p) => s + p.rssMiB, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.minutes - mx) * (p.rssMiB - my);
    den += (p.minutes - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** A private copy of the build: a rebuild of the checkout meanwhile would make the CLI replace its daemon. */
function copyBuild(repo: string, to: string): string {
  for (const part of ['package.json', 'oclif.manifest.json', 'bin', path.join('dist', 'src')])
    fs.cpSync(path.join(repo, part), path.join(to, part), { recursive: true });
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(to, 'node_modules'));
  return path.join(to, 'bin', 'run.js');
}

export async function benchSoak(repoBin: string, minutes: number): Promise<void> {
  console.log(`\n## soak: ${minutes} min of container churn, RSS slope of the reaper and the daemon`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-bench-soak-'));
  const bin = copyBuild(path.resolve(path.dirname(repoBin), '..'), path.join(dir, 'build'));
  const runRoot = path.join(dir, 'run');
  const env = {
    ...process.env,
    TSCOMPOSE_ROOT: path.join(dir, 'root'),
    TSCOMPOSE_CONFIG: loopbackOnlyConfig(),
    TSCOMPOSE_RUNROOT: runRoot,
  };
  const cli = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile(process.execPath, [bin, ...args], { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        err
          ? reject(new Error(`tscompose ${args.join(' ')}: ${stderr.trim() || err.message}`))
          : resolve(stdout),
      ),
    );
  const pidOf = (file: string): number =>
    Number(JSON.parse(fs.readFileSync(path.join(runRoot, file), 'utf8')).pid);
  const counts = { runs: 0, execs: 0, parallel: 0 };
  try {
    await cli('image', 'import', busyboxLayers().layers[0], 'busybox');
    await cli(
      'container',
      'run',
      '-d',
      '--name',
      'soak-logger',
      'busybox',
      'sh',
      '-c',
      'while :; do echo "soak line $(date)"; usleep 5000; done',
    );
    await cli('container', 'run', '-d', '--name', 'soak-target', 'busybox', 'sleep', '86400');
    const procs = { reaper: pidOf('reaper.json'), daemon: pidOf('engine.json') };
    const t0 = Date.now();
    const samples: Record<keyof typeof procs, Sample[]> = { reaper: [], daemon: [] };
    const take = (): void => {
      for (const [name, pid] of Object.entries(procs) as [keyof typeof procs, number][]) {
        const s = sample(pid, t0);
        if (s) samples[name].push(s);
      }
    };
    take();
    const timer = setInterval(take, SAMPLE_MS);
    const end = t0 + minutes * 60_000;
    for (let round = 0; Date.now() < end; round++) {
      await cli('container', 'run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'seq 1 200');
      counts.runs++;
      await cli('container', 'exec', 'soak-target', 'sh', '-c', 'echo exec; exit 3').catch(() => undefined);
      counts.execs++;
      if (round % 5 === 4) {
        const ids = await Promise.all(
          Array.from({ length: PARALLEL }, () =>
            cli('container', 'run', '-d', '--network', 'none', 'busybox', 'sh', '-c', 'sleep 1; exit 42'),
          ),
        );
        await cli('container', 'wait', ...ids.map((s) => s.trim()));
        await cli('container', 'rm', ...ids.map((s) => s.trim()));
        counts.parallel += PARALLEL;
      }
    }
    clearInterval(timer);
    take();
    const lines = (await cli('container', 'logs', 'soak-logger')).split('\n').length;
    console.log(
      `${counts.runs} runs, ${counts.execs} execs, ${counts.parallel} parallel containers, ` +
        `${lines} log lines; the machine may be shared, so read slopes beside its load`,
    );
    for (const [name, s] of Object.entries(samples)) {
      const first = s[0];
      const last = s[s.length - 1];
      // The first minute is warm-up (JIT, heap growth to its working size): the slope skips it.
      const warm = s.filter((p) => p.minutes >= Math.min(1, minutes / 2));
      console.log(
        `${name.padEnd(7)} RSS ${first.rssMiB.toFixed(1)} → ${last.rssMiB.toFixed(1)} MiB, ` +
          `slope ${slope(s).toFixed(3)} MB/min (after warm-up ${slope(warm).toFixed(3)}), ` +
          `fds ${first.fds} → ${last.fds}, threads ${first.threads} → ${last.threads}, n=${s.length}`,
      );
    }
  } finally {
    spawnSync(process.execPath, [bin, 'container', 'rm', '-f', 'soak-logger', 'soak-target'], { env });
    spawnSync(process.execPath, [bin, 'engine', 'stop'], { env });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
