import { parenthesizedTopLevelAwait } from '../../kernel-lib/kernel/parenthesized-await';

describe('parenthesizedTopLevelAwait', () => {
  it('turns a top-level await of a parenthesis into an await of Promise.resolve over the whole chain', () => {
    expect(parenthesizedTopLevelAwait('const c = await (async () => 3)();')).toBe('const c = await Promise.resolve((async () => 3)());');
    expect(parenthesizedTopLevelAwait('const b = await (p);')).toBe('const b = await Promise.resolve((p));');
    expect(parenthesizedTopLevelAwait('await (f)(1).then((r) => r.x)[0]!;')).toBe('await Promise.resolve((f)(1).then((r) => r.x)[0]!);');
    expect(parenthesizedTopLevelAwait('const [a, b] = [await (x), await (y)];')).toBe('const [a, b] = [await Promise.resolve((x)), await Promise.resolve((y))];');
    expect(parenthesizedTopLevelAwait('if (ok) { const r = await(load()); }')).toBe('if (ok) { const r = await Promise.resolve((load())); }');
  });

  it('leaves await expressions, calls inside functions, strings, comments and magic cells alone', () => {
    const untouched = [
      'const a = await Promise.resolve(1);',
      'const f = async () => await (g)();',
      'function h() { return await (1); }',
      'class K { m = async () => await (this.x); }',
      'const s = "await (x)"; // await (y)',
      '%%module\nexport const v = await (p);',
    ];
    for (const code of untouched) expect(parenthesizedTopLevelAwait(code)).toBe(code);
  });
});
