import type { Executor } from 'tslab/dist/executor';
import { toErrorContent } from './execution-error';
import { runInContext, type CellOutcome } from './message-context';
import { mimeBundleOf } from '../comm/mime-bundle';
import type { MessageHeader } from './wire';

/** One evaluated user expression, as in an execute_reply's `user_expressions`. */
export type UserExpressionResult =
  | { status: 'ok'; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { status: 'error'; ename: string; evalue: string; traceback: string[] };

/**
 * Evaluate the `user_expressions` of an execute_request after its cell succeeded: each is run
 * as TypeScript in the notebook's scope and answered with its mime bundle or its error.
 * Non-string expressions are answered with an error.
 */
export async function evaluateUserExpressions(
  executor: Executor,
  parent: MessageHeader,
  expressions: unknown,
): Promise<Record<string, UserExpressionResult>> {
  const results: Record<string, UserExpressionResult> = {};
  if (typeof expressions !== 'object' || expressions === null) return results;
  for (const [name, expression] of Object.entries(expressions)) {
    if (typeof expression !== 'string') {
      results[name] = { status: 'error', ename: 'TypeError', evalue: 'a user expression must be a string', traceback: [] };
      continue;
    }
    const cell: CellOutcome = { errors: [], payloads: [] };
    const ok = await runInContext({ parent, cell }, () => executor.execute(expression));
    cell.finished = true;
    if (!ok) {
      results[name] = { status: 'error', ...toErrorContent(cell.errors) };
      continue;
    }
    try {
      const { data, metadata } = mimeBundleOf(cell.result?.value);
      results[name] = { status: 'ok', data, metadata: metadata ?? {} };
    } catch (e) {
      results[name] = { status: 'error', ...toErrorContent([[e]]) };
    }
  }
  return results;
}
