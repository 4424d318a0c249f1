/**
 * The frame of an engine test file: one in-process engine for the suite (see startTestEngine),
 * the leak sweep after each test, and a way to start a busybox container.
 */
import { after, afterEach, before } from 'node:test';
import { assertNoLeaks } from './leaks';
import { startTestEngine, type TestEngine, type TestEngineOptions } from './engine';

export interface EngineSuite {
  /** The suite's engine, once `before` has run. */
  readonly t: TestEngine;
  /** A busybox container created with `extra` and started; its id. */
  started(cmd: string[], extra?: object): Promise<string>;
}

/** Call inside describe(): registers the hooks. */
export function useTestEngine(opts: TestEngineOptions = {}): EngineSuite {
  let engine: TestEngine | undefined;
  before(async () => {
    engine = await startTestEngine(opts);
  });
  after(async () => {
    await engine?.close();
  });
  const suite: EngineSuite = {
    get t(): TestEngine {
      if (!engine) throw new Error('the test engine is not started');
      return engine;
    },
    async started(cmd, extra = {}) {
      const { Id } = await suite.t.engine.createContainer({ Image: 'busybox', Cmd: cmd, ...extra });
      await suite.t.engine.startContainer(Id);
      return Id;
    },
  };
  afterEach(async () => {
    const ids = (await suite.t.engine.listContainers({ all: true })).map((c) => c.Id);
    await assertNoLeaks(suite.t.root, ids, undefined, { up: true, pid: process.pid });
  });
  return suite;
}
