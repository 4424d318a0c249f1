/**
 * `npm run bench`: performance goals live here, never in timed tests. Figures are medians,
 * shown beside a peer measured in the same run where one is installed.
 * Usage: node dist/bench/run.js [config|containers|pull|startup] [--runs N]
 */
import path from 'node:path';
import { benchConfig } from './config';
import { benchContainers } from './containers';
import { benchPull } from './pull';
import { benchStartup } from './startup';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 10;
const only = args.filter((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1));
const bin = path.resolve(__dirname, '..', '..', 'bin', 'run.js');

const benches: Record<string, () => void | Promise<void>> = {
  config: () => benchConfig(bin, runs),
  containers: () => benchContainers(bin, runs),
  pull: () => benchPull(bin, runs),
  startup: () => benchStartup(bin, runs),
};

void (async () => {
  for (const [name, fn] of Object.entries(benches)) {
    if (only.length === 0 || only.includes(name)) await fn();
  }
})();
