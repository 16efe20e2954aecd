import { tslabTypescript } from './tslab-typescript';

/**
 * Rewrite object-literal shorthand properties `{ a }` as `{ a: a }` (and `{ a = 1 }` in
 * destructuring assignments as `{ a: a = 1 }`) before a cell reaches tslab's converter.
 *
 * tslab rewrites references to variables of earlier cells as `exports.name`, but it misses the
 * shorthand form, so `{ classNames }` naming an earlier cell's variable threw ReferenceError.
 * The longhand form means the same thing everywhere, so the rewrite is purely syntactic.
 * `%%` magic cells are returned unchanged.
 */
export function expandShorthandProperties(code: string): string {
  if (code.trimStart().startsWith('%%')) return code;
  const ts = tslabTypescript();
  const source = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const insertions: Array<{ at: number; text: string }> = [];
  const visit = (node: import('typescript').Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) insertions.push({ at: node.name.getEnd(), text: `: ${node.name.text}` });
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = code;
  for (const { at, text } of insertions.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
