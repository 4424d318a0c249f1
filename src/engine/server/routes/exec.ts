/** `/containers/{id}/exec` and `/exec/...`. */
import type { ExecCreateBody } from '../../../engine-api/exec/types';
import { streamOverResponse, type ExecStartBody } from '../hijack';
import { drain, HEADER_GRACE_MS, sendFrames, settledWithin } from '../respond';
import { ok, readJson, route, terminalSize, type Route } from '../route';

export const execRoutes: Route[] = [
  route('POST', '/containers/{id}/exec', async ({ api, params, req }) => ({
    status: 201,
    body: await api.createExec(params.id, await readJson<ExecCreateBody>(req, 'execCreate')),
  })),
  route('POST', '/exec/{id}/resize', async ({ api, params, query }) => {
    await api.resizeExec(params.id, ...terminalSize(query));
    return { status: 201 };
  }),
  route('POST', '/exec/{id}/start', async (c) => {
    const body = await readJson<ExecStartBody>(c.req, 'execStart');
    if (body.Tty && !body.Detach)
      return streamOverResponse(
        c.res,
        await c.api.startExecAttached(c.params.id, { consoleSize: body.ConsoleSize }),
      );
    if (!body.Detach) return sendFrames(c, c.api.startExec(c.params.id, c.signal));
    // Detached: the exec runs on after this answer, its output goes nowhere.
    const it = c.api.startExec(c.params.id)[Symbol.asyncIterator]();
    const first = it.next();
    await settledWithin(first, HEADER_GRACE_MS);
    void drain(it, first);
    return { status: 200 };
  }),
  route('GET', '/exec/{id}/json', async ({ api, params }) => ok(await api.inspectExec(params.id))),
];
