/**
 * `npm run bench`: performance goals live here, never in timed tests. Figures are medians,
 * shown beside a peer measured in the same run where one is installed.
 * Usage: node dist/bench/run.js [config|compose|containers|records|pull|network|startup|soak] [--runs N]
 *   [--minutes N]
 * (soak runs only when named: it lasts minutes).
 */
import path from 'node:path';
import { benchCompose } from './compose';
import { benchConfig } from './config';
import { benchContainerRecords } from './container-records';
import { benchContainers } from './containers';
import { benchNetwork } from './network';
import { benchPull } from './pull';
import { benchSoak } from './soak';
import { benchStartup } from './startup';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 10;
const minutesAt = args.indexOf('--minutes');
const minutes = minutesAt >= 0 ? Number(args[minutesAt + 1]) : 2;
const only = args.filter(
  (a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1) && (minutesAt < 0 || i !== minutesAt + 1),
);
const bin = path.resolve(__dirname, '..', '..', 'bin', 'run.js');

const benches: Record<string, () => void | Promise<void>> = {
  config: () => benchConfig(bin, runs),
  compose: () => benchCompose(bin, runs),
  containers: () => benchContainers(bin, runs),
  records: () => benchContainerRecords(bin, runs),
  pull: () => benchPull(bin, runs),
  network: () => benchNetwork(bin, runs),
  startup: () => benchStartup(bin, runs),
  soak: () => benchSoak(bin, minutes),
};
const onlyWhenNamed = new Set(['soak']);

void (async () => {
  for (const [name, fn] of Object.entries(benches)) {
    if (only.includes(name) || (only.length === 0 && !onlyWhenNamed.has(name))) await fn();
  }
})();
