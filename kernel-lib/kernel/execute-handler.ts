import { format } from 'util';
import type { ConsoleInterface, Executor } from 'tslab/dist/executor';
import { TaskCanceledError, TaskQueue } from 'tslab/dist/util';
import { thrownValueError, toErrorContent, type ErrorContent } from './execution-error';
import { History } from './history';
import { currentContext, runInContext, type CellOutcome } from './message-context';
import type { MessageSender } from './message-sender';
import { mimeBundleOf } from '../comm/mime-bundle';
import { parenthesizedTopLevelAwait } from './parenthesized-await';
import { expandShorthandProperties } from './shorthand-properties';
import { evaluateUserExpressions } from './user-expressions';
import type { JupyterMessage } from './wire';

/** The content of an `execute_reply`. */
export type ExecuteReply =
  | { status: 'ok'; execution_count: number; payload: unknown[]; user_expressions: Record<string, unknown> }
  | ({ status: 'error'; execution_count: number } & ErrorContent)
  | { status: 'aborted'; execution_count: number };

/** How long after a stop_on_error failure requests still arriving count as queued behind it. */
const ABORT_WINDOW_MS = 200;

/**
 * Runs `execute_request`s one after another with tslab's executor and speaks the full protocol
 * around them: `execute_input`, streams, `execute_result` for the last expression, iopub `error`
 * plus ename/evalue/traceback in the reply, execution counts, history and stop_on_error.
 * Cells run in a message context, so output from async work they start keeps the cell as parent.
 */
export class ExecuteHandler {
  /** The input history of this kernel run. */
  readonly history = new History();
  private count = 0;
  private readonly queue = new TaskQueue();
  /** How many execute requests have arrived. */
  private received = 0;
  /** Requests numbered up to this one arrived before a cell failed with stop_on_error: they are aborted. */
  private abortThrough = 0;
  /** When the last stop_on_error failure happened (kernel clock, ms); -Infinity before any. */
  private failedAt = -Infinity;

  /**
   * @param afterSynchronousPart called as soon as a cell's synchronous part has run (the kernel
   *   re-arms its SIGINT handler there).
   * @param log the kernel log: every aborted request is written there with the reason.
   */
  constructor(
    private readonly executor: Executor,
    private readonly sender: MessageSender,
    private readonly afterSynchronousPart: () => void = () => {},
    private readonly log: (text: string) => void = () => {},
  ) {}

  /** The console given to tslab's executor: collects the last expression's value and the cell's errors. */
  static executorConsole(): ConsoleInterface {
    return {
      log: (value: unknown) => {
        const cell = currentContext()?.cell;
        if (cell) cell.result = { value };
        else process.stdout.write(format(value) + '\n');
      },
      error: (...args: unknown[]) => {
        const cell = currentContext()?.cell;
        if (cell) cell.errors.push(args);
        else process.stderr.write(format(...args) + '\n');
      },
    };
  }

  /** Handle an `execute_request`; resolves to the `execute_reply` content once the cell finished. */
  async execute(request: JupyterMessage): Promise<ExecuteReply> {
    const content = request.content;
    const code = content.code;
    if (typeof code !== 'string') {
      const error = thrownValueError(new TypeError(`execute_request content.code must be a string, got ${typeof code}`));
      return { status: 'error', execution_count: this.count, ...error };
    }
    const silent = content.silent === true;
    const storeHistory = !silent && content.store_history !== false;
    const stopOnError = content.stop_on_error !== false;
    const arrival = ++this.received;
    try {
      return await this.queue.add(async () => {
        // stop_on_error: cells that were already waiting when an earlier cell failed do not run.
        const queued = this.queuedBeforeFailure(arrival, request);
        if (queued) return this.abort(request, queued);
        const reply = await this.run(request, code, silent, storeHistory);
        if (reply.status === 'ok' && content.user_expressions) {
          reply.user_expressions = await evaluateUserExpressions(this.executor, request.header, content.user_expressions);
        }
        if (reply.status === 'error' && stopOnError) this.recordFailure();
        return reply;
      });
    } catch (e) {
      if (e instanceof TaskCanceledError) {
        // A task that threw poisons tslab's queue: start a fresh chain for the cells after it.
        this.queue.reset();
        return this.abort(request, `the request before it failed inside the kernel (${String(e.reason)})`);
      }
      throw e;
    }
  }

  /**
   * Like ipykernel, a failed cell aborts the requests sent before its error reply: those already
   * received, and those still in the socket, read during a short window and stamped (header
   * `date`) before the failure. A request stamped later, or in the same millisecond, runs.
   */
  private recordFailure(): void {
    this.abortThrough = this.received;
    this.failedAt = Date.now();
  }

  /** Why the request was sent before the last stop_on_error failure, or undefined when it was not. */
  private queuedBeforeFailure(arrival: number, request: JupyterMessage): string | undefined {
    if (arrival <= this.abortThrough) return `it arrived before a cell failed (request ${arrival}, failure after request ${this.abortThrough})`;
    // Requests still in the socket shortly after the failure were sent before it too.
    const since = Date.now() - this.failedAt;
    if (since >= ABORT_WINDOW_MS) return undefined;
    const date = String(request.header?.date ?? '');
    // Both clocks are read in whole ms: a request stamped in the failure's own millisecond can be
    // a reaction to the error reply (a local client answers in well under 1 ms), so it runs.
    const sentAt = Date.parse(date);
    if (!(sentAt < this.failedAt)) return undefined;
    return `read ${since} ms after a cell failed at ${new Date(this.failedAt).toISOString()}, stamped '${date}' (earlier)`;
  }

  private abort(request: JupyterMessage, why: string): ExecuteReply {
    this.log(`convlens kernel: aborted execute_request ${request.header.msg_id}: ${why}\n`);
    return { status: 'aborted', execution_count: this.count };
  }

  private async run(request: JupyterMessage, code: string, silent: boolean, storeHistory: boolean): Promise<ExecuteReply> {
    const count = storeHistory ? ++this.count : this.count;
    const parent = request.header;
    if (!silent) this.sender.publish('execute_input', { code, execution_count: count }, parent);
    if (storeHistory) this.history.add(count, code);
    // Let busy and execute_input leave before the code runs: a long synchronous cell blocks sends.
    await this.sender.flush();
    const cell: CellOutcome = { errors: [], payloads: [] };
    const running = runInContext({ parent, cell }, () => this.executor.execute(expandShorthandProperties(parenthesizedTopLevelAwait(code))));
    this.afterSynchronousPart();
    const ok = await running;
    cell.finished = true;
    if (!ok) return this.fail(toErrorContent(cell.errors), count, request);
    if (cell.errors.length > 0) {
      // Diagnostics of a %%module cell: reported, but the module was registered.
      const text = cell.errors.map((args) => format(...args)).join('\n') + '\n';
      this.sender.publish('stream', { name: 'stderr', text }, parent);
    }
    if (cell.result && !silent) {
      let bundle;
      try {
        bundle = mimeBundleOf(cell.result.value);
      } catch (e) {
        return this.fail(thrownValueError(e), count, request);
      }
      // An empty bundle (e.g. interact(), which already displayed itself) is not shown again.
      if (Object.keys(bundle.data).length > 0) this.sender.publish('execute_result', { execution_count: count, ...bundle }, parent);
      const plain = bundle.data['text/plain'];
      if (storeHistory) this.history.setOutput(count, typeof plain === 'string' ? plain : '');
    }
    return { status: 'ok', execution_count: count, payload: cell.payloads, user_expressions: {} };
  }

  private fail(error: ErrorContent, count: number, request: JupyterMessage): ExecuteReply {
    this.sender.publish('error', error, request.header);
    return { status: 'error', execution_count: count, ...error };
  }
}
