/**
 * Configures interfaces the daemon just put into a running container (docker network connect):
 * a short-lived process of its own that enters the container's network namespace, which the
 * daemon's main thread must never do (RUNTIME.md). argv: the pid, the attachments as JSON, and
 * optionally the namespace's rules (NamespaceRules) as JSON.
 * A failure is one line on stderr and exit code 1.
 */
import fs from 'node:fs';
import { CLONE_NEWNET, openNamespace, setns } from '../../../platform/linux/namespaces';
import { applyRules, configureInside } from '../init/network';
import type { NamespaceRules, NetworkAttachment } from '../spec';

try {
  const pid = Number(process.argv[2]);
  const attach = JSON.parse(process.argv[3] ?? '[]') as NetworkAttachment[];
  const rules = process.argv[4] ? (JSON.parse(process.argv[4]) as NamespaceRules) : undefined;
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bad pid ${process.argv[2]}`);
  const fd = openNamespace(pid, 'net');
  setns(fd, CLONE_NEWNET);
  fs.closeSync(fd);
  configureInside(attach, false);
  applyRules(rules);
  process.exit(0);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
