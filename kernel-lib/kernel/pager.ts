import { currentContext } from './message-context';

/**
 * Show `content` in the notebook's pager (the panel IPython uses for `?` help) instead of the
 * cell output: plain text, or a mime bundle such as `{ "text/html": "..." }`.
 * Outside a running cell (or outside a kernel) the text is printed instead.
 */
export function page(content: string | Record<string, string>): void {
  const data = typeof content === 'string' ? { 'text/plain': content } : content;
  const cell = currentContext()?.cell;
  if (cell && !cell.finished) cell.payloads.push({ source: 'page', data, start: 0 });
  else console.log(data['text/plain'] ?? JSON.stringify(data));
}
