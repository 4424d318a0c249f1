/**
 * The frame of an end-to-end test file: the real CLI on temp TSCOMPOSE_ROOT/RUNROOT (so the
 * daemon it starts on demand is this file's own), busybox imported first, the leak sweep after
 * each test, and at the end every container removed, the daemon stopped and the temp dirs gone.
 * The CLI runs from a private copy of the build: a rebuild of the checkout meanwhile (another
 * change being compiled) would otherwise make it replace its daemon, containers and all.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { after, afterEach, before } from 'node:test';
import { cgroupDriver, cgroupParentFor } from '../../src/engine/runtime/cgroups';
import { busyboxLayers } from './busybox-image';
import { REPO_ROOT, type CliResult } from './cli';
import { assertNoLeaks, removeEngineLinks } from './leaks';
import { loopbackOnlyConfig } from './network-config';

export interface CliEngine {
  dir: string;
  root: string;
  runRoot: string;
  env: NodeJS.ProcessEnv;
  cli(...args: string[]): CliResult;
  /** With more spawn options (a timeout, input). */
  cliWith(opts: SpawnSyncOptions, ...args: string[]): CliResult;
  /** Every container's full id. */
  ids(): string[];
}

/** What a test file does to the state root before anything is put in it, and undoes at the very end. */
export interface RootHooks {
  /** E.g. mount a small tmpfs on it (the folder exists, empty). */
  prepare?(root: string): void;
  /** Runs after the engine is stopped, before the temp dirs go, also after a failure. */
  release?(root: string): void;
}

export interface CliEngineOptions extends RootHooks {
  /** Runs the CLI, and so the daemon it starts and everything that daemon spawns, from another node binary (a private copy). */
  node?: string;
}

/** Call inside describe(): registers the hooks. */
export function useCliEngine(
  prefix = 'tscompose-e2e-',
  extraEnv: NodeJS.ProcessEnv = {},
  options: CliEngineOptions = {},
): CliEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const root = path.join(dir, 'root');
  const runRoot = path.join(dir, 'run');
  const env = {
    TSCOMPOSE_CONFIG: loopbackOnlyConfig(),
    ...process.env,
    ...extraEnv,
    TSCOMPOSE_ROOT: root,
    TSCOMPOSE_RUNROOT: runRoot,
  };
  const build = path.join(dir, 'build');
  const cliWith = (opts: SpawnSyncOptions, ...args: string[]): CliResult => {
    const bin = path.join(build, 'bin', 'run.js');
    const r = spawnSync(options.node ?? process.execPath, [bin, ...args], {
      encoding: 'utf8',
      timeout: 120_000,
      env,
      ...opts,
    });
    return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  };
  const cli = (...args: string[]): CliResult => cliWith({}, ...args);
  const ids = (): string[] =>
    cli('container', 'ls', '-a', '-q', '--no-trunc').stdout.split('\n').filter(Boolean);

  before(() => {
    if (options.prepare) {
      fs.mkdirSync(root, { recursive: true });
      options.prepare(root);
    }
    for (const part of ['package.json', 'oclif.manifest.json', 'bin', path.join('dist', 'src')])
      fs.cpSync(path.join(REPO_ROOT, part), path.join(build, part), { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(build, 'node_modules'));
    const r = cli('image', 'import', busyboxLayers().layers[0], 'busybox');
    assert.equal(r.status, 0, r.stderr);
  });
  afterEach(async () => {
    await assertNoLeaks(root, ids(), runRoot);
  });
  after(async () => {
    try {
      for (const id of ids()) cli('container', 'rm', '-f', id);
      cli('engine', 'stop');
      await assertNoLeaks(root, [], runRoot, { up: false });
    } finally {
      await cgroupDriver()
        .removeParent(cgroupParentFor(root))
        .catch(() => undefined);
      // The default bridge stays with its record while the engine is down, as docker0 does.
      removeEngineLinks(root);
      try {
        options.release?.(root);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
  return { dir, root, runRoot, env, cli, cliWith, ids };
}
