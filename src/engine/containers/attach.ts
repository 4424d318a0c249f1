/**
 * `docker attach` in the engine: a client joins a container's stdio. A container that is not
 * running yet (`run -it` attaches before it starts, so no output is missed) is joined at its
 * start; a removal ends the wait. With a terminal the output is the pty's one raw stream and
 * stdin goes to the pty; without, stdout and stderr come as multiplexed frames.
 */
import type { AttachOptions, Attachment } from '../../engine-api/attachment';
import type { ContainerConfig } from '../../engine-api/container/types';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../common/detach-keys';
import { NotRunningError } from '../../common/errors';
import type { EventBus } from '../events';
import type { RunningContainer } from '../runtime/start';
import { AttachSession, type SessionEnds } from './attach-session';
import type { ContainerManager } from './manager';

export class ContainerAttacher {
  constructor(
    private readonly containers: ContainerManager,
    private readonly bus: EventBus,
  ) {}

  async attach(ref: string, opts: AttachOptions): Promise<Attachment> {
    const { Id: id, Config } = this.containers.inspect(ref);
    const tty = Config.Tty === true;
    const session = new AttachSession(tty, parseDetachKeys(opts.detachKeys || DEFAULT_DETACH_KEYS));
    const ends = (running: RunningContainer): SessionEnds => sessionEnds(running, opts, Config);
    const join = (): boolean => {
      const running = this.runningNow(id);
      if (running) session.connect(ends(running));
      return running !== undefined;
    };
    // Subscribed first: a start between the check and the subscription would be missed.
    const stop = this.bus.subscribe((e) => {
      if (e.Type !== 'container' || e.Actor.ID !== id) return;
      if ((e.Action === 'start' || e.Action === 'restart') && join()) stop();
      else if (e.Action === 'destroy') {
        stop();
        session.finish();
      }
    });
    session.stream.once('close', stop);
    if (join()) stop();
    else if (opts.stream === false) {
      stop();
      session.finish();
    }
    return { tty, stream: session.stream };
  }

  async resize(ref: string, height: number, width: number): Promise<void> {
    const { Id } = this.containers.inspect(ref);
    const running = this.runningNow(Id);
    if (!running) throw new NotRunningError(`Container ${Id} is not running`);
    running.terminal?.resize(height, width);
  }

  private runningNow(id: string): RunningContainer | undefined {
    try {
      return this.containers.running(id).running;
    } catch {
      return undefined;
    }
  }
}

function sessionEnds(running: RunningContainer, opts: AttachOptions, config: ContainerConfig): SessionEnds {
  const { terminal, stdin } = running;
  const withStdin = opts.stdin === true && config.OpenStdin === true;
  if (terminal) {
    return {
      outputs: opts.stdout || opts.stderr ? [['stdout', terminal.stream]] : [],
      input: withStdin ? terminal.stream : undefined,
    };
  }
  const outputs: SessionEnds['outputs'] = [];
  if (opts.stdout) outputs.push(['stdout', running.stdout]);
  if (opts.stderr) outputs.push(['stderr', running.stderr]);
  if (!withStdin || !stdin) return { outputs };
  // StdinOnce: the first client to close its stdin closes the container's (`run -i`).
  return { outputs, input: stdin, closeInput: config.StdinOnce ? () => stdin.end() : undefined };
}
