/**
 * `npm run bench -- network`, in one run and in a network namespace of its own
 * (network-sandbox.ts), through the real CLI and a daemon on a temp TSCOMPOSE_ROOT:
 * - the median time of `container run --rm` of busybox on a user-defined bridge network, beside
 *   `docker run --rm` on a user-defined network of a confined dockerd of Debian's docker.io
 *   (network-docker.ts), timed in turns; goal: at most half of docker's;
 * - TCP throughput to a container publishing a port: the DNAT path (the host's address and
 *   127.0.0.1) and the userland proxy path (an IPv6 client of a port published on every
 *   address, which the engine serves with its proxy), beside a direct connection to the
 *   container's own address, from this namespace and from a client namespace over a veth (the
 *   way a client on another machine comes in); goal: DNAT within 10% of direct.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxLayers, busyboxMissing } from '../test/helpers/busybox-image';
import { Netns, wire } from '../test/helpers/netns';
import { report, timeInTurns, type Command } from './lib';
import { startDockerPeer, type DockerPeer } from './network-docker';
import { noteForSweep, runInOwnNetns } from './network-sandbox';
import { MB, measure, reportThroughput, startSink, type TcpPath } from './network-throughput';
import { cgroupParentFor } from '../src/engine/runtime/cgroups';

const OUR_SUBNET = '10.201.0.0/24';
const DOCKER_SUBNET = '10.202.0.0/24';
/** The client namespace's link: the host end holds "the host's address". */
const HOST_IP = '10.200.1.1';
const CLIENT_IP = '10.200.1.2';
const SINK_PORT = 5001;
const PUBLISHED = 8080;
const PAYLOAD = 256 * MB;

function cli(bin: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`tscompose ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Whether something in this namespace listens on TCP `port` over IPv6 (the engine's proxy). */
function listensV6(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return fs
    .readFileSync('/proc/net/tcp6', 'utf8')
    .split('\n')
    .some((l) => l.split(/\s+/)[2]?.endsWith(`:${hex}`) && l.split(/\s+/)[4] === '0A');
}

function startTimes(bin: string, env: NodeJS.ProcessEnv, peer: DockerPeer | string, runs: number): void {
  console.log(`\n## run --rm busybox true on a user-defined bridge network (${runs} runs, in turns)`);
  const run = (network: string): Command => ({
    name: `tscompose container run --rm --network ${network === 'none' ? 'none' : '<user net>'}`,
    cmd: process.execPath,
    args: [bin, 'container', 'run', '--rm', '--network', network, 'busybox', 'true'],
    env,
  });
  // With no network beside it: what joining the bridge network costs.
  const [t, none, d] = timeInTurns(
    [run('tscompose-bench'), run('none'), ...(typeof peer === 'string' ? [] : [peer.runRm])],
    runs,
  );
  report(t, d);
  report(none, t);
  if (!d) return void console.log(`docker peer skipped: ${peer as string}`);
  report(d);
  const ratio = t.medianMs / d.medianMs;
  console.log(`goal: at most 0.50× docker's — ${ratio <= 0.5 ? 'met' : 'not met'} (${ratio.toFixed(2)}×)`);
}

async function throughput(
  bin: string,
  env: NodeJS.ProcessEnv,
  runs: number,
  undo: (() => unknown)[],
): Promise<void> {
  console.log(
    `\n## TCP throughput to a container through a published port (${PAYLOAD / MB} MB a transfer, ${runs} runs in turns)`,
  );
  const client = await Netns.make();
  undo.push(() => client.stop());
  wire(client, { hostName: 'tscbench-cl0', hostCidr: `${HOST_IP}/24`, cidr: `${CLIENT_IP}/24`, gw: HOST_IP });
  const id = cli(
    bin,
    env,
    'container',
    'run',
    '-d',
    '--network',
    'tscompose-bench',
    '-p',
    `${PUBLISHED}:${SINK_PORT}`,
    'busybox',
    'sleep',
    '3600',
  );
  undo.push(() => cli(bin, env, 'container', 'rm', '-f', id));
  const [c] = JSON.parse(cli(bin, env, 'container', 'inspect', id)) as {
    State: { Pid: number };
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
  }[];
  const pid = c.State.Pid;
  const ctrIp = c.NetworkSettings.Networks['tscompose-bench'].IPAddress;
  const sink: ChildProcess = await startSink(`/proc/${pid}/ns/net`, SINK_PORT);
  undo.push(() => sink.kill('SIGKILL'));
  console.log(
    `(the sink is a node process in the container's network namespace, at ${ctrIp}:${SINK_PORT}, published on ${PUBLISHED}; ` +
      `"the host's address" is ${HOST_IP}, on the link to the client namespace)`,
  );

  const from = client.path;
  const paths: TcpPath[] = [
    { name: 'here: direct to the container address', host: ctrIp, port: SINK_PORT },
    { name: "here: DNAT, the host's address", host: HOST_IP, port: PUBLISHED, vs: 0, dnat: true },
    { name: 'here: DNAT, 127.0.0.1', host: '127.0.0.1', port: PUBLISHED, vs: 0, dnat: true },
    { name: 'client ns: direct to the container address', host: ctrIp, port: SINK_PORT, from },
    { name: "client ns: DNAT, the host's address", host: HOST_IP, port: PUBLISHED, from, vs: 3, dnat: true },
  ];
  if (listensV6(PUBLISHED))
    paths.push({ name: 'here: userland proxy, [::1]', host: '::1', port: PUBLISHED, vs: 0 });
  else console.log(`proxy path skipped: nothing listens on [::]:${PUBLISHED} (no IPv6 here?)`);
  const shares = reportThroughput(paths, await measure(paths, PAYLOAD, runs));
  const dnat = paths.flatMap((p, i) => (p.dnat ? [shares[i]] : []));
  const worst = Math.min(...dnat);
  console.log(
    `goal: DNAT within 10% of direct — ${worst >= 0.9 ? 'met' : 'not met'} (worst ${(worst * 100).toFixed(0)}%)`,
  );
}

/** The links of the current network namespace (/sys/class/net would show sysfs's). */
function links(): string[] {
  return fs
    .readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0].trim())
    .filter(Boolean);
}

async function inner(bin: string, dir: string, runs: number): Promise<void> {
  // Only ever in the fresh namespace runInOwnNetns makes: daemons started here make bridges.
  if (links().join() !== 'lo') throw new Error(`not in a namespace of its own (links: ${links().join(' ')})`);
  const root = path.join(dir, 'root');
  const conf = path.join(dir, 'engine.json');
  fs.writeFileSync(conf, JSON.stringify({ 'default-network': 'none' }));
  const env = {
    ...process.env,
    TSCOMPOSE_ROOT: root,
    TSCOMPOSE_RUNROOT: path.join(dir, 'run'),
    TSCOMPOSE_CONFIG: conf,
  };
  noteForSweep(dir, { cgroupParents: [cgroupParentFor(root)] });
  const undo: (() => unknown)[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const u of undo.splice(0).reverse()) {
      try {
        await u();
      } catch (err) {
        console.log(`cleanup: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  };
  const onSignal = (): void => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const rootfs = busyboxLayers().layers[0];
    undo.push(() => cli(bin, env, 'engine', 'stop'));
    cli(bin, env, 'image', 'import', rootfs, 'busybox');
    cli(bin, env, 'network', 'create', '--subnet', OUR_SUBNET, 'tscompose-bench');
    undo.push(() => cli(bin, env, 'network', 'rm', 'tscompose-bench'));

    const peer = await startDockerPeer(dir, rootfs, DOCKER_SUBNET);
    if (typeof peer !== 'string') undo.push(() => peer.stop());
    startTimes(bin, env, peer, Math.max(runs, 20));
    // The peer is done: it must not take CPU from the transfers.
    if (typeof peer !== 'string') await undo.pop()?.();

    await throughput(bin, env, Math.max(3, runs), undo);
  } finally {
    await cleanUp();
  }
}

export async function benchNetwork(bin: string, runs: number): Promise<void> {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`\n# Networks (machine: ${os.cpus().length} CPUs, load average ${load})`);
  if (process.getuid?.() !== 0) return void console.log('skipped: needs root (network namespaces, nftables)');
  const missing = busyboxMissing();
  if (missing) return void console.log(`skipped: ${missing}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-bench-net-'));
  const status = await runInOwnNetns(__filename, ['--inner', bin, dir, String(runs)], dir);
  if (status !== 0) console.log(`network bench failed (exit ${status})`);
}

if (require.main === module && process.argv[2] === '--inner')
  inner(process.argv[3], process.argv[4], Number(process.argv[5])).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
