import { expandShorthandProperties } from '../../kernel-lib/kernel/shorthand-properties';

describe('expandShorthandProperties', () => {
  it('expands shorthand properties in literals and destructuring assignments', () => {
    expect(expandShorthandProperties('const o = { a, b: 2, c };')).toBe('const o = { a: a, b: 2, c: c };');
    expect(expandShorthandProperties('f({ classNames }, { x: { y } })')).toBe('f({ classNames: classNames }, { x: { y: y } })');
    expect(expandShorthandProperties('({ a = 1, b } = obj);')).toBe('({ a: a = 1, b: b } = obj);');
  });

  it('leaves binding patterns, strings, comments and magic cells alone', () => {
    const untouched = ['const { a, b } = obj;', 'const s = "{ a }"; // { b }', 'function f({ a }: { a: number }) { return a; }', '%%module\nexport const o = { a };'];
    for (const code of untouched) expect(expandShorthandProperties(code)).toBe(code);
  });
});
