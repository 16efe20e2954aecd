import type * as TS from 'typescript';
import { tslabTypescript } from './tslab-typescript';

/** The nodes that start a scope of their own: an `await` inside them is not top-level. */
function isFunctionLike(ts: typeof TS, node: TS.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isModuleDeclaration(node);
}

/**
 * Rewrite a top-level `await (x)…` as `await Promise.resolve((x)…)` before a cell reaches
 * tslab's converter.
 *
 * tslab compiles a cell as a script, where TypeScript reads `await` followed by `(` as a call of
 * a function named `await` (only `await name` or `await literal` parse as await expressions), so
 * `const m = await (async () => load())()` threw "await is not defined". Awaiting
 * `Promise.resolve(v)` gives what awaiting `v` gives (value and type), and the chain after the
 * parenthesis (calls, property reads) stays inside it as it was meant. `%%` magic cells and
 * `await (…)` inside functions (a real call there) are left alone.
 */
export function parenthesizedTopLevelAwait(code: string): string {
  if (code.trimStart().startsWith('%%') || !/\bawait\s*\(/.test(code)) return code;
  const ts = tslabTypescript();
  const source = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const spans: Array<{ start: number; end: number }> = [];
  const visit = (node: TS.Node): void => {
    if (isFunctionLike(ts, node)) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'await') {
      // The whole left-hand chain the parenthesis starts: `await (f)(x).y` means `await (f(x).y)`.
      let outer: TS.Node = node;
      while (isChainedOn(ts, outer)) outer = outer.parent;
      spans.push({ start: node.expression.getEnd(), end: outer.getEnd() });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = code;
  for (const { start, end } of spans.sort((a, b) => b.start - a.start)) {
    out = `${out.slice(0, start)} Promise.resolve(${out.slice(start, end).trimStart()})${out.slice(end)}`;
  }
  return out;
}

/** Whether `node` is the object of a call, property read, index or `!` on it. */
function isChainedOn(ts: typeof TS, node: TS.Node): boolean {
  const parent = node.parent;
  return (
    (ts.isCallExpression(parent) || ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isNonNullExpression(parent) || ts.isTaggedTemplateExpression(parent)) &&
    (ts.isTaggedTemplateExpression(parent) ? parent.tag === node : parent.expression === node)
  );
}
