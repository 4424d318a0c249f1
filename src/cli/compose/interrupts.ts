/**
 * Ctrl-C (SIGINT, and SIGTERM alike, as docker compose listens to both) as two signals a
 * foreground compose command reacts to: the first asks for a graceful end, the second forces
 * it. While one of these is alive the process does not die of the signal.
 */
export class Interrupts {
  private readonly firstCtl = new AbortController();
  private readonly secondCtl = new AbortController();
  private readonly handler = (): void => {
    if (!this.firstCtl.signal.aborted) this.firstCtl.abort();
    else this.secondCtl.abort();
  };

  constructor() {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  get first(): AbortSignal {
    return this.firstCtl.signal;
  }

  get second(): AbortSignal {
    return this.secondCtl.signal;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}
