import { createRequire } from 'module';

/** The part of the TypeScript compiler API the kernel touches. */
export type TslabTypescript = typeof import('typescript');

/**
 * The TypeScript compiler instance tslab's converter uses (`@tslab/typescript-for-tslab`,
 * resolved from tslab itself so that patches to its `sys` reach the converter).
 */
export function tslabTypescript(): TslabTypescript {
  const fromTslab = createRequire(require.resolve('tslab/package.json'));
  return fromTslab('@tslab/typescript-for-tslab') as TslabTypescript;
}
