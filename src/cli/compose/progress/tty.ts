/**
 * The terminal view of a compose operation, drawn by listr2 the way docker compose's tty writer
 * looks: a header (`[+] Running 2/3`), then one line per resource in the order it first
 * appeared, with a spinner while it works, ✔, ! or ✘ when its step is over, its status and the
 * seconds since its first event; redrawn in place ten times a second.
 *
 * A compose resource goes back and forth between working and done (Created, then Starting), which
 * a listr2 task cannot: so every resource is one task that stays open until the operation ends,
 * and the renderer draws the icon from the resource's last event instead of the task's state.
 * Resources appear while listr2 runs, which a running task list cannot take: each batch of new
 * ones comes with an untitled task that waits for the next batch (untitled tasks draw their
 * subtasks at their own level, so the chain reads as one flat list).
 */
import {
  DefaultRenderer,
  Listr,
  ListrLogger,
  ProcessOutput,
  type ListrDefaultRendererTask,
  type ListrTask,
} from 'listr2';
import type { ProgressEvent, ProgressSink } from '../../../compose/progress';
import { paint, plainPaint, type Paint } from '../colors';

export interface TtyRow {
  id: string;
  status: string;
  text?: string;
  done: boolean;
  error: boolean;
  warning: boolean;
  /** Milliseconds of its first event, and of the last one that ended a step. */
  start: number;
  end?: number;
}

export interface TtyPaints {
  success: Paint;
  warning: Paint;
  error: Paint;
  count: Paint;
}

const PAINTS: TtyPaints = {
  success: paint('32'),
  warning: paint('33;1'),
  error: paint('31;1'),
  count: paint('33'),
};
const NO_PAINTS: TtyPaints = {
  success: plainPaint,
  warning: plainPaint,
  error: plainPaint,
  count: plainPaint,
};

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function rowIcon(row: TtyRow, now: number, p: TtyPaints): string {
  if (row.error) return p.error('✘');
  if (row.warning) return p.warning('!');
  if (row.done) return p.success('✔');
  return p.count(SPINNER[Math.floor((now - row.start) / 100) % SPINNER.length]);
}

/** `[+] Running 2/3`: the resources whose step is over, of all seen so far. */
export function headerLine(title: string, rows: TtyRow[]): string {
  return `${title} ${rows.filter((r) => r.done).length}/${rows.length}`;
}

/**
 * Each row's text after its icon: ids padded to the longest, statuses (with their details) to
 * the longest, then the elapsed seconds, right-aligned.
 */
export function rowTexts(rows: TtyRow[], now: number, p: TtyPaints): string[] {
  const width = (s: string): number => [...s].length;
  const statuses = rows.map((r) => (r.text ? `${r.status} ${r.text}` : r.status));
  const timers = rows.map((r) => `${(((r.done ? (r.end ?? r.start) : now) - r.start) / 1000).toFixed(1)}s`);
  const idWidth = Math.max(...rows.map((r) => width(r.id)));
  const statusWidth = Math.max(...statuses.map(width));
  const timerWidth = Math.max(...timers.map(width));
  return rows.map((r, i) => {
    const colour = r.error ? p.error : r.warning ? p.warning : r.done ? p.success : plainPaint;
    const status = colour(r.status) + statuses[i].slice(r.status.length);
    const pad = ' '.repeat(statusWidth - width(statuses[i]));
    return `${r.id.padEnd(idWidth)}  ${status}${pad}  ${timers[i].padStart(timerWidth)}`;
  });
}

export interface TtyOptions {
  color: boolean;
  /** The header's verb; docker compose says Running. */
  title?: string;
  /** Output of others (stdout) held back while the view redraws, and written after it. */
  held?: NodeJS.WritableStream;
  /** Milliseconds now; tests fix it. */
  clock?: () => number;
}

interface Waiter {
  resolve: (batch: TtyRow[]) => void;
}

export function ttySink(out: NodeJS.WritableStream, o: TtyOptions): ProgressSink {
  const paints = o.color ? PAINTS : NO_PAINTS;
  const clock = o.clock ?? Date.now;
  const title = `[+] ${o.title ?? 'Running'}`;
  const rows: TtyRow[] = [];
  const byId = new Map<string, TtyRow>();
  const byTask = new Map<string, TtyRow>(); // listr2 task id → row
  let fresh: TtyRow[] = [];
  let waiter: Waiter | undefined;
  let finished = false;
  let run: Promise<unknown> | undefined;
  let headerTask: string | undefined;
  let closeAll: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    closeAll = resolve;
  });

  const wake = (): void => {
    if (!waiter || (fresh.length === 0 && !finished)) return;
    const w = waiter;
    waiter = undefined;
    const batch = fresh;
    fresh = [];
    w.resolve(batch);
  };

  const rowTask = (row: TtyRow): ListrTask => ({ title: row.id, task: () => closed });

  // Waits for the next resources; none and finished ends the chain.
  const chainTask = (): ListrTask => ({
    task: async (_ctx, t) => {
      const batch = await new Promise<TtyRow[]>((resolve) => {
        waiter = { resolve };
        wake();
      });
      if (batch.length === 0) return undefined;
      const list = t.newListr([...batch.map(rowTask), chainTask()], { concurrent: true, exitOnError: false });
      batch.forEach((row, i) => byTask.set(list.tasks[i].id, row));
      return list;
    },
  });

  class ComposeRenderer extends DefaultRenderer {
    // listr2 falls back to its line renderer when stdout is not a terminal; this view is drawn on
    // stderr, which the chooser has already found to be one.
    static override nonTTY = true;

    override create(options?: { tasks?: boolean; bottomBar?: boolean; prompt?: boolean }): string {
      const now = clock();
      const texts = rows.length > 0 ? rowTexts(rows, now, paints) : [];
      const textOf = new Map(rows.map((r, i) => [r, texts[i]]));
      const retitle = (tasks: ListrDefaultRendererTask[]): void => {
        for (const task of tasks) {
          const row = byTask.get(task.id);
          if (row) task.title = textOf.get(row);
          else if (task.id === headerTask) task.title = headerLine(title, rows);
          if (task.subtasks) retitle(task.subtasks);
        }
      };
      retitle(this.tasksOf());
      return super.create(options);
    }

    protected override style(task: ListrDefaultRendererTask): string {
      if (task.id === headerTask) return '';
      const row = byTask.get(task.id);
      return row ? rowIcon(row, clock(), paints) : ' ';
    }

    private tasksOf(): ListrDefaultRendererTask[] {
      return (this as unknown as { tasks: ListrDefaultRendererTask[] }).tasks;
    }
  }

  const start = (): Promise<unknown> => {
    const logger = new ListrLogger({
      useIcons: true,
      processOutput: new ProcessOutput(out as NodeJS.WriteStream, (o.held ?? out) as NodeJS.WriteStream, {
        dump: ['stderr'],
        leaveEmptyLine: false,
      }),
    });
    const list = new Listr(
      [
        {
          title: headerLine(title, rows),
          task: (_ctx, t) => t.newListr([chainTask()], { concurrent: true, exitOnError: false }),
        },
      ],
      {
        renderer: ComposeRenderer,
        rendererOptions: {
          logger,
          indentation: 1,
          collapseSubtasks: false,
          collapseErrors: false,
          showErrorMessage: false,
          formatOutput: 'truncate',
        },
        fallbackRendererCondition: false,
        silentRendererCondition: false,
        registerSignalListeners: false,
        exitOnError: false,
        concurrent: true,
      },
    );
    headerTask = list.tasks[0].id;
    return list.run();
  };

  return {
    emit(e: ProgressEvent): void {
      if (finished) return;
      const now = clock();
      let row = byId.get(e.id);
      if (!row) {
        row = { id: e.id, status: e.status, done: false, error: false, warning: false, start: now };
        byId.set(e.id, row);
        rows.push(row);
        fresh.push(row);
      }
      // The timer stops when a step ends and runs on from the first event when another begins.
      if (e.done && !row.done) row.end = now;
      row.status = e.status;
      row.text = e.text;
      row.done = e.done;
      row.error = !!e.error;
      row.warning = e.status === 'Warning';
      run ??= start();
      wake();
    },
    async done(): Promise<void> {
      finished = true;
      closeAll();
      wake();
      await run;
    },
  };
}
