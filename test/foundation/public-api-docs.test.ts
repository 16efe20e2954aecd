/**
 * Every export of the package root carries TSDoc (a documentation comment on its declaration).
 */
import * as ts from 'typescript';
import * as path from 'path';

describe('public API', () => {
  it('has TSDoc on every export of kernel-lib/index.ts', () => {
    const entry = path.join(__dirname, '../../kernel-lib/index.ts');
    const program = ts.createProgram([entry], { strict: true, esModuleInterop: true, skipLibCheck: true, resolveJsonModule: true, noEmit: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(entry)!;
    const moduleSymbol = checker.getSymbolAtLocation(source)!;
    const undocumented: string[] = [];
    const exports = checker.getExportsOfModule(moduleSymbol);
    expect(exports.map((e) => e.name)).toContain('initBackend');
    for (const exported of exports) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (exported.name === 'tf') continue; // the tfjs namespace itself, documented in kernel-lib/tf.ts
      const decl = symbol.declarations?.[0];
      if (!decl || decl.getSourceFile().fileName.includes('node_modules')) continue;
      // A namespace export (`export * as objectives from ...`) is documented by its module's leading comment.
      const docs = ts.isSourceFile(decl)
        ? (/^\s*\/\*\*([\s\S]*?)\*\//.exec(decl.text)?.[1] ?? '').replace(/[\s*]/g, '')
        : ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      if (!docs) undocumented.push(`${exported.name} (${path.relative(path.join(__dirname, '../..'), decl.getSourceFile().fileName)})`);
    }
    expect(undocumented).toEqual([]);
  });
});
