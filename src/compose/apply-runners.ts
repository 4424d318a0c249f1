/**
 * One runner per kind of plan node, each one Engine API call (the create of a container is
 * followed by the connects of its extra networks, as docker compose's). Runners do what the node
 * says and nothing more: every decision was the planner's.
 */
import { NotFoundError } from '../common/errors';
import type { Operation } from '../planner/plan-types';
import type { ApplyContext } from './apply-context';
import { waitForCondition } from './apply-wait';

/** What a runner may report: the status to show when through, or a warning that does not fail the plan. */
export interface RunOutcome {
  status?: string;
  warning?: string;
}

export type OperationRunner<K extends Operation['kind'] = Operation['kind']> = (
  op: Extract<Operation, { kind: K }>,
  ctx: ApplyContext,
) => Promise<RunOutcome | void>;

export type OperationRunners = { [K in Operation['kind']]: OperationRunner<K> };

/** Removing what is gone already (another process, a race with --rm) is what the node wanted. */
async function gone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}

export const RUNNERS: OperationRunners = {
  'create-network': async (op, ctx) => {
    await ctx.engine.createNetwork(ctx.networkBody(op.key, op.name));
  },
  'remove-network': async (op, ctx) => gone(ctx.engine.removeNetwork(op.name)),
  'create-volume': async (op, ctx) => {
    await ctx.engine.createVolume(ctx.volumeBody(op.key, op.name));
  },
  'remove-volume': async (op, ctx) => gone(ctx.engine.removeVolume(op.name)),
  'pull-image': async (op, ctx) => {
    await ctx.engine.pullImage(op.image, { auth: ctx.registryAuth?.(op.image), signal: ctx.signal });
  },
  'remove-image': async (op, ctx) => {
    await gone(ctx.engine.removeImage(op.image));
  },
  'create-container': async (op, ctx) => {
    const { body, connect = [] } = await ctx.createBody(op.service, op.number, op.name, op.replaces);
    const { Id } = await ctx.engine.createContainer(body, op.name);
    for (const c of connect)
      await ctx.engine.connectNetwork(c.network, { Container: Id, EndpointConfig: c.endpoint });
  },
  'start-container': async (op, ctx) => ctx.engine.startContainer(op.name),
  'stop-container': async (op, ctx) => ctx.engine.stopContainer(op.name, { timeout: op.timeoutSeconds }),
  'remove-container': async (op, ctx) =>
    gone(ctx.engine.removeContainer(op.name, { force: true, volumes: op.volumes })),
  'rename-container': async (op, ctx) => ctx.engine.renameContainer(op.from, op.to),
  'restart-container': async (op, ctx) =>
    ctx.engine.restartContainer(op.name, { timeout: op.timeoutSeconds }),
  'kill-container': async (op, ctx) => ctx.engine.killContainer(op.name, op.signal),
  'pause-container': async (op, ctx) => ctx.engine.pauseContainer(op.name),
  'unpause-container': async (op, ctx) => ctx.engine.unpauseContainer(op.name),
  'wait-container': async (op, ctx) => {
    try {
      const status = await waitForCondition(ctx.engine, op.name, op.condition, {
        ...ctx.wait,
        signal: ctx.signal,
      });
      return { status };
    } catch (err) {
      if (op.required || ctx.signal?.aborted) throw err;
      return { status: 'Error', warning: (err as Error).message };
    }
  },
};
