/**
 * An in-process engine on a temp TSCOMPOSE_ROOT with the shared busybox image, for the tests of
 * the runtime and the container lifecycle; `close()` removes every container, checks for leaks
 * and removes the root (also after a failed test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OutputChunk } from '../../src/engine-api/output';
import type { ContainerCreateBody } from '../../src/engine-api/container/types';
import { createEngine, type Engine } from '../../src/engine/engine';
import { ImageStore } from '../../src/engine/images/store';
import { enginePaths } from '../../src/engine-api/paths';
import { cgroupDriver, cgroupParentFor } from '../../src/engine/runtime/cgroups';
import { importBusybox } from './busybox-image';
import { assertNoLeaks, removeEngineLinks } from './leaks';
import { loopbackOnlyConfig } from './network-config';

export interface TestEngine {
  engine: Engine;
  root: string;
  /** create + start + wait; the container's output and exit code. Removed afterwards. */
  run(body: Omit<ContainerCreateBody, 'Image'> & { Image?: string }): Promise<RunResult>;
  close(): Promise<void>;
}

export interface RunResult {
  id: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  oomKilled: boolean;
}

export async function collect(
  chunks: AsyncIterable<OutputChunk>,
): Promise<{ stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  for await (const c of chunks) out[c.stream] += c.data.toString('utf8');
  return out;
}

export interface TestEngineOptions {
  /** The state root (removed by close); a new temp dir by default. */
  root?: string;
  /** Runs on the store (busybox imported) before the engine starts: to leave what a crash would. */
  beforeStart?: (store: ImageStore) => Promise<void> | void;
}

export async function startTestEngine(opts: TestEngineOptions = {}): Promise<TestEngine> {
  const root = opts.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-engine-'));
  const paths = enginePaths({ TSCOMPOSE_ROOT: root, TSCOMPOSE_RUNROOT: path.join(root, 'run') });
  const store = new ImageStore(paths.images);
  await importBusybox(store);
  await opts.beforeStart?.(store);
  process.env.TSCOMPOSE_CONFIG ??= loopbackOnlyConfig();
  const engine = await createEngine({ paths, buildId: 'test', version: '0.0.0-test' });

  const run = async (body: Omit<ContainerCreateBody, 'Image'> & { Image?: string }): Promise<RunResult> => {
    const { Id } = await engine.createContainer({ Image: 'busybox', ...body });
    try {
      await engine.startContainer(Id);
      const { StatusCode } = await engine.waitContainer(Id);
      const out = await collect(engine.containerLogs(Id, { stdout: true, stderr: true }));
      const { State } = await engine.inspectContainer(Id);
      return { id: Id, exitCode: StatusCode, oomKilled: State.OOMKilled, ...out };
    } finally {
      await engine.removeContainer(Id, { force: true });
    }
  };

  const close = async (): Promise<void> => {
    try {
      for (const c of await engine.listContainers({ all: true }))
        await engine.removeContainer(c.Id, { force: true });
      for (const n of await engine.listNetworks())
        if (!['bridge', 'host', 'none'].includes(n.Name)) await engine.removeNetwork(n.Id);
      await engine.close();
      await assertNoLeaks(root, [], undefined, { up: false, pid: process.pid });
    } finally {
      await cgroupDriver()
        .removeParent(cgroupParentFor(root))
        .catch(() => undefined);
      // The default bridge stays with its record while the engine is down, as docker0 does.
      removeEngineLinks(root);
      fs.rmSync(root, { recursive: true, force: true });
    }
  };
  return { engine, root, run, close };
}
